"""The screening pipeline through Redis and a real Celery worker process."""

import io
import subprocess
import sys
import time

import pytest
from django.core.management import call_command
from django.db import connection

from reviews.models import CheckResult, ScreeningRequest, ScreeningRun
from reviews.tasks import screening_sweep
from sellers.models import Application, Notification, Status
from sellers.tasks import notifications_sweep
from sellers.workflow.transition import application_transition
from tests.conftest import PROJECT_ROOT, wait_until
from tests.sellers.factories import ApplicationFactory

pytestmark = pytest.mark.worker

PRODUCTION_CHECKS = [
    "brand_similarity",
    "document_contents",
    "evidence_forensics",
    "logo_similarity",
    "registration_numbers",
    "seller_eligibility",
    "supply_chain",
    "trademark_coverage",
    "trademark_registry",
]


@pytest.fixture(autouse=True)
def _reference_marks(transactional_db):
    # Tests on committed data empty every table afterwards, the migrated well-known list too.
    call_command("load_reference_marks", stdout=io.StringIO())


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
    assert (run.state, run.route, run.risk_score) == (ScreeningRun.State.COMPLETED, "standard", 40)
    assert sorted(run.results.values_list("check_code", flat=True)) == PRODUCTION_CHECKS
    assert [e.action for e in Application.objects.get(pk=application.pk).events.all()] == [
        "submit",
        "start_screening",
        "finish_screening",
    ]
    request = ScreeningRequest.objects.get(application_id=application.pk)
    assert (request.publish_attempts, request.published_at is not None) == (1, True)
    assert request.handled_at is not None


def _worker_backends() -> set[int]:
    """The PostgreSQL backends serving the test database other than this test's own."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND backend_type = 'client backend' AND pid <> pg_backend_pid()"
        )
        return {pid for (pid,) in cursor.fetchall()}


def _screened(seller) -> None:
    application = ApplicationFactory(company=seller.company)
    application_transition(application_id=application.pk, action="submit", actor=seller.actor)
    wait_until(lambda: _status(application.pk) == Status.AWAITING_REVIEW)


def test_the_worker_keeps_its_database_connection_from_one_task_to_the_next(
    celery_worker, seller_a
):
    _screened(seller_a)
    after_first = _worker_backends()

    _screened(seller_a)

    # Closed around every task, each task started a backend of its own.
    assert len(after_first) == 1
    assert _worker_backends() == after_first


def test_the_worker_replaces_a_connection_the_database_dropped_between_tasks(
    celery_worker, seller_a
):
    _screened(seller_a)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM unnest(%s::int[]) AS pid",
            [sorted(_worker_backends())],
        )

    _screened(seller_a)

    assert len(_worker_backends()) == 1


def test_sweep_publishes_a_request_the_broker_never_got(celery_worker, seller_a):
    # Committed with its outbox row, but the process died before publishing (or Redis was
    # down): nothing reached the broker.
    application = ApplicationFactory(company=seller_a.company, submitted=True)
    request = ScreeningRequest.objects.create(application=application)

    screening_sweep.delay()

    wait_until(lambda: _status(application.pk) == Status.AWAITING_REVIEW)
    request.refresh_from_db()
    assert ScreeningRun.objects.filter(application_id=application.pk).count() == 1
    assert (request.publish_attempts, request.handled_at is not None) == (1, True)


def test_a_submission_made_while_redis_is_down_is_screened_later(celery_worker, seller_a):
    application = ApplicationFactory(company=seller_a.company)
    # The submitting process sees a broker that refuses connections: the transaction commits,
    # publishing fails.
    down = {**celery_worker.env, "CELERY_BROKER_URL": "redis://127.0.0.1:1/0"}
    submit = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c",
         "from django.contrib.auth import get_user_model; "
         "from sellers.actors import actor_for_user; "
         "from sellers.workflow.transition import application_transition; "
         f"user = get_user_model().objects.get(pk={seller_a.owner.pk}); "
         f"application_transition(application_id={application.pk}, action='submit', "
         "actor=actor_for_user(user))"],
        cwd=PROJECT_ROOT, env=down, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    request = ScreeningRequest.objects.get(application_id=application.pk)
    # The submission committed with its screening request and the seller's inbox entry; the
    # outage only held back their publication, and the process did not fail over it.
    assert submit.returncode == 0, submit.stderr
    assert _status(application.pk) == Status.SUBMITTED
    assert (request.published_at, request.publish_attempts) == (None, 1)
    assert "waits for the sweep" in submit.stderr
    notification = Notification.objects.get(application_id=application.pk)
    assert notification.mailed_at is None
    assert "left for the sweep" in submit.stderr

    screening_sweep.delay()
    time.sleep(1.1)  # the notification sweep leaves entries younger than a second alone
    notifications_sweep.delay()

    wait_until(lambda: _status(application.pk) == Status.AWAITING_REVIEW)
    request.refresh_from_db()
    assert (request.publish_attempts, request.handled_at is not None) == (2, True)
    wait_until(
        lambda: Notification.objects.filter(pk=notification.pk, mailed_at__isnull=False).exists(),
        message="the sweep did not mail the held-back notification",
    )


@pytest.fixture
def gated_worker(celery_worker, tmp_path):
    """The worker restarted with a check that blocks until the test releases it."""
    gate = {
        "SCREENING_CHECKS": ",".join(
            [f"reviews.checks.{code}" for code in PRODUCTION_CHECKS]
            + ["tests.reviews.checks.blocking_check"]
        ),
        "SCREENING_GATE_STARTED": str(tmp_path / "started"),
        "SCREENING_GATE_RELEASE": str(tmp_path / "release"),
    }
    celery_worker.stop()
    celery_worker.start(**gate)
    yield celery_worker, gate
    celery_worker.stop()
    celery_worker.start()


def test_run_survives_a_worker_killed_mid_check(gated_worker, seller_a, tmp_path):
    worker, gate = gated_worker
    application = ApplicationFactory(company=seller_a.company)
    application_transition(application_id=application.pk, action="submit", actor=seller_a.actor)
    wait_until(lambda: (tmp_path / "started").exists(), message="the gated check never started")

    worker.kill()
    run = ScreeningRun.objects.get(application_id=application.pk)
    before_restart = sorted(run.results.values_list("check_code", flat=True))
    (tmp_path / "release").touch()
    worker.start(**gate)

    def completed():
        # The sweep only resumes a run quiet for SCREENING_STALE_SECONDS (2 s for the worker).
        screening_sweep.delay()
        return _status(application.pk) == Status.AWAITING_REVIEW

    wait_until(completed, timeout=60, interval=1, message="the run was not resumed")
    run.refresh_from_db()
    assert (before_restart, run.state) == (PRODUCTION_CHECKS, ScreeningRun.State.COMPLETED)
    assert sorted(CheckResult.objects.filter(run=run).values_list("check_code", flat=True)) == [
        "blocking_gate",
        *PRODUCTION_CHECKS,
    ]
    assert [e.action for e in Application.objects.get(pk=application.pk).events.all()] == [
        "submit",
        "start_screening",
        "finish_screening",
    ]
