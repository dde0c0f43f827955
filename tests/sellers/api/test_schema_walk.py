"""Every operation in the published schema, called by everyone who must get nothing from it.

The walk reads the operations from /api/schema/, so a new endpoint is covered the moment it is
described, without anyone remembering to add it here.
"""

import hashlib

import pytest
from django.core.files.base import ContentFile
from django.test import Client

from reviews.services import conflict_declare, reviewer_key_issue
from sellers.actors import actor_for_user
from sellers.models import (
    Application,
    ApplicationMessage,
    Facility,
    IndicatorUpdate,
    MessageAttachment,
    SellerCompany,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookSecret,
)
from sellers.services.api_keys import api_key_issue, api_key_revoke
from sellers.services.events import application_event_record
from sellers.services.partners import partner_grant_issue
from tests.files import png_upload
from tests.reviews.factories import ReviewQueueFactory
from tests.sellers.api.support import application_payload, client_with_key
from tests.sellers.api.support import database_snapshot as application_snapshot
from tests.sellers.factories import ApplicationFactory, PartnerFactory

ALL_SCOPES = [
    "applications:read",
    "applications:write",
    "evidence:write",
    "webhooks:manage",
    "roster:read",
]
# Operations only marketplace systems may call: an agency's key is refused by scope (403)
# before any object is looked up, so it learns nothing about the seller either.
MARKETPLACE_ONLY = ("/api/v1/sellers/",)
# What a valid-looking create sent to each collection by an outsider is refused for.
CREATE_REFUSALS = {
    "/api/v1/applications/": {"seller": ["Choose a seller company that this key acts for."]},
}
NOT_FOUND = {
    "type": "https://brand-program.example/problems/not-found",
    "title": "Not found.",
    "status": 404,
    "code": "not_found",
    "detail": "No such object, or it is not yours.",
}


def database_snapshot() -> dict:
    """The applications' snapshot, plus webhooks and seller indicators."""
    return {
        **application_snapshot(),
        "webhook_endpoints": sorted(
            WebhookEndpoint.objects.values_list("pk", "url", "event_types", "is_active")
        ),
        "webhook_secrets": sorted(WebhookSecret.objects.values_list("pk", "expires_at")),
        "webhook_deliveries": WebhookDelivery.objects.count(),
        "indicators": sorted(
            SellerCompany.objects.values_list(
                "pk", "tier", "quality_dispute_rate", "nps", "infringement_complaints"
            )
        ),
        "indicator_updates": IndicatorUpdate.objects.count(),
    }


def _schema_operations():
    schema = Client().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    return sorted(
        (method.upper(), path, operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
    )


@pytest.fixture
def seller_a_world(seller_a):
    """One of everything seller A has, and the strings that would give it away."""
    application = ApplicationFactory(
        company=seller_a.company, brand__name="SECRETLAMP", trademark__number="99887766"
    )
    facility = Facility.objects.create(
        company=seller_a.company,
        manufacturer_name="Hidden Works",
        country="CN",
        ownership=Facility.Ownership.OWN,
    )
    agency = PartnerFactory(name="Seller A's agency")
    partner_grant_issue(partner=agency, company=seller_a.company, actor=seller_a.actor)
    endpoint = WebhookEndpoint.objects.create(
        partner=agency,
        url="https://hooks.secret-agency.example/in",
        event_types=["application.admitted"],
    )
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint,
        application=application,
        event_id="msg_secretdelivery",
        event_type="application.admitted",
        body='{"type":"application.admitted"}',
    )
    queue = ReviewQueueFactory(name="Lighting", categories=[])
    # A file of the conversation, scanned clean: a door left open would hand out its bytes.
    message = ApplicationMessage.objects.create(
        application=application,
        author=seller_a.owner,
        author_label=seller_a.owner.username,
        side=ApplicationMessage.Side.SELLER,
        body="Secret answer",
        language="en",
        event=application_event_record(application, seller_a.actor, "seller_message", "x"),
    )
    attachment = MessageAttachment(
        message=message,
        original_name="secret.png",
        sha256="0" * 64,
        size=14,
        detected_type="image/png",
        scan_status=MessageAttachment.ScanStatus.CLEAN,
    )
    attachment.file.save("secret.png", ContentFile(b"SECRETFILEDATA"), save=False)
    attachment.save()
    ids = {
        "review/queues": queue.pk,
        "review/applications": application.pk,
        "applications": application.pk,
        "brands": application.brand_id,
        "trademarks": application.trademark_id,
        "facilities": facility.pk,
        "evidence_id": application.evidence.get().pk,
        "message_id": message.pk,
        "attachment_id": attachment.pk,
        "webhooks": endpoint.pk,
        "webhook-deliveries": delivery.pk,
        "sellers": seller_a.company.pk,
    }
    secrets = [
        seller_a.company.legal_name.encode(),
        b"SECRETLAMP",
        b"99887766",
        b"Hidden Works",
        b"secret-agency",
        b"msg_secretdelivery",
        b"SECRETFILEDATA",
    ]
    return ids, secrets, application


def _resource(path: str) -> str:
    """ "applications" for /api/v1/applications/{id}/, "review/queues" for the reviewer API."""
    parts = path.split("/")
    return "/".join(parts[3:5]) if parts[3] == "review" else parts[3]


def _is_review(path: str) -> bool:
    return path.startswith("/api/v1/review/")


