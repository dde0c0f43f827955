"""The one after-commit publish: by task name, from any process, after the commit only."""

import os
import subprocess
import sys

import redis
from django.db import transaction

from brandprogram import queueing
from tests.conftest import PROJECT_ROOT

# A Redis database no worker of the suite listens on, so the message is only looked at.
SPARE_BROKER = "redis://127.0.0.1:6379/15"

PUBLISH_FROM_A_FRESH_PROCESS = """
import sys
import django
django.setup()
from brandprogram import queueing
before = "sellers.tasks" in sys.modules
print(before, queueing.publish("sellers.tasks.notifications_sweep"))
"""


def test_a_process_that_never_loaded_a_tasks_module_publishes_by_name():
    broker = redis.Redis.from_url(SPARE_BROKER)
    broker.flushdb()
    env = {**os.environ, "CELERY_BROKER_URL": SPARE_BROKER}
    try:
        result = subprocess.run(
            [sys.executable, "-c", PUBLISH_FROM_A_FRESH_PROCESS],
            cwd=PROJECT_ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        queued = broker.lrange("notifications", 0, -1)
    finally:
        broker.flushdb()

    assert result.stdout.split() == ["False", "True"], result.stderr
    assert len(queued) == 1
    assert b"sellers.tasks.notifications_sweep" in queued[0]


def test_nothing_is_published_when_the_transaction_rolls_back(
    db, monkeypatch, django_capture_on_commit_callbacks
):
    sent = []
    monkeypatch.setattr(queueing, "publish", lambda name, **kwargs: sent.append((name, kwargs)))

    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            queueing.enqueue_after_commit("sellers.tasks.mail_send", to="a@example.com")
            transaction.set_rollback(True)
        with transaction.atomic():
            queueing.enqueue_after_commit("sellers.tasks.notification_mail", notification_id=7)

    assert sent == [("sellers.tasks.notification_mail", {"notification_id": 7})]
