"""Reading generated evidence documents with the real OCR engine: every kind, Chinese and English,
scans, photos taken at an angle, text PDFs and unreadable pages, against the values printed on
them."""

import threading
from pathlib import Path

import pytest

from bench.documents import generate, render
from bench.documents.layouts import layout
from bench.documents.page import Text
from sellers.documents import read_document
from sellers.documents.reading import FIELDS_BY_KIND, Reading, Status

MIME_TYPES = {
    "pdf_text": "application/pdf",
    "pdf_scan": "application/pdf",
    "png": "image/png",
    "jpeg": "image/jpeg",
}
# One document of each of these shapes: (template, language, variant, text PDF or not).
SHAPES = [
    ("cnipa", "zh", "scan", False),
    ("cnipa", "zh", "photo", False),
    ("uspto", "en", "photo", False),
    ("euipo", "en", "scan", False),
    ("licence", "zh", "scan", False),
    ("licence", "en", "photo", False),
    ("letter", "zh", "photo", False),
    ("letter", "en", "scan", False),
    ("iso9001", "zh", "scan", False),
    ("ce", "en", "photo", False),
    ("report", "zh", "photo", False),
    ("report", "en", "scan", False),
    ("cnipa", "zh", "scan", True),
    ("uspto", "en", "scan", True),
    ("licence", "zh", "scan", True),
    ("letter", "en", "scan", True),
    ("ccc", "zh", "scan", True),
]


@pytest.fixture(scope="module")
def samples():
    return generate(7, 240)


def _pick(samples, template, language, variant, text_pdf):
    return next(
        sample
        for sample in samples
        if sample.template == template
        and sample.language == language
        and sample.variant == variant
        and (sample.file_type == "pdf_text") == text_pdf
        and sample.fields
    )


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("documents")


def _read(sample, folder: Path) -> Reading:
    path = folder / sample.name
    path.write_bytes(render(sample))
    return read_document(path, kind=sample.kind, detected_type=MIME_TYPES[sample.file_type])


def _drawn_at(sample, printed: str) -> tuple[float, float] | None:
    """Where the generator drew the start of ``printed``: the baseline and left edge of the text
    operation holding it, as fractions of the page."""
    page = layout(sample)
    for op in page.ops:
        if isinstance(op, Text) and op.anchor == "l" and op.text and printed.startswith(op.text):
            return op.y / page.height, op.x / page.width
    return None


@pytest.mark.parametrize("shape", SHAPES, ids=["-".join(map(str, shape)) for shape in SHAPES])
def test_every_field_is_read_exactly_with_where_and_how_surely(samples, folder, shape):
    sample = _pick(samples, *shape)

    reading = _read(sample, folder)

    text_layer = sample.file_type == "pdf_text"
    assert reading.status == Status.READ
    assert reading.kind == sample.kind
    assert reading.language == sample.language
    assert reading.page_count == 1
    assert reading.source == ("text layer" if text_layer else "RapidOCR PP-OCRv4")
    assert {read.name: read.value for read in reading.fields} == sample.fields
    assert [read.name for read in reading.fields] == list(FIELDS_BY_KIND[sample.kind])
    for read in reading.fields:
        box = read.box
        assert box.page == 1
        assert 0 <= box.x0 < box.x1 <= 1
        assert 0 <= box.y0 < box.y1 <= 1
        assert box.y1 - box.y0 < 0.1, read.name
        if text_layer:
            assert read.confidence == 1.0
        else:
            assert 0.5 <= read.confidence <= 1.0
        drawn = _drawn_at(sample, sample.printed.get(read.name, ""))
        if drawn is not None and sample.variant == "scan":
            baseline, left = drawn
            # The box holds the baseline the value was drawn on and starts where it starts
            # (scans sit a little off square, hence the margin).
            assert box.y0 - 0.02 <= baseline <= box.y1 + 0.02, read.name
            assert abs(box.x0 - left) < 0.04, read.name
    assert Reading.from_json(reading.as_json()) == reading


def test_a_blank_or_blurred_page_is_unreadable(samples, folder):
    unreadable = {
        sample.extra["unreadable"]: sample
        for sample in samples
        if sample.defect == "unreadable" and sample.file_type != "pdf_text"
    }

    readings = {mode: _read(sample, folder) for mode, sample in unreadable.items()}

    assert set(readings) == {"blank", "blurred"}
    assert {mode: reading.status for mode, reading in readings.items()} == {
        "blank": Status.UNREADABLE,
        "blurred": Status.UNREADABLE,
    }
    assert all(reading.fields == () for reading in readings.values())


def test_a_damaged_file_is_unreadable_and_other_kinds_are_not_read(folder):
    damaged = folder / "damaged.pdf"
    damaged.write_bytes(b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog")

    assert read_document(
        damaged, kind="trademark_certificate", detected_type="application/pdf"
    ) == Reading(kind="trademark_certificate", status=Status.UNREADABLE)
    assert read_document(damaged, kind="product_photo", detected_type="application/pdf") == Reading(
        kind="product_photo", status=Status.NOT_READ
    )


def test_threads_reading_at_once_get_what_each_reads_alone(samples, folder):
    chosen = [
        _pick(samples, "euipo", "en", "scan", False),
        _pick(samples, "cnipa", "zh", "scan", False),
    ]
    alone = [_read(sample, folder) for sample in chosen]
    together = [None, None]

    def read(index):
        together[index] = _read(chosen[index], folder)

    threads = [threading.Thread(target=read, args=(index,)) for index in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert together == alone
