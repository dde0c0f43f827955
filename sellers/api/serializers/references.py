"""Shapes of the partner API's reference data: brands, trademarks with their authorization
chains and verification codes, and supply-chain facilities."""

from django.conf import settings
from rest_framework import serializers

from sellers.api.serializers.applications import NiceClassesField
from sellers.models import (
    AuthorizationLink,
    Brand,
    Certification,
    Facility,
    SellerCompany,
    Trademark,
    TrademarkVerificationCode,
)


class SellerRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = SellerCompany
        fields = ["id", "legal_name"]
        read_only_fields = fields


class TrademarkRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Trademark
        fields = ["id", "office", "number"]
        read_only_fields = fields


class BrandResourceSerializer(serializers.ModelSerializer):
    seller = SellerRefSerializer(source="company")
    trademarks = TrademarkRefSerializer(many=True)

    class Meta:
        model = Brand
        fields = ["id", "seller", "name", "native_name", "trademarks", "created_at"]
        read_only_fields = fields


class AuthorizationLinkSerializer(serializers.ModelSerializer):
    class Meta:
        model = AuthorizationLink
        fields = [
            "position",
            "grantor_name",
            "grantee_name",
            "product_scope",
            "territory",
            "valid_from",
            "valid_until",
        ]
        read_only_fields = fields


class BrandRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Brand
        fields = ["id", "name"]
        read_only_fields = fields


class TrademarkResourceSerializer(serializers.ModelSerializer):
    brand = BrandRefSerializer()
    nice_classes = NiceClassesField(read_only=True)
    authorization_links = AuthorizationLinkSerializer(many=True)
    record_control_verified_at = serializers.DateTimeField(
        read_only=True,
        allow_null=True,
        help_text="When a code mailed to the correspondent on the registry record was last "
        "entered correctly for this office and number; null if never.",
    )

    class Meta:
        model = Trademark
        fields = [
            "id",
            "brand",
            "office",
            "number",
            "registration_status",
            "mark_type",
            "nice_classes",
            "owner_name",
            "expires_on",
            "authorization_links",
            "record_control_verified_at",
        ]
        read_only_fields = fields


class VerificationCodeSerializer(serializers.ModelSerializer):
    """A code as the seller may see it: where it went (masked) and how long it stays usable."""

    sent_to = serializers.CharField(
        source="masked_sent_to",
        read_only=True,
        help_text="The correspondent email on the registry record, masked: j***@example.com.",
    )
    sent_at = serializers.DateTimeField(source="created_at", read_only=True)
    attempts_left = serializers.SerializerMethodField()

    class Meta:
        model = TrademarkVerificationCode
        fields = ["sent_to", "sent_at", "expires_at", "attempts_left", "verified_at"]
        read_only_fields = fields

    def get_attempts_left(self, code: TrademarkVerificationCode) -> int:
        if code.verified_at is not None:
            return 0
        return max(0, settings.TRADEMARK_CODE_MAX_ATTEMPTS - code.attempts)


class VerificationCodeConfirmSerializer(serializers.Serializer):
    code = serializers.RegexField(
        r"^\s*\d{6}\s*$",
        max_length=20,
        help_text="The six digits the correspondent received.",
        error_messages={"invalid": "Enter the 6-digit code from the email."},
    )


class CertificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Certification
        fields = ["standard", "number", "issuer", "scope", "expires_on"]
        read_only_fields = fields


class FacilitySerializer(serializers.ModelSerializer):
    seller = SellerRefSerializer(source="company")
    country = serializers.CharField(source="country.code", help_text="ISO 3166-1 alpha-2.")
    certifications = CertificationSerializer(many=True)

    class Meta:
        model = Facility
        fields = [
            "id",
            "seller",
            "manufacturer_name",
            "country",
            "ownership",
            "monthly_capacity_units",
            "certifications",
        ]
        read_only_fields = fields
