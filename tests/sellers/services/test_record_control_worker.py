"""The verification code travels the real path: commit, Redis, the Celery worker, a mail file."""

import email
import re

import pytest
from django.conf import settings
from django.urls import reverse

from sellers.models import TrademarkVerificationCode
from tests.conftest import wait_until
from tests.pages import logged_in
from tests.record_control import registry_record
from tests.sellers.factories import TrademarkFactory

pytestmark = pytest.mark.worker

TO = "counsel-worker-test@lamp-law.example"
CODE = re.compile(r"(?<!\d)(\d{6})(?!\d)")


def _mailed_to(to: str, already: set) -> list[tuple[email.message.Message, str]]:
    """(message, code) the worker's file backend wrote to ``to`` in files new since ``already``.

    A message still being written has no code yet and is not counted."""
    found = []
    for path in sorted((settings.DATA_DIR / "mail").glob("*.log")):
        if path in already:
            continue
        for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            message = email.message_from_bytes(chunk.strip())
            code = CODE.search((message.get_payload(decode=True) or b"").decode())
            if message["To"] == to and code:
                found.append((message, code.group(1)))
    return found


def test_the_worker_mails_the_code_and_the_seller_enters_it(celery_worker, seller_a):
    mark = TrademarkFactory(brand__company=seller_a.company, number="7812345")
    registry_record(mark, email=TO)
    mail_dir = settings.DATA_DIR / "mail"
    already = set(mail_dir.glob("*.log")) if mail_dir.exists() else set()
    client = logged_in(seller_a.owner)

    client.post(reverse("portal:trademark_control_send", args=[mark.pk]))
    messages = wait_until(
        lambda: _mailed_to(TO, already), message="the worker did not write the code's mail"
    )
    message, code = messages[0]
    client.post(reverse("portal:trademark_control_confirm", args=[mark.pk]), {"code": code})

    stored = TrademarkVerificationCode.objects.get()
    assert (len(messages), message["Subject"]) == (
        1,
        "Verification code for trademark USPTO 7812345",
    )
    assert (stored.sent_to, stored.attempts, stored.verified_at is not None) == (TO, 1, True)
