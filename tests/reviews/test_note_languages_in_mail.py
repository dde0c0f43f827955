"""A person's words travel as written: the mail carrying a decision's note, a seller's message or
a sent-back proposal names the language it was written in when the reader uses another one, and
each reader's mail is in their own language (a seller's membership, a reviewer's last login)."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from reviews.languages import staff_language
from sellers.actors import SYSTEM, actor_for_user
from sellers.models import Membership, Notification, Status
from sellers.services.messages import application_message_post
from sellers.workflow.transition import application_transition
from tests.catalogue import chinese_client
from tests.pages import logged_in
from tests.sellers.conversation_support import changes_requested
from tests.sellers.factories import ApplicationFactory, ReviewerFactory, UserFactory

# Full-width punctuation is what Chinese text uses.
NAMED_ENGLISH = "原文为英文，未经翻译。"  # noqa: RUF001


@pytest.fixture(autouse=True)
def _compiled_catalog():
    # The catalogue is compiled by `make test`; compile it here too for a bare pytest run.
    call_command("compilemessages", "--ignore=.venv", verbosity=0)


def _decided(seller, reviewer, *, language: str, note: str, action: str = "request_changes"):
    """Submitted by ``seller``, screened, claimed and decided by ``reviewer`` writing in
    ``language``; the mails are what the members' inbox entries say."""
    application = ApplicationFactory(company=seller.company, brand__name="LUMIBRIGHT")
    application_transition(application_id=application.pk, action="submit", actor=seller.actor)
    for step in ("start_screening", "finish_screening"):
        application_transition(application_id=application.pk, action=step, actor=SYSTEM)
    reviewer_actor = actor_for_user(reviewer)
    application_transition(application_id=application.pk, action="claim", actor=reviewer_actor)
    with translation.override(language):
        application_transition(
            application_id=application.pk, action=action, actor=reviewer_actor, note=note
        )
    return application


def _mail_to(mailoutbox, user) -> str:
    """The last mail ``user`` got: the one about the decision, after the submission's."""
    return [message.body for message in mailoutbox if message.to == [user.email]][-1]


def test_a_decisions_note_names_its_language_to_the_members_who_read_another(
    seller_a, senior_reviewer, mailoutbox, django_capture_on_commit_callbacks
):
    clerk = UserFactory(username="wang.fang@bright-lamp.example")
    Membership.objects.create(company=seller_a.company, user=clerk, language="zh-hans")
    note = "The trademark is registered to another company."

    with django_capture_on_commit_callbacks(execute=True):
        application = _decided(seller_a, senior_reviewer, language="en", note=note)

    application.refresh_from_db()
    assert application.status == Status.CHANGES_REQUESTED
    english, chinese = _mail_to(mailoutbox, seller_a.owner), _mail_to(mailoutbox, clerk)
    assert f"Message from the review team:\n\n{note}\n" in english
    assert "Written in" not in english
    assert f"{NAMED_ENGLISH}\n\n{note}\n" in chinese
    # The mail is the inbox entry's text.
    entry = Notification.objects.get(user=clerk, event__action="request_changes")
    assert f"{NAMED_ENGLISH}\n\n{note}" in entry.body


def test_a_note_written_in_chinese_is_named_to_an_english_reader(
    seller_a, senior_reviewer, mailoutbox, django_capture_on_commit_callbacks
):
    note = "商标注册人为另一家公司。"

    with django_capture_on_commit_callbacks(execute=True):
        _decided(seller_a, senior_reviewer, language="zh-hans", note=note)

    body = _mail_to(mailoutbox, seller_a.owner)
    assert f"Message from the review team:\nWritten in Chinese; shown as written.\n\n{note}" in body


def test_a_change_without_a_persons_note_names_no_language(
    seller_a, reviewer, mailoutbox, django_capture_on_commit_callbacks
):
    Membership.objects.filter(user=seller_a.owner).update(language="zh-hans")

    with django_capture_on_commit_callbacks(execute=True):
        application = ApplicationFactory(company=seller_a.company, brand__name="LUMIBRIGHT")
        with translation.override("en"):
            application_transition(
                application_id=application.pk, action="submit", actor=seller_a.actor
            )

    (body,) = [message.body for message in mailoutbox]
    assert "原文为" not in body
    assert "LUMIBRIGHT" in body


def test_a_sellers_message_reaches_the_reviewer_in_the_language_they_last_logged_in_with(
    seller_a, reviewer, mailoutbox, django_capture_on_commit_callbacks
):
    chinese_client(reviewer)
    application = changes_requested(seller_a, reviewer, brand__name="LUMIBRIGHT")
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True), translation.override("en"):
        message = application_message_post(
            actor=seller_a.actor, application_id=application.pk, body="The audit is attached."
        )

    assert staff_language(reviewer) == "zh-hans"
    entry = Notification.objects.get(event=message.event)
    (mail,) = mailoutbox
    assert (mail.to, mail.subject, entry.subject) == (
        [reviewer.email],
        "卖家留言：LUMIBRIGHT",  # noqa: RUF001 (full-width colon)
        "卖家留言：LUMIBRIGHT",  # noqa: RUF001
    )
    assert f"{NAMED_ENGLISH}\n\nThe audit is attached." in mail.body
    workspace = reverse("reviews:workspace", args=[application.pk])
    assert entry.link == f"{workspace}#conversation"


def test_a_sent_back_proposal_names_the_language_of_its_note_to_the_proposer(
    settings, seller_a, mailoutbox, django_capture_on_commit_callbacks
):
    settings.SCREENING_SENIOR_RISK = 50
    proposer = ReviewerFactory(username="sam.senior@brand-program.example", senior=True)
    confirmer = ReviewerFactory(username="li.senior@brand-program.example", senior=True)
    logged_in(proposer)
    application = ApplicationFactory(
        company=seller_a.company,
        in_review=True,
        assignee=proposer,
        risk_score=80,
        brand__name="RISKY",
    )
    workspace = reverse("reviews:workspace", args=[application.pk])
    logged_in(proposer).post(workspace, {"action": "approve", "message": "Welcome."})
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        chinese_client(confirmer).post(
            workspace,
            {"action": "send_back", "internal_note": "营业执照已过期，请再核对。"},  # noqa: RUF001
        )

    (mail,) = mailoutbox
    assert (mail.to, mail.subject) == ([proposer.email], "Sent back: RISKY")
    assert "Written in Chinese; shown as written.\n\n营业执照已过期，请再核对。" in mail.body  # noqa: RUF001
