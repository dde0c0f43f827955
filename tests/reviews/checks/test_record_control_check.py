"""Control of the record in the registry check, and the code mailed through the TSDR adapter."""

import datetime

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from brandprogram.errors import ApplicationError
from reviews.checks import trademark_registry
from reviews.models import RegistryMark
from sellers.models import TrademarkVerificationCode
from sellers.services.record_control import trademark_code_confirm, trademark_code_send
from tests.record_control import CORRESPONDENT, mailed_codes, registry_record
from tests.reviews.registry.st96 import tsdr_answer
from tests.sellers.factories import ApplicationFactory


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def application(seller_a):
    application = ApplicationFactory(
        company=seller_a.company, brand__name="BRIGHTLAMP", trademark__number="7100001"
    )
    registry_record(application.trademark)
    return application


@pytest.fixture
def verify(seller_a, django_capture_on_commit_callbacks):
    """Seller A asks for a code and enters it, as in the portal."""

    def verified(application, *, days_ago: int = 0):
        mark = application.trademark
        with django_capture_on_commit_callbacks(execute=True):
            trademark_code_send(actor=seller_a.actor, trademark_id=mark.pk)
        to = TrademarkVerificationCode.objects.filter(trademark=mark).latest("pk").sent_to
        code = trademark_code_confirm(
            actor=seller_a.actor, trademark_id=mark.pk, code=mailed_codes(to)[-1]
        )
        earlier = code.verified_at - datetime.timedelta(days=days_ago)
        TrademarkVerificationCode.objects.filter(pk=code.pk).update(verified_at=earlier)
        return timezone.localdate(earlier)

    return verified


def _change_correspondent(application, email: str, days_ago: int) -> datetime.date:
    changed = timezone.localdate() - datetime.timedelta(days=days_ago)
    RegistryMark.objects.filter(number=application.trademark.number).update(
        correspondent_email=email, correspondent_email_changed_on=changed
    )
    return changed


def test_a_verified_control_is_in_the_explanation_and_the_evidence(application, verify):
    verified_on = verify(application)

    finding = trademark_registry.run(application)

    assert finding.outcome == "pass"
    assert finding.explanation.endswith(
        f"Control of the record was verified on {date_format(verified_on, 'DATE_FORMAT')} "
        "with a code sent to "
        "j***@lamp-law.example, the correspondent on record."
    )
    assert finding.evidence["record_control"]["sent_to"] == "j***@lamp-law.example"


def test_control_verified_after_an_email_change_lifts_the_warning(application, verify):
    changed = _change_correspondent(application, "new@fast-agent.example", days_ago=10)
    verify(application, days_ago=3)

    finding = trademark_registry.run(application)

    assert finding.outcome == "pass"
    assert (
        f"The correspondent email on record changed on {date_format(changed, 'DATE_FORMAT')}; "
        "the seller proved "
        "control through the new address since." in finding.explanation
    )


def test_control_verified_before_the_email_change_still_warns(application, verify):
    verified_on = verify(application, days_ago=30)
    changed = _change_correspondent(application, "new@fast-agent.example", days_ago=10)

    finding = trademark_registry.run(application)

    assert (finding.outcome, finding.explanation) == (
        "warn",
        f"The correspondent email on record changed on {date_format(changed, 'DATE_FORMAT')} (now "
        "new@fast-agent.example) and control of the record has not been verified through it "
        "since; confirm the change with the owner. "
        f"Control of the record was verified on {date_format(verified_on, 'DATE_FORMAT')} through "
        "j***@lamp-law.example, but the correspondent on record is now new@fast-agent.example.",
    )


def test_the_code_goes_to_the_email_tsdr_holds(seller_a, settings, registry_server, verify):
    settings.TSDR_BASE_URL = registry_server.url
    # The real answer for JAVA: the main correspondent address of the record is Holland & Hart's.
    registry_server.answers = [(200, tsdr_answer("rn2178784"))]
    application = ApplicationFactory(
        company=seller_a.company, brand__name="JAVA", trademark__number="2178784"
    )

    verify(application)

    assert [m.to for m in mail.outbox] == [["docket@hollandhart.com"]]
    assert registry_server.requests[0]["path"] == "/ts/cd/casestatus/rn2178784/info.xml"
    assert CORRESPONDENT not in mail.outbox[0].body
    finding = trademark_registry.run(application)
    # The code went to the correspondent TSDR holds, so no mismatch is reported.
    assert finding.evidence["record_control"]["sent_to"] == "d***@hollandhart.com"
    assert "but the correspondent on record is now" not in finding.explanation


def test_a_registry_that_does_not_answer_sends_nothing(seller_a, settings, registry_server):
    settings.TSDR_BASE_URL = registry_server.url
    settings.TSDR_ATTEMPTS = 3
    registry_server.answers = [(503, b"busy")]
    application = ApplicationFactory(company=seller_a.company, trademark__number="7100001")

    with pytest.raises(ApplicationError) as refused:
        trademark_code_send(actor=seller_a.actor, trademark_id=application.trademark_id)

    assert (refused.value.code, refused.value.message) == (
        "registry_unavailable",
        "The USPTO registry did not answer. Try again in a few minutes.",
    )
    assert (TrademarkVerificationCode.objects.count(), mail.outbox) == (0, [])
    # The seller is waiting: the registry is asked once, not retried as a background check is.
    assert len(registry_server.requests) == 1


def test_the_reviewer_workspace_shows_the_state_of_record_control(
    application, verify, reviewer, seller_a, django_capture_on_commit_callbacks
):
    client = Client()
    client.force_login(reviewer)
    url = reverse("reviews:workspace", args=[application.pk])
    before = " ".join(client.get(url).content.decode().split())
    with django_capture_on_commit_callbacks(execute=True):
        trademark_code_send(actor=seller_a.actor, trademark_id=application.trademark_id)
    pending = " ".join(client.get(url).content.decode().split())
    TrademarkVerificationCode.objects.update(
        created_at=timezone.now() - datetime.timedelta(minutes=5)
    )

    verified_on = verify(application)
    after = " ".join(client.get(url).content.decode().split())

    assert "Control of the trademark record:</strong> not verified." in before
    assert f"The last code was mailed to {CORRESPONDENT} on" in pending
    assert "0 attempt(s) used." in pending
    assert (
        f"verified on {date_format(verified_on, 'DATE_FORMAT')} with a code mailed to "
        f"{CORRESPONDENT} (the correspondent on the registry record), entered by "
        f"{seller_a.owner.username}." in after
    )
