"""Readings of evidence files: asked for after the upload commits, stored once per file."""

import datetime
import threading

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone

from sellers import documents
from sellers.actors import actor_for_user
from sellers.documents.matching import Document
from sellers.documents.reading import Reading, Status
from sellers.models import ApplicationDraft, AuthorizationLink, DocumentReading
from sellers.selectors import document_readings
from sellers.services.companies import company_licence_replace, company_register
from sellers.services.drafts import AuthorizationLinkInput, draft_add_authorization_link
from sellers.services.evidence import evidence_add
from sellers.services.readings import evidence_read, evidence_reading_store, reading_store
from tests import files
from tests.sellers.factories import ApplicationFactory, EvidenceFactory
from tests.sellers.readings import certificate_values, reading


def _queued_reads(callbacks, task: str = "sellers.tasks.evidence_read") -> list[dict]:
    return [callback.keywords for callback in callbacks if getattr(callback, "args", ()) == (task,)]


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
    assert document_readings([Document.of_evidence(evidence)]) == {f"evidence-{evidence.pk}": read}


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

    assert document_readings([Document.of_evidence(evidence)]) == {}


def test_kinds_whose_contents_are_not_read_get_no_reading(seller_a):
    photo = EvidenceFactory(kind="product_photo")

    assert evidence_read(evidence_id=photo.pk) is None
    assert evidence_read(evidence_id=photo.pk + 1000) is None
    assert not DocumentReading.objects.exists()


def test_the_sign_up_licence_is_read_after_the_company_is_committed(
    db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        company = company_register(
            legal_name="Shenzhen Bright Lamp Technology Co., Ltd.",
            country="HK",
            registration_number="HK-7718231",
            owner_email="li@bright-lamp.example",
            owner_password="a long enough password",
            business_licence=files.pdf_upload("licence.pdf"),
        )

    assert _queued_reads(callbacks, "sellers.tasks.company_licence_read") == [
        {"company_id": company.pk}
    ]
    assert not DocumentReading.objects.exists()


def test_a_licence_replaced_in_the_profile_is_read_again_after_commit(
    seller_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        company = company_licence_replace(
            actor=actor_for_user(seller_a.owner),
            company_id=seller_a.company.pk,
            business_licence=files.pdf_upload("new-licence.pdf"),
        )

    assert company.business_licence_name == "new-licence.pdf"
    assert _queued_reads(callbacks, "sellers.tasks.company_licence_read") == [
        {"company_id": company.pk}
    ]


def test_a_signed_letter_is_read_after_its_link_is_committed(
    seller_a, django_capture_on_commit_callbacks
):
    application = ApplicationFactory(company=seller_a.company, with_evidence=False)
    draft = ApplicationDraft.objects.create(
        company=seller_a.company,
        step=ApplicationDraft.Step.OWNERSHIP,
        brand=application.brand,
        trademark=application.trademark,
        application=application,
    )
    today = timezone.localdate()

    def add(letter):
        return draft_add_authorization_link(
            actor=seller_a.actor,
            draft_id=draft.pk,
            link=AuthorizationLinkInput(
                grantor_name=application.trademark.owner_name,
                grantee_name=seller_a.company.legal_name,
                product_scope="Lamps",
                territory="Worldwide",
                valid_from=today,
                valid_until=today + datetime.timedelta(days=365),
                letter=letter,
            ),
        )

    with django_capture_on_commit_callbacks() as callbacks:
        with_letter = add(files.pdf_upload("letter.pdf"))
        add(None)

    assert _queued_reads(callbacks, "sellers.tasks.authorization_letter_read") == [
        {"link_id": with_letter.pk}
    ]
    assert (with_letter.letter_name, with_letter.letter_type) == ("letter.pdf", "application/pdf")
    assert len(with_letter.letter_sha256) == 64


def test_a_reading_has_exactly_one_owner(seller_a):
    evidence = EvidenceFactory(kind="business_licence")
    read = reading("business_licence").as_json()
    common = {"sha256": "0" * 64, "status": "read", "data": read, "duration_ms": 1}

    for owners in ({}, {"evidence": evidence, "company": seller_a.company}):
        with pytest.raises(IntegrityError), transaction.atomic():
            DocumentReading.objects.create(read_at=timezone.now(), **common, **owners)

    assert not DocumentReading.objects.exists()


def test_a_file_read_for_one_owner_is_not_read_again_for_another(seller_a, monkeypatch):
    """A letter attached to its chain link and uploaded as evidence too is read once."""
    application = ApplicationFactory(company=seller_a.company, with_evidence=False)
    link = AuthorizationLink.objects.create(
        trademark=application.trademark,
        position=1,
        grantor_name=application.trademark.owner_name,
        grantee_name=seller_a.company.legal_name,
        product_scope="Lamps",
        territory="Worldwide",
        valid_from=datetime.date(2026, 1, 1),
        valid_until=datetime.date(2027, 1, 1),
        letter_sha256="c" * 64,
        letter_type="application/pdf",
    )
    read = reading("authorization_letter", grantor=application.trademark.owner_name)
    first = reading_store(
        {"authorization_link": link}, sha256="c" * 64, reading=read, duration_ms=4100
    )
    evidence = EvidenceFactory(
        application=application, kind="authorization_letter", sha256="c" * 64
    )
    monkeypatch.setattr(documents, "read_document", _never_read)

    copied = evidence_read(evidence_id=evidence.pk)

    assert copied.pk != first.pk
    assert (copied.evidence_id, copied.sha256, copied.duration_ms) == (evidence.pk, "c" * 64, 4100)
    assert Reading.from_json(copied.data) == read


def _never_read(*args, **kwargs):
    raise AssertionError("the file was read a second time")


@pytest.mark.django_db(transaction=True)
def test_two_reads_of_the_same_evidence_finishing_together_keep_one_reading(seller_a, monkeypatch):
    """The upload's read and screening's read of one file both store: the second to store
    waits for the first and writes over its row, and no statement fails on the way."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrent inserts need PostgreSQL (make test)")
    application = ApplicationFactory(company=seller_a.company, with_evidence=False)
    evidence = EvidenceFactory(application=application, kind="trademark_certificate")
    read = reading("trademark_certificate", **certificate_values(application))
    monkeypatch.setattr(documents, "read_document", lambda *args, **kwargs: read)
    # Both readers have found no reading and read the file before either stores.
    storing = threading.Barrier(2, timeout=10)
    failed_statements: list[str] = []
    returned: list[DocumentReading] = []

    def meet_before_inserting(execute, sql, params, many, context):
        if sql.startswith('INSERT INTO "sellers_documentreading"'):
            storing.wait()
        try:
            return execute(sql, params, many, context)
        except DatabaseError as exc:
            failed_statements.append(f"{type(exc).__name__}: {exc}")
            raise

    def read_it():
        try:
            with connection.execute_wrapper(meet_before_inserting):
                returned.append(evidence_read(evidence_id=evidence.pk))
        finally:
            connection.close()

    readers = [threading.Thread(target=read_it) for _ in range(2)]
    for reader in readers:
        reader.start()
    for reader in readers:
        reader.join()

    assert failed_statements == []
    stored = DocumentReading.objects.get(evidence=evidence)
    assert [(r.pk, r.sha256) for r in returned] == [(stored.pk, evidence.sha256)] * 2
    # Whichever stored second wrote over the other's row: the row is one of the two readings.
    assert stored.read_at in {r.read_at for r in returned}
    assert Reading.from_json(stored.data) == read
