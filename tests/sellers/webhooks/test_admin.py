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
