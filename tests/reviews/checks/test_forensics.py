"""Document forensics on real files made here: hostile PDFs, polyglot images, EICAR, reuse."""

import hashlib
import io
import socket
import struct
import threading
import zlib
from unittest import mock

import pytest
from django.core.files.base import ContentFile
from PIL import Image, ImageFile
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

from reviews.checks import evidence_forensics
from reviews.checks.scanners import EICAR, ClamdScanner, ScannerError
from sellers.models import Evidence
from tests.files import jpeg_bytes, pdf_bytes, png_bytes
from tests.sellers.factories import ApplicationFactory


def _with_files(seller, *files: tuple[str, bytes, str]):
    application = ApplicationFactory(company=seller.company, with_evidence=False)
    for name, data, detected in files:
        Evidence.objects.create(
            application=application,
            kind=Evidence.Kind.TRADEMARK_CERTIFICATE,
            file=ContentFile(data, name=name),
            original_name=name,
            sha256=hashlib.sha256(data).hexdigest(),
            size=len(data),
            detected_type=detected,
        )
    return application


def _pdf(change) -> bytes:
    writer = PdfWriter(clone_from=io.BytesIO(pdf_bytes()))
    change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _javascript(writer):
    writer._root_object[NameObject("/Names")] = DictionaryObject(
        {
            NameObject("/JavaScript"): DictionaryObject(
                {
                    NameObject("/Names"): ArrayObject(
                        [
                            TextStringObject("greeting"),
                            DictionaryObject(
                                {
                                    NameObject("/S"): NameObject("/JavaScript"),
                                    NameObject("/JS"): TextStringObject("app.alert('hi');"),
                                }
                            ),
                        ]
                    )
                }
            )
        }
    )


def _page_action(writer):
    writer.pages[0][NameObject("/AA")] = DictionaryObject(
        {
            NameObject("/O"): DictionaryObject(
                {NameObject("/S"): NameObject("/URI"), NameObject("/URI"): TextStringObject("x")}
            )
        }
    )


def _launch(writer):
    writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
        {NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("calc.exe")}
    )


def test_clean_files_pass(seller_a):
    application = _with_files(
        seller_a,
        ("certificate.pdf", pdf_bytes(), "application/pdf"),
        ("photo.png", png_bytes(), "image/png"),
    )

    finding = evidence_forensics.run(application)

    assert (finding.outcome, finding.explanation) == (
        "pass",
        "2 file(s) inspected: nothing hidden, active or reused. No ClamAV is configured, so "
        "only the EICAR test was run.",
    )
    assert finding.evidence["files"][0] | {"sha256": None} == {
        "file": "certificate.pdf",
        "kind": "trademark_certificate",
        "type": "application/pdf",
        "size": len(pdf_bytes()),
        "sha256": None,
        "pages": 1,
        "scan": {"EICAR test scanner": "clean"},
    }


@pytest.mark.parametrize(
    ("change", "found"),
    [
        (_javascript, "JavaScript"),
        (_launch, "a program launch, an action run on opening"),
        (_page_action, "automatic actions"),
        (lambda w: w.add_attachment("invoice.exe", b"MZ\x90\x00"), "embedded files"),
    ],
)
def test_active_pdf_content_fails(seller_a, change, found):
    application = _with_files(seller_a, ("letter.pdf", _pdf(change), "application/pdf"))

    finding = evidence_forensics.run(application)

    assert finding.outcome == "fail"
    assert finding.explanation.startswith(f"letter.pdf contains {found}")


def test_a_password_protected_pdf_fails(seller_a):
    data = _pdf(lambda w: w.encrypt(user_password="secret", owner_password="owner"))
    application = _with_files(seller_a, ("licence.pdf", data, "application/pdf"))

    finding = evidence_forensics.run(application)

    assert (finding.outcome, finding.explanation) == (
        "fail",
        "licence.pdf is password-protected; ask for an unprotected copy.",
    )


