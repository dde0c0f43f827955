"""Partner API v1: the grants through which sellers let a partner's key act for them."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins

from sellers.access import Door, visible
from sellers.api.base import PartnerViewSet
from sellers.api.context import partner_call
from sellers.api.pagination import IdPagination
from sellers.api.permissions import READ
from sellers.api.serializers.grants import GrantSerializer
from sellers.models import PartnerGrant


@extend_schema_view(list=extend_schema(summary="Sellers that granted access to your key"))
class GrantViewSet(mixins.ListModelMixin, PartnerViewSet):
    """A partner key sees its organisation's active grants; a seller key, its own company's."""

    serializer_class = GrantSerializer
    pagination_class = IdPagination
    required_scopes = {"list": READ}

    def get_queryset(self):
        actor = partner_call(self.request).actor
        grants = PartnerGrant.objects.filter(revoked_at__isnull=True).select_related(
            "company", "partner"
        )
        if actor.partner_id is not None:
            return grants.filter(partner_id=actor.partner_id)
        return visible(grants, actor, doors=Door.SELLER)
