"""Which formats a file's bytes open as: where readers find a PDF header, and ZIP archives
recognised by their end record only when it really ends the file."""

import io
import zipfile

from sellers.filetypes import ends_with_zip, formats_of_bytes, pdf_header_offset
from tests.files import jpeg_bytes, pdf_bytes


def test_a_pdf_header_counts_anywhere_in_the_first_1024_bytes_only():
    pdf = pdf_bytes()

    assert [pdf_header_offset(b"x" * gap + pdf) for gap in (0, 7, 1023, 1024)] == [
        0,
        7,
        1023,
        None,
    ]


def test_a_zip_end_record_counts_only_where_its_comment_reaches_the_end():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.comment = b"made by a packer"
        archive.writestr("a.txt", "a")
    stray = b"PK\x05\x06" + b"\0" * 16 + (5).to_bytes(2, "little") + b"12"

    assert (ends_with_zip(buffer.getvalue()), ends_with_zip(pdf_bytes() + stray)) == (True, False)


def test_an_image_with_a_pdf_header_far_inside_opens_as_both():
    image = jpeg_bytes()

    assert formats_of_bytes(image + b"\0" * 5000 + pdf_bytes()) == ["JPEG", "PDF"]
    assert formats_of_bytes(image) == ["JPEG"]
    assert formats_of_bytes(pdf_bytes()) == ["PDF"]
