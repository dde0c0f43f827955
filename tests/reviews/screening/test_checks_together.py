"""A run's quick checks share one task on one loaded application; the others, and any quick
check that fails or overruns there, get a task of their own."""

from unittest import mock

import pytest
from celery import Task
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reviews.checks import document_contents, is_quick, registration_numbers, trademark_registry
from reviews.models import CheckResult, ReferenceMark, ScreeningRun
from reviews.screening.runner import load_application
from reviews.screening.runs import screening_checks_together, screening_start
from reviews.similarity import skeleton
from reviews.tasks import run_check, screen_application
from sellers.models import Status
from sellers.workflow.transition import application_transition
from tests.reviews.checks import flaky_check, overrunning_check
from tests.sellers.factories import ApplicationFactory, EvidenceFactory
from tests.sellers.readings import certificate_values, read_evidence

PRODUCTION_CHECKS = 9
# Everything an application's screening asks of the database, from opening the run to the
# queue item, with the production checks on a factory-made application.
SCREENING_QUERIES = 40


def _started_run(seller) -> ScreeningRun:
    application = ApplicationFactory(company=seller.company)
    application_transition(application_id=application.pk, action="submit", actor=seller.actor)
    return screening_start(application_id=application.pk)


def _events(run: ScreeningRun) -> list[str]:
    return list(run.application.events.values_list("action", flat=True))


def test_the_quick_checks_of_a_run_are_stored_in_one_insert_without_check_tasks(seller_a):
    run = _started_run(seller_a)

    with (
        mock.patch.object(run_check, "apply_async") as check_tasks,
        mock.patch("reviews.screening.runs.load_application", wraps=load_application) as loads,
        CaptureQueriesContext(connection) as queries,
    ):
        screening_checks_together(run_id=run.pk)

    run.refresh_from_db()
    inserts = [q for q in queries if q["sql"].startswith('INSERT INTO "reviews_checkresult"')]
    assert check_tasks.call_count == 0
    assert (loads.call_count, len(inserts)) == (1, 1)
    assert sorted(run.results.values_list("check_code", flat=True)) == sorted(run.check_codes)
    assert len(run.check_codes) == PRODUCTION_CHECKS
    assert (run.state, run.application.status) == (
        ScreeningRun.State.COMPLETED,
        Status.AWAITING_REVIEW,
    )
    assert _events(run) == ["submit", "start_screening", "finish_screening"]


def test_the_shared_task_delivered_twice_stores_each_result_once_and_finishes_once(seller_a):
    run = _started_run(seller_a)

    screening_checks_together(run_id=run.pk)
    screening_checks_together(run_id=run.pk)

    assert CheckResult.objects.filter(run=run).count() == PRODUCTION_CHECKS
    assert _events(run) == ["submit", "start_screening", "finish_screening"]


def test_a_redelivered_shared_task_runs_only_the_checks_without_a_result(seller_a, monkeypatch):
    run = _started_run(seller_a)
    screening_checks_together(run_id=run.pk)
    CheckResult.objects.filter(run=run, check_code="registration_numbers").delete()
    ScreeningRun.objects.filter(pk=run.pk).update(state=ScreeningRun.State.RUNNING)
    monkeypatch.setattr(registration_numbers, "run", mock.Mock(wraps=registration_numbers.run))
    monkeypatch.setattr(trademark_registry, "run", mock.Mock(wraps=trademark_registry.run))

    screening_checks_together(run_id=run.pk)

    calls = (registration_numbers.run.call_count, trademark_registry.run.call_count)
    assert calls == (1, 0)
    assert CheckResult.objects.filter(run=run).count() == PRODUCTION_CHECKS


@pytest.fixture
def flaky_quick(settings, monkeypatch):
    settings.SCREENING_CHECKS = [*settings.SCREENING_CHECKS, "tests.reviews.checks.flaky_check"]
    settings.SCREENING_CHECK_MAX_RETRIES = 2
    monkeypatch.setattr(flaky_check, "QUICK", True, raising=False)
    flaky_check.state.update(failures_left=0, calls=0)
    monkeypatch.setattr(registration_numbers, "run", mock.Mock(wraps=registration_numbers.run))
    return flaky_check.state


