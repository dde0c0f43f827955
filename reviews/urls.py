from django.urls import path

from reviews.views import (
    conflicts,
    dashboard,
    decisions,
    queue,
    recertification,
    roster,
    workspace,
)

app_name = "reviews"

urlpatterns = [
    path("", queue.queue, name="queue"),
    path("queues/<int:queue_id>/claim-next/", queue.claim_next, name="claim_next"),
    path("queues/<int:queue_id>/assign/", queue.assign, name="assign"),
    path("conflicts/", conflicts.conflicts, name="conflicts"),
    path(
        "conflicts/<int:pk>/withdraw/", conflicts.conflict_withdraw_view, name="conflict_withdraw"
    ),
    path("applications/<int:pk>/", workspace.workspace, name="workspace"),
    path("applications/<int:pk>/claim/", workspace.claim, name="claim"),
    path("applications/<int:pk>/rerun/", workspace.rerun, name="rerun"),
    path("applications/<int:pk>/verify-by-hand/", workspace.verify_by_hand, name="verify_by_hand"),
    path(
        "verifications/<int:pk>/capture/",
        workspace.verification_capture,
        name="verification_capture",
    ),
    path("confirmations/", decisions.confirmations, name="confirmations"),
    path("staged/", decisions.staged_decisions, name="staged"),
    path("evidence/<int:pk>/", workspace.evidence_preview, name="evidence_preview"),
]

urlpatterns += [
    path("recertification/", recertification.recertification_list, name="recertification_list"),
    path(
        "recertification/<int:pk>/",
        recertification.recertification_case,
        name="recertification_case",
    ),
]

urlpatterns += [
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("dashboard/<slug:table>.csv", dashboard.dashboard_csv, name="dashboard_csv"),
    path("roster.csv", roster.roster_csv, name="roster_csv"),
]
