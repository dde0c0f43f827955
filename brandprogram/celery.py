import os

from celery import Celery
from celery.signals import task_postrun, task_prerun
from django.db import close_old_connections

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "brandprogram.settings")

app = Celery("brandprogram")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def tasks_register() -> None:
    """Import every app's tasks module, registering its tasks, once Django's apps are ready.

    A worker does this by itself when it starts; a web process must too, before it serves:
    gunicorn's threads finding a task missing on their first publish at once raced to import
    the tasks modules, and one of them failed with NotRegistered.
    """
    app.autodiscover_tasks(force=True)


@task_prerun.connect(dispatch_uid="brandprogram.celery.connections_before")
@task_postrun.connect(dispatch_uid="brandprogram.celery.connections_after")
def _connections_checked(task=None, **kwargs) -> None:
    """A worker keeps its database connections from one task to the next (CELERY_DB_REUSE_MAX)
    and drops those too old or broken, as Django does around each web request. Not for an
    in-process (eager) task: it runs inside its caller's request and transaction."""
    if task is not None and not getattr(task.request, "is_eager", False):
        close_old_connections()


# Task signals: request ids carried into tasks, task metrics. Imported here so that every
# process that sends or runs tasks (web, worker, beat) has them connected.
from brandprogram import observability  # noqa: E402, F401
