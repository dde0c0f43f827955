"""Prometheus metrics: what each process records, and what is read from the database on scrape.

Recorded by the process that sees the event:
  web       brandprogram_http_request_duration_seconds{route, method, status}
  worker    brandprogram_celery_task_duration_seconds{task, state}
            brandprogram_celery_task_failures_total{task}
            brandprogram_celery_task_retries_total{task}
            brandprogram_screening_check_duration_seconds{check}
            brandprogram_screening_run_duration_seconds
            brandprogram_webhook_delivery_failures_total{reason}
Read at scrape time (``/metrics`` on the web processes only, so they are not counted twice):
            brandprogram_review_queue_depth{queue}, brandprogram_review_queue_oldest_seconds{queue},
            brandprogram_review_sla_breaches{queue}, brandprogram_task_queue_length{queue}

With gunicorn's several worker processes, prometheus_client's multiprocess mode adds up the
values all processes wrote to PROMETHEUS_MULTIPROC_DIR. Celery workers serve their own
numbers on WORKER_METRICS_PORT (see ``worker_metrics_serve``).
"""

import hmac
import logging
import os
import time
from collections.abc import Iterable

from celery.signals import task_failure, task_postrun, task_prerun, task_retry, worker_ready
from django.conf import settings
from django.dispatch import Signal
from django.http import HttpResponse, HttpResponseNotFound
from django.utils.module_loading import import_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    start_http_server,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector

logger = logging.getLogger(__name__)

# Web pages and API calls: most answer in milliseconds, uploads and reports in seconds.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
# Screening checks call registries and open documents: tens of milliseconds to a minute.
CHECK_BUCKETS = (0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120)
RUN_BUCKETS = (0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600)

REQUEST_LATENCY = Histogram(
    "brandprogram_http_request_duration_seconds",
    "Time from the request reaching Django to the response, by URL route name.",
    ["route", "method", "status"],
    buckets=LATENCY_BUCKETS,
)
TASK_DURATION = Histogram(
    "brandprogram_celery_task_duration_seconds",
    "Run time of a Celery task, by task name and final state.",
    ["task", "state"],
    buckets=CHECK_BUCKETS,
)
TASK_FAILURES = Counter(
    "brandprogram_celery_task_failures",
    "Celery tasks that raised (after their last retry, or without retries).",
    ["task"],
)
TASK_RETRIES = Counter(
    "brandprogram_celery_task_retries", "Celery task retries scheduled.", ["task"]
)
SCREENING_CHECK_DURATION = Histogram(
    "brandprogram_screening_check_duration_seconds",
    "Run time of one screening check, retries counted separately.",
    ["check"],
    buckets=CHECK_BUCKETS,
)
SCREENING_RUN_DURATION = Histogram(
    "brandprogram_screening_run_duration_seconds",
    "From a screening run's start to its last check's result.",
    buckets=RUN_BUCKETS,
)
WEBHOOK_FAILURES = Counter(
    "brandprogram_webhook_delivery_failures",
    "Webhook delivery attempts that failed, by reason (timeout, http_5xx, ...).",
    ["reason"],
)

# The hook for webhook deliveries: the delivery code sends this signal with ``reason`` each
# time an attempt fails, so this module needs to know nothing about webhook models.
webhook_delivery_failed = Signal()


def _count_webhook_failure(sender, *, reason: str = "error", **kwargs) -> None:
    WEBHOOK_FAILURES.labels(reason=reason).inc()


webhook_delivery_failed.connect(_count_webhook_failure, dispatch_uid="metrics.webhook_failure")


