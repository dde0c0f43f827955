"""Writes about trademarks verified by hand in an office's public search, one function per use
case. Reading the verification back into the registry check is reviews.registry.hand."""

import uuid
from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from brandprogram.errors import ApplicationError
from brandprogram.phrases import Date, Items, Phrase
from reviews.checks import trademark_registry
from reviews.models import RegistryVerification, ScreeningRun
from reviews.screening.runs import screening_rerun_request
from sellers.access import Door, may_see
from sellers.actors import Actor
from sellers.models import Application, Status
from sellers.services.events import application_internal_event_record
from sellers.validators import (
    inspect_evidence_file,
    normalize_nice_classes,
    normalize_trademark_number,
    sniff_type,
)

# A capture is a screenshot or a printed page of the register.
CAPTURE_TYPES = {"image/png": "png", "image/jpeg": "jpg", "application/pdf": "pdf"}
# While the application waits for a decision the screening finding is brought up to date; an
# admitted or suspended brand's verification is read by its next re-certification.
RERUN_STATUSES = (Status.AWAITING_REVIEW, Status.IN_REVIEW)
VERIFIABLE_STATUSES = (*RERUN_STATUSES, Status.APPROVED, Status.SUSPENDED)


def registry_verification_record(
    *,
    actor: Actor,
    application_id: int,
    number: str,
    mark_words: str,
    figurative: bool,
    owner_name: str,
    nice_classes: list[int],
    status: str,
    valid_until: date | None,
    search_url: str,
    capture: UploadedFile,
    note: str = "",
    submission_key: uuid.UUID | None = None,
) -> RegistryVerification:
    """Record what a reviewer read on the register for the application's trademark, and run
    the registry check again so its finding reads the verification at once.

    The same ``submission_key`` twice (a double submit) returns the first verification.
    """
    if not actor.is_reviewer:
        raise ApplicationError(
            gettext("Only reviewers can verify trademarks."), code="role_not_allowed"
        )
    if submission_key is not None:
        done = RegistryVerification.objects.filter(submission_key=submission_key).first()
        if done is not None:
            return done
    fields = _checked_fields(
        mark_words=mark_words,
        figurative=figurative,
        owner_name=owner_name,
        nice_classes=nice_classes,
        status=status,
        valid_until=valid_until,
        capture=capture,
    )
    try:
        with transaction.atomic():
            return _record(
                actor,
                application_id,
                number,
                fields
                | {
                    "search_url": search_url,
                    "note": note.strip(),
                    "submission_key": submission_key or uuid.uuid4(),
                },
                capture,
            )
    except IntegrityError:
        if submission_key is None:
            raise
        # The same form sent twice at once: the other request stored it.
        return RegistryVerification.objects.get(submission_key=submission_key)


def _checked_fields(
    *, mark_words, figurative, owner_name, nice_classes, status, valid_until, capture
) -> dict:
    errors: dict[str, list[str]] = {}
    mark_words = mark_words.strip()
    if figurative:
        mark_words = ""
    elif not mark_words:
        errors["mark_words"] = [
            gettext("Copy the words of the mark, or tick that it is a logo without words.")
        ]
    owner_name = owner_name.strip()
    if not owner_name:
        errors["owner_name"] = [gettext("Copy the owner's name as the register shows it.")]
    try:
        nice_classes = normalize_nice_classes(nice_classes)
    except ValidationError as exc:
        errors["nice_classes"] = exc.messages
    if status not in RegistryVerification.Status.values:
        errors["status"] = [gettext("Choose the status the register shows.")]
    elif status == RegistryVerification.Status.REGISTERED:
        if valid_until is None:
            errors["valid_until"] = [
                gettext("Give the date the registration is valid until, as the register shows.")
            ]
        elif valid_until < timezone.localdate():
            errors["valid_until"] = [
                gettext(
                    "A registration valid until %(date)s has run out: record it as dead, or "
                    "correct the date."
                )
                % {"date": f"{valid_until:%Y-%m-%d}"}
            ]
    # Narrower than the evidence sellers upload: a capture is a screenshot or a printed page.
    detected = sniff_type(capture)
    if detected not in CAPTURE_TYPES:
        errors["capture"] = [
            gettext("%(name)s is %(type)s; upload the capture as a PNG, JPEG or PDF file.")
            % {"name": capture.name, "type": detected}
        ]
    else:
        try:
            info = inspect_evidence_file(capture)
        except ValidationError as exc:
            errors["capture"] = exc.messages
    if errors:
        raise ValidationError(errors)
    return {
        "mark_words": mark_words,
        "figurative": figurative,
        "owner_name": owner_name,
        "nice_classes": nice_classes,
        "status": status,
        "valid_until": valid_until,
        "capture_name": capture.name[:255],
        "capture_type": info.detected_type,
        "capture_sha256": info.sha256,
        "capture_size": info.size,
    }


