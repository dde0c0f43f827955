"""Screening in-process: the checks' verdicts, the stored results, routing and redelivery."""

import datetime
from unittest import mock

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from kombu.exceptions import OperationalError

from reviews.checks import registration_numbers, trademark_coverage
from reviews.models import CheckResult, ScreeningRequest, ScreeningRun
from reviews.screening.outbox import screening_request_publish, screening_requests_to_publish
from reviews.screening.runs import (
    screening_check,
    screening_resume,
    screening_stalled_run_ids,
    screening_start,
)
from reviews.tasks import run_check, screen_application
from sellers.models import Status
from sellers.workflow.transition import application_transition
from tests.reviews.checks import flaky_check
from tests.sellers.factories import ApplicationFactory, CategoryFactory


def _submitted(seller, **trademark):
    application = ApplicationFactory(company=seller.company, **trademark)
    application_transition(application_id=application.pk, action="submit", actor=seller.actor)
    return application


def test_submit_runs_screening_and_routes_to_awaiting_review(
    seller_a, django_capture_on_commit_callbacks
):
    application = ApplicationFactory(company=seller_a.company)

    with django_capture_on_commit_callbacks(execute=True):
        application_transition(application_id=application.pk, action="submit", actor=seller_a.actor)

    application.refresh_from_db()
    assert (application.status, application.risk_score) == (Status.AWAITING_REVIEW, 40)
    run = ScreeningRun.objects.get(application=application)
    assert (run.state, run.risk_score, run.route) == (ScreeningRun.State.COMPLETED, 40, "standard")
    assert dict(run.results.values_list("check_code", "outcome")) == {
        "registration_numbers": "pass",
        "trademark_coverage": "pass",
        # No registry data is imported in the test database.
        "trademark_registry": "unverifiable",
        "brand_similarity": "pass",
        "evidence_forensics": "pass",
        # The factory's company names no main category.
        "seller_eligibility": "warn",
        "logo_similarity": "pass",
        # ... and lists no facility.
        "supply_chain": "warn",
        # Its only evidence is a product photo, whose contents are not read.
        "document_contents": "pass",
    }
    assert list(application.events.values_list("action", "seller_visible")) == [
        ("submit", True),
        ("start_screening", False),
        ("finish_screening", False),
    ]
    request = ScreeningRequest.objects.get(application=application)
    assert (request.publish_attempts, request.published_at is not None) == (1, True)


def test_coverage_check_fails_when_classes_miss_a_category(seller_a):
    apparel = CategoryFactory(
        code="apparel", name="Clothing, footwear and headwear", nice_classes=[25]
    )
    application = ApplicationFactory(
        company=seller_a.company, categories=[apparel], trademark__nice_classes=[9, 11]
    )

    finding = trademark_coverage.run(application)

    assert finding.outcome == "fail"
    assert finding.explanation.startswith(
        "The mark is not registered for Clothing, footwear and headwear (needs class 25; "
        "registered in 9, 11)."
    )
    assert finding.score == 50


@pytest.mark.parametrize(
    ("days", "outcome", "phrase"),
    [
        (-1, "fail", "expired on"),
        (100, "fail", "less than six months"),
        (400, "pass", "valid until"),
    ],
)
def test_coverage_check_wants_six_months_of_validity(seller_a, days, outcome, phrase):
    expires = timezone.localdate() + datetime.timedelta(days=days)
    application = ApplicationFactory(company=seller_a.company, trademark__expires_on=expires)

    finding = trademark_coverage.run(application)

    assert finding.outcome == outcome
    assert phrase in finding.explanation
    assert finding.evidence["expires_on"] == expires.isoformat()


def test_coverage_check_warns_about_a_pending_mark(seller_a):
    application = ApplicationFactory(
        company=seller_a.company, trademark__registration_status="pending"
    )

    finding = trademark_coverage.run(application)

    assert (finding.outcome, finding.score) == ("warn", 15)
    assert "pending" in finding.explanation


