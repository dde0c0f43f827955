"""The labelled evidence documents: reproducible, labelled with what is really on the page."""

import io
import json
import re
import subprocess
import sys
from collections import Counter
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest
from PIL import Image, ImageFilter
from pypdf import PdfReader
from stdnum.cn import uscc

from bench.documents import REFERENCE_DATE, field_boxes, generate, render
from bench.documents import fonts as document_fonts
from sellers.documents.reading import FIELDS_BY_KIND

ROOT = Path(__file__).resolve().parents[2]
DATE_FORMATS = ("%Y年%m月%d日", "%b. %d, %Y", "%b %d, %Y", "%d %B %Y", "%d/%m/%Y")
DATE_FIELDS = {"registration_date", "valid_until", "established_on", "valid_from"}
OFFICES = {
    "国家知识产权局": "CNIPA",
    "United States Patent and Trademark Office": "USPTO",
    "European Union Intellectual Property Office": "EUIPO",
}
SIGNATURES = {
    "pdf_text": b"%PDF-",
    "pdf_scan": b"%PDF-",
    "png": b"\x89PNG\r\n\x1a\n",
    "jpeg": b"\xff\xd8\xff",
}


@pytest.fixture(scope="module")
def samples():
    return generate(1, 240)


def one_of_each_shape(samples):
    """A document of every template, and one of every file type in every variant."""
    chosen = {}
    for sample in samples:
        if sample.defect != "unreadable":
            chosen.setdefault(sample.template, sample)
            chosen.setdefault((sample.file_type, sample.variant), sample)
    return list({sample.name: sample for sample in chosen.values()}.values())


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def parsed_date(printed: str) -> str:
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(printed, pattern).date().isoformat()
        except ValueError:
            continue
    raise AssertionError(f"no known date format: {printed!r}")


def label_from_print(name: str, printed: str) -> str:
    """The label a reader should report for what the page shows, worked out independently."""
    if name in DATE_FIELDS:
        return parsed_date(printed)
    if name == "office":
        return OFFICES[printed]
    if name == "nice_classes":
        return ",".join(re.findall(r"\d+", printed))
    if name == "registration_number":
        return printed.replace(",", "")
    return printed


def test_documents_same_seed_same_bytes_other_seed_other_bytes(samples):
    again = generate(1, 240)
    other = generate(2, 240)
    assert [sample.as_json() for sample in again] == [sample.as_json() for sample in samples]
    assert [sample.fields for sample in other] != [sample.fields for sample in samples]
    shapes = one_of_each_shape(samples)
    assert {sample.file_type for sample in shapes} == set(SIGNATURES)
    for sample in shapes:
        index = samples.index(sample)
        first = render(sample)
        assert render(again[index]) == first, sample.name
        assert first.startswith(SIGNATURES[sample.file_type]), sample.name
        assert render(other[index]) != first, sample.name


def test_documents_default_set_mixes_kinds_languages_shapes_and_defects(samples):
    assert len(generate(1)) == len(samples) == 240
    assert {sample.kind for sample in samples} == set(FIELDS_BY_KIND)
    assert {sample.template for sample in samples} == {
        "cnipa", "uspto", "euipo", "licence", "letter", "iso9001", "ccc", "ce", "report",
    }  # fmt: skip
    for kind in FIELDS_BY_KIND:
        of_kind = [sample for sample in samples if sample.kind == kind]
        assert {sample.language for sample in of_kind} == {"zh", "en"}, kind
        assert {sample.variant for sample in of_kind} == {"scan", "photo"}, kind
        assert {sample.file_type for sample in of_kind} == set(SIGNATURES), kind
    defects = Counter(sample.defect for sample in samples)
    wrong = defects["other_number"] + defects["other_owner"] + defects["expired"]
    assert 0.13 <= wrong / len(samples) <= 0.17
    assert min(defects["other_number"], defects["other_owner"], defects["expired"]) >= 8
    assert defects["unreadable"] >= 5
    assert len({sample.name for sample in samples}) == len(samples)
    # A born-digital PDF is never a photo, and always has something to read.
    for sample in samples:
        if sample.file_type == "pdf_text":
            assert sample.variant == "scan"
            assert sample.defect != "unreadable"