def test_a_password_protected_pdf_still_reports_the_scripts_its_bytes_show(seller_a):
    def protected_with_script(writer):
        _javascript(writer)
        writer.encrypt(user_password="secret", owner_password="owner")

    application = _with_files(
        seller_a, ("licence.pdf", _pdf(protected_with_script), "application/pdf")
    )

    finding = evidence_forensics.run(application)

    assert (finding.outcome, finding.explanation) == (
        "fail",
        "licence.pdf is password-protected; ask for an unprotected copy. licence.pdf contains "
        "JavaScript, which certificates and letters never need.",
    )


def test_a_pdf_that_opens_without_password_only_warns(seller_a):
    data = _pdf(lambda w: w.encrypt(user_password="", owner_password="owner"))
    application = _with_files(seller_a, ("licence.pdf", data, "application/pdf"))

    finding = evidence_forensics.run(application)

    assert (finding.outcome, finding.explanation) == (
        "warn",
        "licence.pdf is encrypted (it opens without a password).",
    )


def test_a_pdf_from_the_future_warns(seller_a):
    data = _pdf(lambda w: w.add_metadata({"/CreationDate": "D:20990101000000Z"}))
    application = _with_files(seller_a, ("licence.pdf", data, "application/pdf"))

    finding = evidence_forensics.run(application)

    assert (finding.outcome, finding.explanation) == (
        "warn",
        "licence.pdf claims to be created in the future (Jan. 1, 2099).",
    )
    assert finding.evidence["files"][0]["created"] == "2099-01-01T00:00:00+00:00"


def test_a_png_that_is_also_a_web_page_fails(seller_a):
    data = png_bytes() + b"<html><script>fetch('/steal')</script></html>"
    application = _with_files(seller_a, ("photo.png", data, "image/png"))

    finding = evidence_forensics.run(application)

    assert (finding.outcome, finding.explanation) == (
        "fail",
        "photo.png is also a web page (<html, <script inside the image): a browser could run it.",
    )


def test_event_attributes_inside_an_image_fail_only_where_a_word_starts(seller_a):
    data = png_bytes() + b"<SVG/ONLOAD =alert(1)> data-xonerror=1 _onclick=2 9onfocus=3"
    application = _with_files(seller_a, ("photo.png", data, "image/png"))

    finding = evidence_forensics.run(application)

    assert (finding.outcome, finding.evidence["files"][0]["markup"]) == (
        "fail",
        ["<svg", "onload="],
    )


def test_an_oversized_image_fails(seller_a, settings):
    settings.EVIDENCE_MAX_PIXELS = 1000
    application = _with_files(seller_a, ("photo.png", png_bytes((40, 30)), "image/png"))

    finding = evidence_forensics.run(application)

    assert finding.explanation == (
        "photo.png is 40 by 30 pixels, more than the 1,000 an evidence image may have."
    )


def _jpeg_taken(moment: str) -> bytes:
    exif = Image.Exif()
    exif[306] = moment
    buffer = io.BytesIO()
    Image.open(io.BytesIO(jpeg_bytes())).save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def test_the_photo_date_is_reported_and_a_future_one_warns(seller_a):
    application = _with_files(
        seller_a,
        ("old.jpg", _jpeg_taken("2024:05:01 10:00:00"), "image/jpeg"),
        ("new.jpg", _jpeg_taken("2099:05:01 10:00:00"), "image/jpeg"),
    )

    finding = evidence_forensics.run(application)

    assert [f["exif_date"] for f in finding.evidence["files"]] == [
        "2024:05:01 10:00:00",
        "2099:05:01 10:00:00",
    ]
    assert (finding.outcome, finding.explanation) == (
        "warn",
        "new.jpg says the photo was taken in the future (2099:05:01 10:00:00).",
    )


def test_a_file_another_company_submitted_fails(seller_a, seller_b):
    data = pdf_bytes("Shared licence")
    _with_files(seller_b, ("theirs.pdf", data, "application/pdf"))
    application = _with_files(seller_a, ("ours.pdf", data, "application/pdf"))

    finding = evidence_forensics.run(application)

    assert (finding.outcome, finding.explanation) == (
        "fail",
        "ours.pdf is byte for byte a file another company submitted "
        "(Ningbo Harbor Housewares Co., Ltd.).",
    )


