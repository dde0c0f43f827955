"""End to end with the real reader: labelled documents (bench.documents) uploaded as evidence are
read after commit, stored once, and the check judges them against the application."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from bench.documents import generate, render
from reviews.checks import document_contents
from sellers.models import DocumentReading
from sellers.services.evidence import evidence_add
from sellers.services.readings import evidence_read
from tests.sellers.factories import ApplicationFactory

FILE_TYPES = {"pdf_text": "pdf", "pdf_scan": "pdf", "png": "png", "jpeg": "jpg"}


@pytest.fixture(scope="module")
def samples():
    return {sample.name: sample for sample in generate(1, 40)}


def _apply_with(seller, sample, **trademark):
    """An application whose trademark is what the sample's application holds."""
    expected = sample.expected
    return ApplicationFactory(
        company=seller.company,
        with_evidence=False,
        brand__name=expected["mark"],
        trademark__office=sample.fields["office"],
        trademark__number=expected["registration_number"],
        trademark__owner_name=expected["owner"],
        trademark__nice_classes=[int(c) for c in sample.fields["nice_classes"].split(",")],
        **trademark,
    )


def _upload(seller, application, sample, django_capture_on_commit_callbacks):
    upload = SimpleUploadedFile(
        f"{sample.name.rsplit('.', 1)[0]}.{FILE_TYPES[sample.file_type]}", render(sample)
    )
    # The reading is published after the upload commits; tasks run in-process here.
    with django_capture_on_commit_callbacks(execute=True):
        return evidence_add(
            actor=seller.actor, application_id=application.pk, kind=sample.kind, upload=upload
        )


def test_a_certificate_pdf_that_agrees_is_read_once_and_passes(
    seller_a, samples, django_capture_on_commit_callbacks
):
    sample = samples["0016_trademark_certificate_en.pdf"]
    application = _apply_with(seller_a, sample)

    evidence = _upload(seller_a, application, sample, django_capture_on_commit_callbacks)
    stored = DocumentReading.objects.get(evidence=evidence)
    finding = document_contents.run(application)

    assert (stored.status, stored.source, stored.sha256) == ("read", "text layer", evidence.sha256)
    assert stored.data["fields"][1]["name"] == "registration_number"
    assert stored.data["fields"][1]["value"] == sample.fields["registration_number"]
    assert finding.outcome == "pass"
    assert finding.explanation == "The document read agrees with the application."
    assert evidence_read(evidence_id=evidence.pk).read_at == stored.read_at


def test_a_chinese_licence_pdf_agrees_with_the_company(
    seller_a, samples, django_capture_on_commit_callbacks
):
    sample = samples["0004_business_licence_zh.pdf"]
    company = seller_a.company
    company.legal_name = sample.fields["legal_name"]
    company.registration_number = sample.expected["uscc"]
    company.save()
    application = ApplicationFactory(company=company, with_evidence=False)

    _upload(seller_a, application, sample, django_capture_on_commit_callbacks)
    finding = document_contents.run(application)

    assert (finding.outcome, finding.evidence["documents"][0]["disagreements"]) == ("pass", [])


def test_a_photographed_certificate_of_another_owner_fails(
    seller_a, samples, django_capture_on_commit_callbacks
):
    sample = samples["0005_trademark_certificate_en.jpg"]
    application = _apply_with(seller_a, sample)

    _upload(seller_a, application, sample, django_capture_on_commit_callbacks)
    finding = document_contents.run(application)

    assert finding.outcome == "fail"
    assert (
        f"the owner reads “{sample.fields['owner']}” but should read “{sample.expected['owner']}”."
        in finding.explanation
    )
    assert finding.evidence["documents"][0]["source"] == "RapidOCR PP-OCRv4"


def test_an_expired_certificate_read_from_a_photo_fails(
    seller_a, samples, django_capture_on_commit_callbacks
):
    sample = samples["0039_trademark_certificate_en.jpg"]
    application = _apply_with(seller_a, sample)

    _upload(seller_a, application, sample, django_capture_on_commit_callbacks)
    finding = document_contents.run(application)

    assert finding.outcome == "fail"
    assert finding.explanation.endswith(f": it expired on {sample.fields['valid_until']}.")


def test_an_unreadable_scan_is_unverifiable(seller_a, samples, django_capture_on_commit_callbacks):
    sample = samples["0037_business_licence_zh.png"]
    application = ApplicationFactory(company=seller_a.company, with_evidence=False)

    evidence = _upload(seller_a, application, sample, django_capture_on_commit_callbacks)
    finding = document_contents.run(application)

    assert DocumentReading.objects.get(evidence=evidence).status == "unreadable"
    assert finding.outcome == "unverifiable"


def test_a_document_not_read_yet_is_read_by_the_check(seller_a, samples):
    sample = samples["0016_trademark_certificate_en.pdf"]
    application = _apply_with(seller_a, sample)
    # Uploaded without running the after-commit work: no reading is stored yet.
    evidence_add(
        actor=seller_a.actor,
        application_id=application.pk,
        kind=sample.kind,
        upload=SimpleUploadedFile("certificate.pdf", render(sample)),
    )

    finding = document_contents.run(application)

    assert finding.outcome == "pass"
    assert DocumentReading.objects.filter(evidence__application=application).count() == 1
