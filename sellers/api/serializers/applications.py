"""Shapes of applications in the partner API: what a request must look like and what a
response shows. Input serializers check types and formats only; the rules (trademark number
formats, duplicate applications, which statuses allow what) stay in the services and workflow.
"""

import functools

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from brandprogram.phrases import explained
from sellers.access import Door, may_see
from sellers.api.answers import answer_row
from sellers.api.context import partner_call
from sellers.models import (
    Application,
    ApplicationEvent,
    Brand,
    Category,
    Evidence,
    Program,
    ReasonCode,
    SellerCompany,
    Trademark,
)
from sellers.models.application import application_reference
from sellers.validators import validate_visible_text
from sellers.workflow.table import SELLER_STATUSES, seller_label, seller_status_code

DEFAULT_PROGRAM_SLUG = "thousand-class"

# Several internal statuses share one seller-facing code; the API filters on the codes only.
SELLER_STATUS_CODES = tuple(dict.fromkeys(code for code, _label in SELLER_STATUSES.values()))


def internal_statuses(seller_code: str) -> list[str]:
    return [status for status, (code, _label) in SELLER_STATUSES.items() if code == seller_code]


class SellerSerializer(serializers.ModelSerializer):
    class Meta:
        model = SellerCompany
        fields = ["id", "legal_name"]


class ProgramSerializer(serializers.ModelSerializer):
    class Meta:
        model = Program
        fields = ["id", "name"]


class BrandSerializer(serializers.ModelSerializer):
    class Meta:
        model = Brand
        fields = ["name", "native_name"]


class NiceClassesField(serializers.ListField):
    """Nice classes, as numbers 1 to 45."""

    child = serializers.IntegerField(min_value=1, max_value=45)


class TrademarkSerializer(serializers.ModelSerializer):
    nice_classes = NiceClassesField(read_only=True)
    record_control_verified_at = serializers.DateTimeField(
        read_only=True,
        allow_null=True,
        help_text="When a code mailed to the correspondent on the registry record was last "
        "entered correctly for this office and number; null if never (see "
        "/trademarks/{id}/verification-code/).",
    )

    class Meta:
        model = Trademark
        fields = [
            "id",
            "office",
            "number",
            "registration_status",
            "mark_type",
            "nice_classes",
            "owner_name",
            "expires_on",
            "record_control_verified_at",
        ]


class ApplicationLinksSerializer(serializers.Serializer):
    self = serializers.URLField(help_text="This application.")
    events = serializers.URLField(help_text="Its timeline.")
    evidence = serializers.URLField(help_text="Its evidence documents.")
    messages = serializers.URLField(help_text="Its conversation with the review team.")


# The DRF fields that format dates and times in every answer (ISO 8601, UTC as "Z").
_DATETIME = serializers.DateTimeField()
_DATE = serializers.DateField()
LINK_VIEWS = {
    "self": "api:application-detail",
    "events": "api:application-events",
    "evidence": "api:application-evidence",
    "messages": "api:application-messages",
}
# Stands for the id while the links are reversed, once a request; the host and the path before
# the id cannot hold it.
LINK_PLACEHOLDER = 987654321987654321
LINK_PLACEHOLDER_SEGMENT = f"/{LINK_PLACEHOLDER}/"


