import os

from celery import Celery

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


# Task signals: request ids carried into tasks, task metrics. Imported here so that every
# process that sends or runs tasks (web, worker, beat) has them connected.
from brandprogram import observability  # noqa: E402, F401
