"""A seller proves control of the trademark record with a code mailed to its correspondent."""

import datetime
import re
import threading

import pytest
from django.core import mail
from django.db import connection
from django.utils import translation

from brandprogram.errors import ApplicationError
from reviews.models import RegistryMark
from sellers.models import TrademarkVerificationCode
from sellers.services.record_control import (
    trademark_code_confirm,
    trademark_code_open,
    trademark_code_send,
    trademark_control_verified,
)
from tests.record_control import CORRESPONDENT, mailed_codes, registry_record, wrong
from tests.sellers.factories import ApplicationFactory, TrademarkFactory


@pytest.fixture(autouse=True)
def _english():
    # Messages and mail follow the active language, which an earlier request may have left set.
    with translation.override("en"):
        yield


@pytest.fixture
def mark(seller_a):
    return TrademarkFactory(
        brand__company=seller_a.company,
        brand__name="BRIGHTLAMP",
        number="7812345",
        correspondent_email="typed-by-seller@bright-lamp.example",
    )


@pytest.fixture
def send(seller_a, django_capture_on_commit_callbacks):
    """Ask for a code as seller A, with the mail going out on commit as it does for real."""

    def send_code(mark):
        with django_capture_on_commit_callbacks(execute=True):
            return trademark_code_send(actor=seller_a.actor, trademark_id=mark.pk)

    return send_code


def _refusal(call, **kwargs) -> tuple[str, str, str | None]:
    with pytest.raises(ApplicationError) as refused:
        call(**kwargs)
    return refused.value.code, refused.value.message, refused.value.field


def _let_time_pass(mark, **delta):
    """Move every code of ``mark`` into the past, as if ``delta`` had gone by."""
    for code in TrademarkVerificationCode.objects.filter(trademark=mark):
        TrademarkVerificationCode.objects.filter(pk=code.pk).update(
            created_at=code.created_at - datetime.timedelta(**delta),
            expires_at=code.expires_at - datetime.timedelta(**delta),
        )


def test_the_code_goes_to_the_registry_correspondent_and_verifies_control(mark, seller_a, send):
    registry_record(mark)

    challenge = send(mark)

    assert [m.to for m in mail.outbox] == [[CORRESPONDENT]]
    assert mail.outbox[0].subject == "Verification code for trademark USPTO 7812345"
    assert "BRIGHTLAMP" in mail.outbox[0].body
    assert (challenge.sent_to, challenge.masked_sent_to) == (CORRESPONDENT, "j***@lamp-law.example")
    code = mailed_codes()[0]
    assert code not in challenge.code_hash
    assert trademark_control_verified(mark) is None

    verified = trademark_code_confirm(actor=seller_a.actor, trademark_id=mark.pk, code=f" {code} ")

    stored = TrademarkVerificationCode.objects.get()
    assert (verified.pk, stored.attempts, stored.verified_by_label) == (
        challenge.pk,
        1,
        seller_a.owner.username,
    )
    assert stored.verified_at is not None
    assert trademark_control_verified(mark) == stored
    assert trademark_code_open(mark) is None


def test_a_wrong_code_counts_an_attempt_and_the_right_one_still_works(mark, seller_a, send):
    registry_record(mark)
    send(mark)
    code = mailed_codes()[0]

    refusal = _refusal(
        trademark_code_confirm, actor=seller_a.actor, trademark_id=mark.pk, code=wrong(code)
    )

    assert refusal == ("wrong_code", "That code is not right. 4 attempts are left.", "code")
    stored = TrademarkVerificationCode.objects.get()
    assert (stored.attempts, stored.verified_at) == (1, None)
    trademark_code_confirm(actor=seller_a.actor, trademark_id=mark.pk, code=code)
    assert TrademarkVerificationCode.objects.get().attempts == 2
    assert trademark_control_verified(mark) is not None


def test_an_expired_code_is_refused_and_changes_nothing(mark, seller_a, send):
    registry_record(mark)
    send(mark)
    code = mailed_codes()[0]
    _let_time_pass(mark, minutes=16)

    refusal = _refusal(
        trademark_code_confirm, actor=seller_a.actor, trademark_id=mark.pk, code=code
    )

    assert refusal == ("code_expired", "The code has expired. Ask for a new code.", None)
    stored = TrademarkVerificationCode.objects.get()
    assert (stored.attempts, stored.verified_at) == (0, None)
    assert trademark_control_verified(mark) is None