def _record(
    actor: Actor, application_id: int, number: str, fields: dict, capture: UploadedFile
) -> RegistryVerification:
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("trademark")
        .get(pk=application_id)
    )
    if not may_see(actor, application.company_id, doors=Door.STAFF):
        raise ApplicationError(
            gettext("You declared a conflict of interest with this company."),
            code="conflict_of_interest",
        )
    if application.status not in VERIFIABLE_STATUSES:
        raise ApplicationError(
            gettext(
                "A trademark is verified by hand while its application waits for or is in "
                "review, or while the brand is in the program."
            ),
            code="transition_not_allowed",
        )
    if application.status == Status.IN_REVIEW and application.assignee_id != actor.user_id:
        raise ApplicationError(
            gettext("Only the reviewer who claimed this application can do that."),
            code="not_assignee",
        )
    mark = application.trademark
    checked = _checked_number(mark.office, number)
    if checked != _checked_number(mark.office, mark.number):
        raise ApplicationError(
            gettext(
                "The seller's trademark is %(office)s %(number)s; verify that number (%(typed)s "
                "was typed)."
            )
            % {"office": mark.office, "number": mark.display_number, "typed": number},
            code="other_number",
            field="number",
        )
    verification = RegistryVerification(
        trademark=mark,
        application=application,
        office=mark.office,
        number=checked,
        verified_by=actor.user,
        **fields,
    )
    stored_name = f"{uuid.uuid4().hex}.{CAPTURE_TYPES[fields['capture_type']]}"
    verification.capture.save(stored_name, capture, save=False)
    verification.save()
    application_internal_event_record(
        actor=actor,
        application_id=application.pk,
        action="registry_verified_by_hand",
        note=_history_note(verification),
    )
    if _rerun_owed(application, actor):
        screening_rerun_request(
            application_id=application.pk, actor=actor, check_code=trademark_registry.CODE
        )
    return verification


def _checked_number(office: str, number: str) -> str:
    try:
        return normalize_trademark_number(office, number)
    except ValidationError as exc:
        raise ValidationError({"number": exc.messages}) from None


def _rerun_owed(application: Application, actor: Actor) -> bool:
    if application.status not in RERUN_STATUSES:
        return False
    run = (
        ScreeningRun.objects.filter(
            application_id=application.pk, state=ScreeningRun.State.COMPLETED
        )
        .order_by("-started_at", "-pk")
        .first()
    )
    return run is not None and trademark_registry.CODE in run.check_codes


def _history_note(verification: RegistryVerification) -> Phrase:
    found = {
        "office": verification.office,
        "number": verification.number,
        "url": verification.search_url,
        "words": Phrase(gettext_noop("a logo without words"))
        if verification.figurative
        else f"“{verification.mark_words}”",
        "owner": verification.owner_name,
        "classes": Items(verification.nice_classes),
        "status": Phrase.label(RegistryVerification.Status(verification.status).label),
    }
    if verification.valid_until is None:
        return Phrase(
            gettext_noop(
                "%(office)s %(number)s looked up in %(url)s: %(words)s, owner %(owner)s, "
                "classes %(classes)s, %(status)s."
            ),
            **found,
        )
    return Phrase(
        gettext_noop(
            "%(office)s %(number)s looked up in %(url)s: %(words)s, owner %(owner)s, classes "
            "%(classes)s, %(status)s, valid until %(day)s."
        ),
        day=Date(verification.valid_until),
        **found,
    )