def link_patterns(request) -> dict[str, str]:
    """Each link with a placeholder id, for every application rendered."""
    paths = _link_paths(get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    return {name: request.build_absolute_uri(path) for name, path in paths.items()}


@functools.cache
def _link_paths(script_prefix: str, urlconf) -> dict[str, str]:
    """Each link's path with a placeholder id, reversed once per script prefix and URL
    configuration (what reversing reads): reversing them for every answer took a tenth of its
    time. The API has no versioning scheme, which would reverse them otherwise."""
    kwargs = {"pk": LINK_PLACEHOLDER}
    return {
        name: reverse(view, urlconf=urlconf, kwargs=kwargs) for name, view in LINK_VIEWS.items()
    }


def application_answer(row: dict, links: dict[str, str]) -> dict:
    """An application as its seller sees it, from its row (sellers.api.answers.ANSWER_COLUMNS,
    with the verification time and the categories' codes): the shape ApplicationSerializer
    declares, built directly, since the generic walk over its fields and nested serializers
    cost more than the query. Dates and times are formatted by the same DRF fields that walk
    would use; ``links`` come from ``link_patterns``."""
    moment = _DATETIME.to_representation
    pk, codes = row["pk"], row["category_codes"]
    return {
        "id": pk,
        "reference": application_reference(pk, row["created_at"]),
        "seller": {"id": row["company_id"], "legal_name": row["company__legal_name"]},
        "program": {"id": row["program_id"], "name": row["program__name"]},
        "brand": {"name": row["brand__name"], "native_name": row["brand__native_name"]},
        "trademark": {
            "id": row["trademark_id"],
            "office": row["trademark__office"],
            "number": row["trademark__number"],
            "registration_status": row["trademark__registration_status"],
            "mark_type": row["trademark__mark_type"],
            "nice_classes": [int(number) for number in row["trademark__nice_classes"]],
            "owner_name": row["trademark__owner_name"],
            "expires_on": _DATE.to_representation(row["trademark__expires_on"]),
            "record_control_verified_at": moment(row["trademark_record_control_verified_at"]),
        },
        # Codes are slugs and hold no comma; in the categories' own order (by name).
        "categories": codes.split(",") if codes else [],
        "status": seller_status_code(row["status"]),
        "status_label": seller_label(row["status"]),
        "submitted_at": moment(row["submitted_at"]),
        "decided_at": moment(row["decided_at"]),
        "created_at": moment(row["created_at"]),
        "updated_at": moment(row["updated_at"]),
        "links": application_links(links, pk),
    }


def application_links(patterns: dict[str, str], pk: int) -> dict[str, str]:
    segment = f"/{pk}/"
    return {
        name: pattern.replace(LINK_PLACEHOLDER_SEGMENT, segment, 1)
        for name, pattern in patterns.items()
    }


class ApplicationSerializer(serializers.ModelSerializer):
    """An application as its seller sees it: seller-facing status, no reviewer data.

    Declares the answer's shape for the API description; the views render their rows with
    ``application_answer``."""

    reference = serializers.CharField(
        read_only=True,
        help_text="The number the seller and the reviewers quote, as TCB-<year started>-<id>.",
    )
    seller = SellerSerializer(source="company")
    program = ProgramSerializer()
    brand = BrandSerializer()
    trademark = TrademarkSerializer()
    categories = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    status = serializers.SerializerMethodField()
    status_label = serializers.SerializerMethodField()
    links = serializers.SerializerMethodField()

    class Meta:
        model = Application
        fields = [
            "id",
            "reference",
            "seller",
            "program",
            "brand",
            "trademark",
            "categories",
            "status",
            "status_label",
            "submitted_at",
            "decided_at",
            "created_at",
            "updated_at",
            "links",
        ]
        read_only_fields = fields

    def to_representation(self, application: Application) -> dict:
        # One query per application: the views read their rows with answer_rows instead.
        row = answer_row(application.pk)
        return application_answer(row, link_patterns(self.context["request"]))

    @extend_schema_field(serializers.ChoiceField(SELLER_STATUS_CODES))
    def get_status(self, application: Application) -> str:
        return seller_status_code(application.status)

    def get_status_label(self, application: Application) -> str:
        return seller_label(application.status)

    @extend_schema_field(ApplicationLinksSerializer)
    def get_links(self, application: Application) -> dict:
        return application_links(link_patterns(self.context["request"]), application.pk)


class EvidenceSerializer(serializers.ModelSerializer):
    # The stored file name and path stay private; the file is identified by its digest.
    replaces = serializers.SerializerMethodField(
        help_text="The id of the file this one replaced, which is kept withdrawn; null if none."
    )

    class Meta:
        model = Evidence
        fields = [
            "id",
            "kind",
            "original_name",
            "sha256",
            "size",
            "detected_type",
            "uploaded_at",
            "replaces",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_replaces(self, evidence: Evidence) -> int | None:
        # A reverse one-to-one without a row raises an AttributeError subclass.
        old = getattr(evidence, "replaces", None)
        return old.pk if old is not None else None


class EventSerializer(serializers.ModelSerializer):
    time = serializers.DateTimeField(source="created_at")
    actor = serializers.CharField(source="actor_label")
    status = serializers.SerializerMethodField()
    reasons = serializers.ListField(
        child=serializers.ChoiceField(choices=ReasonCode.choices),
        help_text="Codes of the reasons a reviewer gave for the decision.",
    )

    class Meta:
        model = ApplicationEvent
        fields = ["time", "action", "actor", "status", "note", "reasons"]
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(SELLER_STATUS_CODES, allow_null=True))
    def get_status(self, event: ApplicationEvent) -> str | None:
        return seller_status_code(event.to_status) if event.to_status else None

    def to_representation(self, event: ApplicationEvent) -> dict:
        data = super().to_representation(event)
        # The service's own notes (a file added or replaced) in the request's language.
        data["note"] = explained(event.note_phrases, event.note)
        return data


class ApplicationFilterSerializer(serializers.Serializer):
    """Query parameters of the application list."""

    status = serializers.ChoiceField(choices=SELLER_STATUS_CODES, required=False)
    seller = serializers.IntegerField(required=False)
    updated_since = serializers.DateTimeField(required=False)


class BrandInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120, validators=[validate_visible_text])
    native_name = serializers.CharField(
        max_length=120,
        required=False,
        allow_blank=True,
        default="",
        validators=[validate_visible_text],
    )


