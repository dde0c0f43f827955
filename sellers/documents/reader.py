"""From a file to a Reading: the text layer or OCR of each page, then the fields of its kind."""

import re
from pathlib import Path

from sellers.documents.fields import read_fields
from sellers.documents.layout import Layout
from sellers.documents.ocr import ENGINE_NAME, read_image, release_memory
from sellers.documents.pages import UnreadableFile, pages_of
from sellers.documents.reading import FIELDS_BY_KIND, Reading, Status

TEXT_LAYER = "text layer"
# Fewer legible characters than this is a blank page, a smudge or a photo of something else.
MIN_LEGIBLE_CHARACTERS = 8
CJK = re.compile(r"[\u4e00-\u9fff]")
LETTER = re.compile(r"[A-Za-z\u4e00-\u9fff]")


def read_document(path, *, kind: str, detected_type: str) -> Reading:
    """Read ``path`` (a file already typed as ``detected_type``, a MIME type) as a document of
    ``kind``. Boxes are fractions of the PDF page or of the picture as uploaded (for a photo,
    where the field is in the photo, whatever the angle); pages are numbered from 1."""
    if kind not in FIELDS_BY_KIND:
        return Reading(kind=kind, status=Status.NOT_READ)
    try:
        page_count, pages = pages_of(Path(path), detected_type)
        pieces = []
        sources = set()
        for page in pages:
            if page.pieces is not None:
                pieces.extend(page.pieces)
                sources.add(TEXT_LAYER)
            else:
                pieces.extend(read_image(page.image, page.number))
                sources.add(ENGINE_NAME)
    except UnreadableFile:
        return Reading(kind=kind, status=Status.UNREADABLE)
    finally:
        release_memory()
    layout = Layout(pieces)
    legible = len(LETTER.findall(layout.text)) + sum(c.isdigit() for c in layout.text)
    if legible < MIN_LEGIBLE_CHARACTERS:
        return Reading(kind=kind, status=Status.UNREADABLE, page_count=page_count)
    return Reading(
        kind=kind,
        status=Status.READ,
        # OCR names the engine even when other pages had their own text: it sets how sure to be.
        source=ENGINE_NAME if ENGINE_NAME in sources else TEXT_LAYER,
        language=_language(layout.text),
        page_count=page_count,
        text=layout.text,
        fields=read_fields(kind, layout),
    )


def _language(text: str) -> str:
    letters = LETTER.findall(text)
    chinese = sum(1 for letter in letters if CJK.match(letter))
    # Chinese documents carry Latin letters too (brand names, number prefixes), rarely the reverse.
    return "zh" if chinese >= 0.25 * len(letters) else "en"
