"""Monthly re-certification: the relevant screening checks run again on every admitted brand.

1. ``recertification_start`` (monthly beat) opens one run per admitted application and month
   (a unique constraint makes a second start in the same month add nothing) and sends one task
   per check after commit.
2. Each check task calls ``recertification_check``, which runs the screening check module the
   way screening does (same retries, time limit and error handling) and stores its finding on
   the run under the run's row lock; the call that completes the set
   closes the run and, when a check failed, opens the run's one re-certification case.
3. Reviewers settle a case: clear it, suspend the brand with a deadline (senior reviewers,
   through the workflow's ``suspend``) or revoke it. ``recertification_sweep`` (daily beat)
   revokes suspensions whose deadline passed and re-sends the checks of runs that went quiet.
"""

import datetime
import logging
import time

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop

from brandprogram.errors import ApplicationError
from brandprogram.queueing import enqueue_after_commit
from reviews.checks import enabled_checks
from reviews.checks.base import REVERIFY_DUE
from reviews.models import RecertificationCase, RecertificationRun
from reviews.screening.runner import load_application, result_fields, run_one_check
from sellers.actors import Actor, Role
from sellers.models import Application, Membership, Status
from sellers.workflow.transition import application_transition

logger = logging.getLogger(__name__)

# Who revokes a brand whose deadline passed, as the history shows it.
RECERTIFICATION_SERVICE = Actor(
    label=gettext_noop("Re-certification service"), staff_roles=frozenset({Role.SYSTEM})
)


def recertification_period(today: datetime.date | None = None) -> datetime.date:
    return (today or timezone.localdate()).replace(day=1)


def recertification_check_codes() -> list[str]:
    """The configured re-certification checks that this deployment has enabled, in order."""
    enabled = {check.CODE for check in enabled_checks()}
    return [code for code in settings.RECERTIFICATION_CHECKS if code in enabled]


def recertification_start(*, today: datetime.date | None = None) -> list[int]:
    """Open this month's run for every admitted brand that has none and send the checks of
    runs never sent. Returns the ids of the runs sent now."""
    period = recertification_period(today)
    codes = recertification_check_codes()
    admitted = (
        Application.objects.filter(status=Status.APPROVED)
        .exclude(recertification_runs__period=period)
        .values_list("pk", flat=True)
    )
    RecertificationRun.objects.bulk_create(
        [
            RecertificationRun(application_id=pk, period=period, check_codes=codes)
            for pk in admitted
        ],
        ignore_conflicts=True,
    )
    unsent = RecertificationRun.objects.filter(
        period=period, state=RecertificationRun.State.RUNNING, dispatched_at__isnull=True
    )
    return [run_id for run_id in unsent.values_list("pk", flat=True) if _send(run_id, unsent)]


def _send(run_id: int, claimable) -> bool:
    """Claim a run by a conditional update (two racing starts send it once); send what it lacks."""
    if not claimable.filter(pk=run_id).update(dispatched_at=timezone.now()):
        return False
    run = RecertificationRun.objects.get(pk=run_id)
    missing = [code for code in run.check_codes if code not in run.findings]
    if not missing:
        recertification_finalise(run_id=run_id)
    for code in missing:
        enqueue_after_commit("reviews.tasks.recertify_check", run_id=run_id, check_code=code)
    return True


def recertification_check(*, run_id: int, check_code: str, last_attempt: bool) -> None:
    """Run one check of a run and store its finding, unless one is stored already.

    Raises TransientCheckError (from the check) while attempts remain, so the task retries.
    """
    run = RecertificationRun.objects.get(pk=run_id)
    if run.state == RecertificationRun.State.RUNNING and check_code not in run.findings:
        started = time.monotonic()
        finding = run_one_check(
            load_application(run.application_id), check_code, last_attempt=last_attempt
        )
        with transaction.atomic():
            run = RecertificationRun.objects.select_for_update().get(pk=run_id)
            # A redelivered task (its worker died after writing) finds the finding and adds nothing.
            if run.state == RecertificationRun.State.RUNNING and check_code not in run.findings:
                fields = result_fields(finding, started)
                run.findings[check_code] = fields | {"checked_at": timezone.now().isoformat()}
                run.save(update_fields=["findings"])
    recertification_finalise(run_id=run_id)


