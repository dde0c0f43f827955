"""Editing drafts with ETag / If-Match, resubmitting, and taking evidence back out."""

import datetime
import hashlib
from pathlib import Path

import pytest

from sellers.models import Application, Evidence, Status, Trademark
from sellers.services.evidence import evidence_add
from tests.files import png_upload
from tests.sellers.api.support import PROBLEM, database_snapshot, detail_url, error_paths, iso
from tests.sellers.factories import ApplicationFactory, CategoryFactory


def etag_of(application: Application) -> str:
    application.refresh_from_db()
    version = f"{application.pk}:{application.updated_at.isoformat()}"
    return '"' + hashlib.sha256(version.encode()).hexdigest()[:32] + '"'


@pytest.fixture
def draft(seller_a, lighting):
    return ApplicationFactory(
        company=seller_a.company,
        brand__name="BRIGHTLAMP",
        trademark__number="7812345",
        categories=[lighting],
        with_evidence=False,
    )


def _patch(client, application, body, etag):
    headers = {} if etag is None else {"HTTP_IF_MATCH": etag}
    return client.patch(detail_url(application.pk), body, format="json", **headers)


def test_retrieve_returns_the_etag_an_edit_must_send(partner_client, draft):
    response = partner_client.get(detail_url(draft.pk))

    assert response.status_code == 200
    assert response["ETag"] == etag_of(draft)


def test_patch_changes_only_the_given_parts_and_records_the_edit(
    partner, partner_client, draft, lighting
):
    kitchen = CategoryFactory(code="kitchen", nice_classes=[21])
    etag = etag_of(draft)

    response = _patch(
        partner_client,
        draft,
        {
            "brand": {"native_name": "明灯"},
            "trademark": {"nice_classes": [11, 21], "expires_on": "2035-01-31"},
            "categories": ["lighting-appliances", "kitchen"],
        },
        etag,
    )

    draft.refresh_from_db()
    assert response.status_code == 200
    body = response.json()
    assert body["brand"] == {"name": "BRIGHTLAMP", "native_name": "明灯"}
    assert body["trademark"] == {
        "id": draft.trademark_id,
        "office": "USPTO",
        "number": "7812345",
        "registration_status": "registered",
        "mark_type": "word",
        "nice_classes": [11, 21],
        "owner_name": draft.company.legal_name,
        "expires_on": "2035-01-31",
        "record_control_verified_at": None,
    }
    assert sorted(body["categories"]) == ["kitchen", "lighting-appliances"]
    assert body["updated_at"] == iso(draft.updated_at)
    assert response["ETag"] == etag_of(draft) != etag
    assert set(draft.categories.all()) == {lighting, kitchen}
    assert (draft.trademark.nice_classes, draft.trademark.expires_on) == (
        [11, 21],
        datetime.date(2035, 1, 31),
    )
    event = draft.events.get()
    assert (event.action, event.actor_label, event.note, event.seller_visible) == (
        "edited",
        f"Silk Road Brand Services (API key {partner.api_key.prefix})",
        "Changed: brand native name, trademark, categories.",
        True,
    )


def test_patch_with_a_new_trademark_number_points_the_draft_at_that_trademark(
    partner_client, draft
):
    old_mark = draft.trademark

    response = _patch(partner_client, draft, {"trademark": {"number": "8,000,001"}}, etag_of(draft))

    draft.refresh_from_db()
    assert response.json()["trademark"]["number"] == "8000001"
    assert draft.trademark.number == "8000001"
    assert draft.trademark.owner_name == old_mark.owner_name
    assert set(Trademark.objects.values_list("number", flat=True)) == {"7812345", "8000001"}


def test_patch_without_if_match_is_428(partner_client, draft):
    before = database_snapshot()

    response = _patch(partner_client, draft, {"brand": {"native_name": "明灯"}}, None)

    assert response.status_code == 428
    assert response["Content-Type"] == PROBLEM
    assert response.json() == {
        "type": "https://brand-program.example/problems/precondition-required",
        "title": "Send If-Match with the ETag from your last read of this application.",
        "status": 428,
        "code": "precondition_required",
        "detail": "Send If-Match with the ETag from your last read of this application.",
    }
    assert database_snapshot() == before


def test_patch_with_a_stale_etag_is_412(partner_client, draft):
    stale = etag_of(draft)
    first_edit = _patch(partner_client, draft, {"categories": ["lighting-appliances"]}, stale)
    before = database_snapshot()

    response = _patch(partner_client, draft, {"brand": {"native_name": "明灯"}}, stale)

    assert first_edit.status_code == 200
    assert response.status_code == 412
    assert response.json() == {
        "type": "https://brand-program.example/problems/precondition-failed",
        "title": "The application changed since you read it (If-Match does not match its "
        "ETag); read it again and reapply your edit.",
        "status": 412,
        "code": "precondition_failed",
        "detail": "The application changed since you read it (If-Match does not match its "
        "ETag); read it again and reapply your edit.",
    }
    assert database_snapshot() == before


