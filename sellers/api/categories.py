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
        description="The category tree: main categories (`parent` null) and the categories "
        "under them (`children`). An application names one or two categories under main "
        "ones in its `categories`; a company may sell in at most two main categories over all "
        "its open and admitted applications, and an application that would make a third is "
        "refused with 400. Each category lists the evidence kinds it asks for (required ones "
        "must be attached before submitting) and the file types evidence may be.",
    )
)
class CategoryViewSet(mixins.ListModelMixin, PartnerViewSet):
    """Reference data, the same for every key."""

    serializer_class = CategorySerializer
    pagination_class = IdPagination
    required_scopes = {"list": READ}

    def get_queryset(self):
        return Category.objects.select_related("parent").prefetch_related(
            Prefetch("requirements", queryset=CategoryRequirement.objects.order_by("-required")),
            Prefetch("children", queryset=Category.objects.order_by("code")),
        )
