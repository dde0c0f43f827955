"""Screening in-process: the checks' verdicts, the stored results, routing and redelivery."""

import datetime

import pytest
from django.utils import timezone

from reviews.checks import registration_numbers, trademark_coverage
from reviews.models import CheckResult, ScreeningRun
from reviews.screening import screening_execute, screening_stale_application_ids, screening_start
from reviews.tasks import screen_application
from sellers.models import Application, Status
from sellers.workflow import application_transition
from tests.factories import ApplicationFactory, CategoryFactory


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
    assert (application.status, application.risk_score) == (Status.AWAITING_REVIEW, 0)
    run = ScreeningRun.objects.get(application=application)
    assert (run.state, run.risk_score) == (ScreeningRun.State.COMPLETED, 0)
    assert dict(run.results.values_list("check_code", "outcome")) == {
        "registration_numbers": "pass",
        "trademark_coverage": "pass",
    }
    assert list(application.events.values_list("action", "seller_visible")) == [
        ("submit", True),
        ("start_screening", False),
        ("finish_screening", False),
    ]


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
    application = ApplicationFactory(company=seller_a.company, trademark__number="123")

    finding = registration_numbers.run(application)

    assert finding.outcome == "fail"
    assert finding.explanation.startswith("Company number: ")
    assert "Trademark number: 123 is not a USPTO number" in finding.explanation


def test_failing_checks_raise_the_risk_score(seller_a):
    application = _submitted(seller_a, trademark__number="123")
    run = screening_start(application_id=application.pk)

    screening_execute(run=run)

    application.refresh_from_db()
    assert application.risk_score == 50
    assert application.status == Status.AWAITING_REVIEW
    assert "registration_numbers: fail" in application.events.last().note


def test_a_second_delivery_of_the_task_does_nothing(seller_a):
    application = _submitted(seller_a)
    screen_application(application_id=application.pk)

    screen_application(application_id=application.pk)

    assert ScreeningRun.objects.filter(application=application).count() == 1
    assert CheckResult.objects.filter(run__application=application).count() == 2


def test_a_run_silent_past_the_limit_is_abandoned_and_redone(seller_a, settings):
    settings.SCREENING_STALE_SECONDS = 60
    application = _submitted(seller_a)
    dead = screening_start(application_id=application.pk)
    ScreeningRun.objects.filter(pk=dead.pk).update(
        started_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    Application.objects.filter(pk=application.pk).update(
        updated_at=timezone.now() - datetime.timedelta(minutes=5)
    )

    assert screening_stale_application_ids() == [application.pk]
    screen_application(application_id=application.pk)

    dead.refresh_from_db()
    assert dead.state == ScreeningRun.State.ABANDONED
    application.refresh_from_db()
    assert application.status == Status.AWAITING_REVIEW
    assert application.screening_runs.filter(state=ScreeningRun.State.COMPLETED).count() == 1


def test_a_fresh_run_is_left_to_its_worker(seller_a):
    application = _submitted(seller_a)
    screening_start(application_id=application.pk)

    assert screening_start(application_id=application.pk) is None
    assert screening_stale_application_ids() == []


def test_withdrawal_during_screening_keeps_the_withdrawal(seller_a):
    application = _submitted(seller_a)
    run = screening_start(application_id=application.pk)
    application_transition(application_id=application.pk, action="withdraw", actor=seller_a.actor)

    screening_execute(run=run)

    application.refresh_from_db()
    assert application.status == Status.WITHDRAWN
    assert run.results.count() == 2
