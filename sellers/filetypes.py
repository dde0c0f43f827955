"""Which formats a file's bytes open as, the way the programs that open them decide.

A file that opens as two formats (a JPEG that a PDF reader also opens, a PDF with a ZIP
archive on its end) shows a reviewer one thing and runs another, so both the upload and
the screening ask the same question of the bytes.
"""

import re

PDF_HEADER = b"%PDF-"
# PDF readers look for the header anywhere in the first 1024 bytes, not only at the start.
PDF_HEADER_WINDOW = 1024
IMAGE_SIGNATURES = (
    ("JPEG", re.compile(rb"\xff\xd8\xff")),
    ("PNG", re.compile(rb"\x89PNG\r\n\x1a\n")),
    ("WebP", re.compile(rb"RIFF....WEBP", re.DOTALL)),
    ("GIF", re.compile(rb"GIF8[79]a")),
)
# A ZIP archive is read from its end: the end-of-directory record sits in the last
# 22 bytes plus an archive comment of up to 65,535 bytes.
ZIP_END = b"PK\x05\x06"
ZIP_TAIL = 22 + 65_535


def pdf_header_offset(head: bytes) -> int | None:
    """Where a PDF reader finds the header in the file's first bytes, or None."""
    offset = head.find(PDF_HEADER, 0, PDF_HEADER_WINDOW + len(PDF_HEADER) - 1)
    return None if offset < 0 else offset


def image_format(head: bytes) -> str | None:
    for label, signature in IMAGE_SIGNATURES:
        if signature.match(head):
            return label
    return None


def ends_with_zip(tail: bytes) -> bool:
    """True when the end of the file is a ZIP archive's end-of-directory record whose comment
    length reaches exactly to the end, as ZIP readers require."""
    start = tail.rfind(ZIP_END)
    while start >= 0:
        comment = int.from_bytes(tail[start + 20 : start + 22], "little")
        if start + 22 + comment == len(tail):
            return True
        start = tail.rfind(ZIP_END, 0, start)
    return False


def formats_of(head: bytes, tail: bytes, pdf_header_anywhere: bool) -> list[str]:
    """Every format the file opens as, by its usual name ("JPEG", "PDF", "ZIP").

    ``head`` is at least the first 1024 bytes, ``tail`` the last ZIP_TAIL bytes (the whole
    file when it is smaller); ``pdf_header_anywhere`` says whether "%PDF-" occurs anywhere,
    which matters inside an image: readers that repair damaged files find a PDF however much
    image comes first."""
    formats = []
    image = image_format(head)
    if image:
        formats.append(image)
    if pdf_header_offset(head) is not None or (image and pdf_header_anywhere):
        formats.append("PDF")
    if ends_with_zip(tail):
        formats.append("ZIP")
    return formats


def formats_of_bytes(data: bytes) -> list[str]:
    return formats_of(data[: PDF_HEADER_WINDOW * 8], data[-ZIP_TAIL:], PDF_HEADER in data)
