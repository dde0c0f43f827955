"""Partner API v1: webhook endpoints and their delivery log, and seller indicators.

Endpoints belong to the key's partner organisation (or, for a seller's own key, to its
company); anyone else's answer 404. Indicators are written by marketplace systems only.
"""

import json

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import permissions, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from sellers.api import HasScope, IdPagination, PartnerViewSet
from sellers.models import (
    IndicatorUpdate,
    PartnerOrganization,
    SellerCompany,
    WebhookDelivery,
    WebhookEndpoint,
)
from sellers.models.partner import Scope
from sellers.services.indicators import INDICATOR_FIELDS, company_indicators_update
from sellers.webhooks import (
    APPLICATION_EVENT_TYPES,
    webhook_deliveries_of,
    webhook_endpoint_create,
    webhook_endpoint_delete,
    webhook_endpoint_update,
    webhook_endpoints_of,
    webhook_ping,
    webhook_redeliver,
    webhook_secret_rotate,
)

MANAGE = Scope.WEBHOOKS_MANAGE.value
INDICATORS = Scope.INDICATORS_WRITE.value


class NewestFirstPagination(IdPagination):
    ordering = ("-pk",)


class WebhookEndpointSerializer(serializers.ModelSerializer):
    event_types = serializers.ListField(child=serializers.ChoiceField(APPLICATION_EVENT_TYPES))
    disabled_reason = serializers.CharField(
        help_text="Why it stopped receiving: gone (it answered 410), failing (every retry "
        "of a delivery failed) or owner (switched off); empty while active."
    )

    class Meta:
        model = WebhookEndpoint
        fields = [
            "id",
            "url",
            "description",
            "event_types",
            "is_active",
            "disabled_reason",
            "disabled_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class WebhookEndpointCreatedSerializer(WebhookEndpointSerializer):
    secret = serializers.SerializerMethodField(
        help_text="The signing secret (whsec_…), shown only in this answer; store it safely."
    )

    class Meta(WebhookEndpointSerializer.Meta):
        fields = [*WebhookEndpointSerializer.Meta.fields, "secret"]
        read_only_fields = fields

    def get_secret(self, endpoint: WebhookEndpoint) -> str:
        return self.context["secret"]


class WebhookEndpointInputSerializer(serializers.Serializer):
    url = serializers.URLField(
        max_length=2000,
        help_text="http or https; addresses inside private, loopback or link-local networks "
        "are refused.",
    )
    event_types = serializers.ListField(
        child=serializers.ChoiceField(APPLICATION_EVENT_TYPES),
        min_length=1,
        max_length=len(APPLICATION_EVENT_TYPES),
    )
    description = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )


class WebhookEndpointChangesSerializer(WebhookEndpointInputSerializer):
    is_active = serializers.BooleanField(
        required=False,
        help_text="false switches the endpoint off; true switches it on again and sends what "
        "was held back meanwhile.",
    )

    def get_fields(self) -> dict:
        fields = super().get_fields()
        for field in fields.values():
            field.required = False
            field.default = serializers.empty
        return fields


class RotatedSecretSerializer(serializers.Serializer):
    secret = serializers.CharField(help_text="The new signing secret, shown only now.")
    previous_secret_expires_at = serializers.DateTimeField(
        help_text="Until then messages carry a signature with each secret."
    )


class WebhookDeliverySerializer(serializers.ModelSerializer):
    endpoint = serializers.IntegerField(source="endpoint_id")
    redelivery_of = serializers.IntegerField(source="redelivery_of_id", allow_null=True)
    payload = serializers.SerializerMethodField()

    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "endpoint",
            "event_id",
            "event_type",
            "status",
            "attempts",
            "next_attempt_at",
            "last_attempt_at",
            "last_response_code",
            "last_response_body",
            "last_error",
            "redelivery_of",
            "created_at",
            "delivered_at",
            "payload",
        ]
        read_only_fields = fields

    def get_payload(self, delivery: WebhookDelivery) -> dict:
        return json.loads(delivery.body)


class DeliveryFilterSerializer(serializers.Serializer):
    endpoint = serializers.IntegerField(required=False, min_value=0)
    status = serializers.ChoiceField(WebhookDelivery.Status.values, required=False)


