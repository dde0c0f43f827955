"""Evidence files and other uploads: checking, storing under a random name, the company's
storage quota, and taking a file back out of a draft.
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
from django.utils.translation import gettext

from brandprogram.errors import ApplicationError
from brandprogram.queueing import enqueue_after_commit
from sellers.actors import Actor, Role
from sellers.documents.reading import FIELDS_BY_KIND
from sellers.models import (
    Application,
    ApplicationMessage,
    Evidence,
    MessageAttachment,
    SellerCompany,
    Status,
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
    try:
        info = inspect_evidence_file(upload)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from None
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application_id)
        if Role.SELLER not in actor.roles_for(application.company_id):
            raise ApplicationError(
                gettext("You do not act for this company."), code="not_your_company"
            )
        if application.status not in EDITABLE_STATUSES:
            raise ApplicationError(
                gettext(
                    "Evidence can only be added while the application is a draft or changes "
                    "are requested."
                ),
                code="not_editable",
            )
        return evidence_store(application, actor, EvidenceInput(kind, upload), info)


def evidence_store(application, actor, item: EvidenceInput, info) -> Evidence:
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
    application_event_record(
        application,
        actor,
        "evidence_added",
        f"{evidence.get_kind_display()}: {evidence.original_name}",
    )
    return evidence


def check_quota(company_id: int, size: int) -> None:
    # Locking the company row serialises its uploads, so two at once cannot both squeeze in.
    SellerCompany.objects.select_for_update().filter(pk=company_id).first()
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
                        "(%(size)s) does not fit. Remove files you no longer need."
                    )
                    % {
                        "used": filesizeformat(used),
                        "quota": filesizeformat(quota),
                        "size": filesizeformat(size),
                    }
                ]
            }
        )


def evidence_remove(*, actor: Actor, application_id: int, evidence_id: int) -> None:
    """Take a file back out of a draft; the timeline keeps a line saying which one it was."""
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application_id)
        if Role.SELLER not in actor.roles_for(application.company_id):
            raise ApplicationError(
                gettext("You do not act for this company."), code="not_your_company"
            )
        if application.status != Status.DRAFT:
            raise ApplicationError(
                gettext("Evidence can only be removed while the application is a draft."),
                code="not_editable",
            )
        evidence = Evidence.objects.filter(application=application, pk=evidence_id).first()
        if evidence is None:
            raise ApplicationError(
                gettext("This application has no such evidence."), code="no_evidence"
            )
        storage, name = evidence.file.storage, evidence.file.name
        evidence.delete()
        application.save(update_fields=["updated_at"])
        application_event_record(
            application,
            actor,
            "evidence_removed",
            f"{evidence.get_kind_display()}: {evidence.original_name}",
        )
        # The file goes only once the row is gone for good, never while a rollback could
        # still bring the row back.
        transaction.on_commit(lambda: storage.delete(name))


def upload_store(field, upload: UploadedFile, field_name: str):
    """Check and save an upload under a random name; its hash and detected type are returned."""
    try:
        info = inspect_evidence_file(upload)
    except ValidationError as exc:
        raise ValidationError({field_name: exc.messages}) from None
    field.save(f"{uuid.uuid4().hex}.{EXTENSIONS[info.detected_type]}", upload, save=False)
    return info


def certificate_as_evidence(application: Application, actor: Actor, mark: Trademark) -> None:
    """File the trademark step's certificate with the evidence, where reviewers and the
    checklist look, so the seller is not asked for it twice."""
    with mark.certificate.open("rb") as handle:
        extension = mark.certificate.name.rsplit(".", 1)[-1]
        upload = File(handle, name=f"{mark.office} {mark.number} certificate.{extension}")
        upload.size = mark.certificate.size
        info = inspect_evidence_file(upload)
        if application.evidence.filter(sha256=info.sha256).exists():
            return
        evidence_store(
            application,
            actor,
            EvidenceInput(Evidence.Kind.TRADEMARK_CERTIFICATE, upload),
            info,
        )
