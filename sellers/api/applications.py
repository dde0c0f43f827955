"""Partner API v1: applications, from draft to decision, with their evidence and timeline.

The views check the shape of a request, call the seller services or the workflow, and render
the result; every rule lives behind those calls. A key only ever sees the applications of the
companies it acts for: anything else is answered as if it did not exist.
"""

import hashlib

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from brandprogram.errors import ApplicationError
from brandprogram.problems import ProblemSerializer, nest_field_errors
from sellers.access import Door, may_see, visible
from sellers.api import cache
from sellers.api.answers import answer_row, answer_rows, with_codes
from sellers.api.base import PartnerViewSet
from sellers.api.context import partner_call
from sellers.api.pagination import ApplicationPagination, IdPagination, PageRows
from sellers.api.permissions import EVIDENCE_WRITE, READ, WRITE
from sellers.api.schema import PROBLEM_MEDIA_TYPE
from sellers.api.serializers.applications import (
    ApplicationCreateSerializer,
    ApplicationFilterSerializer,
    ApplicationSerializer,
    ApplicationUpdateSerializer,
    EventSerializer,
    EvidenceReplaceSerializer,
    EvidenceSerializer,
    EvidenceUploadSerializer,
    application_answer,
    internal_statuses,
    link_patterns,
)
from sellers.api.serializers.messages import MessageCreateSerializer, MessageSerializer
from sellers.conversation import attachment_check_servable
from sellers.models import Application, ApplicationMessage, MessageAttachment
from sellers.portal.files import message_attachment_response
from sellers.services.applications import (
    TrademarkInput,
    application_create,
    application_update_draft,
)
from sellers.services.evidence import (
    EXTENSIONS,
    evidence_add,
    evidence_remove,
    evidence_replace,
)
from sellers.services.messages import application_message_post
from sellers.workflow.transition import application_transition

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


def _with_request_fields(exc: ApplicationError) -> ApplicationError:
    if exc.field in REQUEST_FIELDS:
        return ApplicationError(exc.message, code=exc.code, field=REQUEST_FIELDS[exc.field])
    return exc


class PreconditionRequired(APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_code = "precondition_required"
    default_detail = "Send If-Match with the ETag from your last read of this application."


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = "precondition_failed"
    default_detail = (
        "The application changed since you read it (If-Match does not match its ETag); "
        "read it again and reapply your edit."
    )


def application_etag(pk: int, updated_at) -> str:
    """A strong validator that changes whenever the application is saved."""
    version = f"{pk}:{updated_at.isoformat()}"
    return '"' + hashlib.sha256(version.encode()).hexdigest()[:32] + '"'


def _if_match_allows(header: str, application: Application) -> bool:
    tags = {tag.strip() for tag in header.split(",")}
    return "*" in tags or application_etag(application.pk, application.updated_at) in tags


ETAG_HEADER = OpenApiParameter(
    "ETag",
    str,
    OpenApiParameter.HEADER,
    response=[200],
    description="The application's current version; send it back as If-Match to edit.",
)
# What a conversation's file may be: its type was recognised from its bytes on upload.
ATTACHMENT_MEDIA_TYPES = tuple(EXTENSIONS)
EVIDENCE_ID = OpenApiParameter("evidence_id", int, OpenApiParameter.PATH)
IF_MATCH_HEADER = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    required=True,
    description="The ETag from your last read of the application.",
)


