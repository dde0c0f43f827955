"""Reading generated evidence documents with the real OCR engine: every kind, Chinese and English,
scans, photos taken at an angle, text PDFs and unreadable pages, against the values printed on
them."""

import threading
from pathlib import Path

import pytest
from PIL import Image

from bench.documents import field_boxes, generate, render
from sellers.documents import read_document
from sellers.documents.reading import FIELDS_BY_KIND, Reading, Status

MIME_TYPES = {
    "pdf_text": "application/pdf",
    "pdf_scan": "application/pdf",
    "png": "image/png",
    "jpeg": "image/jpeg",
}
# Fields whose shape the reader checks (dates, numbers, classes, the office): read exactly even
# from photos.
CHECKED_SHAPES = {
    "office",
    "registration_number",
    "nice_classes",
    "registration_date",
    "valid_until",
    "valid_from",
    "uscc",
    "established_on",
    "certificate_number",
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


def _points_at(box, drawn: dict) -> bool:
    """Whether the box read points at where the value was drawn: each box's centre lies inside
    the other (give or take half a line, as OCR boxes carry a margin around the ink)."""
    margin = (drawn["y1"] - drawn["y0"]) / 2
    drawn_x, drawn_y = (drawn["x0"] + drawn["x1"]) / 2, (drawn["y0"] + drawn["y1"]) / 2
    read_x, read_y = (box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2
    return (
        box.x0 - margin <= drawn_x <= box.x1 + margin
        and box.y0 - margin <= drawn_y <= box.y1 + margin
        and drawn["x0"] - margin <= read_x <= drawn["x1"] + margin
        and drawn["y0"] - margin <= read_y <= drawn["y1"] + margin
    )


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
    read_values = {read.name: read.value for read in reading.fields}
    if sample.variant == "photo":
        # A phone photo at 100 dpi costs a character now and then (a rare 颢 in a company
        # name, a space in English); never a field's shape, and at most one field per page.
        misread = {name for name, value in sample.fields.items() if read_values.get(name) != value}
        assert len(misread) <= 1, {name: read_values.get(name) for name in misread}
        assert not misread & CHECKED_SHAPES, misread
    else:
        assert read_values == sample.fields
    assert [read.name for read in reading.fields] == list(FIELDS_BY_KIND[sample.kind])
    drawn = field_boxes(sample)
    for read in reading.fields:
        box = read.box
        assert box.page == drawn[read.name]["page"] == 1
        assert 0 <= box.x0 < box.x1 <= 1
        assert 0 <= box.y0 < box.y1 <= 1
        # Boxes are on the picture as uploaded, photos included: they cover where the value was
        # drawn, whatever the angle the photo was taken at.
        assert _points_at(box, drawn[read.name]), (read.name, box, drawn[read.name])
        if text_layer:
            assert read.confidence == 1.0
        else:
            assert 0.5 <= read.confidence <= 1.0
    assert Reading.from_json(reading.as_json()) == reading


@pytest.mark.parametrize(("turn", "placed"), [(180, "upside down"), (90, "on its side")])
def test_a_page_upside_down_or_on_its_side_is_turned_before_reading(samples, folder, turn, placed):
    sample = _pick(samples, "euipo", "en", "scan", False)
    upright = folder / f"upright-{sample.name}"
    upright.write_bytes(render(sample))
    turned = folder / f"{turn}.png"
    with Image.open(upright) as image:
        # PIL turns counter-clockwise: the picture's (x, y) lands at (y, 1 - x) for 90 degrees.
        image.rotate(turn, expand=True).save(turned)

    reading = read_document(turned, kind=sample.kind, detected_type="image/png")

    assert {read.name: read.value for read in reading.fields} == sample.fields, placed
    drawn = field_boxes(sample)["registration_number"]
    box = reading.field("registration_number").box
    on_turned = {
        180: {
            "x0": 1 - drawn["x1"],
            "y0": 1 - drawn["y1"],
            "x1": 1 - drawn["x0"],
            "y1": 1 - drawn["y0"],
        },
        90: {"x0": drawn["y0"], "y0": 1 - drawn["x1"], "x1": drawn["y1"], "y1": 1 - drawn["x0"]},
    }[turn]
    assert _points_at(box, on_turned), (box, on_turned)


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