def test_after_five_wrong_attempts_even_the_right_code_is_refused(mark, seller_a, send):
    registry_record(mark)
    send(mark)
    code = mailed_codes()[0]
    refusals = [
        _refusal(
            trademark_code_confirm, actor=seller_a.actor, trademark_id=mark.pk, code=wrong(code)
        )[1]
        for _ in range(5)
    ]

    last = _refusal(trademark_code_confirm, actor=seller_a.actor, trademark_id=mark.pk, code=code)

    assert refusals[-2:] == [
        "That code is not right. 1 attempt is left.",
        "That code is not right, and no attempts are left. Ask for a new code.",
    ]
    assert last == (
        "code_exhausted",
        "Too many wrong attempts for this code. Ask for a new code.",
        None,
    )
    assert TrademarkVerificationCode.objects.get().attempts == 5
    assert trademark_control_verified(mark) is None
    assert trademark_code_open(mark) is None


def test_a_new_code_replaces_the_previous_one(mark, seller_a, send):
    registry_record(mark)
    first = send(mark)
    _let_time_pass(mark, minutes=2)
    second = send(mark)
    old_code, new_code = mailed_codes()
    assert old_code != new_code  # one chance in a million that they are the same

    refusal = _refusal(
        trademark_code_confirm, actor=seller_a.actor, trademark_id=mark.pk, code=old_code
    )
    trademark_code_confirm(actor=seller_a.actor, trademark_id=mark.pk, code=new_code)

    assert refusal[0] == "wrong_code"
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.superseded_at is not None, first.verified_at, first.attempts) == (True, None, 0)
    assert second.verified_at is not None


def test_asking_twice_at_once_sends_one_code(mark, seller_a, send):
    registry_record(mark)
    send(mark)

    refusal = _refusal(send, mark=mark)

    # The wait counts down from 60 s while the test runs: on a loaded machine a second passes.
    code, message = refusal[:2]
    waiting = re.fullmatch(
        r"A code was just sent\. You can ask for another in (\d+) seconds\.", message
    )
    assert code == "code_recently_sent"
    assert waiting, message
    assert 50 <= int(waiting[1]) <= 60
    assert (TrademarkVerificationCode.objects.count(), len(mail.outbox)) == (1, 1)


def test_codes_per_day_are_limited(mark, send, settings):
    settings.TRADEMARK_CODE_SENDS_PER_DAY = 2
    registry_record(mark)
    send(mark)
    _let_time_pass(mark, minutes=2)
    send(mark)
    _let_time_pass(mark, minutes=2)

    refusal = _refusal(send, mark=mark)

    assert refusal[0] == "code_limit_reached"
    assert (TrademarkVerificationCode.objects.count(), len(mail.outbox)) == (2, 2)


def test_without_a_registry_record_nothing_is_sent(mark, send):
    RegistryMark.objects.create(
        office="USPTO", serial="97000001", number="7000001", status_state="registered",
        data_version="test import",
    )  # fmt: skip

    refusal = _refusal(send, mark=mark)

    assert refusal[:2] == (
        "no_registry_record",
        "The USPTO registry has no trademark numbered 7812345, so there is no correspondent to "
        "send a code to. Check the number.",
    )
    assert (TrademarkVerificationCode.objects.count(), mail.outbox) == (0, [])


@pytest.mark.parametrize("email", ["", "not an address"])
def test_a_record_without_a_usable_email_sends_nothing(mark, send, email):
    registry_record(mark, email=email)

    refusal = _refusal(send, mark=mark)

    assert refusal[0] == "no_correspondent_email"
    assert (TrademarkVerificationCode.objects.count(), mail.outbox) == (0, [])


def test_an_office_without_registry_data_sends_nothing(seller_a, send):
    mark = TrademarkFactory(brand__company=seller_a.company, office="CNIPA", number="12345678")

    refusal = _refusal(send, mark=mark)

    assert refusal[:2] == (
        "no_registry_data",
        "We hold no CNIPA registry data, so no code can be sent to the owner on record. The "
        "review team checks the certificate by hand instead.",
    )
    assert (TrademarkVerificationCode.objects.count(), mail.outbox) == (0, [])


