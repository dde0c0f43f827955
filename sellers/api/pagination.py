"""How the partner API pages its lists: cursors, which stay correct while rows change.

A cursor is opaque to clients but not signed, so one that was edited, cut short or made up is
checked before it reaches the database: a position that is not a value of the ordering field
(a number for ids, a time for update times) would otherwise fail in the query.
"""

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from rest_framework import exceptions, status
from rest_framework.pagination import CursorPagination


class InvalidCursor(exceptions.APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "invalid_cursor"
    default_detail = "Invalid cursor."


class CheckedCursorPagination(CursorPagination):
    page_size_query_param = "page_size"
    max_page_size = 100

    def paginate_queryset(self, queryset, request, view=None):
        cursor = self.decode_cursor(request)
        if cursor is not None and cursor.position is not None:
            self._check_position(queryset.model, cursor.position)
        return super().paginate_queryset(queryset, request, view)

    def decode_cursor(self, request):
        try:
            return super().decode_cursor(request)
        except exceptions.NotFound:
            raise self._invalid() from None

    def _check_position(self, model, position: str) -> None:
        name = self.ordering[0].lstrip("-")
        field = model._meta.pk if name == "pk" else model._meta.get_field(name)
        # PostgreSQL text cannot hold NUL, and a number must fit the column.
        try:
            if "\x00" in position:
                raise ValidationError("NUL")
            field.run_validators(field.to_python(position))
        except (ValidationError, ValueError, TypeError, OverflowError):
            raise self._invalid() from None

    def _invalid(self) -> InvalidCursor:
        return InvalidCursor(
            f"The {self.cursor_query_param} parameter is not one this list gave out; "
            "follow the next and previous links as they are, or start again without a cursor."
        )


class ApplicationPagination(CheckedCursorPagination):
    # A cursor stays correct while applications are created and updated between pages,
    # which page numbers would not.
    ordering = ("-updated_at", "-pk")
    page_size = 20


class IdPagination(CheckedCursorPagination):
    ordering = ("pk",)
    page_size = 50


class NewestFirstPagination(IdPagination):
    ordering = ("-pk",)


class PageRows:
    """What a cursor paginator orders, filters and slices in place of a queryset, so that a
    page is one query that still finds its rows by the index alone.

    The paginator orders and filters ``keys``, which select only what the order and the
    cursor need; its slice becomes ``rows`` whose ids are that slice, as a subquery. Ordering
    and joining every row of a partner's sellers would have PostgreSQL read them all.
    """

    def __init__(self, keys: QuerySet, rows: QuerySet) -> None:
        self.keys, self.rows, self.model = keys, rows, keys.model

    def order_by(self, *fields) -> "PageRows":
        return PageRows(self.keys.order_by(*fields), self.rows)

    def filter(self, *args, **kwargs) -> "PageRows":
        return PageRows(self.keys.filter(*args, **kwargs), self.rows)

    def __getitem__(self, bounds: slice) -> QuerySet:
        page = self.keys[bounds].values("pk")
        return self.rows.filter(pk__in=page).order_by(*self.keys.query.order_by)
