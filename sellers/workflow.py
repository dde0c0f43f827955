"""The application workflow: which status changes exist, who may make them, and the one
function that makes every one of them.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sellers.actors import Actor, Role, actor_for_user
from sellers.errors import ApplicationError
from sellers.models import Application, ApplicationEvent, Program, Status
from sellers.requirements import missing_evidence
from sellers.signals import application_status_changed, application_status_changing

S = Status
SELLER = frozenset({Role.SELLER})
REVIEWER = frozenset({Role.REVIEWER})
SENIOR = frozenset({Role.SENIOR_REVIEWER})
SYSTEM = frozenset({Role.SYSTEM})
# Queue leads and managers hand work out by hand; the queues' automatic assignment as SYSTEM.
ASSIGNERS = frozenset({Role.REVIEWER, Role.MANAGER, Role.SYSTEM})


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[Status]
    target: Status
    roles: frozenset[Role]
    seller_visible: bool
    # Decisions are taken by the reviewer who holds the application, nobody else.
    assignee_only: bool = False
    note_required: bool = False


def _t(action, sources, target, roles, *, visible, **rules) -> Transition:
    return Transition(action, frozenset(sources), target, roles, visible, **rules)


OPEN_FOR_WITHDRAWAL = {
    S.DRAFT, S.SUBMITTED, S.SCREENING, S.AWAITING_REVIEW, S.IN_REVIEW, S.CHANGES_REQUESTED,
    S.WAITLISTED,
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
        _t("waitlist", {S.IN_REVIEW}, S.WAITLISTED, REVIEWER, visible=True, assignee_only=True),
        _t("admit_from_waitlist", {S.WAITLISTED}, S.APPROVED, SYSTEM, visible=True),
        _t("reject", {S.IN_REVIEW}, S.REJECTED, REVIEWER, visible=True, assignee_only=True,
           note_required=True),
        _t("request_changes", {S.IN_REVIEW}, S.CHANGES_REQUESTED, REVIEWER, visible=True,
           assignee_only=True, note_required=True),
        _t("withdraw", OPEN_FOR_WITHDRAWAL, S.WITHDRAWN, SELLER, visible=True),
        _t("suspend", {S.APPROVED}, S.SUSPENDED, SENIOR, visible=True, note_required=True),
        _t("reinstate", {S.SUSPENDED}, S.APPROVED, SENIOR, visible=True),
        _t("revoke", {S.APPROVED, S.SUSPENDED}, S.REVOKED, SENIOR, visible=True,
           note_required=True),
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
    "admit_from_waitlist": _("admit from the waiting list"),
    "reject": _("reject"),
    "request_changes": _("request changes"),
    "withdraw": _("withdraw"),
    "suspend": _("suspend"),
    "reinstate": _("reinstate"),
    "revoke": _("revoke"),
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
}

# Places in the program are held by these statuses.
PLACE_HOLDING = (S.APPROVED, S.SUSPENDED)


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
        and t.action != "waitlist"
        and (not t.assignee_only or application.assignee_id == actor.user_id)
    ]


def application_transition(
    *, application_id: int, action: str, actor: Actor, note: str = "", assignee=None
) -> Application:
    """Move an application along the workflow; the only code that assigns ``status``.

    ``assignee`` is the reviewer (a user) that "assign" and "reassign" hand the application to.
    """
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise ApplicationError(
            gettext("There is no action called “%(action)s”.") % {"action": action},
            code="unknown_action",
        )
    note = note.strip()
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application_id)
        _check_allowed(application, transition, actor, note)
        if action in {"assign", "reassign"}:
            _check_assignee(application, assignee)
            note = note or gettext("Assigned to %(name)s.") % {"name": _person(assignee)}
        if action == "approve" and _program_is_full(application.program_id):
            transition = TRANSITIONS["waitlist"]
        if action == "admit_from_waitlist" and _program_is_full(application.program_id):
            raise ApplicationError(gettext("The program has no free place."), code="program_full")
        from_status = application.status
        application.status = transition.target
        changed = ["status", "updated_at"]
        now = timezone.now()
        if transition.target == S.SUBMITTED and transition.roles == SELLER:
            application.submitted_at = now
            changed.append("submitted_at")
        if (
            transition.target in {S.APPROVED, S.WAITLISTED, S.REJECTED}
            and from_status == S.IN_REVIEW
        ):
            application.decided_at = now
            changed.append("decided_at")
        if action == "claim":
            application.assignee = actor.user
            changed.append("assignee")
        elif action in {"assign", "reassign"}:
            application.assignee = assignee
            changed.append("assignee")
        elif action in {"release", "rescreen"}:
            application.assignee = None
            changed.append("assignee")
        application.save(update_fields=changed)
        ApplicationEvent.objects.create(
            application=application,
            actor=actor.user,
            actor_label=actor.label,
            action=transition.action,
            from_status=from_status,
            to_status=transition.target,
            seller_visible=transition.seller_visible,
            note=note,
        )
        application_status_changing.send(
            sender=Application,
            application_id=application.pk,
            action=transition.action,
            from_status=from_status,
            to_status=transition.target,
        )
        transaction.on_commit(
            lambda: application_status_changed.send(
                sender=Application,
                application_id=application.pk,
                action=transition.action,
                from_status=from_status,
                to_status=transition.target,
            )
        )
    return application


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


def _program_is_full(program_id: int) -> bool:
    # Locking the program row serialises concurrent approvals, so two reviewers cannot both
    # take the last place.
    program = Program.objects.select_for_update().get(pk=program_id)
    held = Application.objects.filter(Q(program_id=program_id), Q(status__in=PLACE_HOLDING)).count()
    return held >= program.capacity
