"""A local receiver for webhooks, and a key that may manage them."""

import pytest

from sellers.services.api_keys import api_key_issue
from tests.sellers.api.support import client_with_key
from tests.sellers.webhooks.receiver import Receiver
from tests.sellers.webhooks.support import HOOK_SCOPES


@pytest.fixture
def receiver():
    with Receiver() as running:
        yield running


@pytest.fixture
def loopback_allowed(settings):
    """The receiver listens on 127.0.0.1; retries are due at once so a test can run them."""
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    settings.WEBHOOK_RETRY_DELAYS = [0, 0, 0]


@pytest.fixture
def hooks_client(partner):
    """Another key of partner A's organisation, one that may manage webhooks."""
    _, raw = api_key_issue(name="extra", scopes=HOOK_SCOPES, partner=partner.organization)
    return client_with_key(raw)