def test_documents_labels_use_the_readers_fields_and_formats(samples):
    for sample in samples:
        assert sample.reference_date == REFERENCE_DATE.isoformat()
        if sample.defect == "unreadable":
            assert sample.fields == {}
            continue
        assert tuple(sample.fields) == FIELDS_BY_KIND[sample.kind], sample.name
        for name, value in sample.fields.items():
            assert value == value.strip()
            assert label_from_print(name, sample.printed[name]) == value, (sample.name, name)
            if name in DATE_FIELDS:
                date.fromisoformat(value)
        if sample.kind == "trademark_certificate":
            numbers = [int(number) for number in sample.fields["nice_classes"].split(",")]
            assert numbers == sorted(set(numbers))
            assert all(1 <= number <= 45 for number in numbers)
            assert " " not in sample.fields["registration_number"]
            digits = {"CNIPA": (7, 8), "USPTO": (7,), "EUIPO": (9,)}[sample.fields["office"]]
            assert len(sample.fields["registration_number"]) in digits
            if sample.fields["office"] == "EUIPO":
                assert sample.fields["registration_number"].startswith("01")
        if sample.kind == "business_licence":
            assert uscc.is_valid(sample.fields["uscc"]), sample.fields["uscc"]
            assert sample.fields["uscc"].startswith("91")


def test_documents_defects_differ_from_what_the_application_expects(samples):
    reference = date.fromisoformat(samples[0].reference_date)
    numbers = {"registration_number", "uscc", "certificate_number"}
    owners = {"owner", "legal_name", "grantor", "holder"}
    for sample in samples:
        if sample.defect == "unreadable":
            continue
        differing = {
            name for name, value in sample.expected.items() if sample.fields[name] != value
        }
        valid_until = sample.fields.get("valid_until")
        expired = valid_until is not None and date.fromisoformat(valid_until) < reference
        if sample.defect == "other_number":
            assert len(differing) == 1
            assert differing <= numbers
        elif sample.defect == "other_owner":
            assert len(differing & owners) == 1
            # Another company's licence also bears that company's credit code.
            assert differing - owners == ({"uscc"} if sample.kind == "business_licence" else set())
        else:
            assert differing == set(), sample.name
        assert expired == (sample.defect == "expired"), sample.name
        if sample.kind == "business_licence" and sample.defect == "other_number":
            assert uscc.is_valid(sample.expected["uscc"])


def test_documents_text_pdfs_say_what_their_labels_say(samples):
    # Every template in every language it comes in, as a text PDF, and the set's own text PDFs.
    chosen = {}
    for sample in samples:
        if sample.defect != "unreadable":
            chosen.setdefault((sample.template, sample.language), sample)
    assert len(chosen) == 13
    checked = [replace(sample, file_type="pdf_text") for sample in chosen.values()]
    checked += [sample for sample in samples if sample.file_type == "pdf_text"][:15]
    for sample in checked:
        reader = PdfReader(io.BytesIO(render(sample)))
        assert len(reader.pages) == 1
        text = reader.pages[0].extract_text()
        for name, printed in sample.printed.items():
            assert squeezed(printed) in squeezed(text), (sample.name, name, printed)
            # Chinese comes out as written, not one character at a time with spaces between.
            if sample.language == "zh" and name != "business_scope":
                assert printed in text, (sample.name, name, printed)


