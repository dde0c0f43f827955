"""Evidence files and other uploads: checking, storing under a random name, the company's
storage quota, and replacing or removing a file while the seller may still edit.

A file is never deleted: one replaced or removed stays, withdrawn, for the history.
"""

import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Sum
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from brandprogram.errors import ApplicationError
from brandprogram.phrases import Phrase
from brandprogram.queueing import enqueue_after_commit
from sellers.actors import Actor, Role
from sellers.documents.reading import FIELDS_BY_KIND
from sellers.models import (
    Application,
    ApplicationMessage,
    Evidence,
    MessageAttachment,
    SellerCompany,
    Trademark,
)
from sellers.services.events import application_event_record
from sellers.validators import inspect_evidence_file
from sellers.workflow.table import EDITABLE_STATUSES

EXTENSIONS = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
}


@dataclass(frozen=True)
class EvidenceInput:
    kind: str
    upload: UploadedFile


def evidence_add(*, actor: Actor, application_id: int, kind: str, upload: UploadedFile) -> Evidence:
    if kind not in Evidence.Kind.values:
        raise ValidationError(
            {"kind": [gettext("Unknown evidence kind “%(kind)s”.") % {"kind": kind}]}
        )
    info = _inspect(upload)
    with transaction.atomic():
        application = _editable_application(
            actor,
            application_id,
            gettext(
                "Evidence can only be added while the application is a draft or changes "
                "are requested."
            ),
        )
        return evidence_store(application, actor, EvidenceInput(kind, upload), info)


def evidence_store(application, actor, item: EvidenceInput, info) -> Evidence:
    evidence = _store(application, actor, item, info)
    application_event_record(application, actor, "evidence_added", _file_note(evidence))
    return evidence


def _file_note(evidence: Evidence) -> Phrase:
    """The history's line about a file: a phrase, so that the kind of document reads in each
    reader's language (the seller who uploads may write Chinese, the reviewer read English)."""
    return Phrase(
        gettext_noop("%(kind)s: %(name)s"),
        kind=Evidence.Kind(evidence.kind).label,
        name=evidence.original_name,
    )


def _store(application, actor, item: EvidenceInput, info) -> Evidence:
    check_quota(application.company_id, info.size)
    # Stored under a random name: the uploader's file name is kept only as data.
    stored_name = f"{uuid.uuid4().hex}.{EXTENSIONS[info.detected_type]}"
    evidence = Evidence(
        application=application,
        kind=item.kind,
        original_name=item.upload.name[:255],
        sha256=info.sha256,
        size=info.size,
        detected_type=info.detected_type,
        uploaded_by=actor.user,
    )
    evidence.file.save(stored_name, item.upload, save=False)
    evidence.save()
    if evidence.kind in FIELDS_BY_KIND:
        enqueue_after_commit("sellers.tasks.evidence_read", evidence_id=evidence.pk)
    return evidence


def _inspect(upload: UploadedFile):
    try:
        return inspect_evidence_file(upload)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from None


def _editable_application(actor: Actor, application_id: int, refusal: str) -> Application:
    """The application, locked until the caller's transaction ends, if ``actor`` may change
    its evidence now. The lock makes a second click wait for the first and then see its
    result, so the two cannot both act."""
    application = Application.objects.select_for_update().get(pk=application_id)
    if Role.SELLER not in actor.roles_for(application.company_id):
        raise ApplicationError(gettext("You do not act for this company."), code="not_your_company")
    if application.status not in EDITABLE_STATUSES:
        raise ApplicationError(refusal, code="not_editable")
    return application


def _evidence_of(application: Application, evidence_id: int) -> Evidence:
    evidence = (
        Evidence.objects.filter(application=application, pk=evidence_id)
        .select_related("replaced_by")
        .first()
    )
    if evidence is None:
        raise ApplicationError(
            gettext("This application has no such evidence."), code="no_evidence"
        )
    return evidence


def check_quota(company_id: int, size: int) -> None:
    # Locking the company row serialises its uploads, so two at once cannot both squeeze in.
    SellerCompany.objects.select_for_update().filter(pk=company_id).first()
    # Replaced and removed files count too: they stay on disk for the history.
    evidence = Evidence.objects.filter(application__company_id=company_id)
    # What the seller sent in the conversation counts too; the reviewers' files do not.
    sent = MessageAttachment.objects.filter(
        message__application__company_id=company_id, message__side=ApplicationMessage.Side.SELLER
    )
    used = sum(rows.aggregate(total=Sum("size"))["total"] or 0 for rows in (evidence, sent))
    quota = settings.COMPANY_STORAGE_QUOTA_BYTES
    if used + size > quota:
        raise ValidationError(
            {
                "file": [
                    gettext(
                        "Your company's files already use %(used)s of its %(quota)s; this file "
                        "(%(size)s) does not fit. Files replaced or removed count too, since "
                        "they are kept in the history: ask the program team for more room."
                    )
                    % {
                        "used": filesizeformat(used),
                        "quota": filesizeformat(quota),
                        "size": filesizeformat(size),
                    }
                ]
            }
        )


