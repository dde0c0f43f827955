"""Django's PostgreSQL backend, with the connection's health check skipped while the
connection has just proved itself and the server has said nothing since.

With ``CONN_HEALTH_CHECKS`` Django sends ``SELECT 1`` before the first query of every request
and every task, so that a connection the server dropped while it sat idle (a restart, a
fail-over, an idle timeout) is replaced rather than failing the request. On a busy process
that check was a round trip to PostgreSQL in every request, as many as the API's detail read
itself makes.

The check is skipped when both of these hold:

- the connection answered a query in a request (or a task) that ended less than
  ``TRUSTED_SECONDS`` ago, so a drop no one announced (a firewall forgetting an idle
  connection) is out of the question;
- nothing waits to be read on its socket. An idle connection receives nothing: a server that
  shuts down or terminates the session sends its notice and closes, and a proxy or relay that
  cuts it closes it, and each of these makes the socket readable at once.

Otherwise Django's check runs as before.
"""

import select
import time

from django.db.backends.postgresql import base

TRUSTED_SECONDS = 1.0


class DatabaseWrapper(base.DatabaseWrapper):
    # When a request or task ended in which the connection answered.
    proved_at: float | None = None

    def connect(self):
        self.proved_at = None
        super().connect()

    def close_if_health_check_failed(self):
        if (
            self.connection is not None
            and self.proved_at is not None
            and time.monotonic() - self.proved_at < TRUSTED_SECONDS
            and not _has_input(self.connection)
        ):
            self.health_check_done = True
            return
        super().close_if_health_check_failed()

    def close_if_unusable_or_obsolete(self):
        # Called as a request (or task) starts and ends. The check is done once the connection
        # was checked, connected afresh or trusted for a query, and after a request with a
        # database error Django checks it here: kept open, it has answered just now.
        answered = self.health_check_done
        super().close_if_unusable_or_obsolete()
        if answered and self.connection is not None:
            self.proved_at = time.monotonic()


def _has_input(connection) -> bool:
    """Whether the server sent something (or closed) since the last reply was read; a local
    look at the socket, no round trip."""
    if connection.closed:
        return True
    poll = select.poll()
    poll.register(connection.fileno(), select.POLLIN)
    return bool(poll.poll(0))
