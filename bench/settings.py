"""The production settings, plus what only the benchmark needs: the bare JSON view that is the
API's floor, a no-op task, and a result backend to time task round trips."""

from brandprogram.settings import *  # noqa: F403
from brandprogram.settings import ALLOWED_HOSTS, BROKER_URL, INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "bench"]
ROOT_URLCONF = "bench.urls"
# The in-process measurements go through Django's test client, whose host is "testserver".
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]
CELERY_RESULT_BACKEND = BROKER_URL
