from django.urls import include, path

from sellers import views

# "home" stays outside the namespace: settings.LOGIN_REDIRECT_URL names it.
portal_patterns = [
    path("applications/", views.dashboard, name="dashboard"),
    path("applications/new/", views.application_new, name="application_new"),
    path("applications/<int:pk>/", views.application_detail, name="application_detail"),
    path("applications/<int:pk>/action/", views.application_action, name="application_action"),
    path("applications/<int:pk>/evidence/", views.evidence_create, name="evidence_create"),
    path("evidence/<int:pk>/download/", views.evidence_download, name="evidence_download"),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("", include((portal_patterns, "portal"))),
]