def test_registration_check_fails_on_a_stored_bad_number(seller_a):
    seller_a.company.registration_number = "91440300MA5FABCD1X"
    seller_a.company.save()
    application = ApplicationFactory(company=seller_a.company, trademark__number="123456789")

    finding = registration_numbers.run(application)

    assert finding.outcome == "fail"
    assert finding.explanation.startswith("Company number: ")
    assert "Trademark number: 123456789 is not a USPTO number" in finding.explanation


def test_failing_checks_raise_the_risk_score_and_route_to_a_senior(seller_a, settings):
    settings.SCREENING_SENIOR_RISK = 50
    application = _submitted(seller_a, trademark__number="123456789")

    screen_application(application_id=application.pk)

    application.refresh_from_db()
    run = application.screening_runs.get()
    assert (application.risk_score, application.status) == (100, Status.AWAITING_REVIEW)
    assert (run.risk_score, run.route) == (100, "senior")
    assert application.events.last().note == (
        "Risk score 100 (Registration numbers: Fail, Class coverage and validity: Pass, "
        "Registry record: Fail, Look-alike brand names: Pass, Document forensics: Pass, "
        "Seller eligibility: Warning, Look-alike logos: Pass, Supply chain: Warning, "
        "Document contents: Pass); route: Senior reviewer."
    )


@pytest.mark.parametrize(("threshold", "route"), [(40, "senior"), (41, "standard")])
def test_the_senior_route_starts_at_the_threshold(seller_a, settings, threshold, route):
    settings.SCREENING_SENIOR_RISK = threshold
    application = _submitted(seller_a)

    screen_application(application_id=application.pk)

    run = application.screening_runs.get()
    assert (run.risk_score, run.route) == (40, route)


def test_missing_essentials_return_the_application_when_enabled(seller_a, settings):
    settings.SCREENING_RETURN_INCOMPLETE = True
    application = _submitted(seller_a, trademark__nice_classes=[])

    screen_application(application_id=application.pk)

    application.refresh_from_db()
    event = application.events.last()
    assert application.status == Status.CHANGES_REQUESTED
    assert application.screening_runs.get().route == "returned"
    assert (event.action, event.seller_visible, event.note) == (
        "return_incomplete",
        True,
        "The trademark has no Nice class on the application; add the classes from the "
        "registration certificate.",
    )


def test_missing_essentials_go_to_a_reviewer_when_returning_is_off(seller_a, settings):
    settings.SCREENING_RETURN_INCOMPLETE = False
    application = _submitted(seller_a, trademark__nice_classes=[])

    screen_application(application_id=application.pk)

    application.refresh_from_db()
    result = CheckResult.objects.get(run__application=application, check_code="trademark_coverage")
    assert application.status == Status.AWAITING_REVIEW
    assert (result.outcome, result.flags) == ("fail", ["missing_essentials"])


def test_the_request_is_written_inside_the_submitting_transaction(
    seller_a, django_capture_on_commit_callbacks
):
    application = ApplicationFactory(company=seller_a.company)

    with django_capture_on_commit_callbacks(execute=False):
        application_transition(application_id=application.pk, action="submit", actor=seller_a.actor)

    # Committed with the submission, published only by the after-commit callbacks not run here.
    request = ScreeningRequest.objects.get(application=application)
    assert (request.published_at, request.handled_at) == (None, None)
    assert screening_requests_to_publish() == [request.pk]


def test_publishing_a_request_records_the_attempt_and_its_time_in_one_write(
    seller_a, django_capture_on_commit_callbacks
):
    application = ApplicationFactory(company=seller_a.company)

    with (
        CaptureQueriesContext(connection) as queries,
        django_capture_on_commit_callbacks(execute=True),
    ):
        application_transition(application_id=application.pk, action="submit", actor=seller_a.actor)

    writes = [
        sql
        for sql in (query["sql"] for query in queries.captured_queries)
        if sql.startswith('UPDATE "reviews_screeningrequest"') and "publish" in sql
    ]
    request = ScreeningRequest.objects.get(application=application)
    assert len(writes) == 1
    assert (request.publish_attempts, request.published_at is not None) == (1, True)


