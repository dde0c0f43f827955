"""The categories an application may name, with the evidence each asks for."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins

from sellers.api.base import PartnerViewSet
from sellers.api.pagination import IdPagination
from sellers.api.permissions import READ
from sellers.api.serializers.categories import CategorySerializer
from sellers.models import Category, CategoryRequirement


@extend_schema_view(
    list=extend_schema(
        summary="List categories with the evidence each requires",
        description="The codes to name in an application's `categories`, the evidence kinds "
        "each one asks for (required ones must be attached before submitting) and the file "
        "types evidence may be.",
    )
)
class CategoryViewSet(mixins.ListModelMixin, PartnerViewSet):
    """Reference data, the same for every key."""

    serializer_class = CategorySerializer
    pagination_class = IdPagination
    required_scopes = {"list": READ}

    def get_queryset(self):
        return Category.objects.prefetch_related(
            Prefetch("requirements", queryset=CategoryRequirement.objects.order_by("-required"))
        )
