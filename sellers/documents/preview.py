"""A page of an uploaded document as a PNG, for reviewers to see where each field was read.

Pages are rendered here from the file, never handed over as the seller's bytes: the picture is
ours, whatever the upload contained. Renderings are kept on disk by the file's hash and page, so
a page is rendered once however often it is looked at.
"""

import contextlib
import os
import shutil
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pypdfium2
from django.conf import settings
from django.db.models.fields.files import FieldFile
from PIL import Image, ImageOps

from sellers.documents.pages import MAX_PAGES, UnreadableFile

# Wide enough to read an 8-point line on screen, small enough to load at once.
PREVIEW_SIDE = 1400


# pdfium is not thread-safe: a threaded server (runserver, the test server) rendering two pages
# at once aborts the whole process. Gunicorn's sync workers never wait on it.
_pdfium_lock = threading.Lock()


def preview_folder() -> Path:
    return Path(settings.MEDIA_ROOT) / "previews"


def page_png(file: FieldFile, *, sha256: str, detected_type: str, page: int) -> Path:
    """The PNG of page ``page`` (from 1) of an uploaded file; LookupError for a page the file
    does not have (or past the pages that are read), UnreadableFile for a damaged file."""
    if not 1 <= page <= MAX_PAGES:
        raise LookupError(page)
    if not sha256:
        # Pictures are kept by hash: one of a file without one would be any such file's.
        raise LookupError(page)
    target = preview_folder() / f"{sha256}-{page}-{PREVIEW_SIDE}.png"
    if target.exists():
        return target
    with _local_path(file) as path:
        image = _render(path, detected_type, page)
    image.thumbnail((PREVIEW_SIDE, PREVIEW_SIDE))
    _write_aside(target, lambda out: image.save(out, format="PNG", optimize=True))
    return target


def page_count(file: FieldFile, *, sha256: str, detected_type: str) -> int:
    """How many pages the file has (an image has one), 0 if it does not open. A PDF is counted
    once: the count is kept beside its pictures, by the file's hash."""
    if detected_type != "application/pdf":
        return 1
    target = preview_folder() / f"{sha256}.pages"
    if sha256:
        with contextlib.suppress(FileNotFoundError, ValueError):
            return int(target.read_text())
    try:
        with _local_path(file) as path:
            count = _pdf_page_count(path)
    except (FileNotFoundError, UnreadableFile):
        return 0
    if sha256:
        _write_aside(target, lambda out: out.write(str(count).encode()))
    return count


def _pdf_page_count(path: Path) -> int:
    with _pdfium_lock:
        try:
            document = pypdfium2.PdfDocument(str(path))
        except pypdfium2.PdfiumError as exc:
            raise UnreadableFile(str(exc)) from None
        try:
            return len(document)
        finally:
            document.close()


@contextlib.contextmanager
def _local_path(file: FieldFile) -> Iterator[Path]:
    try:
        local = Path(file.path)
    except NotImplementedError:
        local = None
    if local is not None:
        yield local
        return
    # Storage without local paths (object storage): read from a private copy.
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / Path(file.name).name
        with file.open("rb") as source, copy.open("wb") as out:
            shutil.copyfileobj(source, out)
        yield copy


def _write_aside(target: Path, write) -> None:
    """Written aside and renamed: two reviewers opening the page at once never see half a file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, partial = tempfile.mkstemp(dir=target.parent, suffix=".part")
    with os.fdopen(handle, "wb") as out:
        write(out)
    Path(partial).replace(target)


def _render(path: Path, detected_type: str, page: int) -> Image.Image:
    if detected_type != "application/pdf":
        if page != 1:
            raise LookupError(page)
        try:
            with Image.open(path) as opened:
                return ImageOps.exif_transpose(opened).convert("RGB")
        except (OSError, Image.DecompressionBombError) as exc:
            raise UnreadableFile(str(exc)) from None
    with _pdfium_lock:
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
