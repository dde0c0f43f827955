"""Screening runs: opening a run, storing each check's result, scoring and routing the run
once complete, reviewers' re-runs, and resuming runs that went quiet.

The path of a submission:

1. ``screening_request_record`` (``reviews.screening.outbox``) writes a ScreeningRequest inside
   the transaction that moves the application to "submitted"; after commit it is published.
2. The published task (``screening_open_and_check``) calls ``screening_start``, which opens a
   run, and then, in the same task, ``screening_checks_together``; delivered again after its
   worker was lost, it carries on that run. On one loaded application it runs the quick checks
   itself and stores their results in one insert, and sends each other check (a live
   registry, a document still to be read with OCR) to a task of its own, ``screening_check``.
   A quick check whose source fails for a while, or that the task's time runs out on, gets a
   task of its own too. Each stores at most one result per run and check and then calls
   ``screening_finalise``; the call that finds every result present scores and routes the run,
   once, under the run's row lock.
3. The sweep publishes requests that never reached the broker and re-sends the missing checks
   of runs that went quiet (a worker killed mid-check), each to a task of its own.
"""

import logging
import time
from datetime import timedelta

from celery import current_app
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop
from kombu.exceptions import OperationalError

from brandprogram.errors import ApplicationError
from brandprogram.metrics import observe_screening_check
from brandprogram.phrases import Items, Phrase, explained
from reviews.checks import enabled_checks, is_quick
from reviews.checks.base import MISSING_ESSENTIALS, TransientCheckError
from reviews.models import CheckResult, ReferenceMark, ScreeningRequest, ScreeningRun
from reviews.queues import queue_item_reroute
from reviews.recertification import owner_language
from reviews.screening.runner import (
    check_time_limits,
    complete_for_checks,
    load_application,
    result_fields,
    run_one_check,
)
from reviews.similarity import skeleton, sound_key
from sellers.actors import SYSTEM, Actor
from sellers.models import Application, Status
from sellers.services.events import application_internal_event_record, application_record_risk_score
from sellers.workflow.transition import application_transition

logger = logging.getLogger(__name__)


def screening_start(*, application_id: int) -> ScreeningRun | None:
    """Open a run for an application waiting to be screened; None when there is nothing to do.

    Every open request for the application is settled here: a second delivery, or a sweep
    racing the first one, finds the application no longer "submitted" and opens nothing.
    """
    now = timezone.now()
    with transaction.atomic():
        # Only the application's row is locked, read with what the transition takes from it
        # (program, brand, trademark) and the program brand record needs (company), so the
        # transition neither reads nor locks it again.
        application = (
            Application.objects.select_for_update(of=("self",))
            .select_related("program", "brand", "trademark", "company")
            .get(pk=application_id)
        )
        ScreeningRequest.objects.filter(
            application_id=application_id, handled_at__isnull=True
        ).update(handled_at=now)
        if application.status != Status.SUBMITTED:
            return None
        application_transition(
            application_id=application_id,
            action="start_screening",
            actor=SYSTEM,
            locked=application,
        )
        _program_brand_record(application)
        # The run keeps the application as read here, for its checks to start from.
        return ScreeningRun.objects.create(
            application=application,
            check_codes=[check.CODE for check in enabled_checks()],
            dispatched_at=now,
        )


def screening_open_and_check(*, application_id: int) -> ScreeningRun | None:
    """Open a run and run its quick checks in the same task (``screening_checks_together``);
    None when there is nothing to do.

    The task delivered again after its worker was lost in the middle of the checks finds the
    application being screened: its run carries on at once with the checks that have no result
    yet, rather than waiting for the sweep.
    """
    run = screening_start(application_id=application_id)
    if run is not None:
        screening_checks_together(run_id=run.pk, opened=run)
        return run
    run = (
        ScreeningRun.objects.filter(
            application_id=application_id,
            application__status=Status.SCREENING,
            state=ScreeningRun.State.RUNNING,
        )
        .order_by("-pk")
        .first()
    )
    if run is not None:
        screening_checks_together(run_id=run.pk)
    return run


def _program_brand_record(application: Application) -> None:
    """Later applicants' names are compared with this brand too (brand_similarity)."""
    brand = application.brand
    # One INSERT … ON CONFLICT DO UPDATE on the mark's unique key, rather than a look-up and a
    # write in savepoints.
    ReferenceMark.objects.bulk_create(
        [
            ReferenceMark(
                kind=ReferenceMark.Kind.PROGRAM_BRAND,
                name=brand.name,
                owner=application.company.legal_name,
                source=f"application #{application.pk}",
                list_version="program",
                skeleton=skeleton(brand.name),
                sound_key=sound_key(brand.name),
            )
        ],
        update_conflicts=True,
        unique_fields=["kind", "name", "owner"],
        update_fields=["source", "list_version", "skeleton", "sound_key"],
    )


