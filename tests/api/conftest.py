"""Reference data and the partner client the reviewer API tests need."""

import pytest
from rest_framework.test import APIClient

from tests.factories import CategoryFactory, ProgramFactory
from tests.sellers.api.support import client_with_key


@pytest.fixture(autouse=True)
def program(db):
    # The migration loads these rows, but a transactional test elsewhere may have flushed them.
    return ProgramFactory()


@pytest.fixture(autouse=True)
def lighting(db):
    return CategoryFactory(code="lighting-appliances", nice_classes=[11])


@pytest.fixture
def partner_client(partner) -> APIClient:
    """Partner A's key, with every scope, acting for seller A only."""
    return client_with_key(partner.raw_key)
