"""The application workflow: which status changes exist, who may make them, and the one
function that makes every one of them.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from brandprogram.errors import ApplicationError
from sellers.actors import Actor, Role, actor_for_user
from sellers.models import Application, ApplicationEvent, Program, ReasonCode, Status
from sellers.ranking import brand_score
from sellers.requirements import missing_evidence
from sellers.signals import application_status_changed, application_status_changing

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
    # None: the decision already taken decides where the application goes (see _resolve).
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

# The verb each action puts in a refusal ("You may not … this application."), so the
# sentence reads naturally in every language rather than showing the action's code.
ACTION_VERBS = {
    "submit": _("submit"),
    "resubmit": _("resubmit"),
    "start_screening": _("start screening"),
    "finish_screening": _("finish screening"),
    "return_incomplete": _("return as incomplete"),
    "claim": _("claim"),
    "assign": _("assign"),
    "reassign": _("reassign"),
    "release": _("release"),
    "rescreen": _("screen again"),
    "approve": _("approve"),
    "waitlist": _("waitlist"),
    "propose_approval": _("propose approval of"),
    "reject": _("reject"),
    "confirm": _("confirm the decision on"),
    "send_back": _("send back the decision on"),
    "escalate": _("escalate"),
    "stage_decision": _("stage the decision on"),
    "release_decision": _("release the decision on"),
    "admit_from_waitlist": _("admit from the waiting list"),
    "admit_staged": _("admit from the waiting list"),
    "request_changes": _("request changes"),
    "withdraw": _("withdraw"),
    "suspend": _("suspend"),
    "reinstate": _("reinstate"),
    "revoke": _("revoke"),
    "revoke_overdue": _("revoke after the deadline"),
}

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

# Places in the program are held by these statuses; a staged approval holds its place already.
PLACE_HOLDING = (S.APPROVED, S.SUSPENDED, S.STAGED_APPROVED)
WAITING = (S.WAITLISTED, S.STAGED_WAITLISTED)
STAGED_AS = {S.APPROVED: S.STAGED_APPROVED, S.WAITLISTED: S.STAGED_WAITLISTED,
             S.REJECTED: S.STAGED_REJECTED}  # fmt: skip
RELEASED_AS = {staged: final for final, staged in STAGED_AS.items()}
# The actions whose event carries a decision (its seller message and reasons) that a later
# confirmation or release passes on to the seller.
CARRIES_DECISION = ("propose_approval", "reject", "stage_decision")
# Who fills a freed place from the waiting list.
CAPACITY = Actor(label="Program capacity", staff_roles=SYSTEM)


def seller_status_code(status: str) -> str:
    return SELLER_STATUSES[Status(status)][0]


def seller_label(status: str) -> str:
    return str(SELLER_STATUSES[Status(status)][1])


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
        and not (t.action == "claim" and _escalated_beyond(application, roles))
    ]


def application_transition(
    *,
    application_id: int,
    action: str,
    actor: Actor,
    note: str = "",
    internal_note: str = "",
    reasons: Sequence[str] = (),
    assignee=None,
) -> Application:
    """Move an application along the workflow; the only code that assigns ``status``.

    ``note`` is the message to the seller, ``internal_note`` stays with the reviewers and
    ``reasons`` are codes of ``ReasonCode``. ``assignee`` is the reviewer (a user) that
    "assign" and "reassign" hand the application to.
    """
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise ApplicationError(
            gettext("There is no action called “%(action)s”.") % {"action": action},
            code="unknown_action",
        )
    note, internal_note = note.strip(), internal_note.strip()
    reasons = _valid_reasons(reasons)
    with transaction.atomic():
        application = (
            Application.objects.select_for_update().select_related("program").get(pk=application_id)
        )
        _check_allowed(application, transition, actor, note)
        if action in {"assign", "reassign"}:
            _check_assignee(application, assignee)
            note = note or gettext("Assigned to %(name)s.") % {"name": _person(assignee)}
        if transition.action in {"confirm", "release_decision"}:
            # The seller reads the message and reasons of the decision itself; what the
            # confirming or releasing person adds stays internal.
            carried = application.events.filter(action__in=CARRIES_DECISION).order_by("-pk")
            internal_note = "\n\n".join(filter(None, [note, internal_note]))
            note, reasons = next(((e.note, e.reasons) for e in carried[:1]), ("", []))
        transition, target = _resolve(application, transition)
        if action == "admit_from_waitlist" and _program_is_full(application.program_id):
            raise ApplicationError(gettext("The program has no free place."), code="program_full")
        from_status = application.status
        application.status = target
        changed = ["status", "updated_at"]
        now = timezone.now()
        if target == S.SUBMITTED and transition.roles == SELLER:
            application.submitted_at = now
            changed.append("submitted_at")
        if target == S.SUBMITTED and application.escalated_at is not None:
            # A new screening routes the application afresh.
            application.escalated_at = None
            changed.append("escalated_at")
        # The seller's decision time: a staged decision is decided for them when released.
        if transition.action in {"approve", "waitlist", "confirm", "release_decision"}:
            application.decided_at = now
            changed.append("decided_at")
        if target == S.PROPOSED:
            application.proposed_decision = "reject" if action == "reject" else "approve"
            application.proposed_by = actor.user
            changed += ["proposed_decision", "proposed_by"]
        elif from_status == S.PROPOSED:
            application.proposed_decision, application.proposed_by = "", None
            changed += ["proposed_decision", "proposed_by"]
        if target in WAITING and from_status not in WAITING:
            application.brand_score, application.brand_score_parts = brand_score(application)
            changed += ["brand_score", "brand_score_parts"]
        if action == "claim":
            application.assignee = actor.user
            changed.append("assignee")
        elif action in {"assign", "reassign"}:
            application.assignee = assignee
            changed.append("assignee")
        elif action in {"release", "rescreen", "escalate"}:
            application.assignee = None
            changed.append("assignee")
        if action == "escalate":
            application.escalated_at = now
            changed.append("escalated_at")
        application.save(update_fields=changed)
        ApplicationEvent.objects.create(
            application=application,
            actor=actor.user,
            actor_label=actor.label,
            action=transition.action,
            from_status=from_status,
            to_status=target,
            seller_visible=transition.seller_visible,
            note=note,
            internal_note=internal_note,
            reasons=reasons,
        )
        application_status_changing.send(
            sender=Application,
            application_id=application.pk,
            action=transition.action,
            from_status=from_status,
            to_status=target,
        )
        transaction.on_commit(
            lambda: application_status_changed.send(
                sender=Application,
                application_id=application.pk,
                action=transition.action,
                from_status=from_status,
                to_status=target,
            )
        )
        if from_status in PLACE_HOLDING and target not in PLACE_HOLDING:
            _admit_best_waiting(application.program_id)
    return application


def _resolve(application: Application, transition: Transition) -> tuple[Transition, Status]:
    """The transition to record and its target, once the rules of decisions are applied:
    four eyes for high-risk approvals, the capacity of the program, staged decisions."""
    action = transition.action
    if action == "approve" and _is_high_risk(application):
        return TRANSITIONS["propose_approval"], S.PROPOSED
    if action in {"approve", "confirm"}:
        decision = "approve" if action == "approve" else application.proposed_decision
        if decision == "approve":
            target = S.WAITLISTED if _program_is_full(application.program_id) else S.APPROVED
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


def _is_high_risk(application: Application) -> bool:
    return (
        application.risk_score is not None
        and application.risk_score >= settings.SCREENING_SENIOR_RISK
    )


def _admit_best_waiting(program_id: int) -> None:
    """Fill a freed place with the best-scored waiting application, in the same transaction."""
    if _program_is_full(program_id):
        return
    best = (
        Application.objects.select_for_update(skip_locked=True)
        .filter(program_id=program_id, status__in=WAITING)
        .order_by("-brand_score", "decided_at", "pk")
        .first()
    )
    if best is None:
        return
    action = "admit_from_waitlist" if best.status == S.WAITLISTED else "admit_staged"
    application_transition(application_id=best.pk, action=action, actor=CAPACITY)


def _valid_reasons(reasons: Sequence[str]) -> list[str]:
    unknown = sorted(set(reasons) - set(ReasonCode.values))
    if unknown:
        raise ApplicationError(
            gettext("Unknown reason code “%(code)s”.") % {"code": unknown[0]},
            code="unknown_reason",
            field="reasons",
        )
    # In the order of the checklist, each once.
    return [code for code in ReasonCode.values if code in reasons]


def _check_allowed(application: Application, transition: Transition, actor: Actor, note: str):
    roles = actor.roles_for(application.company_id)
    if not roles & transition.roles:
        raise ApplicationError(
            gettext("You may not %(action)s this application.")
            % {"action": ACTION_VERBS[transition.action]},
            code="role_not_allowed",
        )
    if application.company_id in actor.conflicted_company_ids and Role.SELLER not in roles:
        raise ApplicationError(
            gettext(
                "You declared a conflict of interest with %(company)s, so you cannot act on "
                "its applications."
            )
            % {"company": application.company.legal_name},
            code="conflict_of_interest",
        )
    if application.status not in transition.sources:
        raise ApplicationError(
            gettext("Cannot %(action)s while the application is “%(status)s”.")
            % {
                "action": ACTION_VERBS[transition.action],
                "status": _status_as_seen_by(roles, application.status),
            },
            code="transition_not_allowed",
        )
    if transition.assignee_only and application.assignee_id != actor.user_id:
        raise ApplicationError(
            gettext("Only the reviewer who claimed this application can do that."),
            code="not_assignee",
        )
    if transition.second_reviewer and application.proposed_by_id == actor.user_id:
        raise ApplicationError(
            gettext(
                "Another senior reviewer must confirm or send back this proposal; you made it "
                "yourself."
            ),
            code="same_reviewer",
        )
    if transition.action == "claim" and _escalated_beyond(application, roles):
        raise ApplicationError(
            gettext("This application was escalated; only a senior reviewer can claim it."),
            code="escalated",
        )
    if transition.note_required and not note:
        raise ApplicationError(
            gettext("Write a message explaining this decision."),
            code="note_required",
            field="note",
        )
    if transition.action in {"submit", "resubmit"}:
        _check_evidence_complete(application)


def _check_assignee(application: Application, assignee) -> None:
    if assignee is None:
        raise ApplicationError(
            gettext("Choose the reviewer to assign."), code="assignee_required", field="assignee"
        )
    if assignee.pk == application.assignee_id:
        raise ApplicationError(
            gettext("%(name)s already has this application.") % {"name": _person(assignee)},
            code="already_assigned",
            field="assignee",
        )
    person = actor_for_user(assignee)
    if not (assignee.is_active and person.is_reviewer):
        raise ApplicationError(
            gettext("%(name)s is not a reviewer.") % {"name": _person(assignee)},
            code="assignee_not_reviewer",
            field="assignee",
        )
    if application.company_id in person.conflicted_company_ids:
        raise ApplicationError(
            gettext("%(name)s declared a conflict of interest with this company.")
            % {"name": _person(assignee)},
            code="conflict_of_interest",
            field="assignee",
        )
    if _escalated_beyond(application, person.staff_roles):
        raise ApplicationError(
            gettext("This application was escalated; assign it to a senior reviewer."),
            code="escalated",
            field="assignee",
        )


def _person(user) -> str:
    return user.get_full_name() or user.get_username()


def _check_evidence_complete(application: Application) -> None:
    missing = missing_evidence(application)
    if missing:
        raise ApplicationError(
            gettext("Attach these documents before submitting: %(documents)s.")
            % {"documents": ", ".join(missing)},
            code="evidence_missing",
            field="evidence",
        )
    # Categories without configured requirements still need something to review.
    if not application.evidence.exists():
        raise ApplicationError(
            gettext("Attach at least one evidence file before submitting."),
            code="evidence_missing",
            field="evidence",
        )


def _status_as_seen_by(roles: frozenset[Role], status: str) -> str:
    # Sellers (and partners acting for them) never learn the internal review steps.
    if Role.SELLER in roles and not roles & {Role.REVIEWER, Role.SYSTEM}:
        return seller_label(status)
    return str(Status(status).label)


def _escalated_beyond(application: Application, roles: frozenset[Role]) -> bool:
    return application.escalated_at is not None and Role.SENIOR_REVIEWER not in roles


def _program_is_full(program_id: int) -> bool:
    # Locking the program row serialises concurrent approvals, so two reviewers cannot both
    # take the last place.
    program = Program.objects.select_for_update().get(pk=program_id)
    held = Application.objects.filter(Q(program_id=program_id), Q(status__in=PLACE_HOLDING)).count()
    return held >= program.capacity
