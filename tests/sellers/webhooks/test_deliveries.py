"""Webhook deliveries: written with the status change, signed and sent to a real local
receiver, retried from the database schedule, disabling, redelivery, pings and the due picker."""

import threading
import time

import pytest
from django.core import mail
from django.db import connection, transaction
from django.utils import timezone

from brandprogram.celery import app as celery_app
from brandprogram.metrics import webhook_delivery_failed
from sellers.actors import SYSTEM, actor_for_user
from sellers.models import PartnerGrant, Status, WebhookDelivery, WebhookEndpoint
from sellers.services.api_keys import api_key_issue
from sellers.services.partners import partner_grant_issue
from sellers.webhooks.deliveries import webhook_deliveries_due
from sellers.workflow.transition import application_transition
from tests.sellers.api.support import client_with_key
from tests.sellers.factories import ApplicationFactory, PartnerFactory
from tests.sellers.webhooks.receiver import Answer, verify
from tests.sellers.webhooks.support import HOOK_SCOPES, register, submit


def test_a_status_change_is_delivered_signed_and_retried_after_a_server_error(
    hooks_client, seller_a, receiver, loopback_allowed, django_capture_on_commit_callbacks
):
    secret = register(hooks_client, receiver.url).json()["secret"]
    application = ApplicationFactory(company=seller_a.company)
    receiver.answer_with(Answer(500, b"database down"))

    submit(application, seller_a, django_capture_on_commit_callbacks)

    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_response_code) == ("pending", 1, 500)
    assert delivery.last_response_body == "database down"
    assert delivery.next_attempt_at is not None

    with django_capture_on_commit_callbacks(execute=True):
        assert webhook_deliveries_due() == 1

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_response_code) == (
        "succeeded",
        2,
        200,
    )
    assert delivery.next_attempt_at is None
    first, second = receiver.requests
    assert first.headers["webhook-id"] == second.headers["webhook-id"] == delivery.event_id
    assert first.body == second.body
    assert all(verify(secret, r.headers, r.body) for r in receiver.requests)
    assert not verify("whsec_" + "A" * 44, second.headers, second.body)
    assert second.path == "/hooks/brand-program"
    assert second.payload["type"] == "application.under_review"
    assert second.payload["data"]["application"] == {
        "id": application.pk,
        "seller": {"id": seller_a.company.pk, "legal_name": seller_a.company.legal_name},
        "brand": application.brand.name,
        "status": "under_review",
    }
    assert (second.payload["data"]["previous_status"], second.payload["data"]["action"]) == (
        "draft",
        "submit",
    )


def test_internal_moves_send_nothing_and_decisions_use_the_seller_codes(
    hooks_client, seller_a, reviewer, receiver, loopback_allowed, django_capture_on_commit_callbacks
):
    register(hooks_client, receiver.url)
    application = ApplicationFactory(company=seller_a.company, submitted=True)
    reviewer_actor = actor_for_user(reviewer)

    with django_capture_on_commit_callbacks(execute=True):
        for action in ("start_screening", "finish_screening"):
            application_transition(application_id=application.pk, action=action, actor=SYSTEM)
        application_transition(application_id=application.pk, action="claim", actor=reviewer_actor)
        application_transition(
            application_id=application.pk, action="approve", actor=reviewer_actor
        )

    assert [r.payload["type"] for r in receiver.requests] == ["application.admitted"]
    data = receiver.requests[0].payload["data"]
    assert (data["application"]["status"], data["previous_status"]) == ("admitted", "under_review")
    assert "in_review" not in receiver.requests[0].body.decode()


