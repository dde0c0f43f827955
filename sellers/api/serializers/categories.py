"""Shapes of categories and their evidence requirements in the partner API."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from sellers.api.serializers.applications import NiceClassesField
from sellers.models import Category, CategoryRequirement, Evidence
from sellers.validators import ALLOWED_EVIDENCE_TYPES


class RequiredEvidenceSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(
        Evidence.Kind.choices, help_text="The code to send as `kind` when uploading."
    )
    label = serializers.SerializerMethodField()
    required = serializers.BooleanField(
        help_text="Required documents must be attached before the application is submitted; "
        "the others are asked for but optional."
    )

    class Meta:
        model = CategoryRequirement
        fields = ["kind", "label", "required"]
        read_only_fields = fields

    def get_label(self, requirement: CategoryRequirement) -> str:
        return str(Evidence.Kind(requirement.kind).label)


class FileTypeSerializer(serializers.Serializer):
    media_type = serializers.CharField(help_text="As recognised from the file's content.")
    name = serializers.CharField()


class CategorySerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()
    parent = serializers.SlugRelatedField(
        slug_field="code",
        read_only=True,
        allow_null=True,
        help_text="The main category this one belongs to; null for a main category.",
    )
    children = serializers.SlugRelatedField(
        slug_field="code",
        many=True,
        read_only=True,
        help_text="Codes of the categories under a main category. Applications name those; "
        "a company's main categories are counted from them (one or two over all its open and "
        "admitted applications).",
    )
    nice_classes = NiceClassesField(
        read_only=True, help_text="Nice classes whose goods the category sells."
    )
    required_evidence = RequiredEvidenceSerializer(source="requirements", many=True)
    accepted_file_types = serializers.SerializerMethodField()

    class Meta:
        model = Category
        fields = [
            "id",
            "code",
            "name",
            "parent",
            "children",
            "nice_classes",
            "required_evidence",
            "accepted_file_types",
        ]
        read_only_fields = fields

    def get_name(self, category: Category) -> str:
        return str(category)

    @extend_schema_field(FileTypeSerializer(many=True))
    def get_accepted_file_types(self, category: Category) -> list[dict]:
        # The same for every category today; stated per category so a client needs to look
        # in one place only.
        return [
            {"media_type": media_type, "name": name}
            for media_type, name in ALLOWED_EVIDENCE_TYPES.items()
        ]
