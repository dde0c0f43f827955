"""The connection's health check before a request's first query (brandprogram.postgresql): a
round trip only when the connection has not just proved itself, or the server has spoken.

Each request below is what Django does around a view: the connection is looked at as the
request starts and as it ends, and the view runs a query in between.
"""

import pytest
from django.db import connection, connections

from brandprogram.postgresql import base
from tests.conftest import wait_until

pytestmark = pytest.mark.django_db


@pytest.fixture
def database(monkeypatch):
    """A connection of the test's own, counting the health checks it sends."""
    wrapper = connections.create_connection("default")
    wrapper.checks = 0
    sent = wrapper.is_usable

    def is_usable():
        wrapper.checks += 1
        return sent()

    monkeypatch.setattr(wrapper, "is_usable", is_usable)
    yield wrapper
    wrapper.close()


def request(database) -> int:
    """One request that reads from the database; the server process that answered it."""
    database.close_if_unusable_or_obsolete()
    with database.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        server_process = cursor.fetchone()[0]
    database.close_if_unusable_or_obsolete()
    return server_process


def test_a_connection_that_just_served_a_request_is_used_without_a_check(database):
    first = request(database)
    second = request(database)
    third = request(database)

    assert database.checks == 0
    assert first == second == third


def test_a_connection_idle_for_longer_is_checked_first(database):
    first = request(database)
    database.proved_at -= base.TRUSTED_SECONDS

    second = request(database)

    assert database.checks == 1
    assert second == first


def test_a_connection_the_server_ended_is_replaced_before_the_request_uses_it(database):
    first = request(database)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [first])
    # The server announces the end and closes its side; the socket says so without a query.
    wait_until(lambda: base._has_input(database.connection), message="no word from the server")

    second = request(database)

    assert database.checks == 1
    assert second != first
    assert request(database) == second
