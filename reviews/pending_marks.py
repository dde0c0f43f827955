"""Pending trademarks, monthly: a mark counts while pending for six months only.

For every application still in the program whose trademark the seller gave as pending, the
local registry data (``manage.py import_registry``) is asked first. A mark registered since is
recorded as registered, with a history line. A mark still pending more than six months after
it was filed (the registry's filing date, else the application's submission) no longer
counts, and ``PENDING_MARK_ACTIONS`` says what follows for every status, none left out:

- an open application, a waiting one or a decision not yet released to the seller goes back
  to the seller (the workflow's ``return_pending_mark``, by the system, with a note in the
  owner's language); one with the seller already (changes requested) is told the same once;
- an admitted brand gets a failed finding in this month's re-certification run, so reviewers
  settle it as a re-certification case (clear, suspend with a deadline, or revoke); a
  suspended one's finding joins the case it is suspended under;
- a draft is the seller's own until submitted, and a closed application is over: nothing.
"""

import calendar
import datetime
import logging

from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from brandprogram.errors import ApplicationError
from brandprogram.phrases import Date, Phrase, in_english
from reviews.checks.base import APPLICATION_DATA
from reviews.models import RegistryMark
from reviews.recertification import (
    RECERTIFICATION_SERVICE,
    owner_language,
    recertification_finding_add,
)
from reviews.registry.base import NoRegistryData, RegistryRecord
from reviews.registry.local import LocalRegistry
from sellers.models import Application, ApplicationEvent, Status, Trademark
from sellers.services.trademarks import trademark_registered_record
from sellers.workflow.transition import application_transition

logger = logging.getLogger(__name__)

PENDING_MARK = "pending_trademark"
PENDING_MARK_TITLE = _("Trademark pending more than six months")
PENDING_MONTHS = 6
RETURN, CASE, NOTHING = "return", "case", "nothing"
PENDING_MARK_ACTIONS = {
    Status.DRAFT: NOTHING,
    Status.SUBMITTED: RETURN,
    Status.SCREENING: RETURN,
    Status.AWAITING_REVIEW: RETURN,
    Status.IN_REVIEW: RETURN,
    Status.PROPOSED: RETURN,
    Status.CHANGES_REQUESTED: RETURN,
    Status.WAITLISTED: RETURN,
    Status.STAGED_APPROVED: RETURN,
    Status.STAGED_WAITLISTED: RETURN,
    Status.APPROVED: CASE,
    Status.SUSPENDED: CASE,
    Status.STAGED_REJECTED: NOTHING,
    Status.REJECTED: NOTHING,
    Status.WITHDRAWN: NOTHING,
    Status.REVOKED: NOTHING,
}


def pending_marks_review(*, today: datetime.date | None = None) -> dict[str, list[int]]:
    """Returns the application ids upgraded, returned and given a case, by what was done."""
    today = today or timezone.localdate()
    cutoff = months_before(today, PENDING_MONTHS)
    done = {"registered": [], "returned": [], "case": []}
    applications = (
        Application.objects.filter(
            status__in=[status for status, act in PENDING_MARK_ACTIONS.items() if act != NOTHING],
            trademark__registration_status=Trademark.RegistrationStatus.PENDING,
        )
        .select_related("trademark")
        .order_by("pk")
    )
    for application in applications:
        record = _registry_record(application.trademark)
        if record is not None and record.status_state == RegistryMark.State.REGISTERED:
            if trademark_registered_record(
                trademark_id=application.trademark_id,
                actor=RECERTIFICATION_SERVICE,
                note=_registered_note(application, record),
                expires_on=record.expires_on,
            ):
                done["registered"].append(application.pk)
            continue
        filed = _pending_since(application, record)
        if filed is None or filed >= cutoff:
            continue
        if PENDING_MARK_ACTIONS[application.status] == RETURN:
            if _returned_already(application):
                continue
            try:
                _return(application, filed)
            except ApplicationError as exc:
                # A reviewer moved it meanwhile: next month's run looks again.
                logger.info("application %s not returned: %s", application.pk, exc)
                continue
            done["returned"].append(application.pk)
        elif recertification_finding_add(
            application_id=application.pk,
            code=PENDING_MARK,
            finding=_finding(application.trademark, filed, record),
            today=today,
        ):
            done["case"].append(application.pk)
    logger.info("pending marks reviewed: %s", {key: len(ids) for key, ids in done.items()})
    return done


def months_before(day: datetime.date, months: int) -> datetime.date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return datetime.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _returned_already(application: Application) -> bool:
    """Returned for its pending mark since the seller last submitted it: the seller knows."""
    if application.status != Status.CHANGES_REQUESTED:
        return False
    returns = ApplicationEvent.objects.filter(application=application, action="return_pending_mark")
    if application.submitted_at is not None:
        returns = returns.filter(created_at__gte=application.submitted_at)
    return returns.exists()


def _registry_record(trademark: Trademark) -> RegistryRecord | None:
    try:
        return LocalRegistry(trademark.office).lookup(trademark.number)
    except NoRegistryData:
        return None


def _pending_since(application: Application, record: RegistryRecord | None):
    if record is not None and record.filing_date is not None:
        return record.filing_date
    submitted = application.submitted_at
    return timezone.localdate(submitted) if submitted else None


def _registered_note(application: Application, record: RegistryRecord) -> str:
    # The note is shown to the seller, so it speaks the owner's language.
    with translation.override(owner_language(application.pk)):
        words = {
            "mark": f"{record.office} {record.number or record.serial}",
            "source": str(record.source_phrase or record.source),
        }
        if record.registration_date is None:
            return gettext("The office registered the mark %(mark)s (%(source)s).") % words
        return gettext("The office registered the mark %(mark)s on %(day)s (%(source)s).") % (
            words | {"day": f"{record.registration_date:%Y-%m-%d}"}
        )


def _return(application: Application, filed: datetime.date) -> None:
    # The note is mailed and shown to the seller, so it speaks the owner's language.
    with translation.override(owner_language(application.pk)):
        note = gettext(
            "The trademark %(mark)s has been pending since %(filed)s, more than six months, "
            "and is still not registered. A pending mark counts for six months only: resubmit "
            "with the registration once the office registers it, or with a registered mark."
        ) % {"mark": application.trademark, "filed": f"{filed:%Y-%m-%d}"}
    application_transition(
        application_id=application.pk,
        action="return_pending_mark",
        actor=RECERTIFICATION_SERVICE,
        note=note,
    )


def _finding(trademark: Trademark, filed: datetime.date, record) -> dict:
    """Stored as the checks' findings are (reviews.screening.runner.result_fields)."""
    words = Phrase(
        gettext_noop(
            "The trademark %(mark)s has been pending since %(day)s, more than six months, and "
            "is not registered; a pending mark counts for six months only."
        ),
        mark=str(trademark),
        day=Date(filed),
    )
    return {
        "outcome": "fail",
        "score": 100,
        "explanation": in_english([words]),
        "explanation_phrases": [words.to_json()],
        "evidence": record.as_evidence() if record else {},
        "flags": [],
        "source": record.source if record else in_english([APPLICATION_DATA]),
        "source_phrase": {} if record else APPLICATION_DATA.to_json(),
        "data_version": record.data_version if record else "",
        "checked_at": timezone.now().isoformat(),
    }
