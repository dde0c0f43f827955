"""Replacing evidence through the partner API: the old file is kept, withdrawn, and the list
shows the files the application stands on now."""

import hashlib

from sellers.models import Application, Evidence, Status
from sellers.services.evidence import evidence_add
from tests import files
from tests.sellers.api.support import PROBLEM, client_with_key, database_snapshot, detail_url
from tests.sellers.factories import ApplicationFactory

KEY = "7c1e9a40-2b3d-4e5f-8a6b-9c0d1e2f3a4b"


def _changes_requested(seller):
    """An application sent back for changes, with the certificate uploaded as a draft."""
    application = ApplicationFactory(company=seller.company, with_evidence=False)
    old = evidence_add(
        actor=seller.actor,
        application_id=application.pk,
        kind="trademark_certificate",
        upload=files.upload("wrong.pdf", files.pdf_bytes("Wrong"), "application/pdf"),
    )
    Application.objects.filter(pk=application.pk).update(status=Status.CHANGES_REQUESTED)
    return application, old


def _replace_url(application, evidence) -> str:
    return detail_url(application.pk, f"evidence/{evidence.pk}/replace/")


def test_replace_answers_the_new_file_and_the_list_shows_only_current_ones(
    partner, partner_client, seller_a
):
    application, old = _changes_requested(seller_a)

    response = partner_client.post(
        _replace_url(application, old), {"file": files.pdf_upload("right.pdf")}
    )

    old.refresh_from_db()
    body = response.json()
    assert response.status_code == 201
    assert body == {
        "id": old.replaced_by.pk,
        "kind": "trademark_certificate",
        "original_name": "right.pdf",
        "sha256": hashlib.sha256(files.pdf_bytes()).hexdigest(),
        "size": len(files.pdf_bytes()),
        "detected_type": "application/pdf",
        "uploaded_at": body["uploaded_at"],
        "replaces": old.pk,
    }
    assert old.withdrawn_by_label == (
        f"Silk Road Brand Services (API key {partner.api_key.prefix})"
    )
    listed = partner_client.get(detail_url(application.pk, "evidence/")).json()
    assert [(item["id"], item["replaces"]) for item in listed] == [(body["id"], old.pk)]
    event = partner_client.get(detail_url(application.pk, "events/")).json()[-1]
    assert (event["action"], event["note"]) == (
        "evidence_replaced",
        "Trademark certificate: wrong.pdf → right.pdf",
    )


def test_replace_sent_twice_replaces_once(partner_client, seller_a):
    application, old = _changes_requested(seller_a)

    first = partner_client.post(_replace_url(application, old), {"file": files.pdf_upload()})
    again = partner_client.post(_replace_url(application, old), {"file": files.pdf_upload()})

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert Evidence.objects.filter(application=application).count() == 2


def test_replace_repeated_with_the_same_idempotency_key_replays_the_answer(
    partner_client, seller_a
):
    application, old = _changes_requested(seller_a)
    url = _replace_url(application, old)

    first = partner_client.post(url, {"file": files.pdf_upload()}, HTTP_IDEMPOTENCY_KEY=KEY)
    again = partner_client.post(url, {"file": files.pdf_upload()}, HTTP_IDEMPOTENCY_KEY=KEY)
    other = partner_client.post(url, {"file": files.png_upload()}, HTTP_IDEMPOTENCY_KEY=KEY)

    assert (first.status_code, again.status_code, other.status_code) == (201, 201, 422)
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert Evidence.objects.filter(application=application).count() == 2


def test_replace_with_a_hostile_file_is_400_and_keeps_the_old_file(partner_client, seller_a):
    application, old = _changes_requested(seller_a)
    before = database_snapshot()

    response = partner_client.post(
        _replace_url(application, old), {"file": files.html_disguised_as_pdf()}
    )

    assert (response.status_code, response["Content-Type"]) == (400, PROBLEM)
    assert list(response.json()["errors"]) == ["file"]
    assert database_snapshot() == before
    old.refresh_from_db()
    assert old.withdrawn_at is None


def test_replace_of_a_file_already_replaced_by_another_is_409(partner_client, seller_a):
    application, old = _changes_requested(seller_a)
    partner_client.post(_replace_url(application, old), {"file": files.pdf_upload("a.pdf")})

    response = partner_client.post(
        _replace_url(application, old), {"file": files.png_upload("b.png")}
    )

    assert (response.status_code, response.json()["code"]) == (409, "already_replaced")
    assert response.json()["detail"] == (
        "“wrong.pdf” was already replaced by “a.pdf”; replace that file instead."
    )


def test_replace_once_under_review_is_409(partner_client, seller_a):
    application, old = _changes_requested(seller_a)
    Application.objects.filter(pk=application.pk).update(status=Status.AWAITING_REVIEW)
    before = database_snapshot()

    response = partner_client.post(_replace_url(application, old), {"file": files.pdf_upload()})

    assert (response.status_code, response.json()["code"]) == (409, "not_editable")
    assert database_snapshot() == before


def test_replace_of_another_sellers_evidence_is_404(partner_client, seller_b):
    application, old = _changes_requested(seller_b)
    before = database_snapshot()

    response = partner_client.post(_replace_url(application, old), {"file": files.pdf_upload()})

    assert (response.status_code, response.json()["code"]) == (404, "not_found")
    assert database_snapshot() == before


def test_replace_of_another_applications_file_is_404(partner_client, seller_a):
    application, _old = _changes_requested(seller_a)
    _other, foreign = _changes_requested(seller_a)

    response = partner_client.post(_replace_url(application, foreign), {"file": files.pdf_upload()})

    foreign.refresh_from_db()
    assert response.status_code == 404
    assert foreign.withdrawn_at is None


def test_replace_needs_the_evidence_write_scope(issue_key, seller_a):
    application, old = _changes_requested(seller_a)
    _key, raw = issue_key(scopes=["applications:read", "applications:write"])

    response = client_with_key(raw).post(
        _replace_url(application, old), {"file": files.pdf_upload()}
    )

    assert (response.status_code, response.json()["code"]) == (403, "insufficient_scope")
    old.refresh_from_db()
    assert old.withdrawn_at is None
