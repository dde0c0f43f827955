"""A page of an uploaded document as a PNG, for reviewers to see where each field was read.

Pages are rendered here from the file, never handed over as the seller's bytes: the picture is
ours, whatever the upload contained. Renderings are kept on disk by the file's hash and page, so
a page is rendered once however often it is looked at.
"""

import os
import shutil
import tempfile
from pathlib import Path

import pypdfium2
from django.conf import settings
from django.db.models.fields.files import FieldFile
from PIL import Image, ImageOps

from sellers.documents.pages import MAX_PAGES, UnreadableFile

# Wide enough to read an 8-point line on screen, small enough to load at once.
PREVIEW_SIDE = 1400


def preview_folder() -> Path:
    return Path(settings.MEDIA_ROOT) / "previews"


def page_png(file: FieldFile, *, sha256: str, detected_type: str, page: int) -> Path:
    """The PNG of page ``page`` (from 1) of an uploaded file; LookupError for a page the file
    does not have (or past the pages that are read), UnreadableFile for a damaged file."""
    if not 1 <= page <= MAX_PAGES:
        raise LookupError(page)
    target = preview_folder() / f"{sha256}-{page}-{PREVIEW_SIDE}.png"
    if target.exists():
        return target
    try:
        image = _render(Path(file.path), detected_type, page)
    except NotImplementedError:
        # Storage without local paths (object storage): rendered from a private copy.
        with tempfile.TemporaryDirectory() as folder:
            copy = Path(folder) / Path(file.name).name
            with file.open("rb") as source, copy.open("wb") as out:
                shutil.copyfileobj(source, out)
            image = _render(copy, detected_type, page)
    image.thumbnail((PREVIEW_SIDE, PREVIEW_SIDE))
    target.parent.mkdir(parents=True, exist_ok=True)
    # Written aside and renamed: two reviewers opening the page at once never see half a file.
    handle, partial = tempfile.mkstemp(dir=target.parent, suffix=".part")
    with os.fdopen(handle, "wb") as out:
        image.save(out, format="PNG", optimize=True)
    Path(partial).replace(target)
    return target


def _render(path: Path, detected_type: str, page: int) -> Image.Image:
    if detected_type != "application/pdf":
        if page != 1:
            raise LookupError(page)
        try:
            with Image.open(path) as opened:
                return ImageOps.exif_transpose(opened).convert("RGB")
        except (OSError, Image.DecompressionBombError) as exc:
            raise UnreadableFile(str(exc)) from None
    try:
        document = pypdfium2.PdfDocument(str(path))
    except pypdfium2.PdfiumError as exc:
        raise UnreadableFile(str(exc)) from None
    try:
        if page > len(document):
            raise LookupError(page)
        pdf_page = document[page - 1]
        width, height = pdf_page.get_size()
        scale = PREVIEW_SIDE / max(width, height, 1)
        return pdf_page.render(scale=scale).to_pil().convert("RGB")
    except pypdfium2.PdfiumError as exc:
        raise UnreadableFile(str(exc)) from None
    finally:
        document.close()
