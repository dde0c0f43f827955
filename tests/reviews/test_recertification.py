"""Monthly re-certification: registry data that changed since admission opens a case, which a
reviewer clears, suspends with a deadline for the seller, or revokes."""

import datetime

import pytest
from django.utils.formats import date_format

from brandprogram.celery import app as celery_app
from brandprogram.errors import ApplicationError
from reviews.models import RecertificationCase, RecertificationRun
from reviews.recertification import (
    recertification_case_clear,
    recertification_case_revoke,
    recertification_case_suspend,
    recertification_check,
    recertification_sweep,
)
from reviews.tasks import recertification_start as start_task
from sellers.actors import actor_for_user
from sellers.models import Application, ApplicationEvent, Status
from sellers.workflow.transition import application_transition
from tests.conftest import wait_until
from tests.reviews.recertification_support import (
    NEXT_MONTH,
    THIS_MONTH,
    TODAY,
    admitted,
    import_registry,
    suspend,
)
from tests.sellers.factories import ApplicationFactory
from tests.sellers.readings import read_evidence


def test_a_mark_that_died_in_the_registry_opens_a_case_next_month(seller_a, tmp_path, run_now):
    import_registry(tmp_path, "euipo-2026-10")
    application = admitted(seller_a)

    run_now()

    run = RecertificationRun.objects.get(application=application, period=THIS_MONTH)
    assert run.state == RecertificationRun.State.PASSED
    assert {code: f["outcome"] for code, f in run.findings.items()} == {
        "trademark_registry": "pass",
        "seller_eligibility": "warn",  # no main categories named: not a failure
        "document_contents": "pass",  # no document whose contents are read
    }
    assert RecertificationCase.objects.count() == 0

    import_registry(tmp_path, "euipo-2026-11", state="dead")
    run_now(today=NEXT_MONTH)

    case = RecertificationCase.objects.get()
    assert (case.application_id, case.state, case.run.period) == (
        application.pk,
        RecertificationCase.State.OPEN,
        NEXT_MONTH,
    )
    assert list(case.findings) == ["trademark_registry"]
    finding = case.findings["trademark_registry"]
    assert finding["data_version"] == "euipo-2026-11"
    assert "EUIPO 018500001 is dead (status dead)" in finding["explanation"]
    # Re-certification decides nothing by itself: the brand keeps its place until a reviewer acts.
    assert Application.objects.get(pk=application.pk).status == Status.APPROVED


def test_a_registration_now_running_out_opens_a_case(seller_a, tmp_path, run_now):
    import_registry(tmp_path, "euipo-2026-10")
    admitted(seller_a)
    run_now()
    # The office's next export: the renewal was not filed and the term ends in two months.
    expires = NEXT_MONTH + datetime.timedelta(days=60)
    import_registry(tmp_path, "euipo-2026-11", expires_on=expires)

    run_now(today=NEXT_MONTH)

    assert RecertificationRun.objects.get(period=THIS_MONTH).state == "passed"
    case = RecertificationCase.objects.get()
    assert case.run.period == NEXT_MONTH
    assert (
        f"The registration runs out on {date_format(expires, 'DATE_FORMAT')}, less than six "
        "months from today." in case.findings["trademark_registry"]["explanation"]
    )


def test_seller_indicators_past_the_limits_open_a_case(seller_a, tmp_path, run_now):
    import_registry(tmp_path, "euipo-2026-11")
    application = admitted(seller_a)
    seller_a.company.infringement_complaints = 3
    seller_a.company.save()

    run_now()

    case = RecertificationCase.objects.get(application=application)
    assert list(case.findings) == ["seller_eligibility"]
    assert "3 open infringement complaint(s)" in case.findings["seller_eligibility"]["explanation"]


def test_running_twice_in_a_month_opens_one_case_per_brand(seller_a, tmp_path, run_now):
    import_registry(tmp_path, "euipo-2026-11", state="dead")
    application = admitted(seller_a)
    other = admitted(seller_a, number="018500002")
    ApplicationFactory(company=seller_a.company, in_review=True)

    first = run_now()
    second = run_now()

    assert (len(first), second) == (2, [])
    assert RecertificationRun.objects.filter(period=THIS_MONTH).count() == 2
    # Both fail: the brand's mark is dead, the other one's number is not in the registry.
    assert sorted(RecertificationCase.objects.values_list("application_id", flat=True)) == sorted(
        [application.pk, other.pk]
    )


