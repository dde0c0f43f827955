"""Screened applications arriving in queues, for the queue tests."""

from django.utils import timezone

from reviews.models import ScreeningRun
from sellers.actors import SYSTEM
from sellers.workflow.transition import application_transition
from tests.sellers.factories import ApplicationFactory


def screened(*, route=ScreeningRun.Route.STANDARD, risk_score=10, **application_fields):
    """An application that finishes screening now, through the workflow, so it enters a queue."""
    application = ApplicationFactory(screening=True, **application_fields)
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