def test_another_companys_trademark_is_not_there(mark, seller_b, send):
    registry_record(mark)
    send(mark)
    code = mailed_codes()[0]

    asked = _refusal(trademark_code_send, actor=seller_b.actor, trademark_id=mark.pk)
    guessed = _refusal(
        trademark_code_confirm, actor=seller_b.actor, trademark_id=mark.pk, code=code
    )

    assert asked == guessed == ("no_trademark", "There is no such trademark.", None)
    stored = TrademarkVerificationCode.objects.get()
    assert (stored.attempts, stored.verified_at, len(mail.outbox)) == (0, None, 1)


def test_entering_the_right_code_twice_verifies_once(mark, seller_a, send):
    registry_record(mark)
    send(mark)
    code = mailed_codes()[0]

    first = trademark_code_confirm(actor=seller_a.actor, trademark_id=mark.pk, code=code)
    second = trademark_code_confirm(actor=seller_a.actor, trademark_id=mark.pk, code=code)
    wrong_after = _refusal(
        trademark_code_confirm, actor=seller_a.actor, trademark_id=mark.pk, code=wrong(code)
    )

    assert (first.pk, first.verified_at) == (second.pk, second.verified_at)
    assert wrong_after[0] == "no_open_code"
    assert TrademarkVerificationCode.objects.get().attempts == 1


def test_a_changed_number_needs_a_new_verification(mark, seller_a, send):
    registry_record(mark)
    send(mark)
    trademark_code_confirm(actor=seller_a.actor, trademark_id=mark.pk, code=mailed_codes()[0])

    mark.number = "7812346"
    mark.save()

    assert trademark_control_verified(mark) is None


@pytest.mark.django_db(transaction=True)
def test_parallel_guesses_cannot_exceed_the_attempt_limit(seller_a):
    mark = TrademarkFactory(brand__company=seller_a.company, number="7812345")
    registry_record(mark)
    trademark_code_send(actor=seller_a.actor, trademark_id=mark.pk)
    code = mailed_codes()[0]
    actor, guessers = seller_a.actor, 12
    barrier = threading.Barrier(guessers)
    outcomes: list[str] = []

    def guess(number: int) -> None:
        barrier.wait()
        try:
            trademark_code_confirm(
                actor=actor, trademark_id=mark.pk, code=wrong(f"{int(code) + number:06d}")
            )
            outcomes.append("verified")
        except ApplicationError as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(guessers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["code_exhausted"] * 7 + ["wrong_code"] * 5
    assert TrademarkVerificationCode.objects.get().attempts == 5
    assert trademark_control_verified(mark) is None


@pytest.mark.django_db(transaction=True)
def test_parallel_requests_for_a_code_send_one(seller_a):
    mark = TrademarkFactory(brand__company=seller_a.company, number="7812345")
    registry_record(mark)
    actor, senders = seller_a.actor, 6
    barrier = threading.Barrier(senders)
    outcomes: list[str] = []

    def ask() -> None:
        barrier.wait()
        try:
            trademark_code_send(actor=actor, trademark_id=mark.pk)
            outcomes.append("sent")
        except ApplicationError as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=ask) for _ in range(senders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["code_recently_sent"] * 5 + ["sent"]
    assert (TrademarkVerificationCode.objects.count(), len(mail.outbox)) == (1, 1)


def test_each_application_of_the_trademark_records_the_steps_internally(seller_a, send):
    application = ApplicationFactory(company=seller_a.company, trademark__number="7812345")
    mark = application.trademark
    registry_record(mark)
    send(mark)
    code = mailed_codes()[0]
    for _ in range(5):
        _refusal(
            trademark_code_confirm, actor=seller_a.actor, trademark_id=mark.pk, code=wrong(code)
        )
    _let_time_pass(mark, minutes=2)
    send(mark)
    trademark_code_confirm(actor=seller_a.actor, trademark_id=mark.pk, code=mailed_codes()[1])

    lines = list(
        application.events.exclude(action="created").values_list(
            "action", "actor_label", "seller_visible", "note"
        )
    )

    sent = (
        "record_code_sent",
        seller_a.owner.username,
        False,
        "Verification code for USPTO 7812345 mailed to j***@lamp-law.example, the "
        "correspondent on the registry record.",
    )
    assert lines == [
        sent,
        (
            "record_code_used_up",
            seller_a.owner.username,
            False,
            "The verification code for USPTO 7812345 was used up by 5 wrong attempts.",
        ),
        sent,
        (
            "record_control_verified",
            seller_a.owner.username,
            False,
            "Control of the record of USPTO 7812345 verified with the code mailed to "
            "j***@lamp-law.example.",
        ),
    ]