def route_name(request) -> str:
    """The URL pattern's name, never the raw path: ids in paths would explode the series."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "unmatched"
    return match.view_name or match.route or "unnamed"


def observe_request(*, route: str, method: str, status: int, seconds: float) -> None:
    REQUEST_LATENCY.labels(route=route, method=method, status=str(status)).observe(seconds)


def observe_screening_run(seconds: float) -> None:
    SCREENING_RUN_DURATION.observe(seconds)


def observe_screening_check(check: str, seconds: float) -> None:
    """A check run inside a task shared with others; a check task of its own is timed whole."""
    SCREENING_CHECK_DURATION.labels(check=check).observe(seconds)


_task_started: dict[str, float] = {}


@task_prerun.connect(dispatch_uid="brandprogram.metrics.prerun")
def _task_start(task_id=None, **kwargs) -> None:
    _task_started[task_id] = time.perf_counter()


@task_postrun.connect(dispatch_uid="brandprogram.metrics.postrun")
def _task_end(task_id=None, task=None, kwargs=None, state=None, **extra) -> None:
    started = _task_started.pop(task_id, None)
    if started is None:
        return
    seconds = time.perf_counter() - started
    TASK_DURATION.labels(task=task.name, state=state or "UNKNOWN").observe(seconds)
    if task.name == "reviews.tasks.run_check" and kwargs and "check_code" in kwargs:
        observe_screening_check(kwargs["check_code"], seconds)


@task_failure.connect(dispatch_uid="brandprogram.metrics.failure")
def _task_failed(sender=None, **kwargs) -> None:
    TASK_FAILURES.labels(task=sender.name).inc()


@task_retry.connect(dispatch_uid="brandprogram.metrics.retry")
def _task_retried(sender=None, **kwargs) -> None:
    TASK_RETRIES.labels(task=sender.name).inc()


class DatabaseCollector:
    """Reviewer queue depth and SLA breaches, and broker queue lengths, read on each scrape.

    The queue figures come from ``settings.METRICS_REVIEW_QUEUES``, a dotted path to a function
    returning ``{queue name: (waiting, oldest wait in seconds, open items past their due time)}``.
    """

    def collect(self) -> Iterable[GaugeMetricFamily]:
        depth = GaugeMetricFamily(
            "brandprogram_review_queue_depth",
            "Open items of the queue waiting for a reviewer.",
            labels=["queue"],
        )
        oldest = GaugeMetricFamily(
            "brandprogram_review_queue_oldest_seconds",
            "How long the longest-waiting application of the queue has been in it.",
            labels=["queue"],
        )
        breaches = GaugeMetricFamily(
            "brandprogram_review_sla_breaches",
            "Open items of the queue past their SLA due time.",
            labels=["queue"],
        )
        for queue, (waiting, oldest_seconds, late) in import_string(
            settings.METRICS_REVIEW_QUEUES
        )().items():
            depth.add_metric([queue], waiting)
            oldest.add_metric([queue], oldest_seconds)
            breaches.add_metric([queue], late)
        yield from (depth, oldest, breaches)
        lengths = _task_queue_lengths()
        if lengths:
            family = GaugeMetricFamily(
                "brandprogram_task_queue_length",
                "Celery messages waiting in the broker.",
                labels=["queue"],
            )
            for queue, length in lengths.items():
                family.add_metric([queue], length)
            yield family


def _task_queue_lengths() -> dict[str, int]:
    if not settings.BROKER_URL:
        return {}
    # Imported here: brandprogram.celery loads this module (through observability) at start.
    from brandprogram.celery import app

    try:
        with app.connection_for_read() as connection:
            channel = connection.default_channel
            return {
                name: channel.queue_declare(queue=name).message_count
                for name in settings.TASK_QUEUES
            }
    except Exception as exc:  # a broker outage must not take the other figures down
        logger.warning("task queue lengths unavailable: %s", exc)
        return {}


def process_registry() -> CollectorRegistry:
    """This process's metrics, or every process's when multiprocess mode is on."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        MultiProcessCollector(registry)
        return registry
    return REGISTRY


def _authorized(request) -> bool:
    token = settings.METRICS_TOKEN
    scheme, _, offered = request.headers.get("Authorization", "").partition(" ")
    return bool(token) and scheme.lower() == "bearer" and hmac.compare_digest(offered, token)


@never_cache
@require_GET
def metrics_view(request):
    """Prometheus text format, for a scraper that sends ``Authorization: Bearer METRICS_TOKEN``.

    Without METRICS_TOKEN set the endpoint does not exist (404); a wrong token gets 404 too,
    so the endpoint is not advertised to strangers.
    """
    if not _authorized(request):
        return HttpResponseNotFound()
    scraped = CollectorRegistry(auto_describe=True)
    scraped.register(DatabaseCollector())
    body = generate_latest(process_registry()) + generate_latest(scraped)
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)


@worker_ready.connect(dispatch_uid="brandprogram.metrics.worker_ready")
def worker_metrics_serve(sender=None, **kwargs) -> None:
    """A Celery worker serves its task metrics on WORKER_METRICS_PORT (0: not at all).

    The scraper reaches it on the private network only; it holds counts and timings, no data.
    """
    port = settings.WORKER_METRICS_PORT
    if port:
        start_http_server(port, addr=settings.WORKER_METRICS_ADDR, registry=process_registry())
        logger.info("worker metrics on %s:%s/metrics", settings.WORKER_METRICS_ADDR, port)
