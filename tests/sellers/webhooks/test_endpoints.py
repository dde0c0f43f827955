"""Webhook endpoints through the API: registration and its SSRF guard, changes, secret
rotation, deletion, and what another partner or a key without the scope may see."""

import datetime

import pytest
from django.utils import timezone

from sellers.models import WebhookDelivery, WebhookEndpoint, WebhookSecret
from sellers.services.api_keys import api_key_issue
from sellers.services.partners import partner_grant_issue
from sellers.workflow.transition import application_transition
from tests.sellers.api.support import PROBLEM, client_with_key, error_paths
from tests.sellers.factories import ApplicationFactory, PartnerFactory
from tests.sellers.webhooks.receiver import verify
from tests.sellers.webhooks.support import HOOK_SCOPES, register, submit


def test_registering_returns_the_secret_once_and_stores_the_endpoint(
    hooks_client, partner, receiver, loopback_allowed
):
    response = register(hooks_client, receiver.url, ["application.admitted"], description="CRM")

    body = response.json()
    endpoint = WebhookEndpoint.objects.get()
    assert response.status_code == 201
    assert body["secret"].startswith("whsec_")
    assert [s.secret for s in WebhookSecret.objects.filter(endpoint=endpoint)] == [body["secret"]]
    assert (endpoint.partner_id, endpoint.url, endpoint.event_types, endpoint.description) == (
        partner.organization.pk,
        receiver.url,
        ["application.admitted"],
        "CRM",
    )
    again = hooks_client.get(f"/api/v1/webhooks/{endpoint.pk}/").json()
    assert "secret" not in again
    assert again["url"] == receiver.url


@pytest.mark.parametrize(
    "url",
    [
        "http://10.1.2.3/hook",
        "http://192.168.0.10/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://127.0.0.1:8000/admin/",
        "http://localhost/hook",
        "http://[::1]/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "http://0.0.0.0/hook",
        "http://224.0.0.1/hook",
        "http://100.64.0.1/hook",
        "http://240.0.0.1/hook",
        "http://no-such-host.invalid/hook",
        "ftp://198.51.100.7/hook",
        "http://user:pass@8.8.8.8/hook",
        # IPv6 addresses that carry an internal IPv4 address: 6to4, Teredo, NAT64, mapped.
        "http://[2002:7f00:1::]/hook",
        "http://[2002:a00:1::1]/hook",
        "http://[2002:a9fe:a9fe::]/latest/meta-data/",
        "http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/hook",
        "http://[64:ff9b::7f00:1]/hook",
        "http://[64:ff9b::a00:1]/hook",
        "http://[64:ff9b::a9fe:a9fe]/latest/meta-data/",
        "http://[64:ff9b:1::808:808]/hook",
        "http://[::ffff:10.0.0.1]/hook",
    ],
)
def test_internal_or_odd_targets_are_refused_at_registration(hooks_client, url):
    response = register(hooks_client, url)

    assert (response.status_code, response["Content-Type"]) == (400, PROBLEM)
    assert error_paths(response.json()["errors"]) == ["url"]
    assert WebhookEndpoint.objects.count() == 0


@pytest.mark.parametrize(
    ("url", "inside"),
    [
        ("http://[2002:7f00:1::]/hook", "2002:7f00:1::"),
        ("http://[64:ff9b::a00:1]/hook", "64:ff9b::a00:1"),
    ],
)
def test_an_address_carrying_an_internal_one_is_named_in_the_refusal(hooks_client, url, inside):
    response = register(hooks_client, url)

    assert response.json()["errors"]["url"] == [
        f"{inside} points to an internal address ({inside}), which is not allowed."
    ]


def test_a_6to4_address_carrying_a_public_ipv4_address_is_accepted(hooks_client):
    url = "http://[2002:808:808::1]/hook"

    response = register(hooks_client, url)

    assert response.status_code == 201
    assert list(WebhookEndpoint.objects.values_list("url", flat=True)) == [url]


def test_rotation_signs_with_both_secrets_until_the_grace_period_ends(
    hooks_client, seller_a, receiver, loopback_allowed, django_capture_on_commit_callbacks
):
    created = register(hooks_client, receiver.url).json()
    old_secret = created["secret"]

    rotated = hooks_client.post(f"/api/v1/webhooks/{created['id']}/rotate-secret/").json()
    application = ApplicationFactory(company=seller_a.company)
    submit(application, seller_a, django_capture_on_commit_callbacks)
    WebhookSecret.objects.filter(secret=old_secret).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        application_transition(
            application_id=application.pk, action="withdraw", actor=seller_a.actor
        )

    during, after = receiver.requests
    assert rotated["secret"] != old_secret
    assert len(during.headers["webhook-signature"].split(" ")) == 2
    assert verify(old_secret, during.headers, during.body)
    assert verify(rotated["secret"], during.headers, during.body)
    assert len(after.headers["webhook-signature"].split(" ")) == 1
    assert not verify(old_secret, after.headers, after.body)
    assert verify(rotated["secret"], after.headers, after.body)


