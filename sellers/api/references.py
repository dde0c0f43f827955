"""Partner API v1: reference data of the sellers a key acts for: brands, trademarks (with the
control of their registry record) and supply-chain facilities; anyone else's is answered 404."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from sellers.access import Door, visible
from sellers.api.base import PartnerViewSet
from sellers.api.context import partner_call
from sellers.api.pagination import IdPagination
from sellers.api.permissions import READ, WRITE
from sellers.api.serializers.references import (
    BrandResourceSerializer,
    FacilitySerializer,
    TrademarkResourceSerializer,
    VerificationCodeConfirmSerializer,
    VerificationCodeSerializer,
)
from sellers.models import Brand, Facility, Trademark
from sellers.selectors import record_control_verified_at
from sellers.services.record_control import trademark_code_confirm, trademark_code_send


# Reference data of the sellers the key acts for; anyone else's is answered 404.
class ReadOnlyPartnerViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, PartnerViewSet):
    pagination_class = IdPagination
    required_scopes = {"list": READ, "retrieve": READ}

    def visible(self, queryset, *, company: str = "company"):
        return visible(
            queryset, partner_call(self.request).actor, doors=Door.SELLER, company=company
        )


@extend_schema_view(
    list=extend_schema(summary="List brands"), retrieve=extend_schema(summary="Read a brand")
)
class BrandViewSet(ReadOnlyPartnerViewSet):
    """Brands of the sellers this key acts for, with their trademarks."""

    serializer_class = BrandResourceSerializer

    def get_queryset(self):
        return (
            self.visible(Brand.objects.all())
            .select_related("company")
            .prefetch_related("trademarks")
        )


@extend_schema_view(
    list=extend_schema(summary="List trademarks with their authorization chains"),
    retrieve=extend_schema(summary="Read a trademark with its authorization chain"),
)
class TrademarkViewSet(ReadOnlyPartnerViewSet):
    """Trademarks and the chain of authorizations from the owner down to the seller."""

    serializer_class = TrademarkResourceSerializer
    required_scopes = {
        **ReadOnlyPartnerViewSet.required_scopes,
        "verification_code": WRITE,
        "verification_code_confirm": WRITE,
    }

    def get_queryset(self):
        return (
            self.visible(Trademark.objects.all(), company="brand__company")
            .select_related("brand")
            .prefetch_related("authorization_links")
            .annotate(record_control_verified_at=record_control_verified_at())
        )

    @extend_schema(
        summary="Mail a verification code to the correspondent on the registry record",
        description="Proves control of the trademark record: the code goes to the "
        "correspondent email the registry holds for this office and number, never to an "
        "address given here. A new code replaces the previous one; codes can be asked for "
        "again after a short pause, a few times a day. 409 when the registry has no record, "
        "no email on it, or no data for the office.",
        request=None,
        responses={201: VerificationCodeSerializer},
    )
    @action(detail=True, methods=["post"], url_path="verification-code")
    def verification_code(self, request, pk=None):
        mark = self.get_object()
        code = trademark_code_send(actor=partner_call(request).actor, trademark_id=mark.pk)
        return Response(VerificationCodeSerializer(code).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Enter the verification code",
        description="A wrong code answers 400 with the attempts left; an expired code, one "
        "with no attempts left, or no code at all answers 409: ask for a new one.",
        request={"application/json": VerificationCodeConfirmSerializer},
        responses={200: VerificationCodeSerializer},
    )
    @action(detail=True, methods=["post"], url_path="verification-code/confirm")
    def verification_code_confirm(self, request, pk=None):
        mark = self.get_object()
        payload = VerificationCodeConfirmSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        code = trademark_code_confirm(
            actor=partner_call(request).actor,
            trademark_id=mark.pk,
            code=payload.validated_data["code"],
        )
        return Response(VerificationCodeSerializer(code).data)


@extend_schema_view(
    list=extend_schema(summary="List supply-chain facilities"),
    retrieve=extend_schema(summary="Read a supply-chain facility"),
)
class FacilityViewSet(ReadOnlyPartnerViewSet):
    """Factories that make the sellers' products, with their quality certifications."""

    serializer_class = FacilitySerializer

    def get_queryset(self):
        return (
            self.visible(Facility.objects.all())
            .select_related("company")
            .prefetch_related("certifications")
        )
