"""Reference data and the partner client the reviewer API tests need."""

import pytest
from rest_framework.test import APIClient

from tests.sellers.api.support import client_with_key


@pytest.fixture(autouse=True)
def _reference_data(program, lighting):
    """The program and the lighting category for every test here: the migration loads them, but
    a transactional test elsewhere may have flushed them."""


@pytest.fixture
def partner_client(partner) -> APIClient:
    """Partner A's key, with every scope, acting for seller A only."""
    return client_with_key(partner.raw_key)
