"""A cursor whose statements PostgreSQL may plan once per connection."""

from contextlib import contextmanager

import psycopg
from django.db import connection


@contextmanager
def server_bound_cursor():
    """Django's cursor, binding its parameters on the server where the database is PostgreSQL.

    Django's cursors bind parameters on the client, and psycopg never prepares such statements;
    these it prepares from their second run on a connection (DATABASE_PREPARED_STATEMENTS), so
    PostgreSQL reuses the plan instead of planning the statement again. It still goes through
    Django's wrapper, which logs the statement and translates its errors.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.cursor.close()
            cursor.cursor = psycopg.Cursor(connection.connection)
        yield cursor
