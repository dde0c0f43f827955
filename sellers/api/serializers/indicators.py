"""Shapes of a seller's operating indicators and their history in the partner API."""

from rest_framework import serializers

from sellers.models import IndicatorUpdate, SellerCompany
from sellers.services.indicators import INDICATOR_FIELDS


class IndicatorsSerializer(serializers.ModelSerializer):
    seller = serializers.IntegerField(source="pk", read_only=True)
    tier = serializers.ChoiceField(
        SellerCompany.Tier.choices,
        read_only=True,
        help_text="Computed each month from the indicators; it cannot be set.",
    )
    measured_on = serializers.DictField(
        source="indicators_measured_on",
        child=serializers.DateField(),
        read_only=True,
        help_text="The day each indicator was last measured.",
    )

    class Meta:
        model = SellerCompany
        fields = ["seller", "tier", *INDICATOR_FIELDS, "measured_on"]
        read_only_fields = fields


class IndicatorsInputSerializer(serializers.Serializer):
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
    overseas_stock_days = serializers.IntegerField(
        min_value=0,
        max_value=32767,
        required=False,
        allow_null=True,
        help_text="Days of sales covered by the stock held in overseas warehouses.",
    )
    as_of = serializers.DateField(required=False, help_text="The day the figures were measured on.")

    def validate(self, data: dict) -> dict:
        if "tier" in self.initial_data:
            raise serializers.ValidationError(
                {
                    "tier": [
                        "The tier is computed each month from the indicators and cannot be set; "
                        "send the indicators instead."
                    ]
                }
            )
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
