import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from sellers.validators import (
    company_registration_checked,
    display_trademark_number,
    inspect_evidence_file,
    normalize_nice_classes,
    normalize_registration_number,
    normalize_trademark_number,
    validate_visible_text,
)
from tests import files
from tests.reviews.checks import hostile_files


def test_registration_number_accepts_a_valid_unified_social_credit_code():
    assert normalize_registration_number("CN", " 91440300ma5fabcd1q ") == "91440300MA5FABCD1Q"


@pytest.mark.parametrize(
    ("number", "reason"),
    [
        ("91440300MA5FABCD1X", "checksum"),
        ("91440300MA5FABCD1", "length"),
        ("", "Enter the company registration number"),
    ],
)
def test_registration_number_refuses_a_bad_chinese_code(number, reason):
    with pytest.raises(ValidationError) as refused:
        normalize_registration_number("CN", number)

    assert reason.lower() in " ".join(refused.value.messages).lower()


@pytest.mark.parametrize(
    ("country", "number", "expected"),
    [
        ("CH", "CHE-123.456.788", "CHE-123.456.788"),
        ("DE", "de 136 695 976", "DE136695976"),
        ("US", "c1234567", "C1234567"),
        ("GB", "09876543", "09876543"),
    ],
)
def test_registration_number_elsewhere_is_format_checked(country, number, expected):
    assert normalize_registration_number(country, number) == expected


@pytest.mark.parametrize("number", ["<script>", "A", "x" * 41])
def test_registration_number_elsewhere_refuses_garbage(number):
    with pytest.raises(ValidationError):
        normalize_registration_number("DE", number)


@pytest.mark.parametrize(
    ("office", "number", "expected"),
    [
        ("USPTO", "78123456", "78123456"),
        ("USPTO", "1,234,567", "1234567"),
        ("USPTO", "0123456", "123456"),
        ("USPTO", "123456", "123456"),
        ("USPTO", "0011210", "11210"),
        ("EUIPO", "018123456", "018123456"),
        ("EUIPO", "W01234567", "W01234567"),
        ("UKIPO", "UK00003123456", "UK00003123456"),
        ("CNIPA", "第12345678号", "12345678"),
        ("JPO", "2023-123456", "2023-123456"),
        ("KIPO", "4012345670000", "4012345670000"),
        ("WIPO", "1234567A", "1234567A"),
        ("OTHER", "TMA123456", "TMA123456"),
    ],
)
def test_trademark_number_in_the_office_format_is_normalised(office, number, expected):
    assert normalize_trademark_number(office, number) == expected


@pytest.mark.parametrize(
    ("office", "number"),
    [
        ("USPTO", "123456789"),
        ("USPTO", "0000000"),
        ("USPTO", "W01234567"),
        ("EUIPO", "18123456"),
        ("UKIPO", "3123456"),
        ("CNIPA", "1234567890"),
        ("WIPO", "12345"),
        ("KIPO", "12345"),
    ],
)
def test_trademark_number_in_another_format_names_the_expected_one(office, number):
    with pytest.raises(ValidationError) as refused:
        normalize_trademark_number(office, number)

    message = refused.value.messages[0]
    assert message.startswith(f"{number} is not a {office} number: expected ")


def test_trademark_number_for_an_unknown_office_is_refused():
    with pytest.raises(ValidationError, match="Choose the trademark office"):
        normalize_trademark_number("MOON", "1234567")


def test_nice_classes_are_deduplicated_and_sorted():
    assert normalize_nice_classes(["25", 9, 25]) == [9, 25]


@pytest.mark.parametrize(
    ("values", "message"), [([], "at least one"), ([0, 46], "0, 46"), (["x"], "1 to 45")]
)
def test_nice_classes_outside_the_classification_are_refused(values, message):
    with pytest.raises(ValidationError) as refused:
        normalize_nice_classes(values)

    assert message in refused.value.messages[0]


