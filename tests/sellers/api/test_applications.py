"""Contract of every operation of the partner API: body shape and what lands in the database."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext, override_script_prefix
from django.urls import reverse

from sellers.actors import SYSTEM
from sellers.api.serializers import applications as serializers
from sellers.models import (
    Application,
    ApplicationEvent,
    Evidence,
    Notification,
    Status,
    Trademark,
    TrademarkVerificationCode,
)
from sellers.services.evidence import evidence_add
from sellers.workflow.transition import application_transition
from tests.files import pdf_bytes, pdf_upload, png_upload
from tests.sellers.api.support import (
    COLLECTION,
    application_payload,
    detail_url,
    iso,
    png_sha256,
)
from tests.sellers.factories import ApplicationFactory, ProgramFactory


def _links(application_id: int) -> dict:
    base = f"http://testserver{detail_url(application_id)}"
    return {
        "self": base,
        "events": f"{base}events/",
        "evidence": f"{base}evidence/",
        "messages": f"{base}messages/",
    }


def test_create_starts_a_draft_and_returns_it_with_its_location(
    partner_client, partner, seller_a, program, lighting
):
    response = partner_client.post(
        COLLECTION, application_payload(seller_a.company.pk), format="json"
    )

    application = Application.objects.get()
    assert response.status_code == 201
    assert response["Location"] == f"http://testserver{detail_url(application.pk)}"
    assert response.json() == {
        "id": application.pk,
        "reference": application.reference,
        "seller": {"id": seller_a.company.pk, "legal_name": seller_a.company.legal_name},
        "program": {"id": program.pk, "name": "Thousand-Class Brand Program"},
        "brand": {"name": "BRIGHTLAMP", "native_name": "明灯"},
        "trademark": {
            "id": application.trademark_id,
            "office": "USPTO",
            "number": "7812345",
            "registration_status": "registered",
            "mark_type": "word",
            "nice_classes": [11],
            "owner_name": "Shenzhen Bright Lamp Technology Co., Ltd.",
            "expires_on": "2036-06-30",
            "record_control_verified_at": None,
        },
        "categories": ["lighting-appliances"],
        "status": "draft",
        "status_label": "Draft",
        "submitted_at": None,
        "decided_at": None,
        "created_at": iso(application.created_at),
        "updated_at": iso(application.updated_at),
        "links": _links(application.pk),
    }
    assert (application.company, application.program, application.status) == (
        seller_a.company,
        program,
        Status.DRAFT,
    )
    assert list(application.categories.all()) == [lighting]
    assert (application.brand.company, application.brand.name) == (seller_a.company, "BRIGHTLAMP")
    mark = Trademark.objects.get()
    assert (mark.brand, mark.office, mark.number, mark.correspondent_email) == (
        application.brand,
        "USPTO",
        "7812345",
        "ip@bright-lamp.example",
    )
    assert mark.expires_on == datetime.date(2036, 6, 30)
    event = application.events.get()
    assert (event.action, event.actor_label, event.seller_visible) == (
        "created",
        f"Silk Road Brand Services (API key {partner.api_key.prefix})",
        True,
    )


def test_create_applies_to_the_program_named_in_the_request(partner_client, seller_a):
    spring = ProgramFactory(slug="spring-pilot", name="Spring pilot")

    response = partner_client.post(
        COLLECTION, application_payload(seller_a.company.pk, program=spring.pk), format="json"
    )

    assert response.status_code == 201
    assert response.json()["program"] == {"id": spring.pk, "name": "Spring pilot"}
    assert Application.objects.get().program == spring


def test_list_returns_the_applications_of_the_actors_companies(partner_client, seller_a):
    older = ApplicationFactory(company=seller_a.company, with_evidence=False)
    newer = ApplicationFactory(company=seller_a.company, with_evidence=False)

    response = partner_client.get(COLLECTION)

    assert response.status_code == 200
    body = response.json()
    assert (body["previous"], body["next"]) == (None, None)
    assert [item["id"] for item in body["results"]] == [newer.pk, older.pk]
    assert body["results"][0]["brand"] == {"name": newer.brand.name, "native_name": ""}
    assert body["results"][0]["seller"] == {
        "id": seller_a.company.pk,
        "legal_name": "Shenzhen Bright Lamp Technology Co., Ltd.",
    }


def test_retrieve_shows_the_seller_facing_status_and_no_reviewer_data(
    partner_client, seller_a, reviewer, program, lighting
):
    application = ApplicationFactory(
        company=seller_a.company,
        # Not the trait: it stamps a submission time, and the response below pins a null one.
        status=Status.IN_REVIEW,
        assignee=reviewer,
        risk_score=65,
        brand__name="BRIGHTLAMP",
        trademark__number="7812345",
        trademark__expires_on=datetime.date(2036, 6, 30),
    )

    TrademarkVerificationCode.objects.create(
        trademark=application.trademark,
        office="USPTO",
        number="7812345",
        code_hash="0" * 64,
        sent_to="tm@bright-lamp.example",
        record_source="test",
        requested_by_label="seller A",
        expires_at=datetime.datetime(2026, 11, 20, 8, 40, tzinfo=datetime.UTC),
        verified_at=datetime.datetime(2026, 11, 20, 8, 30, tzinfo=datetime.UTC),
    )

    response = partner_client.get(detail_url(application.pk))

    assert response.status_code == 200
    assert response.json() == {
        "id": application.pk,
        "reference": application.reference,
        "seller": {"id": seller_a.company.pk, "legal_name": seller_a.company.legal_name},
        "program": {"id": program.pk, "name": program.name},
        "brand": {"name": "BRIGHTLAMP", "native_name": ""},
        "trademark": {
            "id": application.trademark_id,
            "office": "USPTO",
            "number": "7812345",
            "registration_status": "registered",
            "mark_type": "word",
            "nice_classes": [11],
            "owner_name": seller_a.company.legal_name,
            "expires_on": "2036-06-30",
            "record_control_verified_at": "2026-11-20T08:30:00Z",
        },
        "categories": ["lighting-appliances"],
        "status": "under_review",
        "status_label": "Under review",
        "submitted_at": None,
        "decided_at": None,
        "created_at": iso(application.created_at),
        "updated_at": iso(application.updated_at),
        "links": _links(application.pk),
    }
    assert b"in_review" not in response.content
    assert reviewer.username.encode() not in response.content


def test_submit_puts_a_draft_under_review(partner_client, partner, seller_a):
    application = ApplicationFactory(company=seller_a.company)

    response = partner_client.post(detail_url(application.pk, "submit/"))

    application.refresh_from_db()
    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["status"], body["status_label"]) == (
        application.pk,
        "under_review",
        "Under review",
    )
    assert body["submitted_at"] == iso(application.submitted_at)
    assert application.status == Status.SUBMITTED
    event = application.events.get()
    assert (event.action, event.from_status, event.to_status, event.actor_label) == (
        "submit",
        Status.DRAFT,
        Status.SUBMITTED,
        f"Silk Road Brand Services (API key {partner.api_key.prefix})",
    )


def test_submit_reads_the_application_once_under_its_lock_before_writing_it(
    partner_client, seller_a
):
    application = ApplicationFactory(company=seller_a.company)

    with CaptureQueriesContext(connection) as queries:
        response = partner_client.post(detail_url(application.pk, "submit/"))

    statements = [query["sql"] for query in queries.captured_queries]
    write = next(
        i for i, sql in enumerate(statements) if sql.startswith('UPDATE "sellers_application"')
    )
    reads = [
        sql
        for sql in statements[:write]
        if sql.startswith("SELECT") and 'FROM "sellers_application"' in sql
    ]
    assert response.status_code == 200
    assert len(reads) == 1
    assert reads[0].endswith('FOR UPDATE OF "sellers_application"')


def _prepared_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [statement for (statement,) in cursor.fetchall()]


def test_a_submit_reads_with_statements_planned_once_per_connection(partner_client, seller_a):
    drafts = ApplicationFactory.create_batch(2, company=seller_a.company)

    answers = [partner_client.post(detail_url(draft.pk, "submit/")) for draft in drafts]

    prepared = _prepared_statements()
    reads = {
        "the locked application": 'FOR UPDATE OF "sellers_application"',
        "its current files": 'FROM "sellers_evidence"',
        "its categories' requirements": 'LEFT OUTER JOIN "sellers_categoryrequirement"',
        "the seller's members": 'FROM "sellers_membership"',
        "the webhook endpoints": 'FROM "sellers_webhookendpoint"',
    }
    assert [answer.json()["status"] for answer in answers] == ["under_review", "under_review"]
    assert {name: sum(part in sql for sql in prepared) for name, part in reads.items()} == {
        name: 1 for name in reads
    }
    assert [draft.events.get().action for draft in drafts] == ["submit", "submit"]
    assert Notification.objects.filter(application__in=drafts, user=seller_a.owner).count() == 2


def test_an_answer_reverses_its_links_once_per_process(partner_client, seller_a, monkeypatch):
    first, second = ApplicationFactory.create_batch(2, company=seller_a.company)
    partner_client.get(detail_url(first.pk))
    reversed_paths = []

    def counted(*args, **kwargs):
        reversed_paths.append(args)
        return reverse(*args, **kwargs)

    monkeypatch.setattr(serializers, "reverse", counted)
    response = partner_client.get(detail_url(second.pk))

    assert response.json()["links"] == _links(second.pk)
    assert reversed_paths == []


def test_answer_links_follow_the_script_prefix(partner_client, seller_a):
    plain, prefixed = ApplicationFactory.create_batch(2, company=seller_a.company)
    partner_client.get(detail_url(plain.pk))

    with override_script_prefix("/brands/"):
        response = partner_client.get(detail_url(prefixed.pk))

    base = f"http://testserver/brands{detail_url(prefixed.pk)}"
    assert response.json()["links"] == {
        "self": base,
        "events": f"{base}events/",
        "evidence": f"{base}evidence/",
        "messages": f"{base}messages/",
    }


def test_withdraw_closes_the_application(partner_client, seller_a):
    application = ApplicationFactory(company=seller_a.company, awaiting_review=True)

    response = partner_client.post(detail_url(application.pk, "withdraw/"))

    application.refresh_from_db()
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["status_label"]) == (
        "withdrawn",
        "Withdrawn",
    )
    assert application.status == Status.WITHDRAWN
    assert list(application.events.values_list("action", "to_status")) == [
        ("withdraw", Status.WITHDRAWN)
    ]


def test_evidence_upload_stores_the_file_and_describes_it(partner_client, seller_a):
    application = ApplicationFactory(company=seller_a.company, with_evidence=False)

    response = partner_client.post(
        detail_url(application.pk, "evidence/"),
        {"kind": "product_photo", "file": png_upload("lamp on box.png")},
        format="multipart",
    )

    evidence = Evidence.objects.get()
    assert response.status_code == 201
    assert response.json() == {
        "id": evidence.pk,
        "kind": "product_photo",
        "original_name": "lamp on box.png",
        "sha256": png_sha256(),
        "size": len(png_upload().read()),
        "detected_type": "image/png",
        "uploaded_at": iso(evidence.uploaded_at),
        "replaces": None,
    }
    assert evidence.application == application
    assert evidence.sha256 == png_sha256()
    with evidence.file.open("rb") as stored:
        assert stored.read() == png_upload().read()
    assert application.events.get().action == "evidence_added"


def test_evidence_list_describes_every_file_in_upload_order(partner_client, seller_a):
    application = ApplicationFactory(company=seller_a.company, with_evidence=False)
    actor = seller_a.actor
    photo = evidence_add(
        actor=actor, application_id=application.pk, kind="product_photo", upload=png_upload()
    )
    certificate = evidence_add(
        actor=actor,
        application_id=application.pk,
        kind="trademark_certificate",
        upload=pdf_upload("registration.pdf"),
    )

    response = partner_client.get(detail_url(application.pk, "evidence/"))

    assert response.status_code == 200
    assert response.json() == [
        {
            "id": photo.pk,
            "kind": "product_photo",
            "original_name": "photo.png",
            "sha256": png_sha256(),
            "size": photo.size,
            "detected_type": "image/png",
            "uploaded_at": iso(photo.uploaded_at),
            "replaces": None,
        },
        {
            "id": certificate.pk,
            "kind": "trademark_certificate",
            "original_name": "registration.pdf",
            "sha256": certificate.sha256,
            "size": len(pdf_bytes()),
            "detected_type": "application/pdf",
            "uploaded_at": iso(certificate.uploaded_at),
            "replaces": None,
        },
    ]


def test_events_show_the_seller_timeline_without_internal_steps(partner_client, seller_a):
    application = ApplicationFactory(company=seller_a.company)
    application_transition(application_id=application.pk, action="submit", actor=seller_a.actor)
    application_transition(application_id=application.pk, action="start_screening", actor=SYSTEM)
    application_transition(
        application_id=application.pk,
        action="return_incomplete",
        actor=SYSTEM,
        note="Upload the registration certificate.",
    )
    submitted, returned = ApplicationEvent.objects.filter(seller_visible=True).order_by("pk")

    response = partner_client.get(detail_url(application.pk, "events/"))

    assert response.status_code == 200
    assert response.json() == [
        {
            "time": iso(submitted.created_at),
            "action": "submit",
            "actor": seller_a.owner.username,
            "status": "under_review",
            "note": "",
            "reasons": [],
        },
        {
            "time": iso(returned.created_at),
            "action": "return_incomplete",
            "actor": "Screening service",
            "status": "changes_requested",
            "note": "Upload the registration certificate.",
            "reasons": [],
        },
    ]
    assert ApplicationEvent.objects.filter(application=application).count() == 3