def recertification_finalise(*, run_id: int) -> RecertificationRun:
    """Close a run whose checks all answered; a failed check opens the run's case."""
    with transaction.atomic():
        run = RecertificationRun.objects.select_for_update().get(pk=run_id)
        if (
            run.state != RecertificationRun.State.RUNNING
            or set(run.check_codes) - run.findings.keys()
        ):
            return run
        # A check made by hand that went stale asks a reviewer for a new look, as a failure does.
        failed = {
            code: finding
            for code, finding in run.findings.items()
            if finding["outcome"] == "fail" or REVERIFY_DUE in finding.get("flags", ())
        }
        run.state = RecertificationRun.State.FAILED if failed else RecertificationRun.State.PASSED
        run.finished_at = timezone.now()
        run.save(update_fields=["state", "finished_at"])
        still_admitted = Application.objects.filter(
            pk=run.application_id, status=Status.APPROVED
        ).exists()
        if failed and still_admitted:
            RecertificationCase.objects.get_or_create(
                run=run, defaults={"application_id": run.application_id, "findings": failed}
            )
    return run


def recertification_finding_add(
    *, application_id: int, code: str, finding: dict, today: datetime.date | None = None
) -> RecertificationRun | None:
    """Add a failed finding found outside the checks (a trademark pending too long, operating
    indicators gone stale) to this month's run of an admitted brand, so it reaches reviewers
    as the run's case; returns the run, or None when it had the finding already.

    A run not yet started is opened with the configured checks besides (the start or the
    sweep sends them); a running one carries the finding until its checks complete; a closed
    one fails and opens its case, or the open case gains the finding. Once per month and code.
    A suspended brand is not re-checked monthly: the finding joins its suspended case (and
    that case's run), which the reviewer settling it reads; once per case and code. Any other
    status has nothing to re-certify: None.
    """
    period = recertification_period(today)
    with transaction.atomic():
        status = (
            Application.objects.select_for_update()
            .values_list("status", flat=True)
            .get(pk=application_id)
        )
        if status == Status.SUSPENDED:
            return _suspended_finding_add(application_id, code, finding)
        if status != Status.APPROVED:
            return None
        run, _ = RecertificationRun.objects.get_or_create(
            application_id=application_id,
            period=period,
            defaults={"check_codes": [*recertification_check_codes(), code]},
        )
        run = RecertificationRun.objects.select_for_update().get(pk=run.pk)
        if code in run.findings:
            return None
        run.findings[code] = finding
        if code not in run.check_codes:
            run.check_codes.append(code)
        run.save(update_fields=["findings", "check_codes"])
        if run.state != RecertificationRun.State.RUNNING:
            run.state = RecertificationRun.State.FAILED
            run.save(update_fields=["state"])
            case, opened = RecertificationCase.objects.select_for_update().get_or_create(
                run=run, defaults={"application_id": application_id, "findings": {code: finding}}
            )
            if not opened and case.state in (
                RecertificationCase.State.OPEN,
                RecertificationCase.State.SUSPENDED,
            ):
                case.findings[code] = finding
                case.save(update_fields=["findings"])
    return recertification_finalise(run_id=run.pk)


def _suspended_finding_add(application_id: int, code: str, finding: dict):
    case = (
        RecertificationCase.objects.select_for_update()
        .filter(application_id=application_id, state=RecertificationCase.State.SUSPENDED)
        .order_by("-opened_at", "-pk")
        .first()
    )
    if case is None:
        # Suspensions are made by settling a case; one without is data edited by hand.
        logger.warning("suspended application %s has no suspended case", application_id)
        return None
    if code in case.findings:
        return None
    case.findings[code] = finding
    case.save(update_fields=["findings"])
    run = RecertificationRun.objects.select_for_update().get(pk=case.run_id)
    run.findings[code] = finding
    if code not in run.check_codes:
        run.check_codes.append(code)
    run.save(update_fields=["findings", "check_codes"])
    return run


def recertification_sweep(*, today: datetime.date | None = None) -> None:
    """Revoke brands whose suspension deadline passed; re-send checks of runs gone quiet."""
    today = today or timezone.localdate()
    overdue = RecertificationCase.objects.filter(
        state=RecertificationCase.State.SUSPENDED, deadline__lt=today
    ).values_list("pk", flat=True)
    for case_id in overdue:
        recertification_overdue_revoke(case_id=case_id, today=today)
    stale_before = timezone.now() - datetime.timedelta(seconds=settings.SCREENING_STALE_SECONDS)
    quiet = RecertificationRun.objects.filter(state=RecertificationRun.State.RUNNING).filter(
        Q(dispatched_at__isnull=True) | Q(dispatched_at__lt=stale_before)
    )
    for run_id in quiet.values_list("pk", flat=True):
        _send(run_id, quiet)


