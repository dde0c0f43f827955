"""The seller-visible screening route: part of the partner API's tree (/api/v1/), served by
reviews because screening lives here."""

from django.urls import path

from reviews.api.screening import ScreeningViewSet

urlpatterns = [
    path(
        "applications/<int:pk>/screening/",
        ScreeningViewSet.as_view({"get": "retrieve"}),
        name="api-application-screening",
    ),
]
