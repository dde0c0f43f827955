"""Reviewer API for internal tools: the queues, claim-next and decisions.

Authentication is an API key held by a platform reviewer, with the ``review`` scope (issued
by ``manage.py issue_reviewer_key``); the key acts as that reviewer, so the workflow, queue
membership and declared conflicts apply exactly as on the reviewer pages. Partner and seller
keys never carry the scope and are refused with 403; applications of a company the reviewer
declared a conflict with answer 404.
"""

from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import permissions, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from brandprogram.errors import ApplicationError
from reviews import queues, selectors
from reviews.models import QueueItem, ReviewQueue
from sellers.access import Door, visible
from sellers.api.base import PartnerViewSet
from sellers.api.pagination import IdPagination
from sellers.api.permissions import HasScope
from sellers.models import Application, Evidence
from sellers.models.partner import Scope
from sellers.services.decisions import changes_request
from sellers.workflow.transition import application_transition

REVIEW = Scope.REVIEW.value
DECISIONS = ("approve", "reject", "request_changes", "release")


class IsReviewer(permissions.BasePermission):
    code = "not_a_reviewer"
    message = "The holder of this API key is no longer a reviewer."

    def has_permission(self, request, view) -> bool:
        return request.user.actor.is_reviewer


class QueueSerializer(serializers.ModelSerializer):
    waiting = serializers.IntegerField(help_text="Items nobody holds yet.")
    in_review = serializers.IntegerField(help_text="Items a reviewer holds.")
    breached = serializers.IntegerField(help_text="Open items past their due time.")
    oldest_entered_at = serializers.DateTimeField(
        allow_null=True, help_text="When the oldest waiting item arrived; null if none waits."
    )

    class Meta:
        model = ReviewQueue
        fields = [
            "id",
            "name",
            "risk_level",
            "assignment_mode",
            "sla_business_days",
            "waiting",
            "in_review",
            "breached",
            "oldest_entered_at",
        ]
        read_only_fields = fields


class ReviewApplicationSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(
        read_only=True, help_text="The number the seller quotes, as TCB-<year started>-<id>."
    )
    brand = serializers.CharField(source="brand.name")
    company = serializers.CharField(source="company.legal_name")
    assignee = serializers.CharField(source="assignee.username", allow_null=True, default=None)

    class Meta:
        model = Application
        fields = [
            "id",
            "reference",
            "status",
            "brand",
            "company",
            "risk_score",
            "submitted_at",
            "assignee",
        ]
        read_only_fields = fields


class QueueItemSerializer(serializers.ModelSerializer):
    application = ReviewApplicationSerializer()
    assignee = serializers.CharField(source="assignee.username", allow_null=True, default=None)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = QueueItem
        fields = [
            "id",
            "queue",
            "application",
            "assignee",
            "priority",
            "entered_at",
            "due_at",
            "escalated_at",
            "overdue",
        ]
        read_only_fields = fields

    def get_overdue(self, item) -> bool:
        return item.due_at < timezone.now()


class DecisionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=DECISIONS)
    message = serializers.CharField(
        max_length=5000,
        required=False,
        allow_blank=True,
        default="",
        help_text="Shown to the seller; required to reject or request changes.",
    )
    requested_evidence = serializers.ListField(
        child=serializers.ChoiceField(choices=Evidence.Kind.values),
        required=False,
        default=list,
        max_length=len(Evidence.Kind.values),
        help_text="With request_changes: the evidence kinds the seller should look at again.",
    )


# Shared by the reviewer endpoints. (A comment, not a docstring: the schema shows docstrings.)
class ReviewerViewSet(PartnerViewSet):
    permission_classes = [permissions.IsAuthenticated, HasScope, IsReviewer]


def _items_for(actor, queue):
    return (
        visible(
            QueueItem.objects.open().filter(queue=queue),
            actor,
            doors=Door.STAFF,
            company="application__company",
        )
        .select_related("application__company", "application__brand", "application__assignee")
        .select_related("assignee")
    )


class ItemPagination(IdPagination):
    ordering = ("due_at", "-priority", "entered_at", "pk")


@extend_schema_view(
    list=extend_schema(
        summary="The review queues you work, with counts",
        responses=QueueSerializer(many=True),
    ),
    items=extend_schema(
        summary="Open items of a queue, by due time, then priority, then age",
        responses=QueueItemSerializer(many=True),
        description=(
            "One page of the queue's open items (50 unless page_size asks for up to 100). "
            "Follow the next and previous links, which carry an opaque cursor, to page through "
            "the queue in the same order; a page is as quick at the end of the queue as at its "
            "start."
        ),
    ),
    claim_next=extend_schema(
        summary="Claim the next free item of a queue",
        request=None,
        responses={
            200: QueueItemSerializer,
            204: None,
        },
        description="Answers 204 when nothing is free for you in the queue.",
    ),
)
class ReviewQueueViewSet(ReviewerViewSet):
    """Review queues you are a member of (all of them for a program manager)."""

    serializer_class = QueueSerializer
    required_scopes = {"list": REVIEW, "items": REVIEW, "claim_next": REVIEW}

    def get_queryset(self):
        return selectors.queues_with_counts(actor=self.request.user.actor)

    def list(self, request):
        return Response(self.get_serializer(self.get_queryset(), many=True).data)

    @action(detail=True, methods=["get"], pagination_class=ItemPagination)
    def items(self, request, pk=None):
        queue = self.get_object()
        page = self.paginate_queryset(_items_for(request.user.actor, queue))
        return self.get_paginated_response(QueueItemSerializer(page, many=True).data)

    @action(detail=True, methods=["post"], url_path="claim-next")
    def claim_next(self, request, pk=None):
        queue = self.get_object()
        application = queues.queue_item_claim_next(queue_id=queue.pk, actor=request.user.actor)
        if application is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        item = _items_for(request.user.actor, queue).get(application_id=application.pk)
        return Response(QueueItemSerializer(item).data)


@extend_schema_view(
    decide=extend_schema(
        summary="Decide an application you hold, or release it to its queue",
        request={"application/json": DecisionSerializer},
        responses=ReviewApplicationSerializer,
    ),
)
class ReviewDecisionViewSet(ReviewerViewSet):
    """Applications in review, as the reviewer holding the key sees them."""

    serializer_class = ReviewApplicationSerializer
    required_scopes = {"decide": REVIEW}

    def get_queryset(self):
        return visible(
            Application.objects.select_related("brand", "company", "assignee"),
            self.request.user.actor,
            doors=Door.STAFF,
        )

    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        application = self.get_object()
        payload = DecisionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        actor = request.user.actor
        try:
            if data["action"] == "request_changes":
                changes_request(
                    actor=actor,
                    application_id=application.pk,
                    note=data["message"],
                    evidence_kinds=data["requested_evidence"],
                )
            else:
                application_transition(
                    application_id=application.pk,
                    action=data["action"],
                    actor=actor,
                    note=data["message"],
                )
        except ApplicationError as exc:
            # The workflow names the note; this request body calls it the message.
            field = "message" if exc.field == "note" else exc.field
            raise ApplicationError(exc.message, code=exc.code, field=field) from exc
        application = Application.objects.select_related("brand", "company", "assignee").get(
            pk=application.pk
        )
        return Response(self.get_serializer(application).data)