def screening_dispatch(
    *,
    run: ScreeningRun,
    check_codes: list[str],
    rerun_by_id: int | None = None,
    tried_once: bool = False,
) -> None:
    """One task per check. ``tried_once``: the checks' sources failed once already, so the
    tasks start as their first retry, after the first backoff."""
    check_task = current_app.tasks["reviews.tasks.run_check"]
    retry = {}
    if tried_once:
        retry = {"retries": 1, "countdown": settings.SCREENING_CHECK_RETRY_BACKOFF}
    for code in check_codes:
        check_task.apply_async(
            kwargs={"run_id": run.pk, "check_code": code, "rerun_by_id": rerun_by_id},
            **check_time_limits(),
            **retry,
        )


def screening_checks_together(*, run_id: int, opened: ScreeningRun | None = None) -> None:
    """Run the quick checks of a run in this task, on one loaded application, store their
    results in one insert and finalise once; send every other check to a task of its own.

    ``opened`` is the run as ``screening_start`` just created it in this task, with no result
    yet: neither it nor its application is read again.

    A quick check whose source fails (TransientCheckError) is retried in a task of its own, as
    its first retry. When the task's soft time limit interrupts a check, that check and those
    not run yet get tasks of their own, each with the whole limit: a check that overruns is
    recorded as such only when it overran alone. A redelivered task runs only what has no
    result yet.
    """
    if opened is not None:
        run, done = opened, set()
    else:
        run = ScreeningRun.objects.get(pk=run_id)
        done = set(run.results.values_list("check_code", flat=True))
    if run.state != ScreeningRun.State.RUNNING or done >= set(run.check_codes):
        screening_finalise(run_id=run_id)
        return
    if opened is not None:
        application = complete_for_checks(opened.application)
    else:
        application = load_application(run.application_id)
    checks = {check.CODE: check for check in enabled_checks()}
    waiting = [code for code in run.check_codes if code not in done]
    # A check no longer enabled goes to a task of its own, which records it as an error.
    quick = [code for code in waiting if code in checks and is_quick(checks[code], application)]
    alone = [code for code in waiting if code not in quick]
    if alone:
        screening_dispatch(run=run, check_codes=alone)
    # Without retries, the first attempt is the last: a failing source is recorded here.
    last_attempt = settings.SCREENING_CHECK_MAX_RETRIES == 0
    results, failed, unfinished = [], [], []
    for position, code in enumerate(quick):
        started = time.monotonic()
        try:
            finding = run_one_check(application, code, last_attempt=last_attempt, own_task=False)
        except TransientCheckError as exc:
            logger.info("check %s of run %s retries in a task of its own: %s", code, run_id, exc)
            failed.append(code)
            continue
        except SoftTimeLimitExceeded:
            unfinished = quick[position:]
            logger.warning("run %s ran out of time; %s get tasks of their own", run_id, unfinished)
            break
        observe_screening_check(code, time.monotonic() - started)
        results.append(
            CheckResult(run_id=run_id, check_code=code, **result_fields(finding, started))
        )
    # A redelivered task (its worker died after writing) adds nothing over the rows it finds.
    CheckResult.objects.bulk_create(results, ignore_conflicts=True)
    if failed:
        screening_dispatch(run=run, check_codes=failed, tried_once=True)
    if unfinished:
        screening_dispatch(run=run, check_codes=unfinished)
    screening_finalise(run_id=run_id)


def screening_check(
    *, run_id: int, check_code: str, last_attempt: bool, rerun_by_id: int | None = None
) -> None:
    """Run one check of a run and store its result, unless a result is stored already.

    With ``rerun_by_id`` (a reviewer asked for it) the check runs again on a finished run and
    its result, the run's score and the application's score are replaced.
    Raises TransientCheckError while attempts remain, so the task can retry it later.
    """
    if rerun_by_id is not None:
        _check_again(run_id, check_code, last_attempt=last_attempt, rerun_by_id=rerun_by_id)
        return
    run = ScreeningRun.objects.get(pk=run_id)
    done = CheckResult.objects.filter(run_id=run_id, check_code=check_code).exists()
    if run.state == ScreeningRun.State.RUNNING and not done:
        started = time.monotonic()
        application = load_application(run.application_id)
        finding = run_one_check(application, check_code, last_attempt=last_attempt)
        # A redelivered task (its worker died after writing) finds the row and adds nothing.
        CheckResult.objects.bulk_create(
            [CheckResult(run_id=run_id, check_code=check_code, **result_fields(finding, started))],
            ignore_conflicts=True,
        )
    screening_finalise(run_id=run_id)


