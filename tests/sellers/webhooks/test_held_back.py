"""Events that happen while an endpoint is switched off are held, and sent in order, each once,
when it is switched on again, within the cap and the age limit."""

import datetime

import pytest
from django.utils import timezone

from sellers.models import WebhookDelivery, WebhookEndpoint
from sellers.services.api_keys import api_key_issue
from sellers.tasks import webhook_deliveries_due
from sellers.webhooks.deliveries import webhook_deliveries_due as queue_due
from sellers.workflow.transition import application_transition
from tests.conftest import wait_until
from tests.sellers.api.support import client_with_key
from tests.sellers.factories import ApplicationFactory
from tests.sellers.webhooks.receiver import Receiver, verify
from tests.sellers.webhooks.support import HOOK_SCOPES, register


def _withdraw_drafts(seller, count: int, capture) -> list[int]:
    applications = [ApplicationFactory(company=seller.company) for _ in range(count)]
    for application in applications:
        with capture(execute=True):
            application_transition(
                application_id=application.pk, action="withdraw", actor=seller.actor
            )
    return [application.pk for application in applications]


def _switch(client, endpoint_id: int, *, on: bool, capture=None):
    if capture is None:
        return client.patch(f"/api/v1/webhooks/{endpoint_id}/", {"is_active": on}, format="json")
    with capture(execute=True):
        return client.patch(f"/api/v1/webhooks/{endpoint_id}/", {"is_active": on}, format="json")


def test_events_while_off_are_held_and_sent_in_order_when_switched_on(
    hooks_client, seller_a, receiver, loopback_allowed, django_capture_on_commit_callbacks
):
    endpoint_id = register(hooks_client, receiver.url).json()["id"]
    _switch(hooks_client, endpoint_id, on=False)

    withdrawn = _withdraw_drafts(seller_a, 3, django_capture_on_commit_callbacks)

    held = list(WebhookDelivery.objects.order_by("created_at", "pk"))
    assert [(d.status, d.attempts, d.next_attempt_at) for d in held] == [("held", 0, None)] * 3
    assert [d.application_id for d in held] == withdrawn
    assert receiver.requests == []
    listed = hooks_client.get("/api/v1/webhook-deliveries/?status=held").json()["results"]
    assert sorted(d["id"] for d in listed) == sorted(d.pk for d in held)
    with django_capture_on_commit_callbacks(execute=True):
        assert queue_due() == 0

    response = _switch(
        hooks_client, endpoint_id, on=True, capture=django_capture_on_commit_callbacks
    )

    assert (response.json()["is_active"], response.json()["disabled_reason"]) == (True, "")
    assert [r.headers["webhook-id"] for r in receiver.requests] == [d.event_id for d in held]
    assert [r.payload["data"]["application"]["id"] for r in receiver.requests] == withdrawn
    assert {r.payload["type"] for r in receiver.requests} == {"application.withdrawn"}
    assert (
        list(
            WebhookDelivery.objects.order_by("pk").values_list(
                "status", "attempts", "last_response_code"
            )
        )
        == [("succeeded", 1, 200)] * 3
    )


def test_only_the_newest_events_within_the_age_limit_are_sent(
    hooks_client,
    seller_a,
    receiver,
    loopback_allowed,
    settings,
    django_capture_on_commit_callbacks,
):
    settings.WEBHOOK_HELD_MAX = 2
    settings.WEBHOOK_HELD_MAX_AGE_SECONDS = 3600
    endpoint_id = register(hooks_client, receiver.url).json()["id"]
    _switch(hooks_client, endpoint_id, on=False)
    _withdraw_drafts(seller_a, 4, django_capture_on_commit_callbacks)
    stale, over_cap, kept_first, kept_second = WebhookDelivery.objects.order_by("created_at", "pk")
    WebhookDelivery.objects.filter(pk=stale.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=2)
    )

    _switch(hooks_client, endpoint_id, on=True, capture=django_capture_on_commit_callbacks)

    assert [r.headers["webhook-id"] for r in receiver.requests] == [
        kept_first.event_id,
        kept_second.event_id,
    ]
    log = {d.pk: d for d in WebhookDelivery.objects.all()}
    assert [log[d.pk].status for d in (stale, over_cap, kept_first, kept_second)] == [
        "failed",
        "failed",
        "succeeded",
        "succeeded",
    ]
    assert log[stale.pk].last_error == (
        "Not sent: it waited longer than 1 hour while the endpoint was off."
    )
    assert log[over_cap.pk].last_error == (
        "Not sent: more than 2 events waited while the endpoint was off, and only the newest "
        "are sent."
    )
    assert log[over_cap.pk].attempts == 0


def test_an_operator_switching_an_endpoint_on_sends_what_was_held(
    admin_client, hooks_client, seller_a, receiver, loopback_allowed,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    endpoint_id = register(hooks_client, receiver.url).json()["id"]
    _switch(hooks_client, endpoint_id, on=False)
    _withdraw_drafts(seller_a, 2, django_capture_on_commit_callbacks)
    endpoint = WebhookEndpoint.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            f"/admin/sellers/webhookendpoint/{endpoint_id}/change/",
            {
                "url": endpoint.url,
                "description": endpoint.description,
                "event_types": '["application.withdrawn"]',
                "is_active": "on",
            },
        )

    endpoint.refresh_from_db()
    assert (endpoint.is_active, endpoint.disabled_reason) == (True, "")
    assert len(receiver.requests) == 2
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {"succeeded"}


@pytest.mark.worker
def test_the_worker_sends_every_held_event_exactly_once_in_order(
    celery_worker, seller_a, partner, settings
):
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    _, raw = api_key_issue(name="hooks", scopes=HOOK_SCOPES, partner=partner.organization)
    client = client_with_key(raw)
    with Receiver() as receiver:
        created = register(client, receiver.url).json()
        _switch(client, created["id"], on=False)
        applications = [ApplicationFactory(company=seller_a.company) for _ in range(5)]
        for application in applications:
            application_transition(
                application_id=application.pk, action="withdraw", actor=seller_a.actor
            )
        held = list(WebhookDelivery.objects.order_by("created_at", "pk"))
        assert [d.status for d in held] == ["held"] * 5

        _switch(client, created["id"], on=True)
        # The beat's sweep running meanwhile must not send any of them a second time.
        webhook_deliveries_due.delay()
        wait_until(
            lambda: WebhookDelivery.objects.filter(status="succeeded").count() == 5,
            timeout=60,
            message="the worker did not send what was held",
        )
        webhook_deliveries_due.delay()
        wait_until(lambda: not WebhookDelivery.objects.filter(status="pending").exists())

    assert [r.headers["webhook-id"] for r in receiver.requests] == [d.event_id for d in held]
    assert [r.payload["data"]["application"]["id"] for r in receiver.requests] == [
        a.pk for a in applications
    ]
    assert all(verify(created["secret"], r.headers, r.body) for r in receiver.requests)
    assert list(WebhookDelivery.objects.values_list("attempts", flat=True)) == [1] * 5
