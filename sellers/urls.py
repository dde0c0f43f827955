from django.contrib.auth import views as auth_views
from django.urls import include, path

from sellers import partner_views, views

# "home" stays outside the namespace: settings.LOGIN_REDIRECT_URL names it.
portal_patterns = [
    path("applications/", views.dashboard, name="dashboard"),
    path("applications/new/", views.application_new, name="application_new"),
    path("applications/wizard/", views.wizard_start, name="wizard_start"),
    path("applications/wizard/<int:pk>/", views.wizard_resume, name="wizard_resume"),
    path("applications/wizard/<int:pk>/<slug:step>/", views.wizard_step, name="wizard_step"),
    path("applications/<int:pk>/", views.application_detail, name="application_detail"),
    path("applications/<int:pk>/action/", views.application_action, name="application_action"),
    path("applications/<int:pk>/evidence/", views.evidence_create, name="evidence_create"),
    path("evidence/<int:pk>/download/", views.evidence_download, name="evidence_download"),
    path("trademarks/<int:pk>/control/", views.trademark_control, name="trademark_control"),
    path(
        "trademarks/<int:pk>/control/send/",
        views.trademark_control_send,
        name="trademark_control_send",
    ),
    path(
        "trademarks/<int:pk>/control/confirm/",
        views.trademark_control_confirm,
        name="trademark_control_confirm",
    ),
    path("notifications/", views.notifications, name="notifications"),
    path("team/", views.team, name="team"),
    path("team/invite/", views.team_invite, name="team_invite"),
    path("team/<int:pk>/remove/", views.team_remove, name="team_remove"),
    path("team/<int:pk>/make-owner/", views.team_transfer, name="team_transfer"),
    path("partners/", partner_views.partners, name="partners"),
    path("partners/grant/", partner_views.partner_grant, name="partner_grant"),
    path("partners/<int:pk>/revoke/", partner_views.partner_revoke, name="partner_revoke"),
]

# Reached without an account, or by a new member following an emailed link.
account_patterns = [
    path("sign-up/", views.sign_up, name="sign_up"),
    path("sign-up/sent/", views.sign_up_sent, name="sign_up_sent"),
    path("sign-up/confirm/<uidb64>/<token>/", views.account_confirm, name="account_confirm"),
    path("join/<token>/", views.team_join, name="team_join"),
    path("password-reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]

urlpatterns = [
    path("", views.home, name="home"),
    *account_patterns,
    path("", include((portal_patterns, "portal"))),
]