def test_documents_image_files_hold_no_text_and_photos_are_smaller(samples):
    shapes = one_of_each_shape(samples)
    sizes = {"scan": set(), "photo": set()}
    for sample in shapes:
        content = render(sample)
        if sample.file_type == "pdf_scan":
            reader = PdfReader(io.BytesIO(content))
            assert reader.pages[0].extract_text().strip() == ""
            assert reader.metadata.creation_date.year == 2026
        elif sample.file_type in ("png", "jpeg"):
            image = Image.open(io.BytesIO(content)).convert("L")
            sizes[sample.variant].add(max(image.size))
            corner, middle = image.getpixel((2, 2)), image.getpixel((image.width // 2, 30))
            if sample.variant == "photo":
                # The desk shows around a page photographed at an angle.
                assert corner < 170, sample.name
            else:
                assert min(corner, middle) > 230, sample.name
    # A4 scanned at 150 or 200 dpi; photos at lower resolution, with the desk around the page.
    assert sizes["scan"] <= {1754, 2339}
    assert max(sizes["photo"]) < 1754


def test_documents_boxes_frame_the_drawn_values(samples):
    for sample in one_of_each_shape(samples):
        boxes = field_boxes(sample)
        assert set(boxes) == set(sample.fields), sample.name
        content = io.BytesIO(render(sample))
        if sample.file_type == "pdf_text":
            baselines = text_baselines(PdfReader(content))
            on_one_line = 0
            for name, box in boxes.items():
                value = squeezed(sample.printed[name])
                spots = [spot for text, spot in baselines if value in text]
                if not spots:  # wrapped over lines
                    continue
                on_one_line += 1
                # The line that carries the value starts at or before its box, on its baseline.
                x, y = spots[0]
                assert x <= box["x0"] + 0.01, (sample.name, name)
                assert box["y0"] <= y <= box["y1"] + 0.01, (sample.name, name)
            assert on_one_line >= len(boxes) - 1
            continue
        if sample.file_type == "pdf_scan":
            image = PdfReader(content).pages[0].images[0].image.convert("L")
        else:
            image = Image.open(content).convert("L")
        for name, box in boxes.items():
            assert 0 < box["x0"] < box["x1"] < 1, (sample.name, name)
            assert 0 < box["y0"] < box["y1"] < 1, (sample.name, name)
            assert box["page"] == 1
            inside = image.crop(
                (
                    box["x0"] * image.width, box["y0"] * image.height,
                    box["x1"] * image.width, box["y1"] * image.height,
                )
            )  # fmt: skip
            # Ink inside: a clearly dark stroke in every box.
            assert inside.getextrema()[0] < 110, (sample.name, name)


def text_baselines(reader: PdfReader) -> list[tuple[str, tuple[float, float]]]:
    """Each piece of text with where its baseline starts, as fractions of the page."""
    width, height = (float(value) for value in reader.pages[0].mediabox.upper_right)
    found = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            x = tm[4] * cm[0] + cm[4]
            y = tm[5] * cm[3] + cm[5]
            found.append((squeezed(text), (x / width, 1 - y / height)))

    reader.pages[0].extract_text(visitor_text=visit)
    return found


def test_documents_unreadable_pages_are_blank_or_blurred(samples):
    unreadable = [sample for sample in samples if sample.defect == "unreadable"]
    assert {sample.extra["unreadable"] for sample in unreadable} == {"blank", "blurred"}
    for sample in unreadable[:6]:
        legible = replace(sample, defect=None, extra={**sample.extra, "unreadable": ""})
        # Printed text makes sharp edges; a blank or smeared page has almost none.
        assert sharp_edges(sample) < 0.01 * sharp_edges(legible), sample.name


def sharp_edges(sample) -> int:
    """Pixels on a sharp edge in the middle of the picture (away from the desk around a photo)."""
    content = io.BytesIO(render(sample))
    if sample.file_type == "pdf_scan":
        image = PdfReader(content).pages[0].images[0].image
    else:
        image = Image.open(content)
    edges = image.convert("L").filter(ImageFilter.FIND_EDGES)
    width, height = edges.size
    middle = edges.crop((width // 4, height // 4, width * 3 // 4, height * 3 // 4))
    return sum(middle.histogram()[100:])


def test_documents_missing_font_names_the_debian_package(monkeypatch, tmp_path):
    missing = tmp_path / "NotoSansCJK-Regular.ttc"
    monkeypatch.setitem(
        document_fonts.FACES, ("zh", "sans"), (missing, "fonts-noto-cjk", "Noto Sans CJK SC")
    )
    document_fonts.face_file.cache_clear()
    try:
        with pytest.raises(document_fonts.FontMissing, match="apt-get install fonts-noto-cjk"):
            document_fonts.face_file("zh", "sans")
    finally:
        document_fonts.face_file.cache_clear()


def test_documents_refuse_characters_their_fonts_cannot_print(samples):
    sample = next(sample for sample in samples if sample.template == "uspto")
    owner = replace(sample, printed={**sample.printed, "owner": "深圳市某某有限公司"})
    with pytest.raises(document_fonts.FontMissing, match="cannot print"):
        render(owner)
    # Chinese pages embed only the characters this package can print.
    cnipa = next(sample for sample in samples if sample.template == "cnipa")
    rare = replace(cnipa, printed={**cnipa.printed, "owner": "龘"}, file_type="pdf_text")
    with pytest.raises(document_fonts.FontMissing, match="龘"):
        render(rare)


def test_documents_cli_writes_files_and_manifest(tmp_path):
    out = tmp_path / "documents"
    completed = subprocess.run(
        [sys.executable, "-m", "bench.documents", "--seed", "5", "--count", "12", "--out", out],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr
    labels = json.loads((out / "labels.json").read_text(encoding="utf-8"))
    assert (labels["seed"], labels["count"]) == (5, 12)
    documents = labels["documents"]
    assert [document["name"] for document in documents] == [
        sample.name for sample in generate(5, 12)
    ]
    written = sorted(path.name for path in out.iterdir() if path.name != "labels.json")
    assert written == sorted(document["name"] for document in documents)
    for document in documents:
        content = (out / document["name"]).read_bytes()
        assert content.startswith(SIGNATURES[document["file_type"]])
        assert document["reference_date"] == "2026-12-04"
        assert set(document) >= {
            "kind", "language", "variant", "file_type", "fields", "defect", "expected", "boxes",
        }  # fmt: skip
    sample = generate(5, 12)[0]
    assert (out / sample.name).read_bytes() == render(sample)
