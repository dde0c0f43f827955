from django.urls import path

from reviews import views

app_name = "reviews"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("applications/<int:pk>/", views.workspace, name="workspace"),
    path("applications/<int:pk>/claim/", views.claim, name="claim"),
    path("applications/<int:pk>/rerun/", views.rerun, name="rerun"),
    path("confirmations/", views.confirmations, name="confirmations"),
    path("staged/", views.staged_decisions, name="staged"),
    path("evidence/<int:pk>/", views.evidence_preview, name="evidence_preview"),
]
