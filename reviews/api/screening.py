"""The seller-visible part of screening, for the partner API.

A seller learns which checks ran on the latest completed screening and what each found, in
the words written for them and the language the request asks for; risk points, scores and
the evidence the checks used stay with the reviewers.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from brandprogram.phrases import explained
from reviews.models import CheckResult, ScreeningRun
from sellers.access import Door, visible
from sellers.api.base import PartnerViewSet
from sellers.api.permissions import READ
from sellers.models import Application


class SellerCheckResultSerializer(serializers.ModelSerializer):
    check = serializers.CharField(source="check_code")
    explanation = serializers.SerializerMethodField(
        help_text="What the check found, in the request's language (Accept-Language; English "
        "unless it asks for another the service speaks)."
    )

    class Meta:
        model = CheckResult
        fields = ["check", "outcome", "explanation"]
        read_only_fields = fields

    def get_explanation(self, result: CheckResult) -> str:
        return explained(result.explanation_phrases, result.explanation)


class SellerScreeningSerializer(serializers.Serializer):
    application = serializers.IntegerField()
    completed_at = serializers.DateTimeField(
        allow_null=True, help_text="When the latest completed screening finished; null if none."
    )
    results = SellerCheckResultSerializer(many=True)


class ScreeningViewSet(PartnerViewSet):
    """Which checks the latest completed screening ran, and what each found."""

    required_scopes = {"retrieve": READ}
    serializer_class = SellerScreeningSerializer

    def get_queryset(self):
        return visible(Application.objects.all(), self.request.user.actor, doors=Door.SELLER)

    @extend_schema(summary="Results of the latest completed screening")
    def retrieve(self, request, pk=None):
        application = self.get_object()
        run = (
            ScreeningRun.objects.filter(application=application, state=ScreeningRun.State.COMPLETED)
            .order_by("-finished_at", "-pk")
            .first()
        )
        results = run.results.order_by("check_code") if run else CheckResult.objects.none()
        body = {
            "application": application.pk,
            "completed_at": run.finished_at if run else None,
            "results": results,
        }
        return Response(self.get_serializer(body).data)
