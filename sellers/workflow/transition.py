"""``application_transition``: the one function that changes an application's status, with the
checks it makes and the effects it has, in the order it has them.
"""

from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from brandprogram.db import CompiledOnce
from brandprogram.errors import ApplicationError
from brandprogram.phrases import Phrase
from sellers.access import Door, may_see
from sellers.actors import Actor, Role, actor_for_user
from sellers.models import Application, ApplicationEvent, ReasonCode, Status
from sellers.ranking import brand_score
from sellers.requirements import missing_evidence, requirements_by_category
from sellers.services.events import event_note
from sellers.services.notifications import notifications_send
from sellers.signals import application_status_changing
from sellers.snapshots import evidence_files, snapshot_take
from sellers.webhooks.deliveries import webhook_brand_deliveries_record, webhook_deliveries_record
from sellers.workflow.capacity import CAPACITY, best_waiting, program_is_full, resolve
from sellers.workflow.labels import labels_for
from sellers.workflow.table import (
    CARRIES_DECISION,
    PLACE_HOLDING,
    SELLER,
    TRANSITIONS,
    WAITING,
    Transition,
    escalated_beyond,
    seller_label,
)

S = Status
# The actions that send the application for review, with a snapshot of what it says.
SUBMITTING = frozenset({"submit", "resubmit"})


def application_transition(
    *,
    application_id: int,
    action: str,
    actor: Actor,
    note: str | Phrase = "",
    internal_note: str = "",
    reasons: Sequence[str] = (),
    assignee=None,
    door: Door | None = None,
    locked: Application | None = None,
) -> Application:
    """Move an application along the workflow; the only code that assigns ``status``.

    ``note`` is the message to the seller (or a phrase the service writes, see
    ``event_note``), ``internal_note`` stays with the reviewers and
    ``reasons`` are codes of ``ReasonCode``. ``assignee`` is the reviewer (a user) that
    "assign" and "reassign" hand the application to. ``door`` is the way the actor came in,
    when the caller answers for it: an application the actor may not see through it is not
    found (``Application.DoesNotExist``), as one that does not exist, checked on the locked
    row rather than on a read of its own before.

    ``locked`` is the application as the caller read it with ``select_for_update`` (with its
    program, brand and trademark) inside the transaction it is still in: the change takes that
    row rather than reading and locking it again, and joins the caller's transaction without a
    savepoint of its own, so a failure here rolls the caller's work back with it.
    """
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise ApplicationError(
            gettext("There is no action called “%(action)s”.") % {"action": action},
            code="unknown_action",
        )
    note, note_phrases, note_language = event_note(note)
    note, internal_note = note.strip(), internal_note.strip()
    reasons = _valid_reasons(reasons)
    with transaction.atomic(savepoint=locked is None):
        # Only the application's row is locked, not its program's: a lock there would queue
        # every change of every application in the program behind one another. The decisions
        # that take a place lock the program themselves (capacity.program_is_full). Brand and
        # trademark come along for the submission snapshot and the seller's inbox.
        application = locked if locked is not None else _locked(application_id)
        if door is not None and not may_see(actor, application.company_id, doors=door):
            raise Application.DoesNotExist
        # One read of the current files and one of the categories with their requirements
        # serve the completeness check and the snapshot.
        if transition.action in SUBMITTING:
            files, categories = evidence_files(application), requirements_by_category(application)
        else:
            files = categories = None
        _check_allowed(application, transition, actor, note, files, categories)
        if action in {"assign", "reassign"}:
            _check_assignee(application, assignee)
            if not note:
                note, note_phrases, note_language = event_note(
                    Phrase(gettext_noop("Assigned to %(name)s."), name=_person(assignee))
                )
        if transition.action in {"confirm", "release_decision"}:
            # The seller reads the message and reasons of the decision itself; what the
            # confirming or releasing person adds stays internal.
            carried = application.events.filter(action__in=CARRIES_DECISION).order_by("-pk")
            internal_note = "\n\n".join(filter(None, [note, internal_note]))
            note, note_phrases, note_language, reasons = next(
                ((e.note, e.note_phrases, e.note_language, e.reasons) for e in carried[:1]),
                ("", [], "", []),
            )
        transition, target = resolve(application, transition)
        if action == "admit_from_waitlist" and program_is_full(application.program_id):
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
        event = ApplicationEvent.objects.create(
            application=application,
            actor=actor.user,
            actor_label=actor.label,
            action=transition.action,
            from_status=from_status,
            to_status=target,
            seller_visible=transition.seller_visible,
            note=note,
            note_phrases=note_phrases,
            note_language=note_language,
            internal_note=internal_note,
            reasons=reasons,
        )
        _effects(application, event, from_status, target, files, categories)
        if from_status in PLACE_HOLDING and target not in PLACE_HOLDING:
            waiting = best_waiting(application.program_id)
            if waiting is not None:
                best, admit = waiting
                application_transition(application_id=best.pk, action=admit, actor=CAPACITY)
    return application


