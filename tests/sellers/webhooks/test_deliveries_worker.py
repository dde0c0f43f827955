"""Webhooks through the real Celery worker: sent after commit, retried from the schedule kept in
the database, and signed so that the receiver's own check passes."""

import datetime

import pytest
from django.utils import timezone

from sellers.models import WebhookDelivery
from sellers.services.api_keys import api_key_issue
from sellers.tasks import webhook_deliveries_due
from sellers.workflow.transition import application_transition
from tests.conftest import wait_until
from tests.sellers.api.support import client_with_key
from tests.sellers.factories import ApplicationFactory
from tests.sellers.webhooks.receiver import Answer, Receiver, verify


@pytest.mark.worker
def test_the_worker_delivers_retries_and_the_receiver_verifies(
    celery_worker, seller_a, partner, settings
):
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    _, raw = api_key_issue(name="hooks", scopes=["webhooks:manage"], partner=partner.organization)
    with Receiver() as receiver:
        created = client_with_key(raw).post(
            "/api/v1/webhooks/",
            {"url": receiver.url, "event_types": ["application.under_review"]},
            format="json",
        )
        receiver.answer_with(Answer(500, b"try later"))
        application = ApplicationFactory(company=seller_a.company)

        application_transition(application_id=application.pk, action="submit", actor=seller_a.actor)
        failed_once = wait_until(
            lambda: WebhookDelivery.objects.filter(attempts=1, last_response_code=500).first(),
            timeout=60,
            message="the worker made no first attempt",
        )
        # The retry is due (as if its pause had passed); the beat task hands it to the worker.
        WebhookDelivery.objects.filter(pk=failed_once.pk).update(
            next_attempt_at=timezone.now() - datetime.timedelta(seconds=1)
        )
        webhook_deliveries_due.delay()
        delivered = wait_until(
            lambda: WebhookDelivery.objects.filter(status="succeeded").first(),
            timeout=60,
            message="the worker did not retry the delivery",
        )

    assert (delivered.pk, delivered.attempts, delivered.last_response_code) == (
        failed_once.pk,
        2,
        200,
    )
    first, second = receiver.requests
    assert first.headers["webhook-id"] == second.headers["webhook-id"] == delivered.event_id
    assert all(verify(created.json()["secret"], r.headers, r.body) for r in receiver.requests)
    assert second.payload["data"]["application"]["status"] == "under_review"
