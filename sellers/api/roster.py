"""Partner API v1: the program's roster of admitted brands."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins

from sellers.api.base import PartnerViewSet
from sellers.api.pagination import IdPagination
from sellers.api.permissions import ROSTER
from sellers.api.serializers.roster import RosterEntrySerializer
from sellers.roster import roster


@extend_schema_view(
    list=extend_schema(
        summary="List the brands admitted to the program",
        description="Every brand admitted now, or suspended, with its owner company, "
        "categories, the company's tier and when it was admitted, in id order and cursor "
        "pages. Needs the `roster:read` scope. The `brand.*` webhook events tell "
        "of each change.",
    )
)
class RosterViewSet(mixins.ListModelMixin, PartnerViewSet):
    """The same list for every key that may read it."""

    serializer_class = RosterEntrySerializer
    pagination_class = IdPagination
    required_scopes = {"list": ROSTER}

    def get_queryset(self):
        return roster()