def test_only_subscribed_endpoints_of_granted_partners_and_the_seller_get_the_event(
    hooks_client,
    seller_a,
    seller_b,
    partner,
    receiver,
    loopback_allowed,
    django_capture_on_commit_callbacks,
):
    register(hooks_client, receiver.url, ["application.under_review"])
    register(hooks_client, receiver.url + "/decisions", ["application.admitted"])
    other = PartnerFactory(name="Other Agency")
    partner_grant_issue(partner=other, company=seller_b.company, actor=seller_b.actor)
    _, other_raw = api_key_issue(name="other", scopes=HOOK_SCOPES, partner=other)
    register(client_with_key(other_raw), receiver.url + "/other")
    _, seller_raw = api_key_issue(name="own", scopes=["webhooks:manage"], company=seller_a.company)
    register(client_with_key(seller_raw), receiver.url + "/seller")

    submit(
        ApplicationFactory(company=seller_a.company), seller_a, django_capture_on_commit_callbacks
    )

    assert sorted(r.path for r in receiver.requests) == [
        "/hooks/brand-program",
        "/hooks/brand-program/seller",
    ]


def test_a_revoked_grant_stops_the_partners_events(
    hooks_client, seller_a, partner, receiver, loopback_allowed, django_capture_on_commit_callbacks
):
    register(hooks_client, receiver.url)
    PartnerGrant.objects.filter(partner=partner.organization).update(revoked_at=timezone.now())

    submit(
        ApplicationFactory(company=seller_a.company), seller_a, django_capture_on_commit_callbacks
    )

    assert (WebhookDelivery.objects.count(), receiver.requests) == (0, [])


def test_the_delivery_is_written_in_the_transaction_of_the_change(
    hooks_client, seller_a, receiver, loopback_allowed
):
    register(hooks_client, receiver.url)
    application = ApplicationFactory(company=seller_a.company)

    seen_inside = []

    def submit_then_fail():
        with transaction.atomic():
            application_transition(
                application_id=application.pk, action="submit", actor=seller_a.actor
            )
            # Inside the same transaction, before it commits: the delivery is already there.
            seen_inside.append(WebhookDelivery.objects.filter(application=application).count())
            raise RuntimeError("the request failed after the change")

    with pytest.raises(RuntimeError, match="failed after the change"):
        submit_then_fail()

    assert seen_inside == [1]
    application.refresh_from_db()
    assert (application.status, WebhookDelivery.objects.count(), receiver.requests) == (
        Status.DRAFT,
        0,
        [],
    )


