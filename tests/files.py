"""Real files made in the test: valid images and PDFs, and hostile look-alikes."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def png_bytes(size=(40, 30), color=(200, 40, 40)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="PNG")
    return buffer.getvalue()


def jpeg_bytes(size=(40, 30), color=(40, 120, 200)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="JPEG")
    return buffer.getvalue()


def pdf_bytes(text: str = "Trademark registration certificate") -> bytes:
    """A minimal, well-formed one-page PDF with a correct cross-reference table."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    return build_pdf(objects, header=b"%PDF-1.4\n")


def build_pdf(
    objects: list[bytes],
    *,
    header: bytes = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n",
    trailer: bytes = b"/Root 1 0 R",
) -> bytes:
    """A PDF with a correct cross-reference table; ``objects`` are the bodies of 1, 2, ..."""
    out = io.BytesIO()
    out.write(header)
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d %s >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, trailer, xref)
    )
    return out.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type)


def png_upload(name: str = "photo.png") -> SimpleUploadedFile:
    return upload(name, png_bytes(), "image/png")


def pdf_upload(name: str = "certificate.pdf") -> SimpleUploadedFile:
    return upload(name, pdf_bytes(), "application/pdf")


def html_disguised_as_pdf() -> SimpleUploadedFile:
    """An HTML page with a .pdf name and a PDF content type: only the bytes tell the truth."""
    return upload(
        "certificate.pdf", b"<!DOCTYPE html><html><body>hi</body></html>", "application/pdf"
    )


def truncated_png() -> SimpleUploadedFile:
    """PNG magic bytes followed by garbage: sniffs as PNG, does not decode."""
    return upload("photo.png", png_bytes()[:40] + b"\x00" * 200, "image/png")
