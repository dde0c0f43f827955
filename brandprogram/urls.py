from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from brandprogram import health

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("sellers.api_urls")),
    path("review/", include("reviews.urls")),
    path("", include("sellers.urls")),
]
