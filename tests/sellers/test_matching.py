"""Matching a document's fields with the application: numbers, names, classes and dates."""

import datetime
import random

import pytest
from django.utils import translation

from sellers.documents.matching import (
    compare_reading,
    disagreements,
    normalize_number,
)
from sellers.documents.reading import Status
from sellers.models import AuthorizationLink, Certification, Facility
from sellers.names import normalize_company_name, same_company_test
from tests.sellers.factories import ApplicationFactory, EvidenceFactory
from tests.sellers.readings import certificate_values, reading

TODAY = datetime.date(2026, 12, 4)


def full_width(text: str) -> str:
    """The full-width forms East Asian input methods type for ASCII letters, digits and marks."""
    return "".join(chr(ord(char) + 0xFEE0) if "!" <= char <= "~" else char for char in text)


@pytest.mark.parametrize(
    ("office", "printed", "typed"),
    [
        ("USPTO", "0123456", "123456"),
        ("USPTO", "7 812 345", "7812345"),
        ("EUIPO", "018-500-001", "018500001"),
        ("CNIPA", "第 12345678 号", "12345678"),
        ("CNIPA", full_width("12345678"), "12345678"),
    ],
)
def test_numbers_agree_whatever_the_spacing_and_padding(office, printed, typed):
    assert normalize_number(printed, office) == normalize_number(typed, office)


def test_numbers_keep_leading_zeros_where_the_office_means_them():
    assert normalize_number("018500001", "EUIPO") != normalize_number("18500001", "EUIPO")


@pytest.mark.parametrize(
    "spelling",
    [
        "Shenzhen Bright Lamp Technology Co., Ltd.",
        "SHENZHEN BRIGHT LAMP TECHNOLOGY CO.,LTD",
        "Shenzhen Bright Lamp Technology Company Limited",
        "Shenzhen Bright-Lamp Technology Limited",
        full_width("Shenzhen Bright Lamp Technology Co.,Ltd."),
    ],
)
def test_company_names_agree_across_legal_forms_and_widths(spelling):
    assert normalize_company_name(spelling) == "shenzhenbrightlamptechnology"


@pytest.mark.parametrize(
    "spelling", ["深圳明灯科技有限公司", "深圳明灯科技股份有限公司", "深圳明灯科技有限责任公司"]
)
def test_chinese_legal_forms_are_set_aside(spelling):
    assert normalize_company_name(spelling) == "深圳明灯科技"


def test_a_different_company_does_not_agree():
    assert normalize_company_name("Bright Lamp GmbH") != normalize_company_name("Bright Lamps Inc.")
    assert normalize_company_name("Disco Lighting LLC") == "discolighting"


def _company_spellings(seed: int, count: int) -> list[str]:
    """Names as owners write them: a few words, a legal form or none, in any case, with
    punctuation, "&", underscores, other scripts, accents and full width mixed in."""
    rng = random.Random(seed)  # noqa: S311 - test data, not cryptography
    words = ["Bright", "LAMP", "bright-lamp", "Söhne", "Andes", "and", "&", "A&B", "x_y", "Co",
             "Lighting", "深圳", "明灯", full_width("bright"), "ltd", "Ag", "incorporated",
             "Straße", "42"]  # fmt: skip
    forms = ["", " Co., Ltd.", " CO.,LTD", " Company Limited", " Inc.", " LLC", " GmbH",
             "有限公司", " Ltd Ltd", " & Co", ", S.A.", " Corp."]  # fmt: skip
    return [
        " ".join(rng.choice(words) for _ in range(rng.randint(0, 3))) + rng.choice(forms)
        for _ in range(count)
    ]


def test_the_same_company_test_agrees_with_normalized_names():
    spellings = _company_spellings(5, 1500)
    agreed = 0
    for name in spellings[:60]:
        same = same_company_test(name)
        for other in spellings:
            expected = normalize_company_name(other) == normalize_company_name(name)
            assert same(other) is expected, (name, other)
            agreed += expected
    # The names agree often enough that both answers are tried.
    assert agreed > 200


@pytest.mark.django_db
def test_a_certificate_that_agrees_has_no_disagreement():
    application = ApplicationFactory(trademark__office="USPTO", trademark__number="123456")
    evidence = EvidenceFactory(application=application, kind="trademark_certificate")
    values = certificate_values(
        application,
        registration_number="0 123 456",
        owner=application.company.legal_name.upper().replace("CO., LTD.", "COMPANY LIMITED"),
    )

    rows = compare_reading(evidence, reading("trademark_certificate", **values), today=TODAY)

    assert [(row.name, row.agrees) for row in rows] == [
        ("office", True),
        ("registration_number", True),
        ("mark", True),
        ("owner", True),
        ("nice_classes", True),
        ("registration_date", None),
        ("valid_until", True),
    ]
    assert disagreements(evidence, reading("trademark_certificate", **values), today=TODAY) == []


@pytest.mark.django_db
def test_a_wrong_number_and_owner_are_named_with_what_they_should_say():
    application = ApplicationFactory(trademark__office="USPTO", trademark__number="7812345")
    evidence = EvidenceFactory(
        application=application, kind="trademark_certificate", original_name="cert.pdf"
    )
    values = certificate_values(
        application, registration_number="7812346", owner="Ningbo Harbor Housewares Co., Ltd."
    )

    found = disagreements(evidence, reading("trademark_certificate", **values), today=TODAY)

    assert [(d.field, d.says, d.should_say, d.severity) for d in found] == [
        ("registration_number", "7812346", "7812345", "fail"),
        ("owner", "Ningbo Harbor Housewares Co., Ltd.", application.trademark.owner_name, "fail"),
    ]
    assert str(found[0]) == (
        "Trademark certificate “cert.pdf”: the registration number reads “7812346” but should "
        "read “7812345”."
    )
    with translation.override("zh-hans"):
        found = disagreements(evidence, reading("trademark_certificate", **values), today=TODAY)
        # Chinese text uses full-width punctuation; RUF001 would have it replaced by ASCII.
        assert str(found[0]) == "商标注册证 “cert.pdf”：注册号为“7812346”，应为“7812345”。"  # noqa: RUF001