def test_a_transient_fault_of_a_quick_check_retries_that_check_alone(seller_a, flaky_quick):
    flaky_quick["failures_left"] = 2
    application = ApplicationFactory(company=seller_a.company)
    application_transition(application_id=application.pk, action="submit", actor=seller_a.actor)

    with mock.patch.object(run_check, "apply_async", wraps=run_check.apply_async) as check_tasks:
        screen_application(application_id=application.pk)

    result = CheckResult.objects.get(run__application=application, check_code="flaky_source")
    application.refresh_from_db()
    # Tried in the shared task, then in a task of its own as its first retry, which retried it
    # once more: SCREENING_CHECK_MAX_RETRIES retries in all. No other check ran again.
    assert (flaky_quick["calls"], result.outcome) == (3, "pass")
    assert [call.kwargs["kwargs"]["check_code"] for call in check_tasks.call_args_list] == [
        "flaky_source"
    ]
    assert check_tasks.call_args.kwargs["retries"] == 1
    assert registration_numbers.run.call_count == 1
    assert application.status == Status.AWAITING_REVIEW
    assert CheckResult.objects.filter(run__application=application).count() == 10


def test_a_quick_check_failing_past_the_last_retry_is_unverifiable(seller_a, flaky_quick):
    flaky_quick["failures_left"] = 99
    application = ApplicationFactory(company=seller_a.company)
    application_transition(application_id=application.pk, action="submit", actor=seller_a.actor)

    screen_application(application_id=application.pk)

    result = CheckResult.objects.get(run__application=application, check_code="flaky_source")
    application.refresh_from_db()
    assert (flaky_quick["calls"], result.outcome) == (3, "unverifiable")
    assert result.explanation.endswith("could not be completed: the registry answered HTTP 503")
    assert application.status == Status.AWAITING_REVIEW


def test_without_retries_a_failing_quick_check_is_recorded_in_the_shared_task(
    seller_a, flaky_quick, settings
):
    settings.SCREENING_CHECK_MAX_RETRIES = 0
    flaky_quick["failures_left"] = 99
    run = _started_run(seller_a)

    with mock.patch.object(run_check, "apply_async") as check_tasks:
        screening_checks_together(run_id=run.pk)

    result = run.results.get(check_code="flaky_source")
    run.refresh_from_db()
    assert (flaky_quick["calls"], result.outcome, check_tasks.call_count) == (1, "unverifiable", 0)
    assert run.state == ScreeningRun.State.COMPLETED


def test_a_check_the_shared_task_runs_out_of_time_on_times_out_alone(seller_a, settings):
    checks = list(settings.SCREENING_CHECKS)
    # In the middle: the checks before it keep their results, those after it go with it.
    settings.SCREENING_CHECKS = [*checks[:3], "tests.reviews.checks.overrunning_check", *checks[3:]]
    settings.SCREENING_CHECK_SOFT_TIME_LIMIT = 60
    overrunning_check.state["calls"] = 0
    application = ApplicationFactory(company=seller_a.company)
    application_transition(application_id=application.pk, action="submit", actor=seller_a.actor)

    with mock.patch.object(run_check, "apply_async", wraps=run_check.apply_async) as check_tasks:
        screen_application(application_id=application.pk)

    run = ScreeningRun.objects.get(application=application)
    results = dict(run.results.values_list("check_code", "outcome"))
    overrun = run.results.get(check_code="overrunning")
    application.refresh_from_db()
    alone = [call.kwargs["kwargs"]["check_code"] for call in check_tasks.call_args_list]
    assert alone == ["overrunning", *run.check_codes[4:]]
    assert {call.kwargs["soft_time_limit"] for call in check_tasks.call_args_list} == {60}
    # Interrupted in the shared task, then overran the whole limit in its own.
    assert overrunning_check.state["calls"] == 2
    assert (overrun.outcome, overrun.explanation) == (
        "unverifiable",
        "The check did not finish within 60 s.",
    )
    assert len(results) == 10
    assert results["registration_numbers"] == "pass"
    assert results["document_contents"] == "pass"
    assert (run.state, application.status) == (
        ScreeningRun.State.COMPLETED,
        Status.AWAITING_REVIEW,
    )


def test_a_live_registry_and_an_unread_document_get_tasks_of_their_own(seller_a, settings):
    settings.TSDR_BASE_URL = "https://tsdr.example"
    run = _started_run(seller_a)
    EvidenceFactory(
        application=run.application, kind="trademark_certificate", original_name="scan.pdf"
    )

    with mock.patch.object(run_check, "apply_async") as check_tasks:
        screening_checks_together(run_id=run.pk)

    run.refresh_from_db()
    alone = sorted(call.kwargs["kwargs"]["check_code"] for call in check_tasks.call_args_list)
    assert alone == ["document_contents", "trademark_registry"]
    assert run.results.count() == PRODUCTION_CHECKS - 2
    assert (run.state, run.application.status) == (ScreeningRun.State.RUNNING, Status.SCREENING)


