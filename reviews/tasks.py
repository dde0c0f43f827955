"""The reviews app's Celery tasks, named reviews.tasks.<function> (routing and beat use the names).

A leaf: each task imports the services it calls inside its body, so that the services publish
tasks by name (brandprogram.queueing) and no module imports this one at load time.
"""

import logging

from celery import shared_task
from celery.utils.time import get_exponential_backoff_interval
from django.conf import settings
from django.db import connection

from reviews.checks.base import TransientCheckError

logger = logging.getLogger(__name__)

# The longest wait between two attempts of a check, however many retries are allowed.
RETRY_BACKOFF_MAX_SECONDS = 600


@shared_task(acks_late=True, reject_on_worker_lost=True)
def screen_application(*, application_id: int) -> None:
    """Open the run and run its quick checks in the same task: a task of its own for the
    checks cost every application a trip through the broker. Published with the checks'
    time limits (``reviews.screening.outbox``)."""
    # Inside the body: this module is a leaf (see the module docstring).
    from reviews.screening.runs import screening_open_and_check

    run = screening_open_and_check(application_id=application_id)
    if run is None:
        logger.info("application %s needs no screening now", application_id)
        return
    logger.info("application %s: run %s ran its quick checks", application_id, run.pk)


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True)
def run_check(self, *, run_id: int, check_code: str, rerun_by_id: int | None = None) -> None:
    # Inside the body: this module is a leaf (see the module docstring).
    from reviews.screening.runs import screening_check

    max_retries = settings.SCREENING_CHECK_MAX_RETRIES
    try:
        screening_check(
            run_id=run_id,
            check_code=check_code,
            last_attempt=self.request.retries >= max_retries,
            rerun_by_id=rerun_by_id,
        )
    except TransientCheckError as exc:
        raise _retry_later(self, exc, f"check {check_code} of run {run_id}") from exc


def _retry_later(task, exc: Exception, what: str):
    countdown = get_exponential_backoff_interval(
        factor=settings.SCREENING_CHECK_RETRY_BACKOFF,
        retries=task.request.retries,
        maximum=RETRY_BACKOFF_MAX_SECONDS,
        full_jitter=True,
    )
    logger.info("%s retries in %s s: %s", what, countdown, exc)
    return task.retry(
        exc=exc, countdown=countdown, max_retries=settings.SCREENING_CHECK_MAX_RETRIES
    )


@shared_task(acks_late=True, reject_on_worker_lost=True)
def resume_run(*, run_id: int) -> None:
    # Inside the body: this module is a leaf (see the module docstring).
    from reviews.screening.runs import screening_resume

    screening_resume(run_id=run_id)


@shared_task
def screening_sweep() -> None:
    """Publish screening requests the broker never got; resume runs whose worker died; scan
    the conversation's files still waiting for their malware scan."""
    # Inside the body: this module is a leaf (see the module docstring).
    from reviews.attachment_scans import message_scans_overdue
    from reviews.screening.outbox import screening_request_publish, screening_requests_to_publish
    from reviews.screening.runs import screening_stalled_run_ids

    for request_id in screening_requests_to_publish():
        screening_request_publish(request_id=request_id)
    for run_id in screening_stalled_run_ids():
        resume_run.delay(run_id=run_id)
    for message_id in message_scans_overdue():
        scan_message_attachments.delay(message_id=message_id)


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True)
def scan_message_attachments(self, *, message_id: int) -> None:
    # Inside the body: this module is a leaf (see the module docstring).
    from reviews.attachment_scans import message_attachments_scan

    try:
        outcomes = message_attachments_scan(message_id=message_id)
    except TransientCheckError as exc:
        raise _retry_later(self, exc, f"malware scan of message {message_id}") from exc
    logger.info("message %s: files scanned %s", message_id, outcomes)


@shared_task
def recertification_start() -> None:
    """Monthly: the re-certification checks of every admitted brand."""
    # Inside the body: this module is a leaf (see the module docstring).
    from reviews.recertification import recertification_start as start

    sent = start()
    logger.info("re-certification: %s run(s) sent", len(sent))


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True)
def recertify_check(self, *, run_id: int, check_code: str) -> None:
    # Inside the body: this module is a leaf (see the module docstring).
    from reviews.recertification import recertification_check

    try:
        recertification_check(
            run_id=run_id,
            check_code=check_code,
            last_attempt=self.request.retries >= settings.SCREENING_CHECK_MAX_RETRIES,
        )
    except TransientCheckError as exc:
        raise _retry_later(
            self, exc, f"re-certification check {check_code} of run {run_id}"
        ) from exc


@shared_task
def recertification_deadlines() -> None:
    """Daily: revoke suspensions past their deadline, re-send checks of runs gone quiet."""
    # Inside the body: this module is a leaf (see the module docstring).
    from reviews.recertification import recertification_sweep

    recertification_sweep()


@shared_task(acks_late=True)
def assign_queue_item(*, item_id: int) -> None:
    # Inside the body: this module is a leaf (see the module docstring).
    from reviews.queues import queue_item_assign_automatically

    application = queue_item_assign_automatically(item_id=item_id)
    logger.info(
        "queue item %s: %s",
        item_id,
        f"assigned to user {application.assignee_id}" if application else "left unassigned",
    )


@shared_task
def queue_sla_sweep() -> None:
    """Escalate overdue queue items, redo automatic assignments that were lost, and remind
    reviewers."""
    # Inside the body: this module is a leaf (see the module docstring).
    from reviews.queues import queue_assignments_redo
    from reviews.queues import queue_sla_sweep as sweep

    assigned = queue_assignments_redo()
    counts = sweep()
    logger.info("queue SLA sweep: %(escalated)s escalated, %(reminded)s reminded", counts)
    logger.info("queue SLA sweep: %s lost automatic assignment(s) redone", assigned)


@shared_task
def pending_marks_review() -> None:
    # Inside the body: this module is a leaf (see the module docstring).
    from reviews.pending_marks import pending_marks_review as review

    done = review()
    logger.info("pending marks: %s", {key: len(ids) for key, ids in done.items()})


@shared_task
def stale_indicators_review() -> None:
    # Inside the body: this module is a leaf (see the module docstring).
    from reviews.stale_indicators import stale_indicators_review as review

    done = review()
    logger.info("stale indicators: %s", {key: len(ids) for key, ids in done.items()})


# Ten million marks take minutes: longer than the default limit for one task.
@shared_task(soft_time_limit=3600, time_limit=3660)
def similarity_index_build() -> None:
    # Inside the body: this module is a leaf (see the module docstring).
    from reviews.similarity.trigrams import index_build

    # The file stands in for PostgreSQL's trigram index; SQLite reads every mark anyway.
    if connection.vendor != "postgresql":
        return
    built = index_build()
    logger.info(
        "trigram index file %s: %s skeletons through mark %s, %s bytes in %s s",
        built.path,
        built.skeletons,
        built.through_id,
        built.bytes,
        built.seconds,
    )