def _check_again(run_id: int, check_code: str, *, last_attempt: bool, rerun_by_id: int) -> None:
    run = ScreeningRun.objects.get(pk=run_id)
    started = time.monotonic()
    finding = run_one_check(
        load_application(run.application_id), check_code, last_attempt=last_attempt
    )
    with transaction.atomic():
        run = ScreeningRun.objects.select_for_update().get(pk=run_id)
        CheckResult.objects.update_or_create(
            run=run,
            check_code=check_code,
            defaults=result_fields(finding, started) | {"rerun_by_id": rerun_by_id},
        )
        run.risk_score = min(100, sum(run.results.values_list("score", flat=True)))
        routed_before = run.route
        if run.route != ScreeningRun.Route.RETURNED:
            run.route = _route_for(run.risk_score)
        run.save(update_fields=["risk_score", "route"])
        # The queue item is locked before the application, in the order claim-next takes them.
        if run.route != routed_before:
            queue_item_reroute(application_id=run.application_id)
        application_record_risk_score(application_id=run.application_id, risk_score=run.risk_score)


def _route_for(risk_score: int) -> str:
    if risk_score >= settings.SCREENING_SENIOR_RISK:
        return ScreeningRun.Route.SENIOR
    return ScreeningRun.Route.STANDARD


def screening_rerun_request(
    *, application_id: int, actor: Actor, check_code: str | None = None
) -> list[str]:
    """A reviewer has one check (or, without ``check_code``, every check) of the latest run
    done again, in place: the application stays where it is. Returns the codes sent.

    The request is written to the history in the same transaction, and the checks are sent
    once it commits.
    """
    if not actor.is_reviewer:
        raise ApplicationError(
            gettext("Only reviewers can re-run checks."), code="role_not_allowed"
        )
    with transaction.atomic():
        # Locked so that a claim or a decision cannot slip between the checks below and the
        # history line.
        application = Application.objects.select_for_update().get(pk=application_id)
        if application.status not in (Status.AWAITING_REVIEW, Status.IN_REVIEW):
            raise ApplicationError(
                gettext(
                    "Checks can be re-run only while the application waits for or is in review."
                ),
                code="transition_not_allowed",
            )
        if application.status == Status.IN_REVIEW and application.assignee_id != actor.user_id:
            raise ApplicationError(
                gettext("Only the reviewer who claimed this application can do that."),
                code="not_assignee",
            )
        run = (
            ScreeningRun.objects.filter(
                application_id=application_id, state=ScreeningRun.State.COMPLETED
            )
            .order_by("-started_at", "-pk")
            .first()
        )
        if run is None:
            raise ApplicationError(
                gettext("This application has no finished screening."), code="no_run"
            )
        if check_code is not None and check_code not in run.check_codes:
            raise ApplicationError(
                gettext("There is no check called “%(check)s” in this screening.")
                % {"check": check_code},
                code="unknown_check",
                field="check",
            )
        codes = [check_code] if check_code else list(run.check_codes)
        application_internal_event_record(
            actor=actor,
            application_id=application_id,
            action="rerun_checks",
            note=_rerun_note(run, check_code),
        )
        transaction.on_commit(lambda: _rerun_dispatch(run, codes, actor.user_id))
    return codes


def _rerun_note(run: ScreeningRun, check_code: str | None) -> Phrase:
    if check_code is None:
        return Phrase(
            gettext_noop("Re-ran all %(count)s checks of screening run %(run)s."),
            count=len(run.check_codes),
            run=run.pk,
        )
    return Phrase(
        gettext_noop("Re-ran the check “%(title)s” (%(code)s) of screening run %(run)s."),
        title=_check_title(check_code),
        code=check_code,
        run=run.pk,
    )


def _check_title(code: str) -> Phrase:
    titles = {check.CODE: check.TITLE for check in enabled_checks()}
    return Phrase.label(titles.get(code, code))


def _rerun_dispatch(run: ScreeningRun, codes: list[str], rerun_by_id: int | None) -> None:
    try:
        screening_dispatch(run=run, check_codes=codes, rerun_by_id=rerun_by_id)
    except OperationalError:
        # The history says it was asked for; the reviewer sees no new result and asks again.
        logger.warning("broker unavailable; re-run of %s on run %s not sent", codes, run.pk)


