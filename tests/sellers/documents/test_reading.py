"""Reading generated evidence documents with the real OCR engine: every kind, Chinese and English,
scans, photos taken at an angle, text PDFs and unreadable pages, against the values printed on
them."""

import threading
from pathlib import Path

import pytest

from bench.documents import field_boxes, generate, render
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


def _overlap(box, expected: dict) -> float:
    """Intersection over union of the box read and the box where the value was drawn."""
    width = min(box.x1, expected["x1"]) - max(box.x0, expected["x0"])
    height = min(box.y1, expected["y1"]) - max(box.y0, expected["y0"])
    inter = max(0.0, width) * max(0.0, height)
    area = (box.x1 - box.x0) * (box.y1 - box.y0)
    drawn = (expected["x1"] - expected["x0"]) * (expected["y1"] - expected["y0"])
    return inter / (area + drawn - inter)


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
    drawn = field_boxes(sample)
    for read in reading.fields:
        box = read.box
        assert box.page == drawn[read.name]["page"] == 1
        assert 0 <= box.x0 < box.x1 <= 1
        assert 0 <= box.y0 < box.y1 <= 1
        # Boxes are on the picture as uploaded, photos included: they cover where the value was
        # drawn, whatever the angle the photo was taken at.
        assert _overlap(box, drawn[read.name]) >= 0.5, read.name
        if text_layer:
            assert read.confidence == 1.0
        else:
            assert 0.5 <= read.confidence <= 1.0
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