@pytest.mark.django_db
def test_an_expired_certificate_fails_and_a_blurred_one_only_warns():
    application = ApplicationFactory()
    evidence = EvidenceFactory(application=application, kind="trademark_certificate")
    expired = certificate_values(application, valid_until="2026-11-30")
    blurred = certificate_values(application, registration_number="99999999")

    (lapsed,) = disagreements(evidence, reading("trademark_certificate", **expired), today=TODAY)
    (unsure,) = disagreements(
        evidence, reading("trademark_certificate", confidence=0.4, **blurred), today=TODAY
    )

    assert (lapsed.field, lapsed.severity) == ("valid_until", "fail")
    assert str(lapsed).endswith(": it expired on 2026-11-30.")
    assert (unsure.field, unsure.severity) == ("registration_number", "warn")


@pytest.mark.django_db
def test_an_unreadable_document_has_nothing_to_compare():
    application = ApplicationFactory()
    evidence = EvidenceFactory(application=application, kind="trademark_certificate")

    rows = compare_reading(
        evidence, reading("trademark_certificate", status=Status.UNREADABLE), today=TODAY
    )

    assert rows == []


@pytest.mark.django_db
def test_a_chinese_licence_is_compared_with_a_company_registered_in_chinese():
    application = ApplicationFactory(company__legal_name="深圳明灯科技有限公司")
    company = application.company
    evidence = EvidenceFactory(application=application, kind="business_licence")
    licence = reading(
        "business_licence",
        uscc=" ".join(company.registration_number[i : i + 6] for i in range(0, 18, 6)),
        legal_name="深圳明灯科技股份有限公司",
    )
    english = reading(
        "business_licence", uscc=company.registration_number, legal_name="深圳月光电器有限公司"
    )

    assert disagreements(evidence, licence, today=TODAY) == []
    (other,) = disagreements(evidence, english, today=TODAY)
    assert (other.field, other.should_say, other.severity) == (
        "legal_name",
        "深圳明灯科技有限公司",
        "fail",
    )


@pytest.mark.django_db
def test_a_chinese_name_beside_an_english_one_is_left_to_a_person():
    application = ApplicationFactory(
        company__legal_name="Shenzhen Bright Lamp Technology Co., Ltd."
    )
    evidence = EvidenceFactory(application=application, kind="business_licence")
    licence = reading(
        "business_licence",
        uscc=application.company.registration_number,
        legal_name="深圳明灯科技有限公司",
    )

    (found,) = disagreements(evidence, licence, today=TODAY)

    assert (found.field, found.severity) == ("legal_name", "warn")
    assert "written in another script" in str(found)


@pytest.mark.django_db
def test_a_letter_is_compared_with_its_link_of_the_chain_and_must_cover_today():
    application = ApplicationFactory(trademark__owner_name="Bright Lamp Holdings Ltd.")
    mark = application.trademark
    for position, (grantor, grantee) in enumerate(
        [
            ("Bright Lamp Holdings Ltd.", "Bright Lamp Trading Co., Ltd."),
            ("Bright Lamp Trading Co., Ltd.", application.company.legal_name),
        ],
        start=1,
    ):
        AuthorizationLink.objects.create(
            trademark=mark,
            position=position,
            grantor_name=grantor,
            grantee_name=grantee,
            product_scope="Lamps",
            territory="Worldwide",
            valid_from=datetime.date(2025, 1, 1),
            valid_until=datetime.date(2027, 1, 1),
        )
    evidence = EvidenceFactory(application=application, kind="authorization_letter")
    letter = reading(
        "authorization_letter",
        grantor="BRIGHT LAMP TRADING CO LTD",
        grantee=application.company.legal_name,
        brand=application.brand.name,
        valid_from="2025-01-01",
        valid_until="2026-06-30",
    )

    (found,) = disagreements(evidence, letter, today=TODAY)

    assert (found.field, found.says, found.severity) == ("valid_until", "2026-06-30", "fail")


@pytest.mark.django_db
def test_a_quality_certificate_matches_a_certification_on_record():
    application = ApplicationFactory()
    facility = Facility.objects.create(
        company=application.company,
        manufacturer_name="Bright Lamp Works",
        country="CN",
        ownership=Facility.Ownership.OWN,
    )
    Certification.objects.create(
        facility=facility, standard="ISO 9001", number="CN-9001-77", issuer="CQC"
    )
    evidence = EvidenceFactory(application=application, kind="quality_certificate")
    agreeing = reading(
        "quality_certificate",
        certificate_number="CN 9001 77",
        holder="Bright Lamp Works",
        standard="ISO 9001:2015",
        valid_until="2028-01-01",
    )
    other = reading(
        "quality_certificate",
        certificate_number="CN-9001-78",
        holder="Moonlight Works",
        valid_until="2028-01-01",
    )

    assert disagreements(evidence, agreeing, today=TODAY) == []
    assert [(d.field, d.should_say) for d in disagreements(evidence, other, today=TODAY)] == [
        ("certificate_number", "CN-9001-77"),
        ("holder", application.company.legal_name),
    ]
