"""The request budget per API key."""

import pytest

from brandprogram import throttling
from tests.sellers.api.support import COLLECTION, PROBLEM, client_with_key


@pytest.fixture
def mid_minute(monkeypatch):
    """The clock stands 30 seconds into a minute, so no request crosses into the next one."""
    monkeypatch.setattr(throttling, "clock", lambda: 1_800_000_030.0)


def test_key_over_its_budget_gets_429_with_retry_after(
    settings, partner_client, issue_key, mid_minute
):
    settings.API_RATE_LIMIT = "3/minute"
    _, other_raw = issue_key(scopes=["applications:read"])

    allowed = [partner_client.get(COLLECTION).status_code for _ in range(3)]
    refused = partner_client.get(COLLECTION)
    other_key = client_with_key(other_raw).get(COLLECTION)

    assert allowed == [200, 200, 200]
    assert refused.status_code == 429
    assert refused["Content-Type"] == PROBLEM
    # The next minute starts 30 seconds later.
    assert refused["Retry-After"] == "30"
    assert refused.json() == {
        "type": "https://brand-program.example/problems/throttled",
        "title": "Request was throttled.",
        "status": 429,
        "code": "throttled",
        "detail": "Request was throttled. Expected available in 30 seconds.",
    }
    assert other_key.status_code == 200


def test_refused_post_claims_no_idempotency_key(settings, partner_client, seller_a):
    settings.API_RATE_LIMIT = "1/hour"
    partner_client.get(COLLECTION)

    refused = partner_client.post(COLLECTION, {}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    settings.API_RATE_LIMIT = "100/hour"
    retried = partner_client.post(COLLECTION, {}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")

    assert (refused.status_code, retried.status_code) == (429, 400)
    assert retried.json()["code"] == "invalid"


def test_made_up_keys_with_a_partners_prefix_do_not_spend_its_budget(
    settings, partner, partner_client, mid_minute
):
    settings.API_RATE_LIMIT = "2/minute"
    forged = client_with_key(f"bpk_{partner.api_key.prefix}_not-the-secret")

    refused = [forged.get(COLLECTION).status_code for _ in range(3)]
    own = [partner_client.get(COLLECTION).status_code for _ in range(3)]

    assert refused == [401, 401, 401]
    assert own == [200, 200, 429]
