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

# Threads of one fresh process publish at once, as a threaded web worker's first requests do.
PUBLISH_FROM_A_FRESH_PROCESS = """
import threading
import django
django.setup()
from brandprogram.celery import app
from brandprogram import queueing
registered = "sellers.tasks.evidence_read" in app.tasks and "reviews.tasks.run_check" in app.tasks
names = ["sellers.tasks.notifications_sweep", "reviews.tasks.screening_sweep"] * 4
sent = []
threads = [threading.Thread(target=lambda n=n: sent.append(queueing.publish(n))) for n in names]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(registered, sent.count(True))
"""


def test_a_fresh_process_knows_every_task_before_its_threads_publish_at_once():
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
        queued = broker.lrange("notifications", 0, -1) + broker.lrange("screening", 0, -1)
    finally:
        broker.flushdb()

    assert result.stdout.split() == ["True", "8"], result.stderr
    assert (
        sorted(b"notifications_sweep" in message for message in queued) == [False] * 4 + [True] * 4
    )


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