@extend_schema_view(
    list=extend_schema(summary="List webhook endpoints"),
    create=extend_schema(
        summary="Register a webhook endpoint",
        description="The answer carries the signing secret; it is never shown again.",
        request={"application/json": WebhookEndpointInputSerializer},
        responses={201: WebhookEndpointCreatedSerializer},
    ),
    retrieve=extend_schema(summary="Read a webhook endpoint"),
    partial_update=extend_schema(
        summary="Change a webhook endpoint, or switch it off or on",
        request={"application/json": WebhookEndpointChangesSerializer},
        responses=WebhookEndpointSerializer,
    ),
    destroy=extend_schema(summary="Delete a webhook endpoint", responses={204: None}),
    rotate_secret=extend_schema(
        summary="Rotate the signing secret",
        description="The previous secret keeps signing beside the new one for a grace period.",
        request=None,
        responses={201: RotatedSecretSerializer},
    ),
    ping=extend_schema(
        summary="Send a test event (webhook.test) to the endpoint",
        request=None,
        responses={202: WebhookDeliverySerializer},
    ),
)
class WebhookViewSet(PartnerViewSet):
    """Addresses that receive signed events when applications change status."""

    serializer_class = WebhookEndpointSerializer
    pagination_class = IdPagination
    required_scopes = dict.fromkeys(
        ["list", "retrieve", "create", "partial_update", "destroy", "rotate_secret", "ping"],
        MANAGE,
    )

    def get_queryset(self):
        return webhook_endpoints_of(self.request.user.actor)

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        return Response(self.get_serializer(self.get_object()).data)

    def create(self, request):
        payload = WebhookEndpointInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        endpoint, secret = webhook_endpoint_create(
            actor=request.user.actor, **payload.validated_data
        )
        created = WebhookEndpointCreatedSerializer(endpoint, context={"secret": secret})
        return Response(created.data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        endpoint = self.get_object()
        payload = WebhookEndpointChangesSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        endpoint = webhook_endpoint_update(
            actor=request.user.actor, endpoint_id=endpoint.pk, **payload.validated_data
        )
        return Response(self.get_serializer(endpoint).data)

    def destroy(self, request, pk=None):
        webhook_endpoint_delete(actor=request.user.actor, endpoint_id=self.get_object().pk)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @action(detail=True, methods=["post"], url_path="rotate-secret")
    def rotate_secret(self, request, pk=None):
        secret, expires_at = webhook_secret_rotate(
            actor=request.user.actor, endpoint_id=self.get_object().pk
        )
        body = RotatedSecretSerializer(
            {"secret": secret, "previous_secret_expires_at": expires_at}
        ).data
        return Response(body, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def ping(self, request, pk=None):
        delivery = webhook_ping(actor=request.user.actor, endpoint_id=self.get_object().pk)
        delivery.refresh_from_db()
        return Response(WebhookDeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)


@extend_schema_view(
    list=extend_schema(
        summary="The delivery log of your webhook endpoints",
        parameters=[DeliveryFilterSerializer],
    ),
    retrieve=extend_schema(summary="Read one delivery, with the receiver's last answer"),
    redeliver=extend_schema(
        summary="Send a delivered or failed event again",
        description="A new delivery with the same webhook-id and body, retried afresh.",
        request=None,
        responses={202: WebhookDeliverySerializer},
    ),
)
class WebhookDeliveryViewSet(PartnerViewSet):
    """Every event sent to your endpoints, newest first, with attempts and answers."""

    serializer_class = WebhookDeliverySerializer
    pagination_class = NewestFirstPagination
    required_scopes = dict.fromkeys(["list", "retrieve", "redeliver"], MANAGE)

    def get_queryset(self):
        return webhook_deliveries_of(self.request.user.actor)

    def list(self, request):
        filters = DeliveryFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        queryset = self.get_queryset()
        if "endpoint" in filters.validated_data:
            queryset = queryset.filter(endpoint_id=filters.validated_data["endpoint"])
        if "status" in filters.validated_data:
            queryset = queryset.filter(status=filters.validated_data["status"])
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        return Response(self.get_serializer(self.get_object()).data)

    @action(detail=True, methods=["post"])
    def redeliver(self, request, pk=None):
        delivery = webhook_redeliver(actor=request.user.actor, delivery_id=self.get_object().pk)
        delivery.refresh_from_db()
        return Response(WebhookDeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)


class IsMarketplaceSystem(permissions.BasePermission):
    code = "insufficient_scope"
    message = "Only marketplace systems may read or update seller indicators."

    def has_permission(self, request, view) -> bool:
        return PartnerOrganization.objects.filter(
            pk=request.user.actor.partner_id, is_marketplace_system=True
        ).exists()


class IndicatorsSerializer(serializers.ModelSerializer):
    seller = serializers.IntegerField(source="pk", read_only=True)

    class Meta:
        model = SellerCompany
        fields = ["seller", *INDICATOR_FIELDS]
        read_only_fields = fields


class IndicatorsInputSerializer(serializers.Serializer):
    tier = serializers.ChoiceField(SellerCompany.Tier.choices, required=False)
    quality_dispute_rate = serializers.DecimalField(
        max_digits=5,
        decimal_places=4,
        min_value=0,
        max_value=1,
        required=False,
        help_text="Share of orders with a product-quality dispute, 0 to 1.",
    )
    nps = serializers.IntegerField(min_value=-100, max_value=100, required=False, allow_null=True)
    on_time_delivery_rate = serializers.DecimalField(
        max_digits=5, decimal_places=4, min_value=0, max_value=1, required=False, allow_null=True
    )
    infringement_complaints = serializers.IntegerField(
        min_value=0, max_value=2_147_483_647, required=False
    )
    as_of = serializers.DateField(required=False, help_text="The day the figures were measured on.")

    def validate(self, data: dict) -> dict:
        if not set(data) & set(INDICATOR_FIELDS):
            raise serializers.ValidationError(
                {"non_field_errors": ["Send at least one indicator."]}
            )
        return data


class IndicatorUpdateSerializer(serializers.ModelSerializer):
    sent_by = serializers.CharField(source="actor_label")
    changes = serializers.DictField(
        child=serializers.DictField(),
        help_text='{"indicator": {"from": old value, "to": new value}} for each change.',
    )

    class Meta:
        model = IndicatorUpdate
        fields = ["id", "changes", "as_of", "sent_by", "created_at"]
        read_only_fields = fields


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
            actor=request.user.actor,
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
