"""Starting an application: what it stores, and what it refuses without leaving traces."""

import hashlib
from datetime import date

import pytest
from django.core.exceptions import ValidationError

from brandprogram.errors import ApplicationError
from sellers.models import Application, Brand, Evidence, Status, Trademark
from sellers.services.applications import TrademarkInput, application_create
from sellers.services.evidence import EvidenceInput
from tests import files
from tests.reviews.checks import hostile_files
from tests.sellers.factories import CategoryFactory, ProgramFactory


def _trademark(**overrides) -> TrademarkInput:
    values = {
        "office": "USPTO",
        "number": "78123456",
        "registration_status": "registered",
        "mark_type": "word",
        "nice_classes": [11],
        "owner_name": "Shenzhen Bright Lamp Technology Co., Ltd.",
        "expires_on": date(2034, 6, 30),
    }
    return TrademarkInput(**{**values, **overrides})


def _create(seller, *, actor=None, evidence=None, **trademark_overrides):
    return application_create(
        actor=actor or seller.actor,
        company_id=seller.company.pk,
        program_id=ProgramFactory().pk,
        brand_name="LUMIBRIGHT",
        brand_native_name="流明亮",
        trademark=_trademark(**trademark_overrides),
        category_ids=[CategoryFactory().pk],
        evidence=evidence
        if evidence is not None
        else [EvidenceInput("product_photo", files.png_upload())],
    )


def _stored_files(settings) -> list:
    root = settings.MEDIA_ROOT
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def test_application_create_stores_brand_trademark_evidence_and_history(seller_a, settings):
    content = files.png_bytes()

    application = _create(
        seller_a, evidence=[EvidenceInput("product_photo", files.upload("IMG 1.png", content))]
    )

    assert application.status == Status.DRAFT
    assert (application.brand.name, application.brand.native_name) == ("LUMIBRIGHT", "流明亮")
    assert (application.trademark.office, application.trademark.number) == ("USPTO", "78123456")
    evidence = application.evidence.get()
    assert evidence.sha256 == hashlib.sha256(content).hexdigest()
    assert (evidence.size, evidence.detected_type, evidence.original_name) == (
        len(content),
        "image/png",
        "IMG 1.png",
    )
    # Stored under a generated name, never the uploader's.
    assert "IMG" not in evidence.file.name
    assert evidence.file.read() == content
    assert list(application.events.values_list("action", flat=True)) == [
        "created",
        "evidence_added",
    ]
    assert len(_stored_files(settings)) == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"office": "EUIPO", "number": "78123456"}, "trademark_number"),
        ({"nice_classes": [0]}, "nice_classes"),
        ({"owner_name": "  "}, "owner_name"),
    ],
)
def test_application_create_with_a_bad_field_saves_nothing(seller_a, settings, overrides, field):
    with pytest.raises(ValidationError) as refused:
        _create(seller_a, **overrides)

    assert field in refused.value.message_dict
    assert Application.objects.count() == Brand.objects.count() == Trademark.objects.count() == 0
    assert _stored_files(settings) == []


@pytest.mark.parametrize(
    ("make_upload", "message"),
    [
        (files.html_disguised_as_pdf, "is text/html; upload a PDF, JPEG, PNG or WebP file."),
        (files.truncated_png, "is not a readable image."),
        (lambda: files.upload("empty.pdf", b""), "is empty."),
        (
            lambda: files.upload("certificate.pdf", hostile_files.jpeg_pdf_polyglot()),
            "is at once a JPEG + PDF file",
        ),
    ],
)
def test_application_create_with_a_hostile_file_saves_nothing(
    seller_a, settings, make_upload, message
):
    with pytest.raises(ValidationError) as refused:
        _create(seller_a, evidence=[EvidenceInput("trademark_certificate", make_upload())])

    assert message in refused.value.message_dict["evidence"][0]
    assert Application.objects.count() == Evidence.objects.count() == 0
    assert _stored_files(settings) == []


def test_application_create_refuses_a_file_over_the_limit(seller_a, settings):
    settings.EVIDENCE_MAX_BYTES = 2048
    big = files.upload("scan.pdf", files.pdf_bytes("x" * 4000), "application/pdf")

    with pytest.raises(ValidationError) as refused:
        _create(seller_a, evidence=[EvidenceInput("trademark_certificate", big)])

    assert refused.value.message_dict["evidence"] == [
        f"scan.pdf is {big.size / 1024:.1f}\xa0KB; files may be at most 2.0\xa0KB."
    ]
    assert Application.objects.count() == 0


def test_application_create_accepts_pdf_and_jpeg_by_content(seller_a):
    application = _create(
        seller_a,
        evidence=[
            EvidenceInput("trademark_certificate", files.upload("cert.bin", files.pdf_bytes())),
            EvidenceInput("product_photo", files.upload("photo", files.jpeg_bytes())),
        ],
    )

    assert sorted(application.evidence.values_list("detected_type", flat=True)) == [
        "application/pdf",
        "image/jpeg",
    ]


def test_application_create_for_another_company_is_refused(seller_a, seller_b):
    with pytest.raises(ApplicationError) as refused:
        _create(seller_a, actor=seller_b.actor)

    assert refused.value.code == "not_your_company"
    assert Application.objects.count() == 0


def test_application_create_twice_for_one_brand_keeps_one_open_application(seller_a):
    _create(seller_a)

    with pytest.raises(ApplicationError) as refused:
        _create(seller_a)

    assert (refused.value.code, refused.value.field) == ("duplicate_application", "brand_name")
    assert Application.objects.count() == 1


def test_application_create_after_withdrawal_is_allowed(seller_a):
    first = _create(seller_a)
    Application.objects.filter(pk=first.pk).update(status=Status.WITHDRAWN)

    second = _create(seller_a)

    assert second.pk != first.pk
    assert second.brand_id == first.brand_id