def _call(client, method, path, operation, ids, application, seller_id):
    url = path
    if "{id}" in path:
        url = url.replace("{id}", str(ids[_resource(path)]))
    for parameter in ("evidence_id", "message_id", "attachment_id"):
        url = url.replace(f"{{{parameter}}}", str(ids[parameter]))
    content = operation.get("requestBody", {}).get("content", {})
    if "multipart/form-data" in content:
        return client.post(url, {"kind": "product_photo", "file": png_upload()})
    if method == "POST" and "application/json" in content:
        return client.post(url, application_payload(seller_id), content_type="application/json")
    if method == "PATCH":
        version = f"{application.pk}:{application.updated_at.isoformat()}"
        etag = '"' + hashlib.sha256(version.encode()).hexdigest()[:32] + '"'
        return client.patch(
            url,
            {"brand": {"native_name": "x"}},
            content_type="application/json",
            HTTP_IF_MATCH=etag,
        )
    return client.generic(method, url)


def _is_collection(path: str) -> bool:
    return "{" not in path


def test_every_operation_refuses_another_sellers_partner(seller_a_world, seller_a, seller_b):
    ids, secrets, application = seller_a_world
    intruder = PartnerFactory(name="Intruder Agency")
    partner_grant_issue(partner=intruder, company=seller_b.company, actor=seller_b.actor)
    _, raw = api_key_issue(name="intruder", scopes=ALL_SCOPES, partner=intruder)
    client = client_with_key(raw)
    before = database_snapshot()

    answers = {}
    for method, path, operation in _schema_operations():
        response = _call(client, method, path, operation, ids, application, seller_a.company.pk)
        answers[(method, path)] = response
        assert not any(secret in response.content for secret in secrets), (method, path)

    assert database_snapshot() == before
    for (method, path), response in answers.items():
        if _is_review(path):
            # Partner keys never carry the review scope.
            assert (response.status_code, response.json()["code"]) == (
                403,
                "insufficient_scope",
            ), (method, path)
            continue
        if method == "GET" and _is_collection(path):
            assert response.status_code == 200, (method, path)
            continue
        if method == "POST" and _is_collection(path):
            # Only the create of an application names another seller; a webhook endpoint is
            # the caller's own, and the application body sent here is no valid endpoint.
            errors = response.json()["errors"]
            assert response.status_code == 400, (method, path)
            if path in CREATE_REFUSALS:
                assert errors == CREATE_REFUSALS[path]
            else:
                assert set(errors) == {"url", "event_types"}, (method, path)
            continue
        if path.startswith(MARKETPLACE_ONLY):
            assert (response.status_code, response.json()["code"]) == (403, "insufficient_scope")
            continue
        assert (response.status_code, response.json()) == (404, NOT_FOUND), (method, path)


def test_every_operation_refuses_a_revoked_key(seller_a_world, seller_a, partner):
    ids, secrets, application = seller_a_world
    api_key_revoke(api_key=partner.api_key)
    client = client_with_key(partner.raw_key)
    before = database_snapshot()

    answers = {
        (method, path): _call(
            client, method, path, operation, ids, application, seller_a.company.pk
        )
        for method, path, operation in _schema_operations()
    }

    assert database_snapshot() == before
    assert {key: (r.status_code, r.json()["code"]) for key, r in answers.items()} == {
        key: (401, "authentication_failed") for key in answers
    }
    assert not any(secret in r.content for r in answers.values() for secret in secrets)


def test_every_operation_refuses_a_key_without_scopes(seller_a_world, seller_a, issue_key):
    ids, secrets, application = seller_a_world
    _, raw = issue_key(scopes=[])
    client = client_with_key(raw)
    before = database_snapshot()

    answers = {
        (method, path): _call(
            client, method, path, operation, ids, application, seller_a.company.pk
        )
        for method, path, operation in _schema_operations()
    }

    assert database_snapshot() == before
    assert {key: (r.status_code, r.json()["code"]) for key, r in answers.items()} == {
        key: (403, "insufficient_scope") for key in answers
    }
    assert not any(secret in r.content for r in answers.values() for secret in secrets)


def test_every_operation_refuses_an_anonymous_caller(seller_a_world, seller_a):
    ids, secrets, application = seller_a_world
    client = Client()
    before = database_snapshot()

    answers = {
        (method, path): _call(
            client, method, path, operation, ids, application, seller_a.company.pk
        )
        for method, path, operation in _schema_operations()
    }

    assert database_snapshot() == before
    assert {key: (r.status_code, r["WWW-Authenticate"]) for key, r in answers.items()} == {
        key: (401, "Bearer") for key in answers
    }
    assert {r.json()["code"] for r in answers.values()} == {"not_authenticated"}
    assert not any(secret in r.content for r in answers.values() for secret in secrets)
    assert Application.objects.count() == 1


def test_every_operation_gives_a_reviewers_key_nothing_of_a_conflicted_company(
    seller_a_world, seller_a, reviewer
):
    """A reviewer's key works the queues only, never as a partner, and not for a company the
    reviewer declared a link to."""
    ids, secrets, application = seller_a_world
    conflict_declare(actor=actor_for_user(reviewer), company=seller_a.company, reason="Shares")
    _, raw = reviewer_key_issue(email=reviewer.username, name="tool")
    client = client_with_key(raw)
    before = database_snapshot()

    answers = {
        (method, path): _call(
            client, method, path, operation, ids, application, seller_a.company.pk
        )
        for method, path, operation in _schema_operations()
    }

    assert database_snapshot() == before
    assert not any(secret in r.content for r in answers.values() for secret in secrets)
    refused = {
        key: (r.status_code, r.json()["code"])
        for key, r in answers.items()
        if not _is_review(key[1])
    }
    assert refused == dict.fromkeys(refused, (403, "insufficient_scope"))
    assert (answers[("POST", "/api/v1/review/applications/{id}/decide/")].status_code) == 404
    assert answers[("GET", "/api/v1/review/queues/")].json() == []
