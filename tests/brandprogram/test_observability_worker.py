"""On the real worker: task log lines carry the request id that queued them; task metrics."""

import json
import urllib.request

import pytest
from django.test import Client
from django.urls import reverse
from prometheus_client.parser import text_string_to_metric_families

from sellers.models import Application, Status
from sellers.tasks import notification_mail
from tests.conftest import wait_until
from tests.sellers.factories import ApplicationFactory

pytestmark = pytest.mark.worker
PASSWORD = "correct-horse-battery"


def worker_lines(worker) -> list[dict]:
    """The worker's JSON log lines (its start-up banner is plain text and is skipped)."""
    lines = []
    for raw in worker.log_path.read_text().splitlines():
        if raw.startswith("{"):
            lines.append(json.loads(raw))
    return lines


def worker_samples(worker) -> dict[tuple[str, tuple], float]:
    port = worker.env["WORKER_METRICS_PORT"]
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as response:
        text = response.read().decode()
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def test_task_log_lines_carry_the_request_id_of_the_submission(celery_worker, seller_a):
    application = ApplicationFactory(company=seller_a.company)
    seller = Client()
    assert seller.login(username=seller_a.owner.username, password=PASSWORD)

    response = seller.post(
        reverse("portal:application_action", args=[application.pk]),
        {"action": "submit"},
        headers={"X-Request-ID": "req-submit-worker-1"},
    )
    wait_until(lambda: Application.objects.get(pk=application.pk).status == Status.AWAITING_REVIEW)

    mine = [
        line
        for line in worker_lines(celery_worker)
        if line.get("request_id") == "req-submit-worker-1"
    ]
    tasks = {line.get("task") for line in mine}
    assert response["X-Request-ID"] == "req-submit-worker-1"
    # The task the request queued, which ran the checks itself.
    assert "reviews.tasks.screen_application" in tasks
    assert {line["actor"] for line in mine} == {f"user:{seller_a.owner.pk}"}
    assert any(
        line["message"] == f"application {application.pk}: run "
        f"{application.screening_runs.get().pk} ran its quick checks"
        for line in mine
    )


def test_worker_serves_task_failures_and_screening_durations(celery_worker):
    name = "brandprogram_celery_task_failures_total"
    task = "sellers.tasks.notification_mail"
    before = worker_samples(celery_worker).get((name, (("task", task),)), 0.0)

    notification_mail.delay(notification_id=987654321)

    wait_until(
        lambda: worker_samples(celery_worker).get((name, (("task", task),)), 0.0) == before + 1
    )
    failed_lines = [
        line
        for line in worker_lines(celery_worker)
        if line.get("task") == task and line["level"] == "ERROR"
    ]
    assert failed_lines
    assert "DoesNotExist" in failed_lines[-1].get("exception", "") + failed_lines[-1]["message"]