def test_another_partners_endpoint_and_deliveries_answer_404(
    hooks_client, seller_a, seller_b, receiver, loopback_allowed, django_capture_on_commit_callbacks
):
    created = register(hooks_client, receiver.url).json()
    submit(
        ApplicationFactory(company=seller_a.company), seller_a, django_capture_on_commit_callbacks
    )
    delivery = WebhookDelivery.objects.get()
    intruder = PartnerFactory(name="Intruder Agency")
    partner_grant_issue(partner=intruder, company=seller_b.company, actor=seller_b.actor)
    _, raw = api_key_issue(name="intruder", scopes=HOOK_SCOPES, partner=intruder)
    client = client_with_key(raw)
    endpoint_url = f"/api/v1/webhooks/{created['id']}/"

    answers = [
        client.get(endpoint_url),
        client.patch(endpoint_url, {"url": "https://evil.example/"}, format="json"),
        client.delete(endpoint_url),
        client.post(endpoint_url + "rotate-secret/"),
        client.post(endpoint_url + "ping/"),
        client.get(f"/api/v1/webhook-deliveries/{delivery.pk}/"),
        client.post(f"/api/v1/webhook-deliveries/{delivery.pk}/redeliver/"),
    ]

    assert [(r.status_code, r.json()["code"]) for r in answers] == [(404, "not_found")] * 7
    assert client.get("/api/v1/webhooks/").json()["results"] == []
    assert client.get("/api/v1/webhook-deliveries/").json()["results"] == []
    endpoint = WebhookEndpoint.objects.get()
    assert (endpoint.url, endpoint.secrets.count()) == (receiver.url, 1)
    assert WebhookDelivery.objects.count() == 1
    assert len(receiver.requests) == 1


def test_endpoint_changes_are_checked_and_a_refused_change_keeps_the_old_values(
    hooks_client, receiver, loopback_allowed
):
    created = register(hooks_client, receiver.url, ["application.admitted"]).json()
    url = f"/api/v1/webhooks/{created['id']}/"

    refused = [
        hooks_client.patch(url, {"url": "http://10.0.0.1/"}, format="json"),
        hooks_client.patch(url, {"event_types": ["application.eaten"]}, format="json"),
        hooks_client.patch(url, {"event_types": []}, format="json"),
    ]
    changed = hooks_client.patch(
        url, {"event_types": ["application.not_admitted", "application.admitted"]}, format="json"
    )

    assert [(r.status_code, error_paths(r.json()["errors"])) for r in refused] == [
        (400, ["url"]),
        (400, ["event_types.0"]),
        (400, ["event_types"]),
    ]
    assert changed.json()["event_types"] == ["application.admitted", "application.not_admitted"]
    assert WebhookEndpoint.objects.get().url == receiver.url


def test_deleting_an_endpoint_removes_it_and_its_log(
    hooks_client, seller_a, receiver, loopback_allowed, django_capture_on_commit_callbacks
):
    created = register(hooks_client, receiver.url).json()
    submit(
        ApplicationFactory(company=seller_a.company), seller_a, django_capture_on_commit_callbacks
    )

    response = hooks_client.delete(f"/api/v1/webhooks/{created['id']}/")

    assert response.status_code == 204
    assert (WebhookEndpoint.objects.count(), WebhookDelivery.objects.count()) == (0, 0)


def test_an_endpoint_with_redelivered_events_can_be_deleted_with_its_whole_log(
    hooks_client, partner, seller_a, receiver, loopback_allowed, django_capture_on_commit_callbacks
):
    created = register(hooks_client, receiver.url).json()
    submit(
        ApplicationFactory(company=seller_a.company), seller_a, django_capture_on_commit_callbacks
    )
    original = WebhookDelivery.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(2):
            hooks_client.post(f"/api/v1/webhook-deliveries/{original.pk}/redeliver/")
    kept = WebhookEndpoint.objects.create(
        partner=partner.organization, url=receiver.url, event_types=["application.admitted"]
    )
    other_log = WebhookDelivery.objects.create(
        endpoint=kept, event_id=original.event_id, event_type="webhook.test", body="{}"
    )
    assert WebhookDelivery.objects.filter(endpoint_id=created["id"]).count() == 3

    response = hooks_client.delete(f"/api/v1/webhooks/{created['id']}/")

    assert response.status_code == 204
    assert list(WebhookEndpoint.objects.values_list("pk", flat=True)) == [kept.pk]
    assert list(WebhookDelivery.objects.values_list("pk", flat=True)) == [other_log.pk]
    assert hooks_client.get(f"/api/v1/webhooks/{created['id']}/").status_code == 404


def test_deleting_an_endpoint_that_is_not_yours_changes_nothing(
    hooks_client, seller_b, receiver, loopback_allowed
):
    created = register(hooks_client, receiver.url).json()
    intruder = PartnerFactory(name="Intruder Agency")
    partner_grant_issue(partner=intruder, company=seller_b.company, actor=seller_b.actor)
    _, raw = api_key_issue(name="intruder", scopes=HOOK_SCOPES, partner=intruder)

    response = client_with_key(raw).delete(f"/api/v1/webhooks/{created['id']}/")

    assert (response.status_code, response["Content-Type"]) == (404, PROBLEM)
    assert list(WebhookEndpoint.objects.values_list("pk", flat=True)) == [created["id"]]


def test_a_key_without_the_webhooks_scope_is_refused(partner, receiver, loopback_allowed):
    response = register(client_with_key(partner.raw_key), receiver.url)

    assert (response.status_code, response.json()["code"]) == (403, "insufficient_scope")
    assert WebhookEndpoint.objects.count() == 0
