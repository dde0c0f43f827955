"""Operators see the webhook delivery log in the admin and send chosen events again."""

from django.urls import reverse

from sellers.models import WebhookDelivery, WebhookEndpoint
from tests.pages import logged_in
from tests.sellers.factories import UserFactory


def _delivery(endpoint, status="failed"):
    return WebhookDelivery.objects.create(
        endpoint=endpoint,
        event_id=f"msg_{endpoint.pk}",
        event_type="application.admitted",
        body='{"type":"application.admitted"}',
        status=status,
        attempts=10,
    )


def test_an_operator_sends_deliveries_again_except_to_disabled_endpoints(partner):
    admin_user = UserFactory(
        username="admin@brand-program.example", is_staff=True, is_superuser=True
    )
    live = WebhookEndpoint.objects.create(
        partner=partner.organization, url="https://live.example/", event_types=["x"]
    )
    off = WebhookEndpoint.objects.create(
        partner=partner.organization, url="https://off.example/", event_types=["x"],
        is_active=False, disabled_reason="gone",
    )  # fmt: skip
    failed, held = _delivery(live), _delivery(off)
    client = logged_in(admin_user)

    listing = client.get(reverse("admin:sellers_webhookdelivery_changelist"))
    response = client.post(
        reverse("admin:sellers_webhookdelivery_changelist"),
        {"action": "redeliver", "_selected_action": [failed.pk, held.pk]},
        follow=True,
    )

    assert "msg_" in listing.content.decode()
    again = WebhookDelivery.objects.get(redelivery_of=failed)
    assert (again.endpoint, again.event_id, again.body) == (live, failed.event_id, failed.body)
    assert not WebhookDelivery.objects.filter(redelivery_of=held).exists()
    assert "1 queued again; 1 skipped because their endpoint is off." in response.content.decode()


def test_an_operator_deletes_endpoints_whose_events_were_sent_again(partner):
    admin_user = UserFactory(
        username="admin@brand-program.example", is_staff=True, is_superuser=True
    )
    endpoints = [
        WebhookEndpoint.objects.create(
            partner=partner.organization, url=f"https://{name}.example/", event_types=["x"]
        )
        for name in ("first", "second", "kept")
    ]
    for endpoint in endpoints:
        original = _delivery(endpoint)
        WebhookDelivery.objects.create(
            endpoint=endpoint,
            event_id=original.event_id,
            event_type=original.event_type,
            body=original.body,
            redelivery_of=original,
        )
    client = logged_in(admin_user)

    one = client.post(
        reverse("admin:sellers_webhookendpoint_delete", args=[endpoints[0].pk]), {"post": "yes"}
    )
    several = client.post(
        reverse("admin:sellers_webhookendpoint_changelist"),
        {"action": "delete_selected", "_selected_action": [endpoints[1].pk], "post": "yes"},
    )

    assert (one.status_code, several.status_code) == (302, 302)
    assert list(WebhookEndpoint.objects.values_list("url", flat=True)) == ["https://kept.example/"]
    assert set(WebhookDelivery.objects.values_list("endpoint_id", flat=True)) == {endpoints[2].pk}