@extend_schema_view(
    list=extend_schema(
        summary="List applications",
        parameters=[ApplicationFilterSerializer],
        responses=ApplicationSerializer(many=True),
    ),
    create=extend_schema(
        summary="Start a draft application",
        request={"application/json": ApplicationCreateSerializer},
        responses={201: ApplicationSerializer},
    ),
    retrieve=extend_schema(
        summary="Read an application", responses=ApplicationSerializer, parameters=[ETAG_HEADER]
    ),
    partial_update=extend_schema(
        summary="Edit a draft",
        description="Brand native name, trademark fields and categories, while the "
        "application is a draft or changes are requested. Parts left out stay as they are.",
        request={"application/json": ApplicationUpdateSerializer},
        responses=ApplicationSerializer,
        parameters=[IF_MATCH_HEADER, ETAG_HEADER],
    ),
    submit=extend_schema(
        summary="Submit a draft for review", request=None, responses=ApplicationSerializer
    ),
    resubmit=extend_schema(
        summary="Submit again after changes were requested",
        request=None,
        responses=ApplicationSerializer,
    ),
    withdraw=extend_schema(
        summary="Withdraw an open application", request=None, responses=ApplicationSerializer
    ),
    evidence_remove=extend_schema(
        summary="Remove evidence",
        description="While the application is a draft or changes are requested. The file is "
        "kept for the history, withdrawn: it no longer counts for the application and leaves "
        "the evidence list. Removing a file already withdrawn changes nothing (204 again).",
        parameters=[EVIDENCE_ID],
        request=None,
        responses={204: None},
    ),
    evidence_replace=extend_schema(
        summary="Replace evidence with a corrected file",
        description="While the application is a draft or changes are requested. The new file "
        "takes the old one's kind and place; the old one is kept for the history, withdrawn, "
        "and the answer's `replaces` names it. Sending the same file again for the same "
        "evidence replaces once and answers with the file the first request stored; a "
        "different file for evidence already replaced is refused (409 `already_replaced`). "
        "A refused file (wrong type, hostile content) leaves the old one in place.",
        parameters=[EVIDENCE_ID],
        request={"multipart/form-data": EvidenceReplaceSerializer},
        responses={201: EvidenceSerializer},
    ),
    events=extend_schema(
        summary="The application's timeline", responses=EventSerializer(many=True)
    ),
)
class ApplicationViewSet(PartnerViewSet):
    """Applications of the sellers this key acts for, from draft to decision."""

    serializer_class = ApplicationSerializer
    cached_actions = frozenset({"retrieve"})
    cached_list_actions = frozenset({"list"})
    pagination_class = ApplicationPagination
    required_scopes = {
        "list": READ,
        "retrieve": READ,
        "events": READ,
        "evidence": READ,
        "messages": READ,
        "message_attachment": READ,
        "create": WRITE,
        "partial_update": WRITE,
        "submit": WRITE,
        "resubmit": WRITE,
        "withdraw": WRITE,
        "message_post": WRITE,
        "evidence_upload": EVIDENCE_WRITE,
        "evidence_remove": EVIDENCE_WRITE,
        "evidence_replace": EVIDENCE_WRITE,
    }

    def get_queryset(self):
        return visible(
            Application.objects.all(), partner_call(self.request).actor, doors=Door.SELLER
        )

    def get_object(self) -> Application:
        """The application the URL names, with only what the actions read of it (its id, seller
        and version), if this key acts for its seller; else 404."""
        return self._visible_one(
            Application.objects.only("pk", "company_id", "updated_at"), int(self.kwargs["pk"])
        )

    def _visible_one(self, applications, pk: int) -> Application:
        # Read by id and checked with may_see, rather than filtered by the sellers' ids: a key
        # that acts for a thousand sellers would send all their ids with every read.
        application = applications.filter(pk=pk).first()
        actor = partner_call(self.request).actor
        if application is None or not may_see(actor, application.company_id, doors=Door.SELLER):
            raise Http404
        self.check_object_permissions(self.request, application)
        return application

    def list(self, request):
        # Only a request that was answered 200 leaves a page, so a stored one stands for a
        # valid filter and cursor.
        read = cache.list_read(request)
        if read is not None and read.body is not None:
            return HttpResponse(read.body, content_type=JSONRenderer.media_type)
        response = self._list(request)
        cache.list_keep(read, response)
        return response

    def _list(self, request):
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
        # The ids come from the visible applications only.
        page = self.paginate_queryset(
            PageRows(keys=queryset.only("pk", "updated_at"), rows=answer_rows())
        )
        links = link_patterns(request)
        return self.get_paginated_response(
            [application_answer(row, links) for row in with_codes(page)]
        )

    def retrieve(self, request, pk=None):
        answer = cache.answer_for(request, int(pk))
        if answer is not None:
            return HttpResponse(
                answer.body, content_type=JSONRenderer.media_type, headers={"ETag": answer.etag}
            )
        tokens = cache.tokens_before_read(request, int(pk))
        row = self._visible_row(int(pk))
        # Rendered once, for the answer and for its copy in the cache (plain JSON only), and
        # sent as a stored answer is; in the format the client asked for (an indent).
        etag = application_etag(row["pk"], row["updated_at"])
        body = JSONRenderer().render(
            application_answer(row, link_patterns(request)),
            request.accepted_media_type,
            self.get_renderer_context(),
        )
        cache.answer_keep(
            request,
            application_id=row["pk"],
            company_id=row["company_id"],
            body=body,
            etag=etag,
            tokens=tokens,
        )
        return HttpResponse(body, content_type=JSONRenderer.media_type, headers={"ETag": etag})

    def create(self, request):
        payload = ApplicationCreateSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        try:
            application = application_create(
                actor=partner_call(request).actor,
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
            raise _with_request_fields(exc) from exc
        response = self._current(application.pk, status_code=status.HTTP_201_CREATED)
        response["Location"] = response.data["links"]["self"]
        return response

    def partial_update(self, request, pk=None):
        application = self.get_object()
        if_match = request.headers.get("If-Match")
        if if_match is None:
            raise PreconditionRequired
        if not _if_match_allows(if_match, application):
            raise PreconditionFailed
        payload = ApplicationUpdateSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        try:
            application_update_draft(
                actor=partner_call(request).actor,
                application_id=application.pk,
                # The version checked above, checked again under the row lock.
                unchanged_since=application.updated_at,
                brand_native_name=data.get("brand", {}).get("native_name"),
                trademark_changes=dict(data["trademark"]) if "trademark" in data else None,
                category_ids=data.get("categories"),
            )
        except DjangoValidationError as exc:
            raise _as_request_errors(exc) from exc
        except ApplicationError as exc:
            if exc.code == "changed_meanwhile":
                raise PreconditionFailed from exc
            raise _with_request_fields(exc) from exc
        return self._current(application.pk)

    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._transition("submit")

    @action(detail=True, methods=["post"])
    def resubmit(self, request, pk=None):
        return self._transition("resubmit")

    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self._transition("withdraw")

    # Decorated here rather than in extend_schema_view: the GET and the POST share one route.
    @extend_schema(
        summary="List an application's evidence", responses=EvidenceSerializer(many=True)
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def evidence(self, request, pk=None):
        application = self.get_object()
        # The files the application stands on now; those replaced or removed are history.
        current = application.evidence.current().select_related("replaces")
        return Response(EvidenceSerializer(current, many=True).data)

    @extend_schema(
        summary="Upload evidence",
        description="The file types accepted are listed once, in GET /categories/ "
        "(accepted_file_types); they are recognised from the file's content.",
        request={"multipart/form-data": EvidenceUploadSerializer},
        responses={201: EvidenceSerializer},
    )
    @evidence.mapping.post
    def evidence_upload(self, request, pk=None):
        application = self.get_object()
        upload = EvidenceUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        evidence = evidence_add(
            actor=partner_call(request).actor,
            application_id=application.pk,
            kind=upload.validated_data["kind"],
            upload=upload.validated_data["file"],
        )
        return Response(EvidenceSerializer(evidence).data, status=status.HTTP_201_CREATED)

    @action(
        detail=True,
        methods=["delete"],
        url_path=r"evidence/(?P<evidence_id>\d+)",
        url_name="evidence-item",
    )
    def evidence_remove(self, request, pk=None, evidence_id=None):
        application = self.get_object()
        evidence = get_object_or_404(application.evidence.all(), pk=evidence_id)
        evidence_remove(
            actor=partner_call(request).actor,
            application_id=application.pk,
            evidence_id=evidence.pk,
        )
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Read the conversation with the review team",
        description="Oldest message first, paged with a cursor: keep the last `next` link "
        "to collect new messages later.",
        responses=MessageSerializer(many=True),
    )
    @action(detail=True, methods=["get"], pagination_class=IdPagination)
    def messages(self, request, pk=None):
        application = self.get_object()
        page = self.paginate_queryset(
            ApplicationMessage.objects.filter(application_id=application.pk).prefetch_related(
                "attachments"
            )
        )
        return self.get_paginated_response(
            MessageSerializer(page, many=True, context={"request": request}).data
        )

    @extend_schema(
        summary="Download a file sent in the conversation",
        description="The file's bytes, with its detected type as Content-Type and its name "
        "(with the extension of that type) in Content-Disposition. Files are scanned for "
        "malware after the message is stored: until the scan finds the file clean the answer "
        "is 409 `attachment_being_checked` (retry a little later), and a file in which malware "
        "was found is never handed out (409 `attachment_blocked`). Its `scan_status` in the "
        "conversation says which.",
        parameters=[
            OpenApiParameter("message_id", int, OpenApiParameter.PATH),
            OpenApiParameter("attachment_id", int, OpenApiParameter.PATH),
        ],
        responses={
            **{
                (200, media_type): OpenApiResponse(OpenApiTypes.BINARY, description="The file.")
                for media_type in ATTACHMENT_MEDIA_TYPES
            },
            (409, PROBLEM_MEDIA_TYPE): OpenApiResponse(
                ProblemSerializer,
                description="The file is still being checked for malware "
                "(`attachment_being_checked`), or malware was found in it "
                "(`attachment_blocked`).",
            ),
        },
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"messages/(?P<message_id>\d+)/attachments/(?P<attachment_id>\d+)",
        url_name="message-attachment",
        pagination_class=None,
    )
    def message_attachment(self, request, pk=None, message_id=None, attachment_id=None):
        application = self.get_object()
        attachment = get_object_or_404(
            MessageAttachment.objects.filter(
                message_id=message_id, message__application_id=application.pk
            ),
            pk=attachment_id,
        )
        attachment_check_servable(attachment)
        # Bytes straight from here rather than through the media host: API clients hold a key,
        # not the portal's cookies, so a hostile file has nothing to run with.
        return message_attachment_response(attachment)

    @extend_schema(
        summary="Write to the review team",
        description="Answers a change request (or asks a question) without resubmitting: the "
        "status stays as it is. The reviewer concerned is notified. Files go with "
        "multipart/form-data, checked like evidence.",
        request={
            "application/json": MessageCreateSerializer,
            "multipart/form-data": MessageCreateSerializer,
        },
        responses={201: MessageSerializer},
    )
    @messages.mapping.post
    def message_post(self, request, pk=None):
        application = self.get_object()
        payload = MessageCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        message = application_message_post(
            actor=partner_call(request).actor,
            application_id=application.pk,
            body=payload.validated_data["body"],
            attachments=payload.validated_data["attachments"],
        )
        return Response(
            MessageSerializer(message, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )

    @action(
        detail=True,
        methods=["post"],
        url_path=r"evidence/(?P<evidence_id>\d+)/replace",
        url_name="evidence-replace",
    )
    def evidence_replace(self, request, pk=None, evidence_id=None):
        application = self.get_object()
        old = get_object_or_404(application.evidence.all(), pk=evidence_id)
        upload = EvidenceReplaceSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        new = evidence_replace(
            actor=partner_call(request).actor,
            application_id=application.pk,
            evidence_id=old.pk,
            upload=upload.validated_data["file"],
        )
        return Response(EvidenceSerializer(new).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["get"], pagination_class=None)
    def events(self, request, pk=None):
        application = self.get_object()
        # Screening and reviewer steps are internal; the seller's timeline skips them.
        events = application.events.filter(seller_visible=True)
        return Response(EventSerializer(events, many=True).data)

    def _transition(self, action_name: str) -> Response:
        # The key's reach is checked on the row the transition locks, not on a read before it.
        try:
            application = application_transition(
                application_id=int(self.kwargs["pk"]),
                action=action_name,
                actor=partner_call(self.request).actor,
                door=Door.SELLER,
            )
        except Application.DoesNotExist:
            raise Http404 from None
        return self._current(application.pk)

    def _current(self, application_id: int, status_code: int = status.HTTP_200_OK) -> Response:
        """The application as stored now, with the ETag an edit must send back."""
        return self._render(self._visible_row(application_id), status_code)

    def _visible_row(self, pk: int) -> dict:
        """The answer's row of the application, if this key acts for its seller; else 404."""
        row = answer_row(pk)
        actor = partner_call(self.request).actor
        if row is None or not may_see(actor, row["company_id"], doors=Door.SELLER):
            raise Http404
        return row

    def _render(self, row: dict, status_code: int = status.HTTP_200_OK) -> Response:
        return Response(
            application_answer(row, link_patterns(self.request)),
            status=status_code,
            headers={"ETag": application_etag(row["pk"], row["updated_at"])},
        )
