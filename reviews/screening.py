"""Screening: run every check on a submitted application, store the findings, route it."""

import logging
import time
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from reviews.checks import CHECKS
from reviews.checks.base import Finding
from reviews.models import CheckResult, ScreeningRun
from sellers.actors import SYSTEM
from sellers.models import Application, Status
from sellers.services import application_record_risk_score
from sellers.workflow import application_transition

logger = logging.getLogger(__name__)


def screening_start(*, application_id: int) -> ScreeningRun | None:
    """Open a run for an application waiting to be screened; None when there is nothing to do.

    A message delivered twice, or a sweep racing a worker, finds the application already
    screening and leaves it alone, unless that run has been silent long enough to be presumed
    dead (its worker was killed), in which case it is abandoned and a new run starts.
    """
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application_id)
        if application.status == Status.SUBMITTED:
            application_transition(
                application_id=application_id, action="start_screening", actor=SYSTEM
            )
        elif application.status == Status.SCREENING:
            stale_before = timezone.now() - timedelta(seconds=settings.SCREENING_STALE_SECONDS)
            abandoned = ScreeningRun.objects.filter(
                application_id=application_id,
                state=ScreeningRun.State.RUNNING,
                started_at__lt=stale_before,
            ).update(state=ScreeningRun.State.ABANDONED, finished_at=timezone.now())
            if not abandoned:
                return None
        else:
            return None
        try:
            with transaction.atomic():
                return ScreeningRun.objects.create(application_id=application_id)
        except IntegrityError:
            return None


def screening_execute(*, run: ScreeningRun) -> ScreeningRun:
    application = (
        Application.objects.select_related("company", "trademark", "brand")
        .prefetch_related("categories")
        .get(pk=run.application_id)
    )
    findings: dict[str, Finding] = {}
    for check in CHECKS:
        started = time.monotonic()
        try:
            finding = check.run(application)
        except Exception as exc:  # a broken check must not stop the others
            logger.exception("check %s failed on application %s", check.CODE, application.pk)
            finding = Finding("error", f"The check could not run: {type(exc).__name__}.")
        findings[check.CODE] = finding
        CheckResult.objects.update_or_create(
            run=run,
            check_code=check.CODE,
            defaults={
                "outcome": finding.outcome,
                "score": finding.score,
                "explanation": finding.explanation,
                "evidence": finding.evidence,
                "source": finding.source,
                "data_version": finding.data_version,
                "duration_ms": round((time.monotonic() - started) * 1000),
            },
        )
    return screening_finish(run=run, findings=findings)


def screening_finish(*, run: ScreeningRun, findings: dict[str, Finding]) -> ScreeningRun:
    risk_score = min(100, sum(finding.score for finding in findings.values()))
    summary = ", ".join(f"{code}: {finding.outcome}" for code, finding in findings.items())
    with transaction.atomic():
        updated = ScreeningRun.objects.filter(pk=run.pk, state=ScreeningRun.State.RUNNING).update(
            state=ScreeningRun.State.COMPLETED, risk_score=risk_score, finished_at=timezone.now()
        )
        if not updated:
            # The sweep abandoned this run meanwhile and a newer one owns the application.
            return run
        status = Application.objects.select_for_update().values_list("status", flat=True)
        if status.get(pk=run.application_id) != Status.SCREENING:
            # Withdrawn while the checks ran: keep the findings, leave the status alone.
            return run
        application_record_risk_score(application_id=run.application_id, risk_score=risk_score)
        application_transition(
            application_id=run.application_id,
            action="finish_screening",
            actor=SYSTEM,
            note=f"Risk score {risk_score} ({summary}).",
        )
    run.refresh_from_db()
    return run


def screening_stale_application_ids() -> list[int]:
    stale_before = timezone.now() - timedelta(seconds=settings.SCREENING_STALE_SECONDS)
    return list(
        Application.objects.filter(
            status__in=(Status.SUBMITTED, Status.SCREENING), updated_at__lt=stale_before
        ).values_list("pk", flat=True)
    )
