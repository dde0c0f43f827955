"""A pending trademark counts for six months: then an open application goes back to the seller
and an admitted brand gets a re-certification case; a mark registered meanwhile is upgraded."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from reviews.models import RecertificationCase, RecertificationRun
from reviews.pending_marks import (
    CASE,
    NOTHING,
    PENDING_MARK,
    PENDING_MARK_ACTIONS,
    RETURN,
    months_before,
    pending_marks_review,
)
from reviews.recertification import recertification_check_codes
from reviews.tasks import pending_marks_review as pending_marks_task
from sellers.models import ApplicationEvent, Membership, Status, Trademark
from sellers.workflow.table import TRANSITIONS
from tests.pages import logged_in, page_text
from tests.reviews.recertification_support import (
    THIS_MONTH,
    TODAY,
    admitted,
    import_registry,
    suspend,
)
from tests.sellers.factories import ApplicationFactory

PENDING = Trademark.RegistrationStatus.PENDING


def _pending(seller, number="018500001", **traits):
    return ApplicationFactory(
        company=seller.company,
        brand__name=f"BRIGHTLAMP{number}",
        trademark__office="EUIPO",
        trademark__number=number,
        trademark__registration_status=PENDING,
        **traits,
    )


def _review(capture, **kwargs):
    with capture(execute=True):
        return pending_marks_review(**kwargs)


def test_an_open_application_pending_past_six_months_returns_to_the_seller(
    seller_a, tmp_path, django_capture_on_commit_callbacks
):
    import_registry(tmp_path, "euipo-2026-11", state="pending")  # filed 2021-09-01
    old = _pending(seller_a, in_review=True)
    recent = _pending(
        seller_a,
        number="018500077",  # not in the registry data: the clock runs from the submission
        awaiting_review=True,
        submitted_at=timezone.now() - datetime.timedelta(days=150),
    )

    done = _review(django_capture_on_commit_callbacks)

    assert done == {"registered": [], "returned": [old.pk], "case": []}
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.status, recent.status) == (Status.CHANGES_REQUESTED, Status.AWAITING_REVIEW)
    event = old.events.get(action="return_pending_mark")
    assert event.actor_label == "Re-certification service"
    assert event.seller_visible
    assert "pending since 2021-09-01, more than six months" in event.note
    assert any("pending since 2021-09-01" in m.body for m in mail.outbox)
    assert _review(django_capture_on_commit_callbacks)["returned"] == []


def test_the_seller_is_told_in_chinese_when_the_owner_reads_chinese(
    seller_a, tmp_path, django_capture_on_commit_callbacks
):
    Membership.objects.filter(user=seller_a.owner).update(language="zh-hans")
    import_registry(tmp_path, "euipo-2026-11", state="pending")
    application = _pending(seller_a, in_review=True)

    _review(django_capture_on_commit_callbacks)

    note = application.events.get(action="return_pending_mark").note
    assert "自 2021-09-01 起一直处于申请中" in note


def test_an_admitted_brand_pending_past_six_months_gets_one_case(
    seller_a, tmp_path, django_capture_on_commit_callbacks
):
    import_registry(tmp_path, "euipo-2026-11", state="pending")
    application = _pending(seller_a, approved=True)

    assert _review(django_capture_on_commit_callbacks)["case"] == [application.pk]
    _review(django_capture_on_commit_callbacks)

    run = RecertificationRun.objects.get(application=application, period=THIS_MONTH)
    # The month's run carries the finding and still runs its own checks (the start sends them).
    assert run.check_codes == [*recertification_check_codes(), PENDING_MARK]
    assert run.findings[PENDING_MARK]["outcome"] == "fail"
    assert run.state == RecertificationRun.State.RUNNING
    assert RecertificationCase.objects.count() == 0


def test_a_pending_mark_on_a_closed_run_opens_the_case(
    seller_a, reviewer, tmp_path, django_capture_on_commit_callbacks
):
    import_registry(tmp_path, "euipo-2026-11", state="pending")
    application = _pending(seller_a, approved=True)
    run = RecertificationRun.objects.create(
        application=application,
        period=THIS_MONTH,
        check_codes=["trademark_registry"],
        findings={"trademark_registry": {"outcome": "pass"}},
        state=RecertificationRun.State.PASSED,
    )

    _review(django_capture_on_commit_callbacks)
    _review(django_capture_on_commit_callbacks)

    run.refresh_from_db()
    case = RecertificationCase.objects.get()
    assert (run.state, case.run, case.application, case.state) == (
        RecertificationRun.State.FAILED,
        run,
        application,
        RecertificationCase.State.OPEN,
    )
    assert list(case.findings) == [PENDING_MARK]
    assert "pending since Sept. 1, 2021" in case.findings[PENDING_MARK]["explanation"]
    application.refresh_from_db()
    assert application.status == Status.APPROVED
    page = logged_in(reviewer).get(reverse("reviews:recertification_case", args=[case.pk]))
    assert "Trademark pending more than six months" in page_text(page)


def test_a_pending_mark_the_registry_shows_registered_is_upgraded(
    seller_a, tmp_path, django_capture_on_commit_callbacks
):
    import_registry(tmp_path, "euipo-2026-11", state="registered")
    application = _pending(seller_a, in_review=True)

    done = _review(django_capture_on_commit_callbacks)
    again = _review(django_capture_on_commit_callbacks)

    assert done["registered"] == [application.pk]
    assert again == {"registered": [], "returned": [], "case": []}
    application.refresh_from_db()
    application.trademark.refresh_from_db()
    assert application.status == Status.IN_REVIEW
    assert application.trademark.registration_status == Trademark.RegistrationStatus.REGISTERED
    events = ApplicationEvent.objects.filter(application=application, action="trademark_registered")
    assert [e.note for e in events] == [
        "The office registered the mark EUIPO 018500001 on 2022-03-01 "
        "(EUIPO bulk data (local copy))."
    ]


def test_six_months_before_keeps_the_day_or_the_month_end():
    assert months_before(datetime.date(2026, 8, 31), 6) == datetime.date(2026, 2, 28)
    assert months_before(datetime.date(2026, 3, 15), 6) == datetime.date(2025, 9, 15)
    assert months_before(TODAY, 0) == TODAY


def test_the_monthly_task_reviews_pending_marks(
    seller_a, tmp_path, django_capture_on_commit_callbacks
):
    import_registry(tmp_path, "euipo-2026-11", state="registered")
    application = _pending(seller_a, in_review=True)

    with django_capture_on_commit_callbacks(execute=True):
        pending_marks_task.delay()

    application.trademark.refresh_from_db()
    assert application.trademark.registration_status == Trademark.RegistrationStatus.REGISTERED


def test_every_status_has_a_stated_action_and_the_workflow_allows_each_return():
    assert set(PENDING_MARK_ACTIONS) == set(Status)
    returned = {status for status, act in PENDING_MARK_ACTIONS.items() if act == RETURN}
    assert returned == TRANSITIONS["return_pending_mark"].sources
    assert {s for s, act in PENDING_MARK_ACTIONS.items() if act == CASE} == {
        Status.APPROVED,
        Status.SUSPENDED,
    }


@pytest.mark.parametrize(
    "status",
    [
        Status.SUBMITTED,
        Status.SCREENING,
        Status.PROPOSED,
        Status.WAITLISTED,
        Status.STAGED_APPROVED,
        Status.STAGED_WAITLISTED,
    ],
)
def test_an_application_at_any_open_step_returns_to_the_seller_once(
    status, seller_a, tmp_path, django_capture_on_commit_callbacks
):
    import_registry(tmp_path, "euipo-2026-11", state="pending")
    application = _pending(seller_a, submitted=True, status=status)

    first = _review(django_capture_on_commit_callbacks)
    second = _review(django_capture_on_commit_callbacks)

    assert (first["returned"], second["returned"]) == ([application.pk], [])
    application.refresh_from_db()
    assert (application.status, application.proposed_decision) == (Status.CHANGES_REQUESTED, "")
    event = application.events.get(action="return_pending_mark")
    assert (event.from_status, event.seller_visible) == (status, True)
    assert "pending since 2021-09-01" in event.note


def test_a_staged_approval_returned_gives_its_place_to_the_best_waiting(
    seller_a, seller_b, tmp_path, django_capture_on_commit_callbacks
):
    import_registry(tmp_path, "euipo-2026-11", state="pending")
    staged = _pending(seller_a, submitted=True, status=Status.STAGED_APPROVED)
    staged.program.capacity = 1
    staged.program.save()
    waiting = _pending(seller_b, number="018500077", waitlisted=True)

    _review(django_capture_on_commit_callbacks)

    staged.refresh_from_db()
    waiting.refresh_from_db()
    assert (staged.status, waiting.status) == (Status.CHANGES_REQUESTED, Status.APPROVED)


def test_changes_requested_is_told_once_and_again_after_a_resubmission(
    seller_a, tmp_path, django_capture_on_commit_callbacks
):
    import_registry(tmp_path, "euipo-2026-11", state="pending")
    application = _pending(seller_a, changes_requested=True)

    first = _review(django_capture_on_commit_callbacks)
    second = _review(django_capture_on_commit_callbacks)
    application.refresh_from_db()
    told = application.events.filter(action="return_pending_mark").count()
    # A seller who resubmits the same pending mark is told again at the next run.
    application.status = Status.AWAITING_REVIEW
    application.submitted_at = timezone.now()
    application.save()
    third = _review(django_capture_on_commit_callbacks)

    assert (first["returned"], second["returned"], third["returned"]) == (
        [application.pk],
        [],
        [application.pk],
    )
    assert told == 1
    application.refresh_from_db()
    assert application.status == Status.CHANGES_REQUESTED
    assert len([m for m in mail.outbox if "pending since 2021-09-01" in m.body]) == 2


@pytest.mark.parametrize(
    "status",
    [s for s, act in PENDING_MARK_ACTIONS.items() if act == NOTHING],
)
def test_drafts_and_closed_applications_are_left_alone(
    status, seller_a, tmp_path, django_capture_on_commit_callbacks
):
    import_registry(tmp_path, "euipo-2026-11", state="pending")
    application = _pending(seller_a, status=status, submitted_at=timezone.now())

    assert _review(django_capture_on_commit_callbacks) == {
        "registered": [],
        "returned": [],
        "case": [],
    }
    application.refresh_from_db()
    assert application.status == status
    assert not application.events.exists()


def test_a_suspended_brand_gets_the_finding_in_the_case_it_is_suspended_under(
    seller_a, senior_reviewer, tmp_path, run_now, django_capture_on_commit_callbacks
):
    import_registry(tmp_path, "euipo-2026-11", state="dead")
    application = admitted(seller_a)
    Trademark.objects.filter(pk=application.trademark_id).update(registration_status=PENDING)
    run_now()
    case = RecertificationCase.objects.get()
    suspend(case, senior_reviewer)

    done = _review(django_capture_on_commit_callbacks)
    again = _review(django_capture_on_commit_callbacks)

    case.refresh_from_db()
    assert (done["case"], again["case"]) == ([application.pk], [])
    assert case.state == RecertificationCase.State.SUSPENDED
    assert PENDING_MARK in case.findings
    assert PENDING_MARK in case.run.findings
