"""Readings of evidence files: asked for after the upload commits, stored once per file."""

from sellers.documents.reading import Reading, Status
from sellers.models import DocumentReading
from sellers.selectors import stored_readings
from sellers.services.evidence import evidence_add
from sellers.services.readings import evidence_read, evidence_reading_store
from tests import files
from tests.sellers.factories import ApplicationFactory, EvidenceFactory
from tests.sellers.readings import certificate_values, reading


def _queued_reads(callbacks) -> list[dict]:
    return [
        callback.keywords
        for callback in callbacks
        if getattr(callback, "args", ()) == ("sellers.tasks.evidence_read",)
    ]


def test_uploading_a_certificate_asks_for_its_reading_after_commit(
    seller_a, django_capture_on_commit_callbacks
):
    application = ApplicationFactory(company=seller_a.company, with_evidence=False)

    with django_capture_on_commit_callbacks() as callbacks:
        certificate = evidence_add(
            actor=seller_a.actor,
            application_id=application.pk,
            kind="trademark_certificate",
            upload=files.pdf_upload(),
        )
        evidence_add(
            actor=seller_a.actor,
            application_id=application.pk,
            kind="product_photo",
            upload=files.png_upload(),
        )

    # Product photos are not read; nothing is published before the upload is committed.
    assert _queued_reads(callbacks) == [{"evidence_id": certificate.pk}]
    assert not DocumentReading.objects.exists()


def test_a_stored_reading_of_the_same_file_is_reused_without_reading_again(seller_a):
    application = ApplicationFactory(company=seller_a.company, with_evidence=False)
    evidence = EvidenceFactory(application=application, kind="trademark_certificate")
    read = reading("trademark_certificate", **certificate_values(application))
    stored = evidence_reading_store(evidence=evidence, reading=read, duration_ms=1200)

    again = evidence_read(evidence_id=evidence.pk)

    assert again.pk == stored.pk
    assert again.read_at == stored.read_at
    assert (again.status, again.source, again.duration_ms) == ("read", "text layer", 1200)
    assert Reading.from_json(again.data) == read
    assert stored_readings([evidence]) == {evidence.pk: read}


def test_a_reading_of_another_file_is_not_taken_for_this_one(seller_a):
    application = ApplicationFactory(company=seller_a.company, with_evidence=False)
    evidence = EvidenceFactory(application=application, kind="business_licence")
    evidence_reading_store(
        evidence=evidence,
        reading=reading("business_licence", status=Status.UNREADABLE),
        duration_ms=10,
    )
    evidence.sha256 = "f" * 64
    evidence.save(update_fields=["sha256"])

    assert stored_readings([evidence]) == {}


def test_kinds_whose_contents_are_not_read_get_no_reading(seller_a):
    photo = EvidenceFactory(kind="product_photo")

    assert evidence_read(evidence_id=photo.pk) is None
    assert evidence_read(evidence_id=photo.pk + 1000) is None
    assert not DocumentReading.objects.exists()
