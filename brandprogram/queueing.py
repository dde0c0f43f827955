"""The one way to hand work to the worker from inside a transaction.

Work is published only once the transaction commits, so a task never looks for rows that do
not exist yet, and a broker outage at that moment is logged rather than raised: the change has
already committed, so failing the request would only hide a success from the user. Whatever
must not be lost has a row of its own that a periodic sweep publishes again.

Tasks are named by their registered names, so this module imports no app.
"""

import logging
from functools import partial

from django.db import transaction
from kombu.exceptions import OperationalError

from brandprogram.celery import app

logger = logging.getLogger(__name__)


def publish(task_name: str, *, options: dict | None = None, **kwargs) -> bool:
    """Send a task now, with ``apply_async``'s ``options`` (time limits) if any; False (and a
    log line) if the broker cannot take it."""
    try:
        app.tasks[task_name].apply_async(kwargs=kwargs, **(options or {}))
    except OperationalError:
        logger.warning("broker unavailable; %s(%s) left for the sweep", task_name, kwargs)
        return False
    return True


def enqueue_after_commit(task_name: str, **kwargs) -> None:
    """Publish a task once the current transaction commits (at once outside one)."""
    transaction.on_commit(partial(publish, task_name, **kwargs))