class TrademarkInputSerializer(serializers.Serializer):
    # Field names match sellers.services.TrademarkInput, so validated data maps onto it.
    office = serializers.ChoiceField(choices=Trademark.Office.choices)
    number = serializers.CharField(max_length=32)
    registration_status = serializers.ChoiceField(choices=Trademark.RegistrationStatus.choices)
    mark_type = serializers.ChoiceField(choices=Trademark.MarkType.choices)
    nice_classes = serializers.ListField(child=serializers.IntegerField())
    owner_name = serializers.CharField(max_length=255, validators=[validate_visible_text])
    expires_on = serializers.DateField(required=False, allow_null=True, default=None)
    correspondent_email = serializers.EmailField(required=False, allow_blank=True, default="")


class ApplicationCreateSerializer(serializers.Serializer):
    seller = serializers.IntegerField()
    program = serializers.IntegerField(required=False)
    brand = BrandInputSerializer()
    trademark = TrademarkInputSerializer()
    categories = serializers.ListField(child=serializers.SlugField(max_length=40))

    def validate_seller(self, company_id: int) -> int:
        # One answer for "not yours" and "does not exist", so ids cannot be probed.
        actor = partner_call(self.context["request"]).actor
        if not may_see(actor, company_id, doors=Door.SELLER):
            raise serializers.ValidationError("Choose a seller company that this key acts for.")
        return company_id

    def validate_categories(self, codes: list[str]) -> list[int]:
        """Return the categories' ids, which is what the service takes."""
        ids_by_code = dict(Category.objects.filter(code__in=codes).values_list("code", "pk"))
        unknown = sorted(set(codes) - set(ids_by_code))
        if unknown:
            raise serializers.ValidationError(f"Unknown category: {', '.join(unknown)}.")
        return [ids_by_code[code] for code in codes]

    def validate(self, data: dict) -> dict:
        if "program" not in data:
            default = (
                Program.objects.filter(slug=DEFAULT_PROGRAM_SLUG).values_list("pk", flat=True)
            ).first()
            if default is None:
                raise serializers.ValidationError({"program": ["Choose a program."]})
            data["program"] = default
        return data


class EvidenceUploadSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Evidence.Kind.choices)
    file = serializers.FileField()


class EvidenceReplaceSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="The corrected file; it keeps the old one's kind.")


class TrademarkChangesSerializer(TrademarkInputSerializer):
    """The trademark part of an edit: any subset of the fields given at creation."""

    def get_fields(self) -> dict:
        fields = super().get_fields()
        for field in fields.values():
            field.required = False
            # A field left out stays as it is; it must not be reset to the creation default.
            field.default = serializers.empty
        return fields


class BrandChangesSerializer(serializers.Serializer):
    native_name = serializers.CharField(
        max_length=120, allow_blank=True, validators=[validate_visible_text]
    )


class ApplicationUpdateSerializer(serializers.Serializer):
    """PATCH body: only the parts that are given change. Brand name and seller are fixed."""

    brand = BrandChangesSerializer(required=False)
    trademark = TrademarkChangesSerializer(required=False)
    categories = serializers.ListField(child=serializers.SlugField(max_length=40), required=False)

    validate_categories = ApplicationCreateSerializer.validate_categories