@pytest.mark.parametrize(
    ("office", "number", "printed"),
    [
        ("USPTO", "123456", "0123456"),
        ("USPTO", "11210", "0011210"),
        ("USPTO", "7463601", "7463601"),
        ("USPTO", "98423838", "98423838"),
        ("EUIPO", "018123456", "018123456"),
        ("CNIPA", "123456", "123456"),
    ],
)
def test_trademark_number_is_displayed_as_the_office_prints_it(office, number, printed):
    assert display_trademark_number(office, number) == printed


@pytest.mark.parametrize(
    ("name", "listed"),
    [
        ("\u202eEKIN", "U+202E"),
        ("Sam\u200bsung", "U+200B"),
        ("\ufeffAcme Trading", "U+FEFF"),
        ("Ni\u2066ke\u2069", "U+2066, U+2069"),
        ("\u200fLumi\u200e", "U+200F, U+200E"),
        ("Lu\u061cmi", "U+061C"),
        ("Lu\u2060mi", "U+2060"),
    ],
)
def test_visible_text_refuses_direction_and_zero_width_characters(name, listed):
    with pytest.raises(ValidationError) as refused:
        validate_visible_text(name)

    assert refused.value.messages == [
        f"Remove the invisible characters ({listed}): they change how the name is displayed "
        "without showing."
    ]
    assert refused.value.code == "hidden_characters"


@pytest.mark.parametrize(
    ("name", "listed"),
    [
        ("BRIGHT\r\nLAMP", "U+000D, U+000A"),
        ("Bright\nLamp\nCo", "U+000A"),
        ("Bright\tLamp", "U+0009"),
        ("Bright\x1bLamp", "U+001B"),
        ("Bright\x7f", "U+007F"),
        ("Bright\x85Lamp", "U+0085"),
    ],
)
def test_visible_text_refuses_line_breaks_tabs_and_other_control_characters(name, listed):
    with pytest.raises(ValidationError) as refused:
        validate_visible_text(name)

    assert refused.value.messages == [
        f"Remove the line breaks, tabs and other control characters ({listed}): a name is a "
        "single line of text."
    ]
    assert refused.value.code == "control_characters"


def test_the_control_characters_message_is_translated():
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        validate_visible_text("Bright\nLamp")

    assert refused.value.messages == [
        "请删除换行符、制表符等控制字符（U+000A）：名称只能是一行文字。"  # noqa: RUF001
    ]


@pytest.mark.parametrize("name", ["Lumibright", "流明", "Café Ré", "Dr. Martens & Co", ""])
def test_visible_text_accepts_names_in_any_script(name):
    assert validate_visible_text(name) is None


def _refusal(name: str, data: bytes) -> str | None:
    try:
        inspect_evidence_file(files.upload(name, data))
    except ValidationError as refused:
        return refused.code
    return None


SAMPLES = {sample.id: sample for sample in hostile_files.corpus()}


@pytest.mark.parametrize(
    ("sample_id", "code"),
    [
        ("jpeg_that_is_a_pdf", "file_polyglot"),
        ("png_with_pdf_appended", "file_polyglot"),
        ("pdf_with_zip_appended", "file_polyglot"),
        ("jpeg_with_zip_appended", "file_polyglot"),
        ("junk_then_clean", "file_pdf_offset"),
        ("junk_then_script", "file_pdf_offset"),
    ],
)
def test_a_file_that_opens_as_two_formats_or_starts_late_is_refused_at_upload(sample_id, code):
    sample = SAMPLES[sample_id]

    assert _refusal(sample.name, sample.data) == code


def test_a_pdf_after_a_line_of_junk_is_refused_though_it_sniffs_as_pdf():
    data = b"junk\n" + hostile_files.document()

    with pytest.raises(ValidationError) as refused:
        inspect_evidence_file(files.upload("certificate.pdf", data))

    assert refused.value.message == (
        "certificate.pdf has 5 stray bytes before the PDF starts; save it again as a PDF and "
        "upload that copy."
    )


