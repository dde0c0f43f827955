"""Queues, members and screened applications arriving in them, for the queue tests."""

from django.utils import timezone

from reviews.models import QueueMembership, ReviewQueue, ScreeningRun
from sellers.actors import SYSTEM
from sellers.models import Status
from sellers.workflow.transition import application_transition
from tests.factories import ApplicationFactory, CategoryFactory


def make_queue(name="Lighting", *, members=(), leads=(), categories=None, **fields) -> ReviewQueue:
    queue = ReviewQueue.objects.create(name=name, **fields)
    queue.categories.set(categories if categories is not None else [CategoryFactory()])
    for user in members:
        QueueMembership.objects.create(queue=queue, reviewer=user)
    for user in leads:
        QueueMembership.objects.create(queue=queue, reviewer=user, is_lead=True)
    return queue


def screened(*, route=ScreeningRun.Route.STANDARD, risk_score=10, **application_fields):
    """An application that finishes screening now, through the workflow, so it enters a queue."""
    application = ApplicationFactory(status=Status.SCREENING, **application_fields)
    ScreeningRun.objects.create(
        application=application,
        state=ScreeningRun.State.COMPLETED,
        risk_score=risk_score,
        route=route,
        finished_at=timezone.now(),
    )
    application_transition(
        application_id=application.pk, action="finish_screening", actor=SYSTEM, note=""
    )
    application.refresh_from_db()
    return application
