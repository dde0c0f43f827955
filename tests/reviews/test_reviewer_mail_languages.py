"""Reviewer mail is written in the language each recipient last logged in with, whoever set
it off and in whatever language."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from reviews import queues
from reviews.languages import staff_language
from reviews.models import QueueItem, StaffProfile
from sellers.actors import actor_for_user
from sellers.models import Notification, Status
from tests.catalogue import chinese_client
from tests.pages import logged_in
from tests.reviews.factories import ReviewQueueFactory
from tests.reviews.queues.queue_support import screened
from tests.sellers.factories import ApplicationFactory, ReviewerFactory


@pytest.fixture(autouse=True)
def _compiled_catalog():
    # The catalogue is compiled by `make test`; compile it here too for a bare pytest run.
    call_command("compilemessages", "--ignore=.venv", verbosity=0)


def test_a_reviewers_language_is_remembered_at_login_and_a_sellers_is_not_kept_here(
    reviewer, other_reviewer, seller_a
):
    chinese_client(reviewer)
    logged_in(other_reviewer)
    chinese_client(seller_a.owner)

    assert (staff_language(reviewer), staff_language(other_reviewer)) == ("zh-hans", "en")
    assert list(StaffProfile.objects.values_list("user", "language").order_by("user")) == [
        (reviewer.pk, "zh-hans"),
        (other_reviewer.pk, "en"),
    ]


def test_a_proposal_is_announced_to_each_confirmer_in_their_language(
    settings, seller_a, senior_reviewer, mailoutbox, django_capture_on_commit_callbacks
):
    settings.SCREENING_SENIOR_RISK = 50
    english = ReviewerFactory(username="cy.senior@brand-program.example", senior=True)
    chinese = ReviewerFactory(username="li.senior@brand-program.example", senior=True)
    logged_in(english)
    chinese_client(chinese)
    application = ApplicationFactory(
        company=seller_a.company,
        in_review=True,
        assignee=senior_reviewer,
        risk_score=80,
        brand__name="RISKY",
    )

    # The proposer works in Chinese; that decides nothing about the mail of others.
    with django_capture_on_commit_callbacks(execute=True):
        chinese_client(senior_reviewer).post(
            reverse("reviews:workspace", args=[application.pk]),
            {"action": "approve", "message": "欢迎加入。"},
        )

    application.refresh_from_db()
    assert application.status == Status.PROPOSED
    mails = {message.to[0]: message for message in mailoutbox}
    assert (mails[english.email].subject, mails[chinese.email].subject) == (
        "To confirm: RISKY",
        "待确认：RISKY",  # noqa: RUF001 (full-width colon)
    )
    assert f"{senior_reviewer.username} proposes: Approve for RISKY" in mails[english.email].body
    assert (
        f"{senior_reviewer.username} 提议对 RISKY（申请 #{application.pk}）作出决定：批准。"  # noqa: RUF001
        in mails[chinese.email].body
    )
    inbox = dict(Notification.objects.values_list("user", "subject"))
    assert (inbox[english.pk], inbox[chinese.pk]) == ("To confirm: RISKY", "待确认：RISKY")  # noqa: RUF001


def test_queue_reminders_and_overdue_notices_follow_each_reviewers_language(
    db, reviewer, mailoutbox, django_capture_on_commit_callbacks
):
    lead = ReviewerFactory(username="lea.lead@brand-program.example")
    chinese_client(reviewer)
    logged_in(lead)
    queue = ReviewQueueFactory(name="Lighting", members=[reviewer], leads=[lead])
    application = screened(brand__name="LATELAMP")
    queues.queue_item_claim_next(queue_id=queue.pk, actor=actor_for_user(reviewer))
    QueueItem.objects.filter(application=application).update(
        due_at=timezone.now() - datetime.timedelta(hours=1)
    )

    with django_capture_on_commit_callbacks(execute=True):
        queues.queue_sla_sweep()

    subjects = sorted((message.to[0], message.subject) for message in mailoutbox)
    assert subjects == [
        (reviewer.email, "提醒：LATELAMP 即将到期"),  # noqa: RUF001 (full-width colon)
        (lead.email, "Overdue in Lighting: LATELAMP"),
    ]
