"""Partner REST API v1.

The views check the shape of a request, call the seller services or the workflow, and render
the result; every rule lives behind those calls. A key only ever sees the applications of the
companies it acts for: anything else is answered as if it did not exist.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from brandprogram.problems import nest_field_errors
from sellers.errors import ApplicationError
from sellers.models import Application
from sellers.models.partner import Scope
from sellers.serializers import (
    ApplicationCreateSerializer,
    ApplicationFilterSerializer,
    ApplicationSerializer,
    EventSerializer,
    EvidenceSerializer,
    EvidenceUploadSerializer,
    internal_statuses,
)
from sellers.services import TrademarkInput, application_create, evidence_add
from sellers.workflow import application_transition

# The service names its inputs after its keyword arguments; the API after the request body.
REQUEST_FIELDS = {
    "brand_name": "brand.name",
    "trademark_number": "trademark.number",
    "nice_classes": "trademark.nice_classes",
    "owner_name": "trademark.owner_name",
}


def _as_request_errors(exc: DjangoValidationError) -> ValidationError:
    """The service's field errors, renamed and nested the way the request body is."""
    renamed = {
        REQUEST_FIELDS.get(name, name): messages for name, messages in exc.message_dict.items()
    }
    return ValidationError(nest_field_errors(renamed))


class HasScope(permissions.BasePermission):
    """The key must carry the scope that the view's ``required_scopes`` gives the action."""

    code = "insufficient_scope"

    def has_permission(self, request, view) -> bool:
        scope = view.required_scopes.get(view.action)
        if scope is None:
            self.message = "This operation is not available through the API."
            return False
        if scope in request.user.actor.scopes:
            return True
        self.message = f"This API key does not have the {scope} scope."
        return False


class ApplicationPagination(CursorPagination):
    # A cursor stays correct while applications are created and updated between pages,
    # which page numbers would not.
    ordering = ("-updated_at", "-pk")
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


class ApplicationViewSet(viewsets.GenericViewSet):
    permission_classes = [permissions.IsAuthenticated, HasScope]
    serializer_class = ApplicationSerializer
    pagination_class = ApplicationPagination
    lookup_value_regex = r"\d+"
    # No OPTIONS schema: the operations are documented, and every request needs a scope.
    metadata_class = None
    required_scopes = {
        "list": Scope.APPLICATIONS_READ.value,
        "retrieve": Scope.APPLICATIONS_READ.value,
        "events": Scope.APPLICATIONS_READ.value,
        "evidence": Scope.APPLICATIONS_READ.value,
        "create": Scope.APPLICATIONS_WRITE.value,
        "submit": Scope.APPLICATIONS_WRITE.value,
        "withdraw": Scope.APPLICATIONS_WRITE.value,
        "evidence_upload": Scope.EVIDENCE_WRITE.value,
    }

    def get_queryset(self):
        return (
            Application.objects.filter(company_id__in=self.request.user.actor.company_ids)
            .select_related("company", "program", "brand", "trademark")
            .prefetch_related("categories")
        )

    def list(self, request):
        filters = ApplicationFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        queryset = self.get_queryset()
        if "status" in filters.validated_data:
            queryset = queryset.filter(
                status__in=internal_statuses(filters.validated_data["status"])
            )
        if "seller" in filters.validated_data:
            queryset = queryset.filter(company_id=filters.validated_data["seller"])
        if "updated_since" in filters.validated_data:
            queryset = queryset.filter(updated_at__gte=filters.validated_data["updated_since"])
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        return Response(self.get_serializer(self.get_object()).data)

    def create(self, request):
        payload = ApplicationCreateSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        try:
            application = application_create(
                actor=request.user.actor,
                company_id=data["seller"],
                program_id=data["program"],
                brand_name=data["brand"]["name"],
                brand_native_name=data["brand"]["native_name"],
                trademark=TrademarkInput(**data["trademark"]),
                category_ids=data["categories"],
            )
        except DjangoValidationError as exc:
            raise _as_request_errors(exc) from exc
        except ApplicationError as exc:
            if exc.field in REQUEST_FIELDS:
                raise ApplicationError(
                    exc.message, code=exc.code, field=REQUEST_FIELDS[exc.field]
                ) from exc
            raise
        body = self.get_serializer(self.get_queryset().get(pk=application.pk)).data
        return Response(
            body, status=status.HTTP_201_CREATED, headers={"Location": body["links"]["self"]}
        )

    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._transition("submit")

    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self._transition("withdraw")

    @action(detail=True, methods=["get"])
    def evidence(self, request, pk=None):
        application = self.get_object()
        return Response(EvidenceSerializer(application.evidence.all(), many=True).data)

    @evidence.mapping.post
    def evidence_upload(self, request, pk=None):
        application = self.get_object()
        upload = EvidenceUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        evidence = evidence_add(
            actor=request.user.actor,
            application_id=application.pk,
            kind=upload.validated_data["kind"],
            upload=upload.validated_data["file"],
        )
        return Response(EvidenceSerializer(evidence).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["get"])
    def events(self, request, pk=None):
        application = self.get_object()
        # Screening and reviewer steps are internal; the seller's timeline skips them.
        events = application.events.filter(seller_visible=True)
        return Response(EventSerializer(events, many=True).data)

    def _transition(self, action_name: str) -> Response:
        application = self.get_object()
        application_transition(
            application_id=application.pk, action=action_name, actor=self.request.user.actor
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=application.pk)).data)
