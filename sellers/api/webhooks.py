"""Partner API v1: webhook endpoints and their delivery log.

Endpoints belong to the key's partner organisation (or, for a seller's own key, to its
company); anyone else's answer 404.
"""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from sellers.api.base import PartnerViewSet
from sellers.api.context import partner_call
from sellers.api.pagination import IdPagination, NewestFirstPagination
from sellers.api.permissions import MANAGE
from sellers.api.serializers.webhooks import (
    DeliveryFilterSerializer,
    RotatedSecretSerializer,
    WebhookDeliverySerializer,
    WebhookEndpointChangesSerializer,
    WebhookEndpointCreatedSerializer,
    WebhookEndpointInputSerializer,
    WebhookEndpointSerializer,
)
from sellers.webhooks.deliveries import webhook_deliveries_of, webhook_ping, webhook_redeliver
from sellers.webhooks.endpoints import (
    webhook_endpoint_create,
    webhook_endpoint_delete,
    webhook_endpoint_update,
    webhook_endpoints_of,
    webhook_secret_rotate,
)


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
        return webhook_endpoints_of(partner_call(self.request).actor)

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        return Response(self.get_serializer(self.get_object()).data)

    def create(self, request):
        payload = WebhookEndpointInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        endpoint, secret = webhook_endpoint_create(
            actor=partner_call(request).actor, **payload.validated_data
        )
        created = WebhookEndpointCreatedSerializer(endpoint, context={"secret": secret})
        return Response(created.data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        endpoint = self.get_object()
        payload = WebhookEndpointChangesSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        endpoint = webhook_endpoint_update(
            actor=partner_call(request).actor, endpoint_id=endpoint.pk, **payload.validated_data
        )
        return Response(self.get_serializer(endpoint).data)

    def destroy(self, request, pk=None):
        webhook_endpoint_delete(actor=partner_call(request).actor, endpoint_id=self.get_object().pk)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @action(detail=True, methods=["post"], url_path="rotate-secret")
    def rotate_secret(self, request, pk=None):
        secret, expires_at = webhook_secret_rotate(
            actor=partner_call(request).actor, endpoint_id=self.get_object().pk
        )
        body = RotatedSecretSerializer(
            {"secret": secret, "previous_secret_expires_at": expires_at}
        ).data
        return Response(body, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def ping(self, request, pk=None):
        delivery = webhook_ping(actor=partner_call(request).actor, endpoint_id=self.get_object().pk)
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
        return webhook_deliveries_of(partner_call(self.request).actor)

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
        delivery = webhook_redeliver(
            actor=partner_call(request).actor, delivery_id=self.get_object().pk
        )
        delivery.refresh_from_db()
        return Response(WebhookDeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)
