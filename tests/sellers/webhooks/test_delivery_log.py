"""The webhook delivery log through the API: filters, and queries that do not grow with it."""

import json

from django.db import connection
from django.test.utils import CaptureQueriesContext

from sellers.models import PartnerGrant, WebhookDelivery, WebhookEndpoint
from sellers.services.partners import partner_grant_issue, partner_grant_revoke
from tests.sellers.factories import ApplicationFactory
from tests.sellers.webhooks.receiver import Answer
from tests.sellers.webhooks.support import register, submit


def test_the_delivery_log_filters_by_endpoint_and_status(
    hooks_client, seller_a, receiver, loopback_allowed, django_capture_on_commit_callbacks
):
    first = register(hooks_client, receiver.url).json()["id"]
    second = register(hooks_client, receiver.url + "/b").json()["id"]
    receiver.answer_with(Answer(500))
    submit(
        ApplicationFactory(company=seller_a.company), seller_a, django_capture_on_commit_callbacks
    )

    by_endpoint = hooks_client.get("/api/v1/webhook-deliveries/", {"endpoint": second}).json()
    pending = hooks_client.get("/api/v1/webhook-deliveries/", {"status": "pending"}).json()

    assert [d["endpoint"] for d in by_endpoint["results"]] == [second]
    assert [d["endpoint"] for d in pending["results"]] == [first]
    assert json.loads(WebhookDelivery.objects.get(endpoint_id=first).body)["type"] == (
        "application.under_review"
    )


def _deliveries(endpoint, count, first=0):
    WebhookDelivery.objects.bulk_create(
        WebhookDelivery(
            endpoint=endpoint,
            event_id=f"msg_{endpoint.pk}_{n}",
            event_type="application.admitted",
            body='{"type":"application.admitted"}',
        )
        for n in range(first, first + count)
    )


def test_the_log_and_endpoint_lists_take_the_same_queries_for_one_item_or_fifty(
    hooks_client, partner, django_assert_num_queries
):
    def endpoint(url):
        return WebhookEndpoint.objects.create(
            partner=partner.organization, url=url, event_types=["application.admitted"]
        )

    one = endpoint("https://one.example/")
    _deliveries(one, 1)
    # The key's first use records last_used_at; measure from the second on.
    hooks_client.get("/api/v1/webhooks/")
    with CaptureQueriesContext(connection) as few:
        assert len(hooks_client.get("/api/v1/webhook-deliveries/").json()["results"]) == 1
        assert len(hooks_client.get("/api/v1/webhooks/").json()["results"]) == 1
    _deliveries(one, 49, first=1)
    for n in range(49):
        endpoint(f"https://more{n}.example/")

    with django_assert_num_queries(len(few.captured_queries)):
        assert len(hooks_client.get("/api/v1/webhook-deliveries/").json()["results"]) == 50
        assert len(hooks_client.get("/api/v1/webhooks/").json()["results"]) == 50


def test_a_seller_who_withdraws_access_leaves_the_partners_log_and_cannot_be_sent_again(
    hooks_client, partner, seller_a, seller_b, django_capture_on_commit_callbacks
):
    endpoint = WebhookEndpoint.objects.create(
        partner=partner.organization,
        url="https://hooks.agency.example/in",
        event_types=["webhook.test"],
    )
    grant_b = partner_grant_issue(
        partner=partner.organization, company=seller_b.company, actor=seller_b.actor
    )
    about = {
        name: WebhookDelivery.objects.create(
            endpoint=endpoint,
            application=ApplicationFactory(company=seller.company),
            event_id=f"msg_{name}",
            event_type="application.admitted",
            body=f'{{"seller":"{name}"}}',
            status=WebhookDelivery.Status.SUCCEEDED,
        )
        for name, seller in (("a", seller_a), ("b", seller_b))
    }
    ping = WebhookDelivery.objects.create(
        endpoint=endpoint, event_id="msg_ping", event_type="webhook.test", body="{}"
    )
    grant_a = PartnerGrant.objects.get(partner=partner.organization, company=seller_a.company)

    partner_grant_revoke(actor=seller_a.actor, grant_id=grant_a.pk)
    log = hooks_client.get("/api/v1/webhook-deliveries/").json()["results"]
    withdrawn = f"/api/v1/webhook-deliveries/{about['a'].pk}/"
    read = hooks_client.get(withdrawn)
    with django_capture_on_commit_callbacks(execute=False):
        again = hooks_client.post(withdrawn + "redeliver/")

    assert [d["id"] for d in log] == [ping.pk, about["b"].pk]
    assert (read.status_code, read.json()["code"]) == (404, "not_found")
    assert (again.status_code, again["Content-Type"]) == (404, "application/problem+json")
    assert WebhookDelivery.objects.count() == 3
    assert grant_b.revoked_at is None