def test_the_write_after_each_publishing_is_planned_once_per_connection(seller_a):
    taken, refused = (
        [
            ScreeningRequest.objects.create(
                application=ApplicationFactory(company=seller_a.company)
            )
            for _ in range(2)
        ]
        for _ in range(2)
    )

    sent = [screening_request_publish(request_id=request.pk) for request in taken]
    # The broker is away for the next two.
    with mock.patch.object(
        screen_application, "apply_async", side_effect=OperationalError("broker away")
    ):
        unsent = [screening_request_publish(request_id=request.pk) for request in refused]

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements "
            "WHERE statement LIKE 'UPDATE \"reviews_screeningrequest\"%'"
        )
        [(prepared,)] = cursor.fetchall()
    states = [
        (request.publish_attempts, request.published_at is not None)
        for request in ScreeningRequest.objects.filter(
            pk__in=[r.pk for r in taken + refused]
        ).order_by("pk")
    ]
    assert (sent, unsent) == ([True, True], [False, False])
    assert states == [(1, True), (1, True), (1, False), (1, False)]
    assert screening_requests_to_publish() == [request.pk for request in refused]
    assert prepared == 2


def test_a_rolled_back_submission_leaves_no_request(seller_a):
    application = ApplicationFactory(company=seller_a.company)

    def submit_then_fail():
        with transaction.atomic():
            application_transition(
                application_id=application.pk, action="submit", actor=seller_a.actor
            )
            raise RuntimeError("the rest of the request failed")

    with pytest.raises(RuntimeError):
        submit_then_fail()

    assert ScreeningRequest.objects.filter(application=application).count() == 0


def test_a_second_delivery_of_the_task_does_nothing(seller_a):
    application = _submitted(seller_a)
    screen_application(application_id=application.pk)

    screen_application(application_id=application.pk)

    assert ScreeningRun.objects.filter(application=application).count() == 1
    assert CheckResult.objects.filter(run__application=application).count() == 9


def test_a_check_task_run_twice_writes_one_result_and_finishes_once(seller_a):
    application = _submitted(seller_a)
    run = screening_start(application_id=application.pk)

    for _ in range(2):
        for code in run.check_codes:
            run_check(run_id=run.pk, check_code=code)

    assert CheckResult.objects.filter(run=run).count() == 9
    assert list(application.events.values_list("action", flat=True)) == [
        "submit",
        "start_screening",
        "finish_screening",
    ]


def test_a_run_waits_for_its_last_check(seller_a):
    application = _submitted(seller_a)
    run = screening_start(application_id=application.pk)

    screening_check(run_id=run.pk, check_code="registration_numbers", last_attempt=True)

    run.refresh_from_db()
    application.refresh_from_db()
    assert (run.state, application.status) == (ScreeningRun.State.RUNNING, Status.SCREENING)


@pytest.fixture
def flaky(settings):
    settings.SCREENING_CHECKS = [*settings.SCREENING_CHECKS, "tests.reviews.checks.flaky_check"]
    settings.SCREENING_CHECK_MAX_RETRIES = 2
    flaky_check.state.update(failures_left=0, calls=0)
    return flaky_check.state


def test_a_transient_fault_is_retried_until_it_passes(seller_a, flaky):
    flaky["failures_left"] = 2
    application = _submitted(seller_a)

    screen_application(application_id=application.pk)

    result = CheckResult.objects.get(run__application=application, check_code="flaky_source")
    assert (flaky["calls"], result.outcome) == (3, "pass")


def test_a_fault_lasting_past_the_last_retry_is_unverifiable(seller_a, flaky):
    flaky["failures_left"] = 99
    application = _submitted(seller_a)

    screen_application(application_id=application.pk)

    result = CheckResult.objects.get(run__application=application, check_code="flaky_source")
    application.refresh_from_db()
    assert (flaky["calls"], result.outcome, result.score) == (3, "unverifiable", 10)
    assert result.explanation == (
        "The source this check relies on kept failing, so the check could not be completed: "
        "the registry answered HTTP 503"
    )
    assert application.status == Status.AWAITING_REVIEW


