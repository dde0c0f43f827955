"""Owners of sellers still in the program are warned once per threshold, in their language, in
the portal's inbox and by mail, of documents that expire within thirty days."""

import datetime

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from sellers.models import (
    AuthorizationLink,
    Certification,
    ExpiryWarning,
    Facility,
    Membership,
    Notification,
)
from sellers.services.expiry import expiry_warnings_send
from sellers.tasks import expiry_warnings
from tests.catalogue import visible_text
from tests.pages import logged_in
from tests.sellers.factories import ApplicationFactory

TODAY = timezone.localdate()


def _letter(application, days: int, position: int = 1) -> AuthorizationLink:
    return AuthorizationLink.objects.create(
        trademark=application.trademark,
        position=position,
        grantor_name="Bright Lamp Holdings Ltd.",
        grantee_name=application.company.legal_name,
        product_scope="Desk lamps",
        territory="Worldwide",
        valid_from=TODAY - datetime.timedelta(days=300),
        valid_until=TODAY + datetime.timedelta(days=days),
    )


def _run(capture, **kwargs):
    with capture(execute=True):
        return expiry_warnings_send(**kwargs)


def test_a_letter_expiring_in_20_days_is_warned_once_and_one_in_40_days_not(
    seller_a, django_capture_on_commit_callbacks
):
    application = ApplicationFactory(
        company=seller_a.company, in_review=True, brand__name="LUMI", trademark__expires_on=None
    )
    soon = _letter(application, 20)
    _letter(application, 40, position=2)

    first = _run(django_capture_on_commit_callbacks)
    second = _run(django_capture_on_commit_callbacks)

    assert [(w.kind, w.object_id, w.expires_on) for w in first] == [
        (ExpiryWarning.Kind.AUTHORIZATION, soon.pk, soon.valid_until)
    ]
    assert second == []
    assert ExpiryWarning.objects.count() == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [seller_a.owner.email]
    assert message.subject == "Documents of your brands expire soon"
    assert (
        "Authorization letter from Bright Lamp Holdings Ltd. to "
        f"{seller_a.company.legal_name} (trademark USPTO {application.trademark.number}): "
        f"valid until {soon.valid_until:%Y-%m-%d}" in message.body
    )
    assert f"{TODAY + datetime.timedelta(days=40):%Y-%m-%d}" not in message.body
    # The mail is the inbox entry's: one entry, mailed once, opening the dashboard.
    entry = Notification.objects.get()
    assert (entry.user, entry.application, entry.subject, entry.body) == (
        seller_a.owner,
        None,
        message.subject,
        message.body,
    )
    assert entry.link == reverse("portal:dashboard")
    assert entry.mailed_at is not None


def test_the_warning_is_in_the_owners_portal_inbox(seller_a, django_capture_on_commit_callbacks):
    application = ApplicationFactory(
        company=seller_a.company, approved=True, trademark__expires_on=None
    )
    letter = _letter(application, 12)
    _run(django_capture_on_commit_callbacks)

    page = logged_in(seller_a.owner).get(reverse("portal:notifications"))

    text = visible_text(page)
    assert "Documents of your brands expire soon" in text
    assert f"valid until {letter.valid_until:%Y-%m-%d}" in text
    assert f'href="{reverse("portal:dashboard")}"' in page.content.decode()


def test_each_threshold_warns_once_and_a_late_document_only_at_the_nearest(
    seller_a, settings, django_capture_on_commit_callbacks
):
    settings.EXPIRY_WARNING_DAYS = [30, 7]
    application = ApplicationFactory(
        company=seller_a.company, in_review=True, trademark__expires_on=None
    )
    month_ahead = _letter(application, 20)
    days_ahead = _letter(application, 5, position=2)

    first = _run(django_capture_on_commit_callbacks)
    again = _run(django_capture_on_commit_callbacks)
    week_before = month_ahead.valid_until - datetime.timedelta(days=7)
    nearer = _run(django_capture_on_commit_callbacks, today=week_before)
    after = _run(django_capture_on_commit_callbacks, today=week_before)

    assert sorted((w.object_id, w.days_ahead) for w in first) == [
        (month_ahead.pk, 30),
        (days_ahead.pk, 7),
    ]
    assert again == after == []
    assert [(w.object_id, w.days_ahead) for w in nearer] == [(month_ahead.pk, 7)]
    assert ExpiryWarning.objects.count() == 3
    # One notice a run that found something: two in the owner's inbox, two mails.
    assert Notification.objects.filter(user=seller_a.owner).count() == 2
    assert len(mail.outbox) == 2


def test_a_renewed_letter_is_warned_again_when_its_new_date_comes_near(
    seller_a, django_capture_on_commit_callbacks
):
    application = ApplicationFactory(company=seller_a.company, approved=True)
    letter = _letter(application, 10)
    _run(django_capture_on_commit_callbacks)
    letter.valid_until = TODAY + datetime.timedelta(days=400)
    letter.save()

    later = TODAY + datetime.timedelta(days=380)
    assert _run(django_capture_on_commit_callbacks, today=later)[0].expires_on == (
        letter.valid_until
    )
    assert len(mail.outbox) == 2


def test_a_chinese_owner_is_warned_in_chinese_of_certificates_and_marks(
    seller_a, django_capture_on_commit_callbacks
):
    Membership.objects.filter(user=seller_a.owner).update(language="zh-hans")
    application = ApplicationFactory(
        company=seller_a.company,
        waitlisted=True,
        trademark__expires_on=TODAY + datetime.timedelta(days=5),
    )
    facility = Facility.objects.create(
        company=seller_a.company, manufacturer_name="Own works", country="CN", ownership="own"
    )
    Certification.objects.create(
        facility=facility,
        standard="ISO 9001",
        number="Q-123",
        issuer="SGS",
        expires_on=TODAY + datetime.timedelta(days=30),
    )

    warned = _run(django_capture_on_commit_callbacks)

    assert {w.kind for w in warned} == {"certification", "trademark"}
    body = mail.outbox[0].body
    assert mail.outbox[0].subject == "您品牌的文件即将到期"
    in_30_days = TODAY + datetime.timedelta(days=30)
    assert f"证书 ISO 9001 Q-123\N{FULLWIDTH COLON}到期日 {in_30_days:%Y-%m-%d}" in body
    assert f"商标注册 USPTO {application.trademark.number}" in body
    assert "expire" not in body
    assert Notification.objects.get(user=seller_a.owner).subject == "您品牌的文件即将到期"


def test_sellers_with_drafts_or_ended_applications_are_not_warned(
    seller_a, seller_b, django_capture_on_commit_callbacks
):
    _letter(ApplicationFactory(company=seller_a.company), 10)
    _letter(ApplicationFactory(company=seller_b.company, submitted=True, status="withdrawn"), 10)

    assert _run(django_capture_on_commit_callbacks) == []
    assert mail.outbox == []


def test_the_daily_task_warns(seller_a, django_capture_on_commit_callbacks):
    _letter(ApplicationFactory(company=seller_a.company, submitted=True), 1)

    with django_capture_on_commit_callbacks(execute=True):
        expiry_warnings.delay()

    assert ExpiryWarning.objects.get().company == seller_a.company
    assert len(mail.outbox) == 1
