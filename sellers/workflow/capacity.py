"""The rules a decision passes through before it lands: four eyes for high-risk approvals,
staged decisions, the program's cap on places and its waiting list.
"""

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_noop

from sellers.actors import Actor
from sellers.models import Application, Program, Status
from sellers.workflow.table import (
    PLACE_HOLDING,
    RELEASED_AS,
    STAGED_AS,
    SYSTEM,
    TRANSITIONS,
    WAITING,
    Transition,
)

S = Status
# Who fills a freed place from the waiting list.
CAPACITY = Actor(label=gettext_noop("Program capacity"), staff_roles=SYSTEM)


def resolve(application: Application, transition: Transition) -> tuple[Transition, Status]:
    """The transition to record and its target, once the rules of decisions are applied:
    four eyes for high-risk approvals, the capacity of the program, staged decisions."""
    action = transition.action
    if action == "approve" and is_high_risk(application):
        return TRANSITIONS["propose_approval"], S.PROPOSED
    if action in {"approve", "confirm"}:
        decision = "approve" if action == "approve" else application.proposed_decision
        if decision == "approve":
            target = S.WAITLISTED if program_is_full(application.program_id) else S.APPROVED
        else:
            target = S.REJECTED
        if application.program.stage_decisions:
            return TRANSITIONS["stage_decision"], STAGED_AS[target]
        if action == "approve" and target == S.WAITLISTED:
            return TRANSITIONS["waitlist"], target
        return transition, target
    if action == "release_decision":
        return transition, RELEASED_AS[Status(application.status)]
    return transition, transition.target


def is_high_risk(application: Application) -> bool:
    return (
        application.risk_score is not None
        and application.risk_score >= settings.SCREENING_SENIOR_RISK
    )


def program_is_full(program_id: int) -> bool:
    # Locking the program row serialises concurrent approvals, so two reviewers cannot both
    # take the last place.
    program = Program.objects.select_for_update().get(pk=program_id)
    held = Application.objects.filter(Q(program_id=program_id), Q(status__in=PLACE_HOLDING)).count()
    return held >= program.capacity


def best_waiting(program_id: int) -> tuple[Application, str] | None:
    """The best-scored waiting application to fill a freed place, locked, with the action
    that admits it; None when the program is still full or nobody waits."""
    if program_is_full(program_id):
        return None
    best = (
        Application.objects.select_for_update(skip_locked=True)
        .filter(program_id=program_id, status__in=WAITING)
        .order_by("-brand_score", "decided_at", "pk")
        .first()
    )
    if best is None:
        return None
    return best, "admit_from_waitlist" if best.status == S.WAITLISTED else "admit_staged"
