"""Decisions taken at the same moment: thirty approvals on ten places, two confirmations."""

import threading

import pytest
from django.db import connection

from brandprogram.errors import ApplicationError
from sellers.actors import actor_for_user
from sellers.models import Application, ApplicationEvent, Status
from sellers.workflow.transition import application_transition
from tests.sellers.factories import ApplicationFactory, ProgramFactory, ReviewerFactory

CAPACITY = 25
HELD = 15
APPROVALS = 30


@pytest.mark.django_db(transaction=True)
def test_concurrent_approvals_never_exceed_the_capacity(settings):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL (make test)")
    settings.SCREENING_SENIOR_RISK = 50
    program = ProgramFactory(slug="race", name="Race program", capacity=CAPACITY)
    for _ in range(HELD):
        ApplicationFactory(program=program, approved=True)
    reviewers = [ReviewerFactory() for _ in range(APPROVALS)]
    applications = [
        ApplicationFactory(program=program, in_review=True, assignee=r, risk_score=10)
        for r in reviewers
    ]
    start = threading.Barrier(APPROVALS)
    errors: list[Exception] = []

    def approve(application, reviewer):
        # Any failure inside a thread must fail the test, not vanish with the thread.
        try:
            actor = actor_for_user(reviewer)
            start.wait()
            application_transition(application_id=application.pk, action="approve", actor=actor)
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=approve, args=pair)
        for pair in zip(applications, reviewers, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    decided = Application.objects.filter(pk__in=[a.pk for a in applications])
    assert decided.filter(status=Status.APPROVED).count() == CAPACITY - HELD
    assert decided.filter(status=Status.WAITLISTED).count() == APPROVALS - (CAPACITY - HELD)
    assert Application.objects.filter(program=program, status=Status.APPROVED).count() == CAPACITY
    events = ApplicationEvent.objects.filter(application__in=decided)
    assert sorted(events.values_list("action", flat=True)) == ["approve"] * 10 + ["waitlist"] * 20
    assert not decided.filter(status=Status.WAITLISTED, brand_score__isnull=True).exists()


@pytest.mark.django_db(transaction=True)
def test_two_seniors_confirming_at_once_make_one_decision(settings, reviewer):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL (make test)")
    settings.SCREENING_SENIOR_RISK = 50
    application = ApplicationFactory(in_review=True, assignee=reviewer, risk_score=90)
    application_transition(
        application_id=application.pk, action="approve", actor=actor_for_user(reviewer)
    )
    seniors = [ReviewerFactory(senior=True) for _ in range(2)]
    start = threading.Barrier(len(seniors))
    outcomes: list[str] = []

    def confirm(senior):
        actor = actor_for_user(senior)
        start.wait()
        try:
            application_transition(application_id=application.pk, action="confirm", actor=actor)
            outcomes.append("confirmed")
        except ApplicationError as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=confirm, args=(senior,)) for senior in seniors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["confirmed", "transition_not_allowed"]
    application.refresh_from_db()
    assert application.status == Status.APPROVED
    assert list(application.events.values_list("action", flat=True)) == [
        "propose_approval",
        "confirm",
    ]
