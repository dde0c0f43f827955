"""The workflow's table: which status changes exist, who may make them, and how each status
reads to a seller.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from sellers.actors import Actor, Role
from sellers.models import Application, Status

S = Status
SELLER = frozenset({Role.SELLER})
REVIEWER = frozenset({Role.REVIEWER})
SENIOR = frozenset({Role.SENIOR_REVIEWER})
MANAGER = frozenset({Role.MANAGER})
SYSTEM = frozenset({Role.SYSTEM})
# Effects the workflow itself chooses when a decision is taken (a waitlisting instead of an
# approval, a proposal instead of a decision); nobody may ask for them directly.
DERIVED = frozenset()
# Queue leads and managers hand work out by hand; the queues' automatic assignment as SYSTEM.
ASSIGNERS = frozenset({Role.REVIEWER, Role.MANAGER, Role.SYSTEM})


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[Status]
    # None: the decision already taken decides where the application goes
    # (sellers.workflow.capacity.resolve).
    target: Status | None
    roles: frozenset[Role]
    seller_visible: bool
    # Decisions are taken by the reviewer who holds the application, nobody else.
    assignee_only: bool = False
    note_required: bool = False
    # Four eyes: a senior reviewer other than the one who proposed the decision.
    second_reviewer: bool = False


def _t(action, sources, target, roles, *, visible, **rules) -> Transition:
    return Transition(action, frozenset(sources), target, roles, visible, **rules)


STAGED = {S.STAGED_APPROVED, S.STAGED_WAITLISTED, S.STAGED_REJECTED}
OPEN_FOR_WITHDRAWAL = {
    S.DRAFT, S.SUBMITTED, S.SCREENING, S.AWAITING_REVIEW, S.IN_REVIEW, S.CHANGES_REQUESTED,
    S.WAITLISTED, S.PROPOSED, *STAGED,
}  # fmt: skip

# Open applications, waiting ones and decisions not yet released to the seller.
RETURNABLE_FOR_PENDING_MARK = {
    S.SUBMITTED, S.SCREENING, S.AWAITING_REVIEW, S.IN_REVIEW, S.PROPOSED, S.CHANGES_REQUESTED,
    S.WAITLISTED, S.STAGED_APPROVED, S.STAGED_WAITLISTED,
}  # fmt: skip

TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        _t("submit", {S.DRAFT}, S.SUBMITTED, SELLER, visible=True),
        _t("resubmit", {S.CHANGES_REQUESTED}, S.SUBMITTED, SELLER, visible=True),
        _t("start_screening", {S.SUBMITTED}, S.SCREENING, SYSTEM, visible=False),
        _t("finish_screening", {S.SCREENING}, S.AWAITING_REVIEW, SYSTEM, visible=False),
        _t("return_incomplete", {S.SCREENING}, S.CHANGES_REQUESTED, SYSTEM, visible=True,
           note_required=True),
        _t("claim", {S.AWAITING_REVIEW}, S.IN_REVIEW, REVIEWER, visible=False),
        _t("assign", {S.AWAITING_REVIEW}, S.IN_REVIEW, ASSIGNERS, visible=False),
        _t("reassign", {S.IN_REVIEW}, S.IN_REVIEW, ASSIGNERS, visible=False),
        _t("release", {S.IN_REVIEW}, S.AWAITING_REVIEW, REVIEWER, visible=False,
           assignee_only=True),
        _t("rescreen", {S.AWAITING_REVIEW, S.IN_REVIEW}, S.SUBMITTED, REVIEWER, visible=False),
        _t("approve", {S.IN_REVIEW}, S.APPROVED, REVIEWER, visible=True, assignee_only=True),
        _t("waitlist", {S.IN_REVIEW}, S.WAITLISTED, DERIVED, visible=True),
        _t("propose_approval", {S.IN_REVIEW}, S.PROPOSED, DERIVED, visible=False),
        # Every rejection is a proposal until a second senior reviewer confirms it.
        _t("reject", {S.IN_REVIEW}, S.PROPOSED, REVIEWER, visible=False, assignee_only=True,
           note_required=True),
        _t("confirm", {S.PROPOSED}, None, SENIOR, visible=True, second_reviewer=True),
        _t("send_back", {S.PROPOSED}, S.IN_REVIEW, SENIOR, visible=False, second_reviewer=True,
           note_required=True),
        _t("escalate", {S.IN_REVIEW}, S.AWAITING_REVIEW, REVIEWER, visible=False,
           assignee_only=True, note_required=True),
        _t("stage_decision", {S.IN_REVIEW, S.PROPOSED}, None, DERIVED, visible=False),
        _t("release_decision", STAGED, None, MANAGER, visible=True),
        _t("admit_from_waitlist", {S.WAITLISTED}, S.APPROVED, SYSTEM, visible=True),
        _t("admit_staged", {S.STAGED_WAITLISTED}, S.STAGED_APPROVED, SYSTEM, visible=False),
        # A mark still pending six months after filing no longer counts (monthly, by the
        # system): whatever the open application's step, it goes back to the seller, and one
        # with the seller already is told why it cannot come back as it is.
        _t("return_pending_mark", RETURNABLE_FOR_PENDING_MARK, S.CHANGES_REQUESTED, SYSTEM,
           visible=True, note_required=True),
        _t("request_changes", {S.IN_REVIEW}, S.CHANGES_REQUESTED, REVIEWER, visible=True,
           assignee_only=True, note_required=True),
        _t("withdraw", OPEN_FOR_WITHDRAWAL, S.WITHDRAWN, SELLER, visible=True),
        _t("suspend", {S.APPROVED}, S.SUSPENDED, SENIOR, visible=True, note_required=True),
        _t("reinstate", {S.SUSPENDED}, S.APPROVED, SENIOR, visible=True),
        _t("revoke", {S.APPROVED, S.SUSPENDED}, S.REVOKED, SENIOR, visible=True,
           note_required=True),
        # A suspension whose deadline passed without the problem being fixed.
        _t("revoke_overdue", {S.SUSPENDED}, S.REVOKED, SYSTEM, visible=True, note_required=True),
    )
}  # fmt: skip

# What a seller sees: the internal path from submission to a reviewer's desk is one state.
# Codes are stable for the API; labels are translated for the portal.
SELLER_STATUSES = {
    S.DRAFT: ("draft", _("Draft")),
    S.SUBMITTED: ("under_review", _("Under review")),
    S.SCREENING: ("under_review", _("Under review")),
    S.AWAITING_REVIEW: ("under_review", _("Under review")),
    S.IN_REVIEW: ("under_review", _("Under review")),
    S.CHANGES_REQUESTED: ("changes_requested", _("Changes requested")),
    S.APPROVED: ("admitted", _("Admitted")),
    S.WAITLISTED: ("waitlisted", _("Approved, waiting for a place")),
    S.REJECTED: ("not_admitted", _("Not admitted")),
    S.WITHDRAWN: ("withdrawn", _("Withdrawn")),
    S.SUSPENDED: ("suspended", _("Suspended")),
    S.REVOKED: ("revoked", _("Revoked")),
    # Until a second reviewer confirms, or a manager releases, nothing is decided for the seller.
    S.PROPOSED: ("under_review", _("Under review")),
    S.STAGED_APPROVED: ("under_review", _("Under review")),
    S.STAGED_WAITLISTED: ("under_review", _("Under review")),
    S.STAGED_REJECTED: ("under_review", _("Under review")),
}

# What a seller sees as "under review".
UNDER_REVIEW = tuple(
    status for status, (code, _) in SELLER_STATUSES.items() if code == "under_review"
)
# While an application has one of these, its seller may still change it.
EDITABLE_STATUSES = (S.DRAFT, S.CHANGES_REQUESTED)
# Places in the program are held by these statuses; a staged approval holds its place already.
PLACE_HOLDING = (S.APPROVED, S.SUSPENDED, S.STAGED_APPROVED)
WAITING = (S.WAITLISTED, S.STAGED_WAITLISTED)
STAGED_AS = {S.APPROVED: S.STAGED_APPROVED, S.WAITLISTED: S.STAGED_WAITLISTED,
             S.REJECTED: S.STAGED_REJECTED}  # fmt: skip
RELEASED_AS = {staged: final for final, staged in STAGED_AS.items()}
# The actions whose event carries a decision (its seller message and reasons) that a later
# confirmation or release passes on to the seller.
CARRIES_DECISION = ("propose_approval", "reject", "stage_decision")


def seller_status_code(status: str) -> str:
    return SELLER_STATUSES[Status(status)][0]


def seller_label(status: str) -> str:
    return str(SELLER_STATUSES[Status(status)][1])


def escalated_beyond(application: Application, roles: frozenset[Role]) -> bool:
    """An escalated application is for senior reviewers only."""
    return application.escalated_at is not None and Role.SENIOR_REVIEWER not in roles


def available_actions(application: Application, actor: Actor) -> list[str]:
    """Actions the actor could take now, for showing buttons; the transition re-checks all."""
    roles = actor.roles_for(application.company_id)
    return [
        t.action
        for t in TRANSITIONS.values()
        if application.status in t.sources
        and roles & t.roles
        and Role.SYSTEM not in t.roles
        and (not t.assignee_only or application.assignee_id == actor.user_id)
        and (not t.second_reviewer or application.proposed_by_id != actor.user_id)
        and not (t.action == "claim" and escalated_beyond(application, roles))
    ]
