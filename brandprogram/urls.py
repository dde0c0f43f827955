from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from brandprogram import health, metrics, problems

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", metrics.metrics_view, name="metrics"),
    path("files/", include("sellers.portal.media_urls")),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("reviews.api.screening_urls")),
    path("api/v1/review/", include("reviews.api.urls")),
    path("api/v1/", include("sellers.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its start-up script as a file: the CSP allows no inline script.
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api-schema", template_name="brandprogram/swagger_ui.html"
        ),
        name="api-docs",
    ),
    path("review/", include("reviews.urls")),
    path("", include("sellers.portal.urls")),
]

handler400 = problems.bad_request
handler404 = problems.page_not_found
handler500 = problems.server_error
