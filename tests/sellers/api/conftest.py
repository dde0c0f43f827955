"""Clients for the partner API and the reference data every API test needs."""

import pytest
from rest_framework.test import APIClient

from sellers.services.api_keys import api_key_issue
from tests.sellers.api.support import client_with_key


@pytest.fixture(autouse=True)
def _reference_data(program, lighting):
    """The program and the lighting category for every test here: the migration loads them, but
    a transactional test elsewhere may have flushed them."""


@pytest.fixture
def anonymous_client() -> APIClient:
    return APIClient()


@pytest.fixture
def partner_client(partner) -> APIClient:
    """Partner A's key, with every scope, acting for seller A only."""
    return client_with_key(partner.raw_key)


@pytest.fixture
def issue_key(partner):
    """Issue another key of partner A's organisation: ``issue_key(scopes=[...], ...)``."""

    def issue(*, scopes, **options):
        return api_key_issue(name="extra", scopes=scopes, partner=partner.organization, **options)

    return issue
