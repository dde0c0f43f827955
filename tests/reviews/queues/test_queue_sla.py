"""The SLA sweep: overdue items escalate once, assignees are reminded once a day, and automatic
assignments lost to a broker outage are made after all."""

import datetime

from django.conf import settings
from django.db.models import F
from django.utils import timezone
from kombu.exceptions import OperationalError

from brandprogram.celery import app as celery_app
from reviews import queues, tasks
from reviews.models import QueueItem, ReviewQueue
from sellers.actors import actor_for_user
from sellers.models import Status
from sellers.workflow.transition import application_transition
from tests.reviews.factories import ReviewQueueFactory
from tests.reviews.queues.queue_support import screened
from tests.sellers.factories import ReviewerFactory


def _due_in(application, delta: datetime.timedelta) -> QueueItem:
    item = QueueItem.objects.get(application=application)
    QueueItem.objects.filter(pk=item.pk).update(due_at=timezone.now() + delta)
    return QueueItem.objects.get(pk=item.pk)


def test_sweep_escalates_overdue_items_once_and_mails_the_leads_once(
    db, reviewer, mailoutbox, django_capture_on_commit_callbacks
):
    lead = ReviewerFactory(username="lea.lead@brand-program.example")
    ReviewQueueFactory(name="Lighting", members=[reviewer], leads=[lead])
    overdue = _due_in(screened(brand__name="LATELAMP"), -datetime.timedelta(hours=1))
    on_time = _due_in(screened(brand__name="FRESHLAMP"), datetime.timedelta(days=2))

    with django_capture_on_commit_callbacks(execute=True):
        first = tasks.queue_sla_sweep.delay()
        second = tasks.queue_sla_sweep.delay()

    assert (first.successful(), second.successful()) == (True, True)
    overdue_after, on_time_after = (
        QueueItem.objects.get(pk=overdue.pk),
        QueueItem.objects.get(pk=on_time.pk),
    )
    assert overdue_after.priority == overdue.priority + queues.PRIORITY_ESCALATION
    assert overdue_after.escalated_at is not None
    assert (on_time_after.priority, on_time_after.escalated_at) == (on_time.priority, None)
    assert [(m.to, m.subject) for m in mailoutbox] == [
        ([lead.email], "Overdue in Lighting: LATELAMP")
    ]
    assert mailoutbox[0].body.startswith(
        f"LATELAMP (application #{overdue.application_id}) was due "
        f"{timezone.localtime(overdue.due_at):%Y-%m-%d %H:%M} and is not decided yet."
    )
    assert f"/review/applications/{overdue.application_id}/" in mailoutbox[0].body
    assert QueueItem.objects.breached().count() == 1


def test_escalated_item_comes_first_among_items_due_earlier(db, reviewer):
    queue = ReviewQueueFactory(members=[reviewer])
    _due_in(screened(brand__name="EARLIEST"), -datetime.timedelta(hours=3))
    late = _due_in(screened(brand__name="LATER"), -datetime.timedelta(hours=1))
    QueueItem.objects.filter(pk=late.pk).update(priority=1)

    queues.queue_sla_sweep()
    claimed = queues.queue_item_claim_next(queue_id=queue.pk, actor=actor_for_user(reviewer))

    # Both escalated: due time still decides first.
    assert claimed.brand.name == "EARLIEST"


def test_assignees_are_reminded_once_a_day_of_items_due_soon(
    db, reviewer, mailoutbox, django_capture_on_commit_callbacks
):
    queue = ReviewQueueFactory(members=[reviewer])
    due_soon = screened(brand__name="SOONLAMP")
    later = screened(brand__name="LATERLAMP")
    actor = actor_for_user(reviewer)
    queues.queue_item_claim_next(queue_id=queue.pk, actor=actor)
    queues.queue_item_claim_next(queue_id=queue.pk, actor=actor)
    _due_in(due_soon, datetime.timedelta(hours=5))
    _due_in(later, datetime.timedelta(hours=30))

    with django_capture_on_commit_callbacks(execute=True):
        today = [queues.queue_sla_sweep(), queues.queue_sla_sweep()]
        tomorrow = queues.queue_sla_sweep(now=timezone.now() + datetime.timedelta(days=1))

    assert today == [{"escalated": 0, "reminded": 1}, {"escalated": 0, "reminded": 0}]
    # A day later the first item is overdue and reminded again; the other is now due soon.
    assert tomorrow == {"escalated": 1, "reminded": 2}
    reminders = [m for m in mailoutbox if m.subject.startswith("Reminder")]
    assert [(m.to, m.subject) for m in reminders] == [
        ([reviewer.email], "Reminder: SOONLAMP is due"),
        ([reviewer.email], "Reminder: SOONLAMP is due"),
        ([reviewer.email], "Reminder: LATERLAMP is due"),
    ]


def test_the_sweep_is_on_the_beat_schedule():
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}

    assert "reviews.tasks.queue_sla_sweep" in scheduled
    assert "reviews.tasks.queue_sla_sweep" in celery_app.tasks


def _broker_down(**kwargs):
    raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")


def _waited_past_the_grace():
    QueueItem.objects.update(
        entered_at=F("entered_at") - queues.ASSIGNMENT_GRACE - datetime.timedelta(seconds=1)
    )


def test_an_automatic_assignment_lost_to_a_broker_outage_is_made_by_the_sweep(
    db, reviewer, monkeypatch, django_capture_on_commit_callbacks
):
    ReviewQueueFactory(members=[reviewer], assignment_mode=ReviewQueue.AssignmentMode.AUTOMATIC)
    monkeypatch.setattr(tasks.assign_queue_item, "apply_async", _broker_down)

    with django_capture_on_commit_callbacks(execute=True):
        application = screened()
    monkeypatch.undo()
    application.refresh_from_db()
    # The screening committed; only the assignment's message was lost.
    assert (application.status, application.assignee) == (Status.AWAITING_REVIEW, None)

    tasks.queue_sla_sweep.delay()
    application.refresh_from_db()
    # Within the grace period the published assignment may still be on its way.
    assert application.assignee is None

    _waited_past_the_grace()
    tasks.queue_sla_sweep.delay()

    application.refresh_from_db()
    assert (application.status, application.assignee) == (Status.IN_REVIEW, reviewer)
    assert QueueItem.objects.get().assignee == reviewer


def test_the_sweep_leaves_an_item_released_in_an_automatic_queue_to_the_leads(
    db, reviewer, django_capture_on_commit_callbacks
):
    ReviewQueueFactory(members=[reviewer], assignment_mode=ReviewQueue.AssignmentMode.AUTOMATIC)
    with django_capture_on_commit_callbacks(execute=True):
        application = screened()
    application_transition(
        application_id=application.pk, action="release", actor=actor_for_user(reviewer)
    )
    _waited_past_the_grace()

    tasks.queue_sla_sweep.delay()

    application.refresh_from_db()
    assert (application.status, application.assignee) == (Status.AWAITING_REVIEW, None)