def test_patch_of_a_submitted_application_is_409(partner_client, seller_a):
    application = ApplicationFactory(company=seller_a.company, awaiting_review=True)
    before = database_snapshot()

    response = _patch(
        partner_client, application, {"brand": {"native_name": "明灯"}}, etag_of(application)
    )

    assert response.status_code == 409
    assert response.json() == {
        "type": "https://brand-program.example/problems/not-editable",
        "title": "Rule violated",
        "status": 409,
        "code": "not_editable",
        "detail": "Only a draft, or an application with changes requested, can be edited.",
    }
    assert database_snapshot() == before


def test_patch_with_invalid_values_names_the_fields_and_changes_nothing(partner_client, draft):
    before = database_snapshot()

    response = _patch(
        partner_client,
        draft,
        {"trademark": {"number": "??", "nice_classes": [77]}},
        etag_of(draft),
    )

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert error_paths(response.json()["errors"]) == [
        "trademark.nice_classes",
        "trademark.number",
    ]
    assert database_snapshot() == before


def test_resubmit_sends_a_changed_application_back_to_review(partner_client, seller_a):
    application = ApplicationFactory(company=seller_a.company, changes_requested=True)

    response = partner_client.post(detail_url(application.pk, "resubmit/"))

    application.refresh_from_db()
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["submitted_at"]) == (
        "under_review",
        iso(application.submitted_at),
    )
    assert list(
        application.events.filter(action="resubmit").values_list("from_status", "to_status")
    ) == [(Status.CHANGES_REQUESTED, Status.SUBMITTED)]


def test_resubmit_of_a_draft_is_409(partner_client, draft):
    response = partner_client.post(detail_url(draft.pk, "resubmit/"))

    draft.refresh_from_db()
    assert (response.status_code, response.json()["code"]) == (409, "transition_not_allowed")
    assert draft.status == Status.DRAFT


def test_evidence_delete_withdraws_the_file_keeps_it_and_leaves_an_event(
    partner, partner_client, draft, seller_a, django_capture_on_commit_callbacks
):
    evidence = evidence_add(
        actor=seller_a.actor, application_id=draft.pk, kind="product_photo", upload=png_upload()
    )
    stored = evidence.file.path

    with django_capture_on_commit_callbacks(execute=True):
        response = partner_client.delete(detail_url(draft.pk, f"evidence/{evidence.pk}/"))

    assert (response.status_code, response.content) == (204, b"")
    evidence.refresh_from_db()
    assert (evidence.withdrawn_by_label, evidence.replaced_by) == (
        f"Silk Road Brand Services (API key {partner.api_key.prefix})",
        None,
    )
    assert evidence.withdrawn_at is not None
    assert Path(stored).exists()
    assert partner_client.get(detail_url(draft.pk, "evidence/")).json() == []
    event = draft.events.latest("pk")
    assert (event.action, event.note, event.actor_label) == (
        "evidence_removed",
        "Photo of the brand on product or packaging: photo.png",
        f"Silk Road Brand Services (API key {partner.api_key.prefix})",
    )


def test_evidence_delete_repeated_is_204_and_removes_once(partner_client, seller_a, draft):
    evidence = evidence_add(
        actor=seller_a.actor, application_id=draft.pk, kind="product_photo", upload=png_upload()
    )
    first = partner_client.delete(detail_url(draft.pk, f"evidence/{evidence.pk}/"))
    withdrawn_at = Evidence.objects.get(pk=evidence.pk).withdrawn_at

    second = partner_client.delete(detail_url(draft.pk, f"evidence/{evidence.pk}/"))

    assert (first.status_code, second.status_code) == (204, 204)
    assert Evidence.objects.get(pk=evidence.pk).withdrawn_at == withdrawn_at
    assert draft.events.filter(action="evidence_removed").count() == 1


def test_evidence_delete_after_submission_is_409_and_keeps_the_file(
    partner_client, seller_a, draft
):
    evidence = evidence_add(
        actor=seller_a.actor, application_id=draft.pk, kind="product_photo", upload=png_upload()
    )
    Application.objects.filter(pk=draft.pk).update(status=Status.SUBMITTED)
    before = database_snapshot()

    response = partner_client.delete(detail_url(draft.pk, f"evidence/{evidence.pk}/"))

    assert response.status_code == 409
    assert response.json()["detail"] == (
        "Evidence can only be removed while the application is a draft or changes are requested."
    )
    assert database_snapshot() == before
    assert evidence.file.storage.exists(evidence.file.name)


def test_evidence_delete_of_another_applications_file_is_404(partner_client, seller_a, draft):
    other = ApplicationFactory(company=seller_a.company)
    evidence = other.evidence.get()

    response = partner_client.delete(detail_url(draft.pk, f"evidence/{evidence.pk}/"))

    assert response.status_code == 404
    assert Evidence.objects.get(pk=evidence.pk).withdrawn_at is None
