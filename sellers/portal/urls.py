"""The portal's URLconf: the seller pages under namespace "portal", and the account pages."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from sellers.portal import (
    accounts,
    applications,
    company,
    conversation,
    files,
    partners,
    team,
    tiers,
    trademarks,
    wizard,
)

# "home" stays outside the namespace: settings.LOGIN_REDIRECT_URL names it.
portal_patterns = [
    path("applications/", applications.dashboard, name="dashboard"),
    path("applications/new/", applications.application_new, name="application_new"),
    path("applications/wizard/", wizard.wizard_start, name="wizard_start"),
    path("applications/wizard/<int:pk>/", wizard.wizard_resume, name="wizard_resume"),
    path("applications/wizard/<int:pk>/<slug:step>/", wizard.wizard_step, name="wizard_step"),
    path(
        "applications/wizard/<int:pk>/trademark/warnings/",
        wizard.trademark_check,
        name="wizard_trademark_check",
    ),
    path("applications/<int:pk>/", applications.application_detail, name="application_detail"),
    path(
        "applications/<int:pk>/action/", applications.application_action, name="application_action"
    ),
    path("applications/<int:pk>/evidence/", applications.evidence_create, name="evidence_create"),
    path("applications/<int:pk>/messages/", conversation.message_create, name="message_create"),
    path("evidence/<int:pk>/download/", files.evidence_download, name="evidence_download"),
    path(
        "messages/attachments/<int:pk>/",
        files.message_attachment_download,
        name="message_attachment_download",
    ),
    path("evidence/<int:pk>/replace/", applications.evidence_replace_view, name="evidence_replace"),
    path("evidence/<int:pk>/remove/", applications.evidence_remove_view, name="evidence_remove"),
    path("evidence/<int:pk>/reading/", wizard.evidence_reading, name="evidence_reading"),
    path("companies/<int:pk>/licence/reading/", wizard.licence_reading, name="licence_reading"),
    path("authorization-links/<int:pk>/reading/", wizard.letter_reading, name="letter_reading"),
    path("trademarks/<int:pk>/control/", trademarks.trademark_control, name="trademark_control"),
    path(
        "trademarks/<int:pk>/control/send/",
        trademarks.trademark_control_send,
        name="trademark_control_send",
    ),
    path(
        "trademarks/<int:pk>/control/confirm/",
        trademarks.trademark_control_confirm,
        name="trademark_control_confirm",
    ),
    path("notifications/", applications.notifications, name="notifications"),
    path("company/", company.company_profile, name="company"),
    path("company/identity/", company.company_identity, name="company_identity"),
    path("company/licence/", company.company_licence, name="company_licence"),
    path("company/categories/", company.company_categories, name="company_categories"),
    path("team/", team.team, name="team"),
    path("team/invite/", team.team_invite, name="team_invite"),
    path("team/<int:pk>/remove/", team.team_remove, name="team_remove"),
    path(
        "team/invitations/<int:pk>/resend/",
        team.team_invitation_resend,
        name="team_invitation_resend",
    ),
    path(
        "team/invitations/<int:pk>/cancel/",
        team.team_invitation_cancel,
        name="team_invitation_cancel",
    ),
    path("team/<int:pk>/make-owner/", team.team_transfer, name="team_transfer"),
    path("partners/", partners.partners, name="partners"),
    path("tier/", tiers.tier, name="tier"),
    path("partners/grant/", partners.partner_access_give, name="partner_grant"),
    path(
        "partners/grant/confirm/",
        partners.partner_access_confirm,
        name="partner_grant_confirm",
    ),
    path("partners/<int:pk>/revoke/", partners.partner_revoke, name="partner_revoke"),
]

# Reached without an account, or by a new member following an emailed link.
account_patterns = [
    path("sign-up/", accounts.sign_up, name="sign_up"),
    path("sign-up/sent/", accounts.sign_up_sent, name="sign_up_sent"),
    path("sign-up/resend/", accounts.sign_up_resend, name="sign_up_resend"),
    path("sign-up/confirm/<uidb64>/<token>/", accounts.account_confirm, name="account_confirm"),
    path("join/<token>/", team.team_join, name="team_join"),
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
    path("", accounts.home, name="home"),
    *account_patterns,
    path("", include((portal_patterns, "portal"))),
]