def _withdraw(evidence: Evidence, actor: Actor, replaced_by: Evidence | None = None) -> None:
    evidence.withdrawn_at = timezone.now()
    evidence.withdrawn_by = actor.user
    evidence.withdrawn_by_label = actor.label
    evidence.replaced_by = replaced_by
    evidence.save(
        update_fields=["withdrawn_at", "withdrawn_by", "withdrawn_by_label", "replaced_by"]
    )


def evidence_replace(
    *, actor: Actor, application_id: int, evidence_id: int, upload: UploadedFile
) -> Evidence:
    """Put a new file in the place of a current one, of the same kind; the old one is kept,
    withdrawn and linked to its replacement. Returns the replacement.

    Sending the same replacement twice (a double click, a retried request) replaces once and
    returns the file the first one stored.
    """
    # Checked before anything is locked or changed: a refused file leaves the old one current.
    info = _inspect(upload)
    with transaction.atomic():
        application = _editable_application(
            actor,
            application_id,
            gettext(
                "Evidence can only be replaced while the application is a draft or changes "
                "are requested."
            ),
        )
        old = _evidence_of(application, evidence_id)
        if old.replaced_by is not None and old.replaced_by.sha256 == info.sha256:
            return old.replaced_by
        if old.replaced_by is not None:
            raise ApplicationError(
                gettext("“%(old)s” was already replaced by “%(new)s”; replace that file instead.")
                % {"old": old.original_name, "new": old.replaced_by.original_name},
                code="already_replaced",
            )
        if old.withdrawn_at is not None:
            raise ApplicationError(
                gettext("“%(old)s” was removed; add the new file instead of replacing it.")
                % {"old": old.original_name},
                code="already_withdrawn",
            )
        if old.sha256 == info.sha256:
            raise ValidationError(
                {
                    "file": [
                        gettext("This file is the same as “%(old)s”; choose the corrected file.")
                        % {"old": old.original_name}
                    ]
                }
            )
        new = _store(application, actor, EvidenceInput(old.kind, upload), info)
        _withdraw(old, actor, replaced_by=new)
        application.save(update_fields=["updated_at"])
        application_event_record(
            application,
            actor,
            "evidence_replaced",
            Phrase(
                gettext_noop("%(kind)s: %(old)s → %(new)s"),
                kind=Evidence.Kind(old.kind).label,
                old=old.original_name,
                new=new.original_name,
            ),
        )
        return new


def evidence_remove(*, actor: Actor, application_id: int, evidence_id: int) -> Evidence:
    """Take a file out of the application; the row and the file stay, withdrawn, for the
    history. Removing a file already withdrawn changes nothing, so a second click is harmless.
    """
    with transaction.atomic():
        application = _editable_application(
            actor,
            application_id,
            gettext(
                "Evidence can only be removed while the application is a draft or changes "
                "are requested."
            ),
        )
        evidence = _evidence_of(application, evidence_id)
        if evidence.withdrawn_at is not None:
            return evidence
        _withdraw(evidence, actor)
        application.save(update_fields=["updated_at"])
        application_event_record(application, actor, "evidence_removed", _file_note(evidence))
        return evidence


def upload_store(field, upload: UploadedFile, field_name: str):
    """Check and save an upload under a random name; its hash and detected type are returned."""
    try:
        info = inspect_evidence_file(upload)
    except ValidationError as exc:
        raise ValidationError({field_name: exc.messages}) from None
    field.save(f"{uuid.uuid4().hex}.{EXTENSIONS[info.detected_type]}", upload, save=False)
    return info


def stored_type(name: str) -> str | None:
    """The type a file stored by ``upload_store`` was found to be, from the extension it was
    stored with; None for a file stored any other way, which no upload check passed."""
    extension = name.rsplit(".", 1)[-1].lower()
    return next((kind for kind, known in EXTENSIONS.items() if known == extension), None)


def certificate_as_evidence(application: Application, actor: Actor, mark: Trademark) -> None:
    """File the trademark step's certificate with the evidence, where reviewers and the
    checklist look, so the seller is not asked for it twice."""
    with mark.certificate.open("rb") as handle:
        extension = mark.certificate.name.rsplit(".", 1)[-1]
        upload = File(handle, name=f"{mark.office} {mark.number} certificate.{extension}")
        upload.size = mark.certificate.size
        info = inspect_evidence_file(upload)
        if application.evidence.current().filter(sha256=info.sha256).exists():
            return
        evidence_store(
            application,
            actor,
            EvidenceInput(Evidence.Kind.TRADEMARK_CERTIFICATE, upload),
            info,
        )
