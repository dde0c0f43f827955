"""Statements PostgreSQL may plan once per connection."""

import re
from collections.abc import Callable
from contextlib import contextmanager

import psycopg
from django.db import connection, transaction
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators
from django.db.models.sql import UpdateQuery
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

    ``query`` makes the queryset from the values by keyword: of ``values_list`` rows for
    ``rows``, of model instances for ``objects``; each stand-in is a value no run has.
    """

    def __init__(self, query: Callable[..., QuerySet], **standins) -> None:
        self.query, self.standins = query, standins
        self._statement: tuple[str, list[str]] | None = None
        self._compiled: tuple[QuerySet, object] | None = None
        self._made: _Made | None = None

    def rows(self, **values) -> list[tuple]:
        """The rows as the database gives them, without Django's conversions of its values."""
        if connection.vendor != "postgresql":
            return list(self.query(**values))
        return self._run(values)

    def objects(self, **values) -> list[Model]:
        """The model instances iterating the queryset makes, with the objects its
        ``select_related`` joins and its fields' values converted as Django converts them."""
        if connection.vendor != "postgresql":
            return list(self.query(**values))
        rows = self._run(values)
        if self._made is None:
            self._made = _Made(*self._compiled)
        made = self._made
        if not rows:
            return []
        return [made.instance(row) for row in made.compiler.results_iter([rows])]

    def _run(self, values: dict) -> list[tuple]:
        if self._statement is None:
            queryset = self.query(**self.standins)
            compiler = queryset.query.get_compiler(connection=connection)
            self._statement = with_standins(*compiler.as_sql(), self.standins)
            self._compiled = queryset, compiler
        sql, names = self._statement
        with server_bound_cursor() as cursor:
            cursor.execute(sql, [values[name] for name in names])
            return cursor.fetchall()


class CompiledUpdate:
    """An UPDATE compiled once, as ``CompiledOnce`` compiles a read, and run with the values in
    place of their stand-ins: ``rows`` makes the queryset of the rows to change and ``changes``
    what ``QuerySet.update`` would be given, both from the values by keyword."""

    def __init__(
        self, rows: Callable[..., QuerySet], changes: Callable[..., dict], **standins
    ) -> None:
        self.rows, self.changes, self.standins = rows, changes, standins
        self._statement: tuple[str, list[str]] | None = None

    def run(self, **values) -> int:
        """How many rows were changed."""
        if connection.vendor != "postgresql":
            return self.rows(**values).update(**self.changes(**values))
        if self._statement is None:
            # What QuerySet.update() compiles, for a queryset without annotations or order,
            # which it would write into the statement otherwise.
            query = self.rows(**self.standins).query.chain(UpdateQuery)
            if query.annotations or query.order_by:
                raise RuntimeError("CompiledUpdate changes rows chosen by filters only")
            query.add_update_values(self.changes(**self.standins))
            query.clear_select_clause()
            compiled = query.get_compiler(connection=connection).as_sql()
            self._statement = with_standins(*compiled, self.standins)
        sql, names = self._statement
        with transaction.mark_for_rollback_on_error(), server_bound_cursor() as cursor:
            cursor.execute(sql, [values[name] for name in names])
            return cursor.rowcount


def with_standins(sql: str, params, standins: dict) -> tuple[str, list[str]]:
    """The statement with every value written into it but the stand-ins (values by name, each
    one no run has), and the names of the stand-ins its parameters are, in order; an error if
    any of them is missing from it."""

    def name_of(value) -> str | None:
        for name, standin in standins.items():
            if type(value) is type(standin) and value == standin:
                return name
        return None

    sql, kept = with_literals(sql, list(params), kept=name_of)
    names = [name_of(value) for value in kept]
    if set(names) != set(standins):
        raise RuntimeError(f"the statement lost its stand-ins: {sql}")
    return sql, names


class _Made:
    """How a compiled queryset of model instances makes them from its rows: what Django's
    ModelIterable does for each row, with what it works out at every run worked out once."""

    def __init__(self, queryset: QuerySet, compiler) -> None:
        self.compiler = compiler
        info = compiler.klass_info
        # A queryset that asks ModelIterable for more than the instances and their joined
        # objects is refused rather than made without it.
        if compiler.annotation_col_map or queryset._known_related_objects:
            raise RuntimeError("objects() makes plain instances, without annotations")
        fetch_mode = queryset._fetch_mode
        if fetch_mode.track_peers:
            raise RuntimeError("objects() makes instances that do not fetch with their peers")
        self.model, self.fetch_mode = info["model"], fetch_mode
        self.start, self.end = info["select_fields"][0], info["select_fields"][-1] + 1
        self.attnames = [
            column[0].target.attname for column in compiler.select[self.start : self.end]
        ]
        self.populators = get_related_populators(
            info, compiler.select, connection.alias, fetch_mode
        )

    def instance(self, row) -> Model:
        made = self.model.from_db(
            connection.alias, self.attnames, row[self.start : self.end], fetch_mode=self.fetch_mode
        )
        for populator in self.populators:
            populator.populate(row, made)
        return made
