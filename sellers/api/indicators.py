"""Partner API v1: seller indicators, written and read by marketplace systems only."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import permissions
from rest_framework.decorators import action
from rest_framework.response import Response

from sellers.api.base import PartnerViewSet
from sellers.api.context import partner_call
from sellers.api.pagination import NewestFirstPagination
from sellers.api.permissions import INDICATORS, HasScope, IsMarketplaceSystem
from sellers.api.serializers.indicators import (
    IndicatorsInputSerializer,
    IndicatorsSerializer,
    IndicatorUpdateSerializer,
)
from sellers.models import SellerCompany
from sellers.services.indicators import INDICATOR_FIELDS, company_indicators_update


@extend_schema_view(
    indicators=extend_schema(summary="Read a seller's operating indicators"),
    indicator_history=extend_schema(
        summary="Every change of a seller's indicators, newest first",
        responses=IndicatorUpdateSerializer(many=True),
    ),
)
class SellerIndicatorViewSet(PartnerViewSet):
    """Operating indicators of sellers, fed by the marketplace's own systems."""

    permission_classes = [permissions.IsAuthenticated, HasScope, IsMarketplaceSystem]
    serializer_class = IndicatorsSerializer
    pagination_class = NewestFirstPagination
    required_scopes = dict.fromkeys(
        ["indicators", "indicators_update", "indicator_history"], INDICATORS
    )

    def get_queryset(self):
        return SellerCompany.objects.all()

    @action(detail=True, methods=["get"])
    def indicators(self, request, pk=None):
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(
        summary="Update a seller's operating indicators",
        description="Only the indicators given change; each change is kept in the history.",
        request={"application/json": IndicatorsInputSerializer},
        responses=IndicatorsSerializer,
    )
    @indicators.mapping.patch
    def indicators_update(self, request, pk=None):
        company = self.get_object()
        payload = IndicatorsInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        values = {k: v for k, v in payload.validated_data.items() if k in INDICATOR_FIELDS}
        company_indicators_update(
            actor=partner_call(request).actor,
            company_id=company.pk,
            values=values,
            as_of=payload.validated_data.get("as_of"),
        )
        company.refresh_from_db()
        return Response(self.get_serializer(company).data)

    @action(detail=True, methods=["get"], url_path="indicator-history")
    def indicator_history(self, request, pk=None):
        company = self.get_object()
        page = self.paginate_queryset(company.indicator_updates.all())
        return self.get_paginated_response(IndicatorUpdateSerializer(page, many=True).data)