def test_a_redelivered_check_changes_nothing(seller_a, tmp_path, run_now):
    import_registry(tmp_path, "euipo-2026-11", state="dead")
    admitted(seller_a)
    run_now()
    run = RecertificationRun.objects.get()
    findings = run.findings

    # The worker died after storing the finding; the broker hands the task out again,
    # after the registry was corrected.
    import_registry(tmp_path, "euipo-2026-12")
    recertification_check(run_id=run.pk, check_code="trademark_registry", last_attempt=False)

    run.refresh_from_db()
    assert (run.state, run.findings) == (RecertificationRun.State.FAILED, findings)
    assert RecertificationCase.objects.count() == 1


def test_only_admitted_brands_are_rechecked(seller_a, tmp_path, run_now):
    import_registry(tmp_path, "euipo-2026-11", state="dead")
    for status in (Status.SUSPENDED, Status.REVOKED, Status.WAITLISTED, Status.IN_REVIEW):
        ApplicationFactory(company=seller_a.company, status=status)

    assert run_now() == []
    assert RecertificationRun.objects.count() == 0


def test_senior_suspends_with_a_deadline_the_seller_is_told(open_case, senior_reviewer):
    deadline = TODAY + datetime.timedelta(days=21)

    recertification_case_suspend(
        case_id=open_case.pk,
        actor=actor_for_user(senior_reviewer),
        note="Your EU trademark is shown as dead. Send proof of its renewal.",
        deadline=deadline,
    )

    open_case.refresh_from_db()
    application = Application.objects.get(pk=open_case.application_id)
    event = application.events.latest("pk")
    assert (application.status, open_case.state, open_case.deadline) == (
        Status.SUSPENDED,
        RecertificationCase.State.SUSPENDED,
        deadline,
    )
    assert (event.action, event.seller_visible, event.actor) == ("suspend", True, senior_reviewer)
    assert event.note == (
        "Your EU trademark is shown as dead. Send proof of its renewal.\n\n"
        f"Resolve this by {deadline:%Y-%m-%d}; otherwise the brand's place in the program will "
        "be revoked."
    )


def test_a_reviewer_who_is_not_senior_cannot_suspend(open_case, reviewer):
    with pytest.raises(ApplicationError) as refused:
        recertification_case_suspend(
            case_id=open_case.pk,
            actor=actor_for_user(reviewer),
            note="Dead mark.",
            deadline=TODAY + datetime.timedelta(days=10),
        )

    assert refused.value.code == "role_not_allowed"
    open_case.refresh_from_db()
    assert (open_case.state, open_case.deadline) == (RecertificationCase.State.OPEN, None)
    assert Application.objects.get(pk=open_case.application_id).status == Status.APPROVED


@pytest.mark.parametrize("days", [0, -3])
def test_a_deadline_must_lie_ahead(open_case, senior_reviewer, days):
    with pytest.raises(ApplicationError) as refused:
        recertification_case_suspend(
            case_id=open_case.pk,
            actor=actor_for_user(senior_reviewer),
            note="Dead mark.",
            deadline=TODAY + datetime.timedelta(days=days),
        )

    assert refused.value.field == "deadline"
    assert Application.objects.get(pk=open_case.application_id).status == Status.APPROVED


def test_the_sweep_revokes_only_after_the_deadline(open_case, senior_reviewer):
    suspend(open_case, senior_reviewer, days=14)
    deadline = TODAY + datetime.timedelta(days=14)

    recertification_sweep(today=deadline)  # the last day still belongs to the seller

    assert Application.objects.get(pk=open_case.application_id).status == Status.SUSPENDED

    recertification_sweep(today=deadline + datetime.timedelta(days=1))
    recertification_sweep(today=deadline + datetime.timedelta(days=2))

    open_case.refresh_from_db()
    application = Application.objects.get(pk=open_case.application_id)
    assert (application.status, open_case.state, open_case.resolved_by) == (
        Status.REVOKED,
        RecertificationCase.State.REVOKED,
        None,
    )
    revocations = application.events.filter(to_status=Status.REVOKED)
    assert [(e.action, e.seller_visible, e.actor_label) for e in revocations] == [
        ("revoke_overdue", True, "Re-certification service")
    ]
    assert f"The deadline of {deadline:%Y-%m-%d}" in revocations.get().note


def test_clearing_a_suspended_case_reinstates_the_brand(open_case, senior_reviewer):
    suspend(open_case, senior_reviewer)
    actor = actor_for_user(senior_reviewer)

    recertification_case_clear(case_id=open_case.pk, actor=actor, note="Renewal certificate seen.")
    recertification_sweep(today=TODAY + datetime.timedelta(days=60))

    open_case.refresh_from_db()
    application = Application.objects.get(pk=open_case.application_id)
    assert (application.status, open_case.state, open_case.resolution) == (
        Status.APPROVED,
        RecertificationCase.State.CLEARED,
        "Renewal certificate seen.",
    )
    assert application.events.latest("pk").action == "reinstate"