def test_gone_disables_the_endpoint_and_later_events_are_held(
    hooks_client, seller_a, partner, receiver, loopback_allowed, django_capture_on_commit_callbacks
):
    register(hooks_client, receiver.url)
    receiver.answer_with(Answer(410, b"unsubscribed"))
    application = ApplicationFactory(company=seller_a.company)

    submit(application, seller_a, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        application_transition(
            application_id=application.pk, action="withdraw", actor=seller_a.actor
        )

    endpoint = WebhookEndpoint.objects.get()
    assert (endpoint.is_active, endpoint.disabled_reason) == (False, "gone")
    # (The seller's members are mailed about their application as usual.)
    told = [m for m in mail.outbox if m.to == [partner.organization.contact_email]]
    assert [m.subject for m in told] == [f"Webhook endpoint disabled: {receiver.url}"]
    assert "The endpoint answered 410 Gone" in told[0].body
    assert list(WebhookDelivery.objects.order_by("pk").values_list("status", "attempts")) == [
        ("failed", 1),
        ("held", 0),
    ]
    assert len(receiver.requests) == 1
    shown = hooks_client.get(f"/api/v1/webhooks/{endpoint.pk}/").json()
    assert (shown["is_active"], shown["disabled_reason"]) == (False, "gone")


def test_persistent_failure_fails_the_delivery_and_disables_the_endpoint(
    hooks_client, seller_a, receiver, loopback_allowed, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_RETRY_DELAYS = [0, 0]
    register(hooks_client, receiver.url)
    receiver.answer_with(*[Answer(503)] * 5)

    submit(
        ApplicationFactory(company=seller_a.company), seller_a, django_capture_on_commit_callbacks
    )
    for _retry in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            webhook_deliveries_due()

    delivery = WebhookDelivery.objects.get()
    endpoint = WebhookEndpoint.objects.get()
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == ("failed", 3, None)
    assert (endpoint.is_active, endpoint.disabled_reason) == (False, "failing")
    assert len(receiver.requests) == 3


def test_switching_the_endpoint_on_again_sends_what_was_held_back(
    hooks_client, seller_a, receiver, loopback_allowed, django_capture_on_commit_callbacks
):
    endpoint_id = register(hooks_client, receiver.url).json()["id"]
    receiver.answer_with(Answer(500))
    submit(
        ApplicationFactory(company=seller_a.company), seller_a, django_capture_on_commit_callbacks
    )
    hooks_client.patch(f"/api/v1/webhooks/{endpoint_id}/", {"is_active": False}, format="json")

    with django_capture_on_commit_callbacks(execute=True):
        assert webhook_deliveries_due() == 0
    assert len(receiver.requests) == 1

    with django_capture_on_commit_callbacks(execute=True):
        response = hooks_client.patch(
            f"/api/v1/webhooks/{endpoint_id}/", {"is_active": True}, format="json"
        )

    assert (response.json()["is_active"], response.json()["disabled_reason"]) == (True, "")
    assert WebhookDelivery.objects.get().status == "succeeded"
    assert len(receiver.requests) == 2


@pytest.fixture
def failures_counted():
    """The reasons the delivery code reports to the metrics through their signal."""
    reasons = []

    def record(sender, *, reason, **kwargs):
        reasons.append(reason)

    webhook_delivery_failed.connect(record, dispatch_uid="test.failures_counted")
    yield reasons
    webhook_delivery_failed.disconnect(dispatch_uid="test.failures_counted")


@pytest.mark.django_db
def test_failed_attempts_are_reported_to_the_metrics_and_successes_are_not(
    hooks_client, seller_a, receiver, loopback_allowed, django_capture_on_commit_callbacks,
    failures_counted,
):  # fmt: skip
    register(hooks_client, receiver.url)
    receiver.answer_with(Answer(503, b"busy"))
    submit(
        ApplicationFactory(company=seller_a.company), seller_a, django_capture_on_commit_callbacks
    )
    assert failures_counted == ["http_5xx"]

    receiver.answer_with(Answer(200))
    with django_capture_on_commit_callbacks(execute=True):
        webhook_deliveries_due()

    assert WebhookDelivery.objects.get().status == "succeeded"
    assert failures_counted == ["http_5xx"]


def test_redelivery_sends_the_same_event_again_and_is_logged(
    hooks_client, seller_a, receiver, loopback_allowed, django_capture_on_commit_callbacks
):
    secret = register(hooks_client, receiver.url).json()["secret"]
    submit(
        ApplicationFactory(company=seller_a.company), seller_a, django_capture_on_commit_callbacks
    )
    original = WebhookDelivery.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        response = hooks_client.post(f"/api/v1/webhook-deliveries/{original.pk}/redeliver/")

    again = WebhookDelivery.objects.exclude(pk=original.pk).get()
    assert response.status_code == 202
    assert (response.json()["id"], response.json()["redelivery_of"]) == (again.pk, original.pk)
    assert (again.event_id, again.body, again.status) == (
        original.event_id,
        original.body,
        "succeeded",
    )
    first, second = receiver.requests
    assert first.headers["webhook-id"] == second.headers["webhook-id"]
    assert verify(secret, second.headers, second.body)
    log = hooks_client.get("/api/v1/webhook-deliveries/").json()["results"]
    assert [(d["id"], d["status"]) for d in log] == [
        (again.pk, "succeeded"),
        (original.pk, "succeeded"),
    ]


def test_ping_sends_a_signed_test_event(
    hooks_client, receiver, loopback_allowed, django_capture_on_commit_callbacks
):
    created = register(hooks_client, receiver.url).json()

    with django_capture_on_commit_callbacks(execute=True):
        response = hooks_client.post(f"/api/v1/webhooks/{created['id']}/ping/")

    (received,) = receiver.requests
    assert response.status_code == 202
    assert response.json()["event_type"] == "webhook.test"
    assert received.payload["type"] == "webhook.test"
    assert received.payload["data"] == {"endpoint_id": created["id"]}
    assert verify(created["secret"], received.headers, received.body)
    assert WebhookDelivery.objects.get().status == "succeeded"


def test_an_event_whose_message_was_lost_is_sent_once_its_claim_runs_out(
    hooks_client, seller_a, receiver, loopback_allowed, settings, django_capture_on_commit_callbacks
):
    secret = register(hooks_client, receiver.url).json()["secret"]
    claims = {}
    for seconds in (300, 1):
        settings.WEBHOOK_CLAIM_SECONDS = seconds
        claims[seconds] = ApplicationFactory(company=seller_a.company)
        # The message to the worker is lost: the callbacks queueing it never run.
        with django_capture_on_commit_callbacks(execute=False):
            application_transition(
                application_id=claims[seconds].pk, action="submit", actor=seller_a.actor
            )
    waiting = WebhookDelivery.objects.get(application=claims[300])
    lost = WebhookDelivery.objects.get(application=claims[1])
    assert (waiting.attempts, lost.attempts, receiver.requests) == (0, 0, [])
    assert 299 < (waiting.next_attempt_at - waiting.created_at).total_seconds() <= 300

    picked = 0
    for _ in range(100):
        with django_capture_on_commit_callbacks(execute=True):
            picked = webhook_deliveries_due()
        if picked:
            break
        time.sleep(0.05)

    waiting.refresh_from_db()
    lost.refresh_from_db()
    assert picked == 1
    assert (lost.status, lost.attempts) == ("succeeded", 1)
    assert (waiting.status, waiting.attempts) == ("pending", 0)
    (request,) = receiver.requests
    assert request.headers["webhook-id"] == lost.event_id
    assert verify(secret, request.headers, request.body)


@pytest.mark.django_db(transaction=True)
def test_the_due_picker_skips_a_delivery_another_process_holds(
    hooks_client, seller_a, receiver, loopback_allowed, settings
):
    register(hooks_client, receiver.url)
    # Attempts are refused at once from here on: only which deliveries get picked matters.
    settings.WEBHOOK_ALLOWED_NETWORKS = []
    for _ in range(2):
        application_transition(
            application_id=ApplicationFactory(company=seller_a.company).pk,
            action="submit",
            actor=seller_a.actor,
        )
    held, free = WebhookDelivery.objects.order_by("pk")
    WebhookDelivery.objects.update(next_attempt_at=timezone.now())
    locked, release = threading.Event(), threading.Event()

    def hold_row():
        with transaction.atomic():
            WebhookDelivery.objects.select_for_update().get(pk=held.pk)
            locked.set()
            release.wait(30)
        connection.close()

    holder = threading.Thread(target=hold_row)
    holder.start()
    locked.wait(30)
    try:
        picked = webhook_deliveries_due()
    finally:
        release.set()
        holder.join()

    held.refresh_from_db()
    free.refresh_from_db()
    # Each had its first attempt after its submission; only the free one got a second.
    assert picked == 1
    assert (held.attempts, free.attempts) == (1, 2)


def test_retries_stop_when_the_seller_withdraws_the_partners_access(
    hooks_client, seller_a, partner, receiver, loopback_allowed, django_capture_on_commit_callbacks
):
    register(hooks_client, receiver.url)
    receiver.answer_with(Answer(500))
    submit(
        ApplicationFactory(company=seller_a.company), seller_a, django_capture_on_commit_callbacks
    )
    PartnerGrant.objects.filter(partner=partner.organization).update(revoked_at=timezone.now())

    with django_capture_on_commit_callbacks(execute=True):
        webhook_deliveries_due()

    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("failed", 1)
    assert "withdrew this partner's access" in delivery.last_error
    assert len(receiver.requests) == 1
    assert WebhookEndpoint.objects.get().is_active


def test_every_webhook_task_carries_the_prefix_deployments_route_on(settings):
    celery_app.loader.import_default_modules()

    webhook_tasks = sorted(name for name in celery_app.tasks if "webhook" in name)

    assert webhook_tasks == [
        "sellers.tasks.webhook_deliver",
        "sellers.tasks.webhook_deliver_in_order",
        "sellers.tasks.webhook_deliveries_due",
    ]
    assert settings.CELERY_BEAT_SCHEDULE["webhook-deliveries-due"]["task"] in webhook_tasks
