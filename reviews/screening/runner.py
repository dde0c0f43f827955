"""The one check runner: runs a check module on an application and turns whatever happens
into a finding. Screening and re-certification both run their checks through it."""

import logging
import time

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db.models import Prefetch, prefetch_related_objects
from django.utils.translation import gettext_noop as _

from brandprogram.phrases import Phrase
from reviews.checks import check_for_code
from reviews.checks.base import Finding, TransientCheckError
from sellers.models import Application, Category
from sellers.selectors import prefetch_current_evidence

logger = logging.getLogger(__name__)

# How much longer than its soft limit a check may run before the worker kills it.
HARD_LIMIT_MARGIN_SECONDS = 15


def check_time_limits() -> dict:
    """The time limits (``apply_async``'s) of a task that runs checks."""
    soft_limit = settings.SCREENING_CHECK_SOFT_TIME_LIMIT
    return {"soft_time_limit": soft_limit, "time_limit": soft_limit + HARD_LIMIT_MARGIN_SECONDS}


def load_application(application_id: int) -> Application:
    """The application with everything the checks read, in as few queries as possible."""
    return (
        Application.objects.select_related("company", "trademark", "brand")
        .prefetch_related(*_checks_prefetches())
        .get(pk=application_id)
    )


def complete_for_checks(application: Application) -> Application:
    """``load_application`` for an application already read with its company, trademark and
    brand: only the rest is read."""
    prefetch_related_objects([application], *_checks_prefetches())
    return application


def _checks_prefetches() -> tuple:
    return (
        "categories",
        prefetch_current_evidence(),
        # With their parents: seller_eligibility counts the company's main categories.
        Prefetch("company__main_categories", Category.objects.select_related("parent")),
    )


def result_fields(finding: Finding, started: float) -> dict:
    """A finding as stored, timed from ``started`` (a ``time.monotonic()`` reading)."""
    return {
        "outcome": finding.outcome,
        "score": finding.score,
        "explanation": finding.explanation,
        "explanation_phrases": [phrase.to_json() for phrase in finding.phrases],
        "evidence": finding.evidence,
        "flags": list(finding.flags),
        "source": finding.source_text,
        "source_phrase": {} if isinstance(finding.source, str) else finding.source.to_json(),
        "data_version": finding.data_version,
        "duration_ms": round((time.monotonic() - started) * 1000),
    }


def run_one_check(
    application: Application, check_code: str, *, last_attempt: bool, own_task: bool = True
) -> Finding:
    """Run a check; raises TransientCheckError only while ``last_attempt`` is False.

    Without ``own_task`` the check shares its task with others, so the task's soft time limit
    running out is not this check's overrun: SoftTimeLimitExceeded is raised for the caller
    to give the check a task of its own.
    """
    try:
        return check_for_code(check_code).run(application)
    except TransientCheckError as exc:
        if not last_attempt:
            raise
        return Finding(
            "unverifiable",
            Phrase(
                _(
                    "The source this check relies on kept failing, so the check could not be "
                    "completed: %(fault)s"
                ),
                # The fault as the source or our code worded it, for whoever fixes the setup.
                fault=str(exc),
            ),
        )
    except SoftTimeLimitExceeded:
        if not own_task:
            raise
        return Finding(
            "unverifiable",
            Phrase(
                _("The check did not finish within %(seconds)s s."),
                seconds=settings.SCREENING_CHECK_SOFT_TIME_LIMIT,
            ),
        )
    except Exception as exc:  # a broken check must not stop the run
        logger.exception("check %s failed on application %s", check_code, application.pk)
        return Finding(
            "error", Phrase(_("The check could not run: %(fault)s."), fault=type(exc).__name__)
        )
