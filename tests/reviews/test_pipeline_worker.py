"""The screening pipeline through Redis and a real Celery worker process."""

import pytest

from reviews.models import ScreeningRun
from reviews.tasks import screening_sweep
from sellers.models import Application, Status
from sellers.workflow import application_transition
from tests.conftest import wait_until
from tests.factories import ApplicationFactory

pytestmark = pytest.mark.worker


def _status(application_id: int) -> str:
    return Application.objects.values_list("status", flat=True).get(pk=application_id)


def test_worker_screens_a_submitted_application(celery_worker, seller_a):
    application = ApplicationFactory(company=seller_a.company)

    application_transition(application_id=application.pk, action="submit", actor=seller_a.actor)

    wait_until(
        lambda: _status(application.pk) == Status.AWAITING_REVIEW,
        message="the worker did not finish screening",
    )
    run = ScreeningRun.objects.get(application_id=application.pk)
    assert run.state == ScreeningRun.State.COMPLETED
    assert sorted(run.results.values_list("check_code", flat=True)) == [
        "registration_numbers",
        "trademark_coverage",
    ]
    assert [e.action for e in Application.objects.get(pk=application.pk).events.all()] == [
        "submit",
        "start_screening",
        "finish_screening",
    ]


def test_sweep_requeues_an_application_whose_message_was_lost(celery_worker, seller_a):
    # Submitted, but the message never reached the broker (as if Redis had lost it).
    application = ApplicationFactory(company=seller_a.company, status=Status.SUBMITTED)
    Application.objects.filter(pk=application.pk).update(
        updated_at=application.updated_at.replace(year=2025)
    )

    screening_sweep.delay()

    wait_until(lambda: _status(application.pk) == Status.AWAITING_REVIEW)
    assert ScreeningRun.objects.filter(application_id=application.pk).count() == 1
