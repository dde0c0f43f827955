import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "brandprogram.settings")

app = Celery("brandprogram")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Task signals: request ids carried into tasks, task metrics. Imported here so that every
# process that sends or runs tasks (web, worker, beat) has them connected.
from brandprogram import observability  # noqa: E402, F401