def recertification_overdue_revoke(*, case_id: int, today: datetime.date) -> None:
    with transaction.atomic():
        case = RecertificationCase.objects.select_for_update().get(pk=case_id)
        if case.state != RecertificationCase.State.SUSPENDED or case.deadline >= today:
            return
        status = Application.objects.values_list("status", flat=True).get(pk=case.application_id)
        if status != Status.SUSPENDED:
            # Reinstated or revoked from the workspace meanwhile: nothing is left to enforce.
            _close(
                case,
                RecertificationCase.State.CLEARED,
                None,
                "The brand was no longer "
                f"suspended when the deadline of {case.deadline:%Y-%m-%d} passed.",
            )
            return
        # The note is mailed and shown to the seller, so it speaks the owner's language.
        with translation.override(owner_language(case.application_id)):
            note = gettext(
                "The deadline of %(deadline)s to resolve the failed re-certification passed "
                "without the case being cleared."
            ) % {"deadline": f"{case.deadline:%Y-%m-%d}"}
        application_transition(
            application_id=case.application_id,
            action="revoke_overdue",
            actor=RECERTIFICATION_SERVICE,
            note=note,
        )
        _close(case, RecertificationCase.State.REVOKED, None, note)


def recertification_case_clear(*, case_id: int, actor: Actor, note: str) -> RecertificationCase:
    """The failure is explained or fixed. A suspended brand is reinstated (senior reviewers)."""
    note = _required(note)
    with transaction.atomic():
        case = _open_case(case_id, actor)
        if case.state == RecertificationCase.State.SUSPENDED:
            application_transition(
                application_id=case.application_id, action="reinstate", actor=actor, note=note
            )
        return _close(case, RecertificationCase.State.CLEARED, actor, note)


def recertification_case_suspend(
    *, case_id: int, actor: Actor, note: str, deadline: datetime.date
) -> RecertificationCase:
    """Suspend the brand and give the seller until ``deadline`` to fix what failed."""
    note = _required(note)
    if deadline <= timezone.localdate():
        raise ApplicationError(
            gettext("The deadline must be a date after today."),
            code="bad_deadline",
            field="deadline",
        )
    with transaction.atomic():
        case = _open_case(case_id, actor)
        if case.state != RecertificationCase.State.OPEN:
            raise ApplicationError(
                gettext("This brand is already suspended."), code="transition_not_allowed"
            )
        # The note is mailed and shown to the seller, so it speaks the owner's language.
        with translation.override(owner_language(case.application_id)):
            seller_note = gettext(
                "%(note)s\n\nResolve this by %(deadline)s; otherwise the brand's place in the "
                "program will be revoked."
            ) % {"note": note, "deadline": f"{deadline:%Y-%m-%d}"}
        application_transition(
            application_id=case.application_id, action="suspend", actor=actor, note=seller_note
        )
        case.deadline = deadline
        return _close(case, RecertificationCase.State.SUSPENDED, actor, note)


def recertification_case_revoke(*, case_id: int, actor: Actor, note: str) -> RecertificationCase:
    note = _required(note)
    with transaction.atomic():
        case = _open_case(case_id, actor)
        application_transition(
            application_id=case.application_id, action="revoke", actor=actor, note=note
        )
        return _close(case, RecertificationCase.State.REVOKED, actor, note)


def recertification_suspension_deadline(*, application_id: int) -> datetime.date | None:
    case = (
        RecertificationCase.objects.filter(
            application_id=application_id, state=RecertificationCase.State.SUSPENDED
        )
        .order_by("-opened_at")
        .first()
    )
    return case.deadline if case else None


def owner_language(application_id: int) -> str:
    language = (
        Membership.objects.filter(
            company__applications__pk=application_id, role=Membership.Role.OWNER
        )
        .values_list("language", flat=True)
        .first()
    )
    return language or settings.LANGUAGE_CODE


def _required(note: str) -> str:
    note = note.strip()
    if not note:
        raise ApplicationError(
            gettext("Write a note explaining this decision."), code="note_required", field="note"
        )
    return note


def _open_case(case_id: int, actor: Actor) -> RecertificationCase:
    if not actor.is_reviewer:
        raise ApplicationError(
            gettext("Only reviewers can settle re-certification cases."), code="role_not_allowed"
        )
    case = RecertificationCase.objects.select_for_update().get(pk=case_id)
    if case.state not in (RecertificationCase.State.OPEN, RecertificationCase.State.SUSPENDED):
        raise ApplicationError(
            gettext("This re-certification case is closed already (%(state)s).")
            % {"state": case.get_state_display()},
            code="case_closed",
        )
    return case


def _close(case: RecertificationCase, state: str, actor: Actor | None, note: str):
    case.state = state
    case.resolution = note
    case.resolved_by = actor.user if actor else None
    case.resolved_at = timezone.now()
    case.save(update_fields=["state", "deadline", "resolution", "resolved_by", "resolved_at"])
    logger.info("re-certification case %s is %s", case.pk, state)
    return case
