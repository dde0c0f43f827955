from django.urls import path

from reviews.views import (
    conflicts,
    conversation,
    dashboard,
    decisions,
    identity,
    inbox,
    queue,
    recertification,
    roster,
    search,
    workspace,
)

app_name = "reviews"

urlpatterns = [
    path("", queue.queue, name="queue"),
    path("queues/<int:queue_id>/claim-next/", queue.claim_next, name="claim_next"),
    path("queues/<int:queue_id>/assign/", queue.assign, name="assign"),
    path("search/", search.search_page, name="search"),
    path("conflicts/", conflicts.conflicts, name="conflicts"),
    path(
        "conflicts/<int:pk>/withdraw/", conflicts.conflict_withdraw_view, name="conflict_withdraw"
    ),
    path("applications/<int:pk>/", workspace.workspace, name="workspace"),
    path("applications/<int:pk>/claim/", workspace.claim, name="claim"),
    path("applications/<int:pk>/messages/", conversation.message_create, name="message_create"),
    path("applications/<int:pk>/rerun/", workspace.rerun, name="rerun"),
    path("applications/<int:pk>/verify-by-hand/", workspace.verify_by_hand, name="verify_by_hand"),
    path(
        "verifications/<int:pk>/capture/",
        workspace.verification_capture,
        name="verification_capture",
    ),
    path("confirmations/", decisions.confirmations, name="confirmations"),
    path("staged/", decisions.staged_decisions, name="staged"),
    path("notifications/", inbox.notifications, name="notifications"),
    path("evidence/<int:pk>/", workspace.evidence_preview, name="evidence_preview"),
    path("letters/<int:pk>/file/", workspace.letter_file, name="letter_file"),
    path(
        "certifications/<int:pk>/file/",
        workspace.certification_file,
        name="certification_file",
    ),
    path(
        "documents/<slug:owner>/<int:pk>/pages/<int:page>.png",
        workspace.document_page,
        name="document_page",
    ),
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
    path("companies/", identity.identity_queue, name="identity_queue"),
    path("companies/verifications/<int:pk>/", identity.identity_case, name="identity_case"),
    path("companies/<int:pk>/licence/", identity.identity_licence, name="identity_licence"),
]

urlpatterns += [
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("dashboard/<slug:table>.csv", dashboard.dashboard_csv, name="dashboard_csv"),
    path("roster.csv", roster.roster_csv, name="roster_csv"),
]
