"""The shape of a roster entry in the partner API (sellers.roster builds it)."""

from rest_framework import serializers

from sellers.models import SellerCompany
from sellers.roster import roster_entry


class RosterBrandSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    native_name = serializers.CharField(help_text="The brand's name in its native script, if any.")


class RosterCompanySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    legal_name = serializers.CharField()
    country = serializers.CharField(help_text="ISO 3166 alpha-2 code.")


class RosterEntrySerializer(serializers.Serializer):
    """A brand admitted to the program, with the company that owns it."""

    id = serializers.IntegerField(help_text="The admitted application's id.")
    brand = RosterBrandSerializer()
    company = RosterCompanySerializer(help_text="The seller company that owns the brand.")
    categories = serializers.ListField(
        child=serializers.CharField(), help_text="Codes of the categories it is admitted for."
    )
    tier = serializers.ChoiceField(
        SellerCompany.Tier.choices, help_text="The company's tier this month."
    )
    admitted_since = serializers.DateTimeField(allow_null=True)
    status = serializers.ChoiceField(
        ["admitted", "suspended", "revoked"],
        help_text="Admitted, or suspended until a problem is fixed; revoked only in events.",
    )

    def to_representation(self, instance) -> dict:
        # One shape for the API and the brand.* webhook events.
        return roster_entry(instance)
