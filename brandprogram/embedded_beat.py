"""Celery beat inside the web process, for the embedded default (no broker).

Without a broker every task runs in the process that sends it, but periodic work (webhook
retries, the sweeps, SLA escalation, re-certification) has nobody to send it: no beat runs
beside `make run`. This starts Celery's own beat in a thread of the web process, on the same
``CELERY_BEAT_SCHEDULE`` a real beat reads, so the embedded default keeps that one schedule
rather than a copy of it. Tasks it sends run right there in its thread, since they are eager.

With a broker it does nothing: the real stack runs ``celery beat`` on its own.
"""

import logging
import threading

from django.conf import settings

from brandprogram.celery import app

logger = logging.getLogger(__name__)
_lock = threading.Lock()
_started: list = []


def start_if_embedded() -> bool:
    """Start the beat thread once per process when there is no broker; True if it runs."""
    if settings.BROKER_URL:
        return False
    with _lock:
        if _started:
            return True
        # Beat sends tasks by name; they register when their modules are imported.
        app.loader.import_default_modules()
        # Imported here: celery.beat is only needed by the one process that runs it.
        from celery.beat import EmbeddedService

        # The in-memory scheduler: nothing is written to disk, and interval entries simply
        # start counting afresh when the process restarts.
        beat = EmbeddedService(app, thread=True, scheduler_cls="celery.beat:Scheduler")
        beat.start()
        _started.append(beat)
    logger.info("periodic tasks run in this process (%s entries)", len(app.conf.beat_schedule))
    return True