def test_documents_read_at_upload_keep_the_document_check_quick(seller_a):
    application = ApplicationFactory(
        company=seller_a.company, trademark__office="USPTO", trademark__number="7812345"
    )
    evidence = read_evidence(
        application, "trademark_certificate", **certificate_values(application)
    )
    assert is_quick(document_contents, application) is True

    # A file replaced since it was read must be read again.
    type(evidence).objects.filter(pk=evidence.pk).update(sha256="1" * 64)
    assert is_quick(document_contents, application) is False


def test_a_check_that_says_nothing_gets_a_task_of_its_own(seller_a):
    application = ApplicationFactory(company=seller_a.company)

    assert (is_quick(flaky_check, application), is_quick(registration_numbers, application)) == (
        False,
        True,
    )


def test_a_brand_screened_again_keeps_one_program_mark_naming_the_latest_application(seller_a):
    application = ApplicationFactory(company=seller_a.company, brand__name="BRIGHTLAMP")
    ReferenceMark.objects.create(
        kind=ReferenceMark.Kind.PROGRAM_BRAND,
        name="BRIGHTLAMP",
        owner=seller_a.company.legal_name,
        source="application #1",
        list_version="program",
        skeleton="old",
        sound_key="old",
    )
    application_transition(application_id=application.pk, action="submit", actor=seller_a.actor)

    screening_start(application_id=application.pk)

    mark = ReferenceMark.objects.get(kind=ReferenceMark.Kind.PROGRAM_BRAND, name="BRIGHTLAMP")
    assert mark.source == f"application #{application.pk}"
    assert mark.skeleton == skeleton("BRIGHTLAMP") != "old"


def test_the_task_that_opens_a_run_runs_its_quick_checks_without_sending_another(seller_a):
    application = ApplicationFactory(company=seller_a.company)
    application_transition(application_id=application.pk, action="submit", actor=seller_a.actor)

    with mock.patch.object(Task, "apply_async") as sent:
        screen_application(application_id=application.pk)

    run = ScreeningRun.objects.get(application=application)
    assert sent.call_count == 0
    assert run.results.count() == PRODUCTION_CHECKS
    assert (run.state, run.application.status) == (
        ScreeningRun.State.COMPLETED,
        Status.AWAITING_REVIEW,
    )
    assert _events(run) == ["submit", "start_screening", "finish_screening"]


def test_screening_takes_the_application_row_once_for_each_status_change(seller_a):
    application = ApplicationFactory(company=seller_a.company)
    application_transition(application_id=application.pk, action="submit", actor=seller_a.actor)

    with CaptureQueriesContext(connection) as queries:
        screen_application(application_id=application.pk)

    statements = [query["sql"] for query in queries.captured_queries]
    locks = [
        sql
        for sql in statements
        if sql.startswith('SELECT "sellers_application"') and "FOR UPDATE" in sql
    ]
    # Opening the run and finishing it are a transaction each (a savepoint inside the test's
    # own), in which the application's row is read and locked once, for its status change too.
    assert (len(locks), sum(sql.startswith("SAVEPOINT") for sql in statements)) == (2, 2)
    assert len(statements) == SCREENING_QUERIES


def test_the_task_delivered_again_after_its_worker_was_lost_carries_on_its_run(seller_a):
    # The worker opened the run and was lost before any check stored its result.
    run = _started_run(seller_a)

    with mock.patch.object(run_check, "apply_async") as check_tasks:
        screen_application(application_id=run.application_id)

    run.refresh_from_db()
    assert check_tasks.call_count == 0
    assert sorted(run.results.values_list("check_code", flat=True)) == sorted(run.check_codes)
    assert (run.state, run.application.status) == (
        ScreeningRun.State.COMPLETED,
        Status.AWAITING_REVIEW,
    )
    assert ScreeningRun.objects.filter(application=run.application).count() == 1
    assert _events(run) == ["submit", "start_screening", "finish_screening"]


def test_the_task_delivered_again_after_its_run_finished_does_nothing(seller_a):
    run = _started_run(seller_a)
    screening_checks_together(run_id=run.pk)

    with CaptureQueriesContext(connection) as queries:
        screen_application(application_id=run.application_id)

    assert not [q for q in queries if q["sql"].startswith(("INSERT", "UPDATE reviews_checkresult"))]
    assert CheckResult.objects.filter(run=run).count() == PRODUCTION_CHECKS
    assert _events(run) == ["submit", "start_screening", "finish_screening"]
