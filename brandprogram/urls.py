from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from brandprogram import health
from reviews.api import ScreeningViewSet

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path(
        "api/v1/applications/<int:pk>/screening/",
        ScreeningViewSet.as_view({"get": "retrieve"}),
        name="api-application-screening",
    ),
    path("api/v1/review/", include("reviews.api_urls")),
    path("api/v1/", include("sellers.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("review/", include("reviews.urls")),
    path("", include("sellers.urls")),
]
