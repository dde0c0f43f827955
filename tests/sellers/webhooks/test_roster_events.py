"""brand.* webhook events: each change to the program's roster, signed, to the partners that
may read the roster, and to nobody else."""

import pytest

from sellers.actors import actor_for_user
from sellers.models import WebhookDelivery
from sellers.services.api_keys import api_key_issue, api_key_revoke
from sellers.webhooks.deliveries import webhook_delivery_attempt
from sellers.workflow.transition import application_transition
from tests.sellers.api.support import client_with_key
from tests.sellers.factories import ApplicationFactory, PartnerFactory
from tests.sellers.webhooks.receiver import verify
from tests.sellers.webhooks.support import register

BRAND_EVENTS = ["brand.admitted", "brand.suspended", "brand.reinstated", "brand.revoked"]


@pytest.fixture
def storefront(db):
    """A partner organisation whose key reads the roster and manages its webhooks."""
    organization = PartnerFactory(name="Storefront")
    api_key, raw = api_key_issue(
        name="storefront", scopes=["roster:read", "webhooks:manage"], partner=organization
    )
    return organization, api_key, client_with_key(raw)


def test_each_roster_change_is_delivered_signed_to_partners_that_read_the_roster(
    storefront,
    partner,
    seller_a,
    reviewer,
    senior_reviewer,
    receiver,
    loopback_allowed,
    django_capture_on_commit_callbacks,
):
    organization, _, client = storefront
    secret = register(client, receiver.url, event_types=BRAND_EVENTS).json()["secret"]
    # An agency without the roster scope subscribed too: it hears nothing of the roster.
    _, hooks = api_key_issue(name="hooks", scopes=["webhooks:manage"], partner=partner.organization)
    register(client_with_key(hooks), receiver.url + "/agency", event_types=BRAND_EVENTS)
    application = ApplicationFactory(company=seller_a.company, in_review=True, assignee=reviewer)
    senior = actor_for_user(senior_reviewer)

    with django_capture_on_commit_callbacks(execute=True):
        application_transition(
            application_id=application.pk, action="approve", actor=actor_for_user(reviewer)
        )
        application_transition(
            application_id=application.pk, action="suspend", actor=senior, note="Mark lapsed."
        )
        application_transition(application_id=application.pk, action="reinstate", actor=senior)
        application_transition(
            application_id=application.pk, action="revoke", actor=senior, note="Counterfeits."
        )

    received = receiver.requests
    assert [r.payload["type"] for r in received] == BRAND_EVENTS
    assert {r.path for r in received} == {"/hooks/brand-program"}
    assert all(verify(secret, r.headers, r.body) for r in received)
    assert [
        (r.payload["data"]["previous_status"], r.payload["data"]["action"]) for r in received
    ] == [
        ("under_review", "approve"),
        ("admitted", "suspend"),
        ("suspended", "reinstate"),
        ("admitted", "revoke"),
    ]
    entries = [r.payload["data"]["roster_entry"] for r in received]
    assert [e["status"] for e in entries] == ["admitted", "suspended", "admitted", "revoked"]
    admitted_at = application.events.get(action="approve").created_at.isoformat()
    assert {e["admitted_since"] for e in entries} == {admitted_at}
    assert entries[0]["brand"]["name"] == application.brand.name
    assert entries[0]["company"]["id"] == seller_a.company.pk
    # The notes are the seller's messages, not the roster's business.
    assert "Counterfeits" not in received[-1].body.decode()
    assert set(
        WebhookDelivery.objects.filter(endpoint__partner=organization).values_list(
            "status", flat=True
        )
    ) == {"succeeded"}
    assert not WebhookDelivery.objects.filter(endpoint__partner=partner.organization).exists()


def test_a_roster_event_pending_when_the_key_is_revoked_is_not_sent(
    storefront, seller_a, reviewer, receiver, loopback_allowed
):
    _, api_key, client = storefront
    register(client, receiver.url, event_types=["brand.admitted"])
    application = ApplicationFactory(company=seller_a.company, in_review=True, assignee=reviewer)
    application_transition(
        application_id=application.pk, action="approve", actor=actor_for_user(reviewer)
    )
    api_key_revoke(api_key=api_key)

    # The attempt the commit would have queued, made after the key was revoked.
    webhook_delivery_attempt(delivery_id=WebhookDelivery.objects.get().pk, attempts=0)

    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.event_type, receiver.requests) == (
        "failed",
        "brand.admitted",
        [],
    )
    assert delivery.last_error == "This partner no longer holds a key that may read the roster."


def test_a_seller_key_cannot_subscribe_to_roster_events(seller_a):
    _, raw = api_key_issue(name="erp", scopes=["webhooks:manage"], company=seller_a.company)

    answer = register(
        client_with_key(raw), "https://hooks.bright-lamp.example/in", event_types=["brand.revoked"]
    )

    assert answer.status_code == 400
    assert "only partners receive them" in str(answer.json()["errors"]["event_types"])