def test_a_reviewer_clears_an_open_case_without_touching_the_brand(open_case, reviewer):
    events_before = ApplicationEvent.objects.count()

    recertification_case_clear(
        case_id=open_case.pk, actor=actor_for_user(reviewer), note="Registry lags the renewal."
    )

    open_case.refresh_from_db()
    assert (open_case.state, open_case.resolved_by) == (RecertificationCase.State.CLEARED, reviewer)
    assert Application.objects.get(pk=open_case.application_id).status == Status.APPROVED
    assert ApplicationEvent.objects.count() == events_before
    with pytest.raises(ApplicationError) as twice:
        recertification_case_clear(
            case_id=open_case.pk, actor=actor_for_user(reviewer), note="Again."
        )
    assert twice.value.code == "case_closed"


def test_a_senior_revokes_the_brand(open_case, senior_reviewer, seller_a):
    recertification_case_revoke(
        case_id=open_case.pk, actor=actor_for_user(senior_reviewer), note="The mark is dead."
    )

    open_case.refresh_from_db()
    application = Application.objects.get(pk=open_case.application_id)
    assert (application.status, open_case.state) == (
        Status.REVOKED,
        RecertificationCase.State.REVOKED,
    )
    with pytest.raises(ApplicationError):
        recertification_case_clear(
            case_id=open_case.pk, actor=actor_for_user(senior_reviewer), note="Oops."
        )
    with pytest.raises(ApplicationError):
        recertification_case_clear(case_id=open_case.pk, actor=seller_a.actor, note="Mine.")


def test_a_reinstatement_from_the_workspace_ends_the_case_at_the_deadline(
    open_case, senior_reviewer
):
    suspend(open_case, senior_reviewer, days=3)
    application_transition(
        application_id=open_case.application_id,
        action="reinstate",
        actor=actor_for_user(senior_reviewer),
    )

    recertification_sweep(today=TODAY + datetime.timedelta(days=4))

    open_case.refresh_from_db()
    assert open_case.state == RecertificationCase.State.CLEARED
    assert Application.objects.get(pk=open_case.application_id).status == Status.APPROVED


# The pages.


# The real worker.


@pytest.mark.worker
def test_the_worker_rechecks_admitted_brands(celery_worker, seller_a, tmp_path):
    import_registry(tmp_path, "euipo-2026-11", state="dead")
    application = admitted(seller_a)

    start_task.delay()

    case = wait_until(
        lambda: RecertificationCase.objects.filter(application=application).first(),
        message="the worker opened no re-certification case",
    )
    assert case.state == RecertificationCase.State.OPEN
    run = RecertificationRun.objects.get(application=application)
    assert (run.state, sorted(run.findings)) == (
        RecertificationRun.State.FAILED,
        ["document_contents", "seller_eligibility", "trademark_registry"],
    )

    # Admitted since: the next start of the month checks that brand, and only that one.
    later = admitted(seller_a, number="018500002")
    start_task.delay()
    start_task.delay()

    wait_until(lambda: RecertificationCase.objects.filter(application=later).exists())
    wait_until(worker_idle, message="the worker did not drain its queue")
    assert RecertificationRun.objects.filter(application=application).count() == 1
    assert RecertificationCase.objects.filter(application=application).count() == 1
    assert RecertificationRun.objects.count() == 2


def worker_idle() -> bool:
    with celery_app.connection_for_write() as connection:
        redis = connection.default_channel.client
        waiting = sum(redis.llen(queue.name) for queue in celery_app.conf.task_queues)
    inspect = celery_app.control.inspect(timeout=1)
    busy = [*((inspect.active() or {}).values()), *((inspect.reserved() or {}).values())]
    return waiting == 0 and not any(busy)


def test_a_certificate_that_ran_out_since_admission_opens_a_case(seller_a, tmp_path, run_now):
    import_registry(tmp_path, "euipo-2026-11")
    application = admitted(seller_a)
    lapsed = TODAY - datetime.timedelta(days=1)
    read_evidence(
        application,
        "quality_certificate",
        certificate_number="CN-9001-77",
        holder=seller_a.company.legal_name,
        valid_until=lapsed.isoformat(),
    )

    run_now()

    case = RecertificationCase.objects.get(application=application)
    assert list(case.findings) == ["document_contents"]
    finding = case.findings["document_contents"]
    assert finding["outcome"] == "fail"
    assert finding["explanation"] == (
        f"Quality certificate “document.pdf”: it expired on {lapsed.isoformat()}."
    )
    assert Application.objects.get(pk=application.pk).status == Status.APPROVED