def screening_finalise(*, run_id: int) -> ScreeningRun:
    """Score and route a run once all its checks have a result; otherwise leave it running.

    Several check tasks may finish at the same moment; the run's row lock lets exactly one of
    them see every result and move the application on.
    """
    with transaction.atomic():
        run = ScreeningRun.objects.select_for_update().get(pk=run_id)
        results = {result.check_code: result for result in run.results.all()}
        if run.state != ScreeningRun.State.RUNNING or set(run.check_codes) - results.keys():
            return run
        run.risk_score = min(100, sum(result.score for result in results.values()))
        missing = [
            result
            for result in results.values()
            if result.outcome == CheckResult.Outcome.FAIL and MISSING_ESSENTIALS in result.flags
        ]
        return_incomplete = bool(missing) and settings.SCREENING_RETURN_INCOMPLETE
        run.route = ScreeningRun.Route.RETURNED if return_incomplete else _route_for(run.risk_score)
        run.state = ScreeningRun.State.COMPLETED
        run.finished_at = timezone.now()
        run.save(update_fields=["risk_score", "route", "state", "finished_at"])
        # Locked and read once, with what the transition takes from it, which then neither
        # reads nor locks it again.
        application = (
            Application.objects.select_for_update(of=("self",))
            .select_related("program", "brand", "trademark")
            .get(pk=run.application_id)
        )
        if application.status != Status.SCREENING:
            # Withdrawn while the checks ran: keep the findings, leave the status alone.
            return run
        application_record_risk_score(application_id=run.application_id, risk_score=run.risk_score)
        # The row the transition takes is the one just written, as its own read would be.
        application.risk_score = run.risk_score
        if return_incomplete:
            # The note is mailed and shown to the seller, so it speaks the owner's language.
            with translation.override(owner_language(run.application_id)):
                note = " ".join(
                    explained(result.explanation_phrases, result.explanation) for result in missing
                )
            application_transition(
                application_id=run.application_id,
                action="return_incomplete",
                actor=SYSTEM,
                note=note,
                locked=application,
            )
        else:
            outcomes = dict(CheckResult.Outcome.choices)
            summary = Items(
                Phrase(
                    gettext_noop("%(check)s: %(outcome)s"),
                    check=_check_title(code),
                    outcome=outcomes.get(results[code].outcome, results[code].outcome),
                )
                for code in run.check_codes
            )
            application_transition(
                application_id=run.application_id,
                action="finish_screening",
                actor=SYSTEM,
                note=Phrase(
                    gettext_noop("Risk score %(score)s (%(summary)s); route: %(route)s."),
                    score=run.risk_score,
                    summary=summary,
                    route=ScreeningRun.Route(run.route).label,
                ),
                locked=application,
            )
    return run


def _stalled(started_at, dispatched_at, now) -> bool:
    """Quiet for SCREENING_STALE_SECONDS, and for as long as the run had lasted when its checks
    were last sent. Each resend thus waits twice as long as the one before: a backlog that keeps
    checks queued past the limit gets a few extra copies of them, not one per sweep, which
    would only make the backlog longer."""
    quiet = now - dispatched_at
    return quiet >= timedelta(seconds=settings.SCREENING_STALE_SECONDS) and quiet >= (
        dispatched_at - started_at
    )


def screening_stalled_run_ids() -> list[int]:
    now = timezone.now()
    stale_before = now - timedelta(seconds=settings.SCREENING_STALE_SECONDS)
    quiet_runs = ScreeningRun.objects.filter(
        state=ScreeningRun.State.RUNNING, dispatched_at__lt=stale_before
    ).values_list("pk", "started_at", "dispatched_at")
    return [pk for pk, started_at, sent_at in quiet_runs if _stalled(started_at, sent_at, now)]


def screening_resume(*, run_id: int) -> None:
    """Re-send the checks a quiet run still lacks; finalise it if it lacks none."""
    now = timezone.now()
    run = ScreeningRun.objects.filter(pk=run_id, state=ScreeningRun.State.RUNNING).first()
    if (
        run is None
        or run.dispatched_at is None
        or not _stalled(run.started_at, run.dispatched_at, now)
    ):
        return
    # Claiming the resend with a conditional update keeps two sweeps from both resending.
    claimed = ScreeningRun.objects.filter(
        pk=run_id, state=ScreeningRun.State.RUNNING, dispatched_at=run.dispatched_at
    ).update(dispatched_at=now)
    if not claimed:
        return
    done = set(run.results.values_list("check_code", flat=True))
    missing = [code for code in run.check_codes if code not in done]
    if missing:
        logger.info("run %s resumed: re-sending %s", run_id, ", ".join(missing))
        screening_dispatch(run=run, check_codes=missing)
    else:
        screening_finalise(run_id=run_id)
