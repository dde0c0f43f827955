"""The rows an application's answer is rendered from, read in one query.

A detail read, and the answer to every write, is one statement that Django compiles once per
process: compiling the joins and subqueries of the answer cost more than PostgreSQL took to run
them. The rows are plain values keyed by the lookups below, which
``sellers.api.serializers.applications.application_answer`` renders.
"""

import functools

from django.db import connection
from django.db.models import QuerySet

from brandprogram.db import server_bound_cursor
from sellers.models import Application, Category
from sellers.selectors import record_control_verified_at, with_category_codes

# What an answer shows, by ORM lookup; the row of an application has these keys.
ANSWER_COLUMNS = (
    "pk", "company_id", "program_id", "brand_id", "trademark_id", "status", "submitted_at",
    "decided_at", "created_at", "updated_at",
    "company__legal_name", "program__name", "brand__name", "brand__native_name",
    "trademark__office", "trademark__number", "trademark__registration_status",
    "trademark__mark_type", "trademark__nice_classes", "trademark__owner_name",
    "trademark__expires_on",
)  # fmt: skip
VERIFIED_AT = "trademark_record_control_verified_at"
CATEGORY_CODES = "category_codes"
# Stands for the id in the statement compiled once; no application has it.
_ID_PLACEHOLDER = -987654321


def answer_rows() -> QuerySet:
    """Every application as rows of its answer, to be narrowed (filter, order, slice)."""
    applications = Application.objects.annotate(
        **{VERIFIED_AT: record_control_verified_at("trademark__")}
    )
    codes = with_category_codes(applications)
    if CATEGORY_CODES in codes.query.annotations:
        return codes.values(*ANSWER_COLUMNS, VERIFIED_AT, CATEGORY_CODES)
    # Where the database cannot order an aggregate the codes are read apart (with_codes).
    return applications.values(*ANSWER_COLUMNS, VERIFIED_AT)


def with_codes(rows: list[dict]) -> list[dict]:
    """The rows with their categories' codes, read now if the rows' query could not."""
    if not rows or CATEGORY_CODES in rows[0]:
        return rows
    codes: dict[int, list[str]] = {row["pk"]: [] for row in rows}
    through = Category.applications.through.objects.filter(application_id__in=codes)
    for application_id, code in through.order_by("category__name", "category").values_list(
        "application_id", "category__code"
    ):
        codes[application_id].append(code)
    return [row | {CATEGORY_CODES: ",".join(codes[row["pk"]]) or None} for row in rows]


class _Compiled:
    """One query compiled once, run with a different id each time; its results go through the
    same converters Django applies to them."""

    def __init__(self, rows: QuerySet) -> None:
        self.names = list(rows.query.values_select) + list(rows.query.annotation_select)
        self.compiler = rows.query.get_compiler(connection=connection)
        self.sql, params = self.compiler.as_sql()
        self.params = list(params)
        self.slot = self.params.index(_ID_PLACEHOLDER)
        # Which columns Django converts, and how, worked out once rather than for every row.
        self.converters = self.compiler.get_converters(
            [column[0] for column in self.compiler.select[: self.compiler.col_count]]
        )

    def one(self, pk: int) -> dict | None:
        params = list(self.params)
        params[self.slot] = pk
        with server_bound_cursor() as cursor:
            cursor.execute(self.sql, params)
            found = cursor.fetchall()
        for values in self.compiler.apply_converters(found, self.converters):
            return dict(zip(self.names, values, strict=True))
        return None


@functools.cache
def _by_id() -> _Compiled:
    return _Compiled(answer_rows().filter(pk=_ID_PLACEHOLDER))


def answer_row(pk: int) -> dict | None:
    """The application's answer row; None if there is no such application."""
    row = _by_id().one(pk)
    return with_codes([row])[0] if row is not None else None
