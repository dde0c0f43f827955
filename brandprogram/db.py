"""Statements PostgreSQL may plan once per connection."""

import re
from collections.abc import Callable
from contextlib import contextmanager

import psycopg
from django.db import connection
from django.db.models import QuerySet
from psycopg.sql import Literal

# A parameter's place in compiled SQL, or a percent sign written as "%%".
_PLACEHOLDER = re.compile(r"%[%s]")


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


def with_literals(sql: str, params: list, *, kept: Callable[[object], bool]) -> tuple[str, list]:
    """Compiled PostgreSQL SQL with every value written into it but those ``kept`` (the values
    that change from one run to the next), which are left its parameters.

    A statement compiled once and planned once for all runs: the values that are the same at
    every run (a status, a page size) are in its text, where the plan can use them. A partial
    index on waiting applications serves a query that names the status, not one that leaves it
    a parameter; and a value in a select list needs no type that a parameter would lack.
    """
    connection.ensure_connection()
    values, left = iter(params), []

    def put(match: re.Match) -> str:
        if match.group() == "%%":
            return "%%"
        value = next(values)
        if kept(value):
            left.append(value)
            return "%s"
        return Literal(value).as_string(connection.connection).replace("%", "%%")

    return _PLACEHOLDER.sub(put, sql), left


class CompiledOnce:
    """A query compiled once, with stand-ins for the values that change from one run to the
    next, and run with the values in their place: compiling a queryset took longer than running
    it. On PostgreSQL it is also planned once per connection (``server_bound_cursor``).

    ``query`` makes the queryset, of ``values_list`` rows, from the values by keyword; each
    stand-in is a value no run has.
    """

    def __init__(self, query: Callable[..., QuerySet], **standins) -> None:
        self.query, self.standins = query, standins
        self._statement: tuple[str, list[str]] | None = None

    def rows(self, **values) -> list[tuple]:
        if connection.vendor != "postgresql":
            return list(self.query(**values))
        if self._statement is None:
            sql, params = self.query(**self.standins).query.sql_with_params()
            sql, kept = with_literals(sql, list(params), kept=self._standin_name)
            names = [self._standin_name(value) for value in kept]
            if set(names) != set(self.standins):
                raise RuntimeError(f"the statement lost its stand-ins: {sql}")
            self._statement = sql, names
        sql, names = self._statement
        with server_bound_cursor() as cursor:
            cursor.execute(sql, [values[name] for name in names])
            return cursor.fetchall()

    def _standin_name(self, value) -> str | None:
        for name, standin in self.standins.items():
            if type(value) is type(standin) and value == standin:
                return name
        return None
