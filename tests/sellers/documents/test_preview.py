"""How many pages of a file can be shown: counted from the PDF once, kept by its hash."""

import hashlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from sellers.documents.preview import page_count, page_png, preview_folder
from tests.reviews.views.case_support import pdf_pages


@dataclass
class Stored:
    """An uploaded file as the preview reads it: its storage name and local path."""

    name: str

    @property
    def path(self) -> str:
        return default_storage.path(self.name)


def _store(name: str, data: bytes) -> Stored:
    return Stored(default_storage.save(name, ContentFile(data)))


def test_a_pdf_is_counted_once_and_its_count_kept_by_hash():
    data = pdf_pages("one", "two", "three")
    sha256 = hashlib.sha256(data).hexdigest()
    file = _store("evidence/report.pdf", data)

    first = page_count(file, sha256=sha256, detected_type="application/pdf")
    kept = (preview_folder() / f"{sha256}.pages").read_text()
    default_storage.delete(file.name)
    again = page_count(file, sha256=sha256, detected_type="application/pdf")

    assert (first, kept, again) == (3, "3", 3)


def test_an_image_has_one_page_and_a_damaged_pdf_none():
    file = _store("evidence/broken.pdf", b"%PDF-1.4 not really a PDF")

    image = page_count(file, sha256="f" * 64, detected_type="image/png")
    damaged = page_count(file, sha256="e" * 64, detected_type="application/pdf")

    assert (image, damaged) == (1, 0)
    assert not (preview_folder() / f"{'e' * 64}.pages").exists()


def test_pages_of_many_pdfs_render_at_once_from_many_threads():
    """A threaded server renders the pictures a case page asks for side by side."""
    files = []
    for number in range(12):
        data = pdf_pages(*(f"file {number} page {page}" for page in range(1, 4)))
        files.append((_store(f"evidence/many-{number}.pdf", data), data))

    def render(item, page):
        file, data = item
        sha256 = hashlib.sha256(data).hexdigest()
        return page_png(file, sha256=sha256, detected_type="application/pdf", page=page)

    with ThreadPoolExecutor(max_workers=8) as pool:
        rendered = list(pool.map(render, [f for f in files for _ in (1, 2, 3)], [1, 2, 3] * 12))

    assert len(set(rendered)) == 36
    assert all(path.read_bytes().startswith(b"\x89PNG") for path in rendered)
