"""Shapes of webhook endpoints and their deliveries in the partner API."""

import json

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from sellers.api.serializers.applications import SELLER_STATUS_CODES
from sellers.api.serializers.messages import MessageSerializer
from sellers.api.serializers.roster import RosterEntrySerializer
from sellers.models import WebhookDelivery, WebhookEndpoint
from sellers.webhooks.deliveries import TEST_EVENT_TYPE
from sellers.webhooks.endpoints import EVENT_TYPES
from sellers.workflow.table import TRANSITIONS

WEBHOOK_EVENT_TYPES = (*EVENT_TYPES, TEST_EVENT_TYPE)


class WebhookEventSellerSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    legal_name = serializers.CharField()


class WebhookEventApplicationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField(
        required=False,
        help_text="application.message_received only: the number the seller and the reviewers "
        "quote.",
    )
    seller = WebhookEventSellerSerializer()
    brand = serializers.CharField(help_text="The brand's name.")
    status = serializers.ChoiceField(SELLER_STATUS_CODES, help_text="Its status now.")


class WebhookEventDataSerializer(serializers.Serializer):
    """What happened: for application.* events the application and the change (for
    application.message_received, the message); for brand.* events the roster entry and the
    change; for the webhook.test event only ``endpoint_id``."""

    application = WebhookEventApplicationSerializer(required=False)
    roster_entry = RosterEntrySerializer(
        required=False, help_text="brand.* only: the brand's roster entry after the change."
    )
    previous_status = serializers.ChoiceField(SELLER_STATUS_CODES, required=False)
    action = serializers.ChoiceField(
        sorted(code for code, transition in TRANSITIONS.items() if transition.seller_visible),
        required=False,
        help_text="The workflow action that made the change.",
    )
    note = serializers.CharField(
        required=False, allow_blank=True, help_text="The note given with it, if any."
    )
    endpoint_id = serializers.IntegerField(
        required=False, help_text="webhook.test only: the endpoint pinged."
    )
    message = MessageSerializer(
        required=False,
        help_text="application.message_received only: the review team's message, as the "
        "conversation shows it. Sent once every file has been scanned: each is clean "
        "(downloadable) or infected (blocked).",
    )


class WebhookEventSerializer(serializers.Serializer):
    """The JSON body POSTed to a webhook endpoint, signed the Standard Webhooks way."""

    type = serializers.ChoiceField(WEBHOOK_EVENT_TYPES)
    timestamp = serializers.DateTimeField(help_text="When the change happened.")
    data = WebhookEventDataSerializer()


class WebhookEndpointSerializer(serializers.ModelSerializer):
    event_types = serializers.ListField(child=serializers.ChoiceField(EVENT_TYPES))
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
        child=serializers.ChoiceField(EVENT_TYPES),
        min_length=1,
        max_length=len(EVENT_TYPES),
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

    @extend_schema_field(WebhookEventSerializer)
    def get_payload(self, delivery: WebhookDelivery) -> dict:
        return json.loads(delivery.body)


class DeliveryFilterSerializer(serializers.Serializer):
    endpoint = serializers.IntegerField(required=False, min_value=0)
    status = serializers.ChoiceField(WebhookDelivery.Status.values, required=False)