def _locked_query(pk: int):
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("program", "brand", "trademark")
        .filter(pk=pk)
    )


# Every status change reads its application this way: compiling the read, with its joins, took
# longer than running it.
_LOCKED = CompiledOnce(_locked_query, pk=-2_102_938_469)


def _locked(application_id: int) -> Application:
    """The application, its row locked until the transaction ends; DoesNotExist if there is
    none."""
    found = _LOCKED.objects(pk=application_id)
    if not found:
        raise Application.DoesNotExist("Application matching query does not exist.")
    return found[0]


def _effects(
    application: Application,
    event: ApplicationEvent,
    from_status,
    to_status,
    files: list[dict] | None,
    categories: dict[str, list[tuple[str, bool]]] | None,
) -> None:
    """What a status change sets off, inside its transaction, so each exists exactly when the
    change does; none may do network I/O or anything slow. ``files`` are the application's
    current files and ``categories`` its categories when the transition read them."""
    # The inbox entries commit with the change; their mail is queued only after it.
    notifications_send(event=event)
    if event.action in SUBMITTING:
        snapshot_take(
            application=application,
            action=event.action,
            files=files,
            category_codes=None if categories is None else categories.keys(),
        )
    webhook_deliveries_record(
        application_id=application.pk,
        company_id=application.company_id,
        action=event.action,
        from_status=from_status,
        to_status=to_status,
    )
    webhook_brand_deliveries_record(
        application_id=application.pk,
        action=event.action,
        from_status=from_status,
        to_status=to_status,
    )
    # The one hook of the reviewer side (screening requests, queues), which sellers never imports.
    application_status_changing.send(
        sender=Application,
        application_id=application.pk,
        action=event.action,
        from_status=from_status,
        to_status=to_status,
    )


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


def _check_allowed(
    application: Application,
    transition: Transition,
    actor: Actor,
    note: str,
    files: list[dict] | None,
    categories: dict[str, list[tuple[str, bool]]] | None,
):
    roles = actor.roles_for(application.company_id)
    verb = labels_for(transition.action).verb
    if not roles & transition.roles:
        raise ApplicationError(
            gettext("You may not %(action)s this application.") % {"action": verb},
            code="role_not_allowed",
        )
    if not may_see(actor, application.company_id, doors=Door.SELLER | Door.STAFF):
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
            % {"action": verb, "status": _status_as_seen_by(roles, application.status)},
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
    if transition.action == "claim" and escalated_beyond(application, roles):
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
    if transition.action in SUBMITTING:
        _check_evidence_complete(application, {file["kind"] for file in files}, categories)


def _check_assignee(application: Application, assignee) -> None:
    if assignee is None:
        raise ApplicationError(
            gettext("Choose the reviewer to assign."), code="assignee_required", field="assignee"
        )
    # A waiting application may still name the reviewer of an earlier round (who requested
    # changes, say); only one in review is already theirs.
    if application.status == S.IN_REVIEW and assignee.pk == application.assignee_id:
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
    if not may_see(person, application.company_id, doors=Door.STAFF):
        raise ApplicationError(
            gettext("%(name)s declared a conflict of interest with this company.")
            % {"name": _person(assignee)},
            code="conflict_of_interest",
            field="assignee",
        )
    if escalated_beyond(application, person.staff_roles):
        raise ApplicationError(
            gettext("This application was escalated; assign it to a senior reviewer."),
            code="escalated",
            field="assignee",
        )


def _person(user) -> str:
    return user.get_full_name() or user.get_username()


def _check_evidence_complete(
    application: Application, present: set[str], categories: dict[str, list[tuple[str, bool]]]
) -> None:
    missing = missing_evidence(application, present, categories)
    if missing:
        raise ApplicationError(
            gettext("Attach these documents before submitting: %(documents)s.")
            % {"documents": ", ".join(item.label for item in missing)},
            code="evidence_missing",
            field="evidence",
            details={"missing_kinds": [item.kind for item in missing]},
        )
    # Categories without configured requirements still need something to review.
    if not present:
        raise ApplicationError(
            gettext("Attach at least one evidence file before submitting."),
            code="evidence_missing",
            field="evidence",
            details={"missing_kinds": []},
        )


def _status_as_seen_by(roles: frozenset[Role], status: str) -> str:
    # Sellers (and partners acting for them) never learn the internal review steps.
    if Role.SELLER in roles and not roles & {Role.REVIEWER, Role.SYSTEM}:
        return seller_label(status)
    return str(Status(status).label)
