"""How the partner API pages its lists: cursors, which stay correct while rows change."""

from rest_framework.pagination import CursorPagination


class ApplicationPagination(CursorPagination):
    # A cursor stays correct while applications are created and updated between pages,
    # which page numbers would not.
    ordering = ("-updated_at", "-pk")
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


class IdPagination(CursorPagination):
    ordering = ("pk",)
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 100


class NewestFirstPagination(IdPagination):
    ordering = ("-pk",)