def test_the_refusal_names_both_formats_and_how_to_fix_it():
    sample = SAMPLES["jpeg_that_is_a_pdf"]

    with pytest.raises(ValidationError) as refused:
        inspect_evidence_file(files.upload(sample.name, sample.data))

    assert refused.value.message == (
        "certificate.pdf is at once a JPEG + PDF file; a file that opens as two things can hide "
        "what it does. Save it again as a single PDF, JPEG, PNG or WebP file."
    )


def test_a_pdf_header_split_across_upload_chunks_is_still_found():
    image = hostile_files.png()
    upload = files.upload("photo.png", image + b"\0" * (64 * 1024 - len(image) - 2) + b"%PDF-1.7")
    upload.DEFAULT_CHUNK_SIZE = 64 * 1024

    with pytest.raises(ValidationError) as refused:
        inspect_evidence_file(upload)

    assert refused.value.code == "file_polyglot"


@pytest.mark.parametrize(
    "sample",
    [sample for sample in SAMPLES.values() if sample.outcome == "pass"],
    ids=lambda sample: sample.id,
)
def test_clean_evidence_is_accepted_at_upload(sample):
    inspected = inspect_evidence_file(files.upload(sample.name, sample.data))

    assert (inspected.detected_type, inspected.size) == (sample.detected_type, len(sample.data))


@pytest.mark.parametrize(
    ("number", "entity"),
    [
        ("92440300MA5FABCD1M", "an individual business (个体工商户)"),
        ("93440300MA5FABCD1J", "a farmers' specialised cooperative (农民专业合作社)"),
        ("52440300MA5FABCD1R", "a private non-enterprise unit (民办非企业单位)"),
    ],
)
def test_a_chinese_code_of_another_entity_type_is_refused_with_what_it_says(number, entity):
    with pytest.raises(ValidationError) as refused:
        company_registration_checked("CN", number)

    assert refused.value.code == "entity_type_refused"
    assert refused.value.messages == [
        f"{number} is the code of {entity} (it starts with {number[:2]}); the program accepts "
        "an enterprise (企业) (91…) only."
    ]


def test_the_accepted_entity_types_are_a_setting(settings):
    settings.USCC_ACCEPTED_ENTITY_TYPES = ["91", "93"]

    assert company_registration_checked("CN", "93440300MA5FABCD1J") == "93440300MA5FABCD1J"
    with pytest.raises(ValidationError) as refused:
        company_registration_checked("CN", "92440300MA5FABCD1M")
    assert refused.value.messages[0].endswith(
        "the program accepts an enterprise (企业) (91…) or a farmers' specialised cooperative "
        "(农民专业合作社) (93…) only."
    )


def test_an_enterprise_code_and_numbers_elsewhere_pass_the_entity_check():
    assert company_registration_checked("CN", "91440300MA5FABCD1Q") == "91440300MA5FABCD1Q"
    assert company_registration_checked("DE", "136 695 976") == "DE136695976"


@pytest.mark.parametrize(
    "number",
    [
        # Published on the national enterprise credit register: Huawei Technologies Co., Ltd.,
        # Shenzhen Tencent Computer Systems Co., Ltd. and Alibaba (China) Co., Ltd.
        "914403001922038216",
        "9144030071526726XG",
        "91330100716105852F",
    ],
)
def test_real_published_enterprise_codes_pass_the_entity_check(number):
    assert company_registration_checked("CN", number) == number


def test_the_entity_refusal_reads_in_chinese():
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        company_registration_checked("CN", "92440300MA5FABCD1M")

    assert refused.value.messages == [
        "92440300MA5FABCD1M 是个体工商户的代码（以 92 开头）；本计划仅接受企业（91…）。"  # noqa: RUF001
    ]
