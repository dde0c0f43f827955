"""How long recent decisions took, as the seller portal states it."""

import datetime

from django.utils import timezone

from sellers.models import Status
from sellers.selectors import decision_time_estimate
from tests.sellers.factories import ApplicationFactory, ProgramFactory


def decided(program, *, days_taken: float, days_ago: float = 1, status=Status.APPROVED):
    decided_at = timezone.now() - datetime.timedelta(days=days_ago)
    return ApplicationFactory(
        program=program,
        status=status,
        submitted_at=decided_at - datetime.timedelta(days=days_taken),
        decided_at=decided_at,
    )


def test_decision_time_estimate_is_the_median_of_the_last_90_days(db):
    program = ProgramFactory()
    for days_taken, status in [
        (2, Status.APPROVED),
        (4, Status.REJECTED),
        (6, Status.WAITLISTED),
        (8, Status.APPROVED),
        (10, Status.APPROVED),
        (12, Status.REJECTED),
    ]:
        decided(program, days_taken=days_taken, status=status)
    decided(program, days_taken=80, days_ago=91)
    ApplicationFactory(program=program, in_review=True)

    estimate = decision_time_estimate(program_id=program.pk)

    assert (estimate.median, estimate.decisions, estimate.median_days) == (
        datetime.timedelta(days=7),
        6,
        7,
    )


def test_decision_time_estimate_needs_five_recent_decisions(db):
    program = ProgramFactory()
    for days_taken in (3, 5, 7, 9):
        decided(program, days_taken=days_taken)
    decided(program, days_taken=1, days_ago=120)

    estimate = decision_time_estimate(program_id=program.pk)

    assert estimate is None


def test_decision_time_estimate_ignores_other_programs(db):
    program = ProgramFactory()
    other = ProgramFactory(slug="other-program", name="Other Program")
    for days_taken in (10, 10, 20, 30, 30):
        decided(program, days_taken=days_taken)
    for _ in range(5):
        decided(other, days_taken=1)

    estimate = decision_time_estimate(program_id=program.pk)
    other_estimate = decision_time_estimate(program_id=other.pk)

    assert (estimate.median, estimate.decisions) == (datetime.timedelta(days=20), 5)
    assert (other_estimate.median, other_estimate.decisions) == (datetime.timedelta(days=1), 5)
