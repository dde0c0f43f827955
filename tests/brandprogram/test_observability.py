"""Metrics at /metrics, request ids and JSON log lines, in-process."""

import datetime
import io
import json
import logging

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from brandprogram.metrics import webhook_delivery_failed
from brandprogram.observability import JsonFormatter
from reviews.models import QueueItem, ReviewQueue
from reviews.tasks import screen_application
from sellers.models import Status
from sellers.workflow.transition import application_transition
from tests.pages import logged_in
from tests.reviews.checks import flaky_check
from tests.reviews.factories import ReviewQueueFactory
from tests.sellers.factories import ApplicationFactory, UserFactory

TOKEN = "scrape-token-for-tests-0123456789"


@pytest.fixture
def scraper(settings) -> Client:
    settings.METRICS_TOKEN = TOKEN
    return Client(headers={"Authorization": f"Bearer {TOKEN}"})


def scrape(scraper: Client) -> dict[tuple[str, tuple], float]:
    response = scraper.get("/metrics")
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/plain; version=")
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.content.decode())
        for sample in family.samples
    }


def value(samples: dict, name: str, **labels) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


@pytest.fixture
def json_log():
    """Captures the root logger's lines through the production formatter."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)


@pytest.mark.django_db
def test_metrics_are_refused_without_the_right_token(client, settings):
    settings.METRICS_TOKEN = ""
    off = client.get("/metrics", headers={"Authorization": "Bearer "})
    settings.METRICS_TOKEN = TOKEN
    missing = client.get("/metrics")
    wrong = client.get("/metrics", headers={"Authorization": "Bearer not-the-token"})
    basic = client.get("/metrics", headers={"Authorization": f"Basic {TOKEN}"})

    for response in (off, missing, wrong, basic):
        assert response.status_code == 404
        assert b"brandprogram_" not in response.content


@pytest.mark.django_db
def test_request_latency_is_counted_by_route_name_not_path(scraper, seller_a):
    application = ApplicationFactory(company=seller_a.company)
    seller = logged_in(seller_a.owner)
    before = scrape(scraper)

    page = seller.get(reverse("portal:application_detail", args=[application.pk]))
    seller.get("/no-such-page/")
    after = scrape(scraper)

    name = "brandprogram_http_request_duration_seconds_count"
    detail = {"route": "portal:application_detail", "method": "GET", "status": "200"}
    unmatched = {"route": "unmatched", "method": "GET", "status": "404"}
    assert page.status_code == 200
    assert value(after, name, **detail) - value(before, name, **detail) == 1
    assert value(after, name, **unmatched) - value(before, name, **unmatched) == 1
    assert not [key for key in after if str(application.pk) in dict(key[1]).get("route", "")]
    bucket = "brandprogram_http_request_duration_seconds_bucket"
    assert value(after, bucket, **detail, le="+Inf") == value(after, name, **detail)


def queue_item(queue, *, entered_hours_ago, due_in_hours, assignee=None, closed=False):
    now = timezone.now()
    status = Status.IN_REVIEW if assignee else Status.AWAITING_REVIEW
    return QueueItem.objects.create(
        queue=queue,
        application=ApplicationFactory(status=status, assignee=assignee, in_queue=not closed),
        assignee=assignee,
        entered_at=now - datetime.timedelta(hours=entered_hours_ago),
        due_at=now + datetime.timedelta(hours=due_in_hours),
        assigned_at=now if assignee else None,
        closed_at=now if closed else None,
    )


@pytest.mark.django_db
def test_reviewer_queue_depth_waits_and_sla_breaches(scraper):
    lighting = ReviewQueueFactory(name="Lighting")
    senior = ReviewQueueFactory(
        name="Senior review", categories=[], risk_level=ReviewQueue.RiskLevel.SENIOR
    )
    ReviewQueueFactory(name="Empty", categories=[])
    queue_item(lighting, entered_hours_ago=0, due_in_hours=72)
    queue_item(lighting, entered_hours_ago=50, due_in_hours=-2)
    # Taken by a reviewer: no longer waiting, but still late against the queue's deadline.
    queue_item(lighting, entered_hours_ago=9 * 24, due_in_hours=-24, assignee=UserFactory())
    queue_item(lighting, entered_hours_ago=20 * 24, due_in_hours=-240, closed=True)
    # Due within the hour, not yet past it: not a breach.
    queue_item(senior, entered_hours_ago=3, due_in_hours=1)
    # Awaiting review but in no queue: counted in no queue's series.
    ApplicationFactory(
        awaiting_review=True, submitted_at=timezone.now() - datetime.timedelta(days=9)
    )

    samples = scrape(scraper)

    def series(name):
        return {
            dict(labels)["queue"]: sample
            for (metric, labels), sample in samples.items()
            if metric == name
        }

    assert series("brandprogram_review_queue_depth") == {
        "Lighting": 2, "Senior review": 1, "Empty": 0,
    }  # fmt: skip
    assert series("brandprogram_review_sla_breaches") == {
        "Lighting": 2, "Senior review": 0, "Empty": 0,
    }  # fmt: skip
    oldest = series("brandprogram_review_queue_oldest_seconds")
    assert 50 * 3600 <= oldest["Lighting"] < 51 * 3600
    assert 3 * 3600 <= oldest["Senior review"] < 4 * 3600
    assert oldest["Empty"] == 0


@pytest.mark.django_db
def test_broker_queue_lengths_are_read_from_redis(scraper, settings):
    samples = scrape(scraper)

    lengths = {
        dict(labels)["queue"]: sample
        for (name, labels), sample in samples.items()
        if name == "brandprogram_task_queue_length"
    }
    if not settings.BROKER_URL:
        assert lengths == {}
    else:
        assert sorted(lengths) == ["documents", "notifications", "screening", "webhooks"]


@pytest.fixture
def flaky(settings):
    settings.SCREENING_CHECKS = [*settings.SCREENING_CHECKS, "tests.reviews.checks.flaky_check"]
    settings.SCREENING_CHECK_MAX_RETRIES = 2
    flaky_check.state.update(failures_left=1, calls=0)
    return flaky_check.state


@pytest.mark.django_db
def test_screening_durations_and_task_retries_are_recorded(scraper, seller_a, flaky):
    application = ApplicationFactory(company=seller_a.company)
    application_transition(application_id=application.pk, action="submit", actor=seller_a.actor)
    before = scrape(scraper)

    screen_application(application_id=application.pk)

    after = scrape(scraper)
    application.refresh_from_db()
    assert application.status == Status.AWAITING_REVIEW
    checks = "brandprogram_screening_check_duration_seconds_count"
    for code in ("registration_numbers", "flaky_source"):
        assert value(after, checks, check=code) > value(before, checks, check=code)
    runs = "brandprogram_screening_run_duration_seconds_count"
    assert value(after, runs) - value(before, runs) == 1
    retries = "brandprogram_celery_task_retries_total"
    task = "reviews.tasks.run_check"
    assert value(after, retries, task=task) - value(before, retries, task=task) == 1


@pytest.mark.django_db
def test_webhook_failures_are_counted_through_the_signal(scraper):
    before = scrape(scraper)

    webhook_delivery_failed.send(sender=None, reason="timeout")
    webhook_delivery_failed.send(sender=None, reason="timeout")
    webhook_delivery_failed.send(sender=None, reason="http_5xx")

    after = scrape(scraper)
    name = "brandprogram_webhook_delivery_failures_total"
    assert value(after, name, reason="timeout") - value(before, name, reason="timeout") == 2
    assert value(after, name, reason="http_5xx") - value(before, name, reason="http_5xx") == 1


@pytest.mark.django_db
def test_request_id_is_taken_from_the_header_returned_and_logged(client, seller_a, json_log):
    seller = logged_in(seller_a.owner)

    given = seller.get(reverse("portal:dashboard"), headers={"X-Request-ID": "lb-7f3a.42"})
    made = client.get(reverse("login"))
    forged = client.get(reverse("login"), headers={"X-Request-ID": 'x"}\n{"level":"ERROR'})

    lines = json_log()
    access = [
        line
        for line in lines
        if line["logger"] == "brandprogram.access" and line["http"]["method"] == "GET"
    ]
    assert given["X-Request-ID"] == "lb-7f3a.42"
    assert len(made["X-Request-ID"]) == 32
    assert forged["X-Request-ID"] not in {made["X-Request-ID"], 'x"}\n{"level":"ERROR'}
    assert [(line["request_id"], line["http"]["route"]) for line in access] == [
        ("lb-7f3a.42", "portal:dashboard"),
        (made["X-Request-ID"], "login"),
        (forged["X-Request-ID"], "login"),
    ]
    assert access[0]["actor"] == f"user:{seller_a.owner.pk}"
    assert access[1]["actor"] is None
    assert {"time", "level", "logger", "message"} <= set(access[0])
    assert access[0]["message"] == "GET portal:dashboard 200"


@pytest.mark.django_db(transaction=True)
def test_log_lines_written_by_a_view_and_its_in_process_tasks_carry_the_request_id(
    seller_a, json_log
):
    """Committed for real, so the tasks run at the commit inside the request, as in production."""
    application = ApplicationFactory(company=seller_a.company)
    seller = logged_in(seller_a.owner)

    seller.post(
        reverse("portal:application_action", args=[application.pk]),
        {"action": "submit"},
        headers={"X-Request-ID": "submit-0001"},
    )

    application.refresh_from_db()
    lines = json_log()
    task_lines = [line for line in lines if line.get("task") == "reviews.tasks.screen_application"]
    assert application.status == Status.AWAITING_REVIEW
    assert task_lines
    assert {line["request_id"] for line in task_lines} == {"submit-0001"}
    assert {line["actor"] for line in task_lines} == {f"user:{seller_a.owner.pk}"}
    assert all(line["request_id"] is None for line in json_log()[len(lines) :])


def test_exceptions_are_one_json_line_with_the_traceback(json_log):
    try:
        raise ValueError("bad input")
    except ValueError:
        logging.getLogger("tests.observability").exception("it broke")

    [line] = [line for line in json_log() if line["logger"] == "tests.observability"]
    assert (line["level"], line["message"], line["request_id"]) == ("ERROR", "it broke", None)
    assert "ValueError: bad input" in line["exception"]
    assert datetime.datetime.fromisoformat(line["time"]).tzinfo is not None


@pytest.mark.django_db
def test_partner_calls_are_logged_with_their_api_key(client, partner, json_log):
    response = client.get("/api/v1/applications/", **partner.headers)

    [line] = [line for line in json_log() if line["logger"] == "brandprogram.access"]
    assert response.status_code == 200
    assert line["actor"] == f"api_key:{partner.api_key.pk}"
    assert line["http"]["route"] == "api:application-list"


@pytest.mark.django_db
def test_logging_never_loads_the_user_a_view_did_not_need(seller_a, json_log):
    seller = logged_in(seller_a.owner)

    response = seller.get(reverse("healthz"))

    [line] = [line for line in json_log() if line["http"]["route"] == "healthz"]
    assert line["actor"] is None
    assert "Cookie" not in response.get("Vary", "")