def test_a_quiet_run_gets_its_missing_checks_again(seller_a, settings):
    settings.SCREENING_STALE_SECONDS = 60
    application = _submitted(seller_a)
    run = screening_start(application_id=application.pk)
    screening_check(run_id=run.pk, check_code="registration_numbers", last_attempt=True)
    ScreeningRun.objects.filter(pk=run.pk).update(
        dispatched_at=timezone.now() - datetime.timedelta(minutes=5)
    )

    assert screening_stalled_run_ids() == [run.pk]
    screening_resume(run_id=run.pk)

    run.refresh_from_db()
    application.refresh_from_db()
    assert run.state == ScreeningRun.State.COMPLETED
    assert application.status == Status.AWAITING_REVIEW
    assert sorted(run.results.values_list("check_code", flat=True)) == [
        "brand_similarity",
        "document_contents",
        "evidence_forensics",
        "logo_similarity",
        "registration_numbers",
        "seller_eligibility",
        "supply_chain",
        "trademark_coverage",
        "trademark_registry",
    ]


def test_a_fresh_run_is_left_to_its_worker(seller_a):
    application = _submitted(seller_a)
    run = screening_start(application_id=application.pk)

    screening_resume(run_id=run.pk)

    assert screening_start(application_id=application.pk) is None
    assert screening_stalled_run_ids() == []
    assert run.results.count() == 0


def test_withdrawal_during_screening_keeps_the_withdrawal(seller_a):
    application = _submitted(seller_a)
    run = screening_start(application_id=application.pk)
    application_transition(application_id=application.pk, action="withdraw", actor=seller_a.actor)

    for code in run.check_codes:
        run_check(run_id=run.pk, check_code=code)

    application.refresh_from_db()
    run.refresh_from_db()
    assert (application.status, run.state) == (Status.WITHDRAWN, ScreeningRun.State.COMPLETED)
    assert run.results.count() == 9


def test_a_resent_run_waits_as_long_as_it_had_lasted_before_it_is_resent_again(seller_a, settings):
    # A backlog keeps checks queued past the limit: one extra copy per sweep would lengthen it.
    settings.SCREENING_STALE_SECONDS = 60
    application = _submitted(seller_a)
    run = screening_start(application_id=application.pk)
    now = timezone.now()
    ScreeningRun.objects.filter(pk=run.pk).update(
        started_at=now - datetime.timedelta(minutes=10),
        dispatched_at=now - datetime.timedelta(minutes=3),
    )

    assert screening_stalled_run_ids() == []
    screening_resume(run_id=run.pk)
    run.refresh_from_db()
    assert (run.dispatched_at, run.results.count()) == (now - datetime.timedelta(minutes=3), 0)

    ScreeningRun.objects.filter(pk=run.pk).update(dispatched_at=now - datetime.timedelta(minutes=6))
    assert screening_stalled_run_ids() == [run.pk]
    screening_resume(run_id=run.pk)
    run.refresh_from_db()
    assert run.state == ScreeningRun.State.COMPLETED
    assert run.results.count() == len(run.check_codes)


def test_the_screening_task_is_sent_with_the_time_limits_of_the_checks_it_runs(
    seller_a, settings, django_capture_on_commit_callbacks
):
    settings.SCREENING_CHECK_SOFT_TIME_LIMIT = 45
    application = ApplicationFactory(company=seller_a.company)

    with (
        mock.patch.object(screen_application, "apply_async") as sent,
        django_capture_on_commit_callbacks(execute=True),
    ):
        application_transition(application_id=application.pk, action="submit", actor=seller_a.actor)

    assert sent.call_args.kwargs == {
        "kwargs": {"application_id": application.pk},
        "soft_time_limit": 45,
        "time_limit": 60,
    }
    assert ScreeningRequest.objects.get(application=application).published_at is not None
