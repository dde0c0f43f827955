"""The seller portal's page for proving control of the trademark record."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from sellers.models import TrademarkVerificationCode
from tests.catalogue import chinese_client, untranslated_on
from tests.pages import logged_in, messages_on, page_text
from tests.record_control import CORRESPONDENT, mailed_codes, registry_record, wrong
from tests.sellers.factories import ApplicationFactory


@pytest.fixture
def application(seller_a):
    application = ApplicationFactory(
        company=seller_a.company, brand__name="BRIGHTLAMP", trademark__number="7812345"
    )
    registry_record(application.trademark)
    return application


def _urls(mark) -> dict:
    return {
        name: reverse(f"portal:trademark_control{suffix}", args=[mark.pk])
        for name, suffix in (("page", ""), ("send", "_send"), ("confirm", "_confirm"))
    }


def test_a_seller_verifies_control_from_the_application_page(
    application, seller_a, django_capture_on_commit_callbacks
):
    client = logged_in(seller_a.owner)
    urls = _urls(application.trademark)
    detail_url = reverse("portal:application_detail", args=[application.pk])
    assert urls["page"] in page_text(client.get(detail_url))

    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(urls["send"], follow=True)
    confirmed = client.post(urls["confirm"], {"code": mailed_codes()[0]}, follow=True)

    assert messages_on(sent) == [
        "A code was sent to j***@lamp-law.example, the correspondent on the registry record. "
        "Ask them for it and enter it below."
    ]
    assert "5 attempts are left." in page_text(sent)
    assert CORRESPONDENT not in page_text(sent)
    assert messages_on(confirmed) == ["Control of the trademark record is verified."]
    verified = TrademarkVerificationCode.objects.get()
    day = date_format(timezone.localtime(verified.verified_at), "DATE_FORMAT")
    assert f"Record control verified on {day}" in page_text(confirmed)
    assert f"Verified on {day}" in page_text(client.get(detail_url))


def test_a_wrong_code_is_shown_on_the_field_with_the_attempts_left(
    application, seller_a, django_capture_on_commit_callbacks
):
    client = logged_in(seller_a.owner)
    urls = _urls(application.trademark)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(urls["send"])

    refused = client.post(urls["confirm"], {"code": wrong(mailed_codes()[0])})
    malformed = client.post(urls["confirm"], {"code": "12ab"})

    assert refused.status_code == 200
    assert refused.context["form"].errors == {
        "code": ["That code is not right. 4 attempts are left."]
    }
    assert "4 attempts are left." in page_text(refused)
    assert malformed.context["form"].errors == {"code": ["Enter the 6-digit code from the email."]}
    stored = TrademarkVerificationCode.objects.get()
    assert (stored.attempts, stored.verified_at) == (1, None)


def test_sending_twice_sends_one_code(application, seller_a, django_capture_on_commit_callbacks):
    client = logged_in(seller_a.owner)
    urls = _urls(application.trademark)

    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(urls["send"], follow=True)
        second = client.post(urls["send"], follow=True)

    assert len(messages_on(first)) == 1
    # The wait counts down from 60 s while the test runs: on a loaded machine a second passes.
    [refusal] = messages_on(second)
    waiting = re.fullmatch(
        r"A code was just sent\. You can ask for another in (\d+) seconds\.", refusal
    )
    assert waiting, refusal
    assert 50 <= int(waiting[1]) <= 60
    assert (len(mail.outbox), TrademarkVerificationCode.objects.count()) == (1, 1)


def test_another_companys_trademark_is_404(application, seller_b):
    client = logged_in(seller_b.owner)
    urls = _urls(application.trademark)

    answers = [
        client.get(urls["page"]).status_code,
        client.post(urls["send"]).status_code,
        client.post(urls["confirm"], {"code": "123456"}).status_code,
    ]

    assert answers == [404, 404, 404]
    assert (TrademarkVerificationCode.objects.count(), mail.outbox) == (0, [])


def test_the_page_is_all_in_chinese_in_every_state(
    application, seller_a, django_capture_on_commit_callbacks
):
    client = chinese_client(seller_a.owner)
    urls = _urls(application.trademark)
    pages = {"before": client.get(urls["page"])}
    with django_capture_on_commit_callbacks(execute=True):
        pages["sent"] = client.post(urls["send"], follow=True)
    pages["again"] = client.post(urls["send"], follow=True)
    pages["wrong"] = client.post(urls["confirm"], {"code": wrong(mailed_codes()[0])})
    pages["verified"] = client.post(urls["confirm"], {"code": mailed_codes()[0]}, follow=True)
    pages["detail"] = client.get(reverse("portal:application_detail", args=[application.pk]))

    assert {name: untranslated_on(page) for name, page in pages.items()} == {
        name: [] for name in pages
    }
    assert "商标注册记录的控制权已验证" in messages_on(pages["verified"])[0]
    assert "验证码" in mail.outbox[0].body