def test_the_eicar_test_string_fails_without_clamav_configured(seller_a, settings):
    settings.EVIDENCE_SCANNER = ""
    application = _with_files(seller_a, ("eicar.png", png_bytes() + EICAR, "image/png"))

    finding = evidence_forensics.run(application)

    assert (finding.outcome, finding.explanation, finding.source) == (
        "fail",
        "eicar.png: the malware scanner found Eicar-Test-Signature.",
        "pypdf, Pillow, EICAR test scanner",
    )


@pytest.fixture
def clamd_socket(tmp_path):
    """A stand-in clamd on a Unix socket, speaking INSTREAM; it knows one signature, EICAR."""
    path = str(tmp_path / "clamd.ctl")
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(path)
    server.listen()

    def serve():
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            with conn, conn.makefile("rb") as stream:
                assert stream.read(10) == b"zINSTREAM\0"
                data = b""
                while size := struct.unpack("!L", stream.read(4))[0]:
                    data += stream.read(size)
                verdict = b"Eicar-Signature FOUND" if EICAR in data else b"OK"
                conn.sendall(b"stream: " + verdict + b"\0")

    threading.Thread(target=serve, daemon=True).start()
    yield path
    server.close()


def test_clamd_scanner_reports_clean_and_infected(clamd_socket):
    scanner = ClamdScanner(clamd_socket, timeout=5)

    assert (scanner.scan(png_bytes()), scanner.scan(b"x" * 70_000 + EICAR)) == (
        None,
        "Eicar-Signature",
    )


def test_clamd_scanner_unreachable_is_a_scanner_error(tmp_path):
    scanner = ClamdScanner(str(tmp_path / "missing.ctl"), timeout=1)

    with pytest.raises(ScannerError, match="did not answer"):
        scanner.scan(b"data")


def test_the_check_uses_clamd_when_configured(seller_a, settings, clamd_socket):
    settings.EVIDENCE_SCANNER = "clamd"
    settings.CLAMD_SOCKET = clamd_socket
    application = _with_files(seller_a, ("eicar.pdf", pdf_bytes() + EICAR, "application/pdf"))

    finding = evidence_forensics.run(application)

    assert finding.explanation == (
        "eicar.pdf: the malware scanner found Eicar-Test-Signature. "
        "eicar.pdf: the malware scanner found Eicar-Signature."
    )
    assert finding.evidence["files"][0]["scan"] == {
        "EICAR test scanner": "Eicar-Test-Signature",
        "ClamAV (clamd)": "Eicar-Signature",
    }
    assert finding.source == "pypdf, Pillow, EICAR test scanner, ClamAV (clamd)"


def _png_with_exif_after_the_pixels(moment: str) -> bytes:
    """A PNG whose eXIf chunk follows its image data, where Pillow finds it only after the
    pixels."""
    exif = Image.Exif()
    exif[306] = moment
    body = exif.tobytes()
    chunk = struct.pack(">I", len(body)) + b"eXIf" + body
    chunk += struct.pack(">I", zlib.crc32(b"eXIf" + body))
    data = png_bytes((40, 30))
    end = data.index(b"IEND") - 4
    return data[:end] + chunk + data[end:]


def test_a_png_photo_date_after_the_pixels_is_read_without_decoding_them(seller_a):
    application = _with_files(
        seller_a, ("photo.png", _png_with_exif_after_the_pixels("2099:05:01 10:00:00"), "image/png")
    )

    with mock.patch.object(ImageFile.ImageFile, "load", side_effect=AssertionError("decoded")):
        finding = evidence_forensics.run(application)

    assert finding.evidence["files"][0]["exif_date"] == "2099:05:01 10:00:00"
    assert (finding.outcome, finding.explanation) == (
        "warn",
        "photo.png says the photo was taken in the future (2099:05:01 10:00:00).",
    )
