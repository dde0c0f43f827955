"""gunicorn with several worker processes: /metrics adds up what every process counted."""

import datetime

import pytest
import requests
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from reviews.models import QueueItem
from tests.gunicorn import project_gunicorn
from tests.reviews.factories import ReviewQueueFactory
from tests.sellers.factories import ApplicationFactory

TOKEN = "multiprocess-scrape-token"
PROBES = 5


def get(url: str, **headers) -> tuple[int, dict, str]:
    response = requests.get(url, headers=headers, timeout=10)
    return response.status_code, response.headers, response.text


@pytest.fixture
def gunicorn(tmp_path, transactional_db, settings):
    metrics_dir = tmp_path / "metrics"
    metrics_dir.mkdir()
    env = {
        "METRICS_TOKEN": TOKEN,
        "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
        "LOG_FORMAT": "json",
    }
    # Each worker process serves one request and is replaced, so the probes below are counted
    # by as many processes as there are probes, and the scrape by yet another.
    args = ("--workers", "2", "--max-requests", "1")
    with project_gunicorn(tmp_path, settings, env=env, args=args) as port:
        yield f"http://127.0.0.1:{port}", metrics_dir, tmp_path / "gunicorn.log"


def test_every_worker_process_is_counted_in_one_scrape(gunicorn):
    base, metrics_dir, log_path = gunicorn
    now = timezone.now()
    QueueItem.objects.create(
        queue=ReviewQueueFactory(name="General"),
        application=ApplicationFactory(awaiting_review=True, in_queue=True),
        entered_at=now,
        due_at=now + datetime.timedelta(days=3),
    )
    for number in range(PROBES):
        get(f"{base}/readyz", **{"X-Request-ID": f"probe-{number}"})

    status, headers, body = get(f"{base}/metrics", Authorization=f"Bearer {TOKEN}")

    samples = {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(body)
        for sample in family.samples
    }
    readyz = (("method", "GET"), ("route", "readyz"), ("status", "200"))
    assert status == 200
    assert samples[("brandprogram_http_request_duration_seconds_count", readyz)] == PROBES
    assert samples[("brandprogram_review_queue_depth", (("queue", "General"),))] == 1
    # One file per process that served a request (named by process id), added up on scrape.
    assert len(list(metrics_dir.glob("histogram_*.db"))) >= PROBES
    assert headers["X-Request-ID"]
    access = [line for line in log_path.read_text().splitlines() if '"probe-' in line]
    assert len(access) == PROBES
