"""Shape of a grant in the partner API: which seller let which partner act for it."""

from rest_framework import serializers

from sellers.api.serializers.references import SellerRefSerializer
from sellers.models import PartnerGrant, PartnerOrganization


class PartnerRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = PartnerOrganization
        fields = ["id", "name"]
        read_only_fields = fields


class GrantSerializer(serializers.ModelSerializer):
    seller = SellerRefSerializer(source="company")
    partner = PartnerRefSerializer()

    class Meta:
        model = PartnerGrant
        fields = ["id", "seller", "partner", "granted_at"]
        read_only_fields = fields
