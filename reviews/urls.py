from django.urls import path

from reviews import dashboard_views, recertification_views, views

app_name = "reviews"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("queues/<int:queue_id>/claim-next/", views.claim_next, name="claim_next"),
    path("queues/<int:queue_id>/assign/", views.assign, name="assign"),
    path("conflicts/", views.conflicts, name="conflicts"),
    path("conflicts/<int:pk>/withdraw/", views.conflict_withdraw_view, name="conflict_withdraw"),
    path("applications/<int:pk>/", views.workspace, name="workspace"),
    path("applications/<int:pk>/claim/", views.claim, name="claim"),
    path("applications/<int:pk>/rerun/", views.rerun, name="rerun"),
    path("confirmations/", views.confirmations, name="confirmations"),
    path("staged/", views.staged_decisions, name="staged"),
    path("evidence/<int:pk>/", views.evidence_preview, name="evidence_preview"),
]

urlpatterns += [
    path(
        "recertification/", recertification_views.recertification_list, name="recertification_list"
    ),
    path(
        "recertification/<int:pk>/",
        recertification_views.recertification_case,
        name="recertification_case",
    ),
]

urlpatterns += [
    path("dashboard/", dashboard_views.dashboard, name="dashboard"),
    path("dashboard/<slug:table>.csv", dashboard_views.dashboard_csv, name="dashboard_csv"),
]
