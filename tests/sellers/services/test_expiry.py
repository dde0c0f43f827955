"""Owners of sellers still in the program are warned once, in their language, of documents
that expire within thirty days."""

import datetime

from django.core import mail
from django.utils import timezone

from sellers.models import AuthorizationLink, Certification, ExpiryWarning, Facility, Membership
from sellers.services.expiry import expiry_warnings_send
from sellers.tasks import expiry_warnings
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
