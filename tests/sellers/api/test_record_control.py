"""The trademark verification code through the partner API."""

import pytest
from django.core import mail
from django.utils import translation

from sellers.models import TrademarkVerificationCode
from tests.record_control import CORRESPONDENT, mailed_codes, registry_record, wrong
from tests.sellers.api.support import PROBLEM, client_with_key, iso
from tests.sellers.factories import TrademarkFactory


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def mark(seller_a):
    mark = TrademarkFactory(
        brand__company=seller_a.company, brand__name="BRIGHTLAMP", number="7812345"
    )
    registry_record(mark)
    return mark


def _urls(mark) -> tuple[str, str, str]:
    base = f"/api/v1/trademarks/{mark.pk}/"
    return base, f"{base}verification-code/", f"{base}verification-code/confirm/"


def test_a_partner_verifies_control_of_the_record(
    partner_client, mark, django_capture_on_commit_callbacks
):
    resource, send, confirm = _urls(mark)

    with django_capture_on_commit_callbacks(execute=True):
        sent = partner_client.post(send)
    code = mailed_codes()[0]
    refused = partner_client.post(confirm, {"code": wrong(code)}, format="json")
    confirmed = partner_client.post(confirm, {"code": code}, format="json")
    read = partner_client.get(resource)

    stored = TrademarkVerificationCode.objects.get()
    assert [m.to for m in mail.outbox] == [[CORRESPONDENT]]
    assert (sent.status_code, sent.json()) == (
        201,
        {
            "sent_to": "j***@lamp-law.example",
            "sent_at": iso(stored.created_at),
            "expires_at": iso(stored.expires_at),
            "attempts_left": 5,
            "verified_at": None,
        },
    )
    assert (refused.status_code, refused["Content-Type"]) == (400, PROBLEM)
    assert (refused.json()["code"], refused.json()["errors"]) == (
        "wrong_code",
        {"code": ["That code is not right. 4 attempts are left."]},
    )
    assert (confirmed.status_code, confirmed.json()["verified_at"]) == (
        200,
        iso(stored.verified_at),
    )
    assert confirmed.json()["attempts_left"] == 0
    assert read.json()["record_control_verified_at"] == iso(stored.verified_at)
    assert stored.requested_by_label.startswith("Silk Road Brand Services (API key ")


def test_without_a_record_email_the_answer_is_409_and_nothing_is_sent(
    partner_client, seller_a, django_capture_on_commit_callbacks
):
    mark = TrademarkFactory(brand__company=seller_a.company, number="7812399")
    registry_record(mark, email="")

    with django_capture_on_commit_callbacks(execute=True):
        response = partner_client.post(_urls(mark)[1])

    assert (response.status_code, response["Content-Type"]) == (409, PROBLEM)
    assert response.json()["code"] == "no_correspondent_email"
    assert (TrademarkVerificationCode.objects.count(), mail.outbox) == (0, [])


def test_an_expired_or_missing_code_is_409(partner_client, mark):
    response = partner_client.post(_urls(mark)[2], {"code": "123456"}, format="json")

    assert (response.status_code, response.json()["code"]) == (409, "no_open_code")


def test_a_malformed_code_is_a_field_error(partner_client, mark):
    response = partner_client.post(_urls(mark)[2], {"code": "12-34"}, format="json")

    assert (response.status_code, response.json()["errors"]) == (
        400,
        {"code": ["Enter the 6-digit code from the email."]},
    )


def test_a_retried_request_sends_one_code(partner_client, mark, django_capture_on_commit_callbacks):
    send = _urls(mark)[1]

    with django_capture_on_commit_callbacks(execute=True):
        first = partner_client.post(send, HTTP_IDEMPOTENCY_KEY="code-1")
        again = partner_client.post(send, HTTP_IDEMPOTENCY_KEY="code-1")
        other = partner_client.post(send, HTTP_IDEMPOTENCY_KEY="code-2")

    assert (again.status_code, again.json(), again["Idempotent-Replayed"]) == (
        201,
        first.json(),
        "true",
    )
    assert (other.status_code, other.json()["code"]) == (409, "code_recently_sent")
    assert (TrademarkVerificationCode.objects.count(), len(mail.outbox)) == (1, 1)


def test_a_read_only_key_cannot_ask_for_codes(issue_key, mark):
    _, raw = issue_key(scopes=["applications:read"])

    response = client_with_key(raw).post(_urls(mark)[1])

    assert (response.status_code, response.json()["code"]) == (403, "insufficient_scope")
    assert (TrademarkVerificationCode.objects.count(), mail.outbox) == (0, [])


def test_another_sellers_trademark_is_404(partner_client, seller_b):
    foreign = TrademarkFactory(brand__company=seller_b.company, number="7812345")
    registry_record(foreign)

    sent = partner_client.post(_urls(foreign)[1])
    guessed = partner_client.post(_urls(foreign)[2], {"code": "123456"}, format="json")

    assert [sent.status_code, guessed.status_code] == [404, 404]
    assert sent.json()["code"] == guessed.json()["code"] == "not_found"
    assert (TrademarkVerificationCode.objects.count(), mail.outbox) == (0, [])
