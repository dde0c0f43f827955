import logging

from celery import shared_task

from reviews import screening

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def screen_application(*, application_id: int) -> None:
    run = screening.screening_start(application_id=application_id)
    if run is None:
        logger.info("application %s needs no screening now", application_id)
        return
    run = screening.screening_execute(run=run)
    logger.info("application %s screened: risk %s", application_id, run.risk_score)


@shared_task
def screening_sweep() -> None:
    """Re-queue applications whose screening message was lost or whose worker died."""
    for application_id in screening.screening_stale_application_ids():
        screen_application.delay(application_id=application_id)
