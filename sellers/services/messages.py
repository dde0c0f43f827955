"""The conversation of an application: a seller's member (or a partner acting for the seller) and
the reviewers write to each other, with files; the other side hears of it, and the timeline
shows it. Writing changes no status: a seller answers a change request here without
resubmitting.
"""

import uuid
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext, ngettext

from brandprogram.errors import ApplicationError
from sellers.access import Door, may_see
from sellers.actors import Actor
from sellers.models import (
    Application,
    ApplicationMessage,
    Membership,
    MessageAttachment,
    Status,
)
from sellers.models.message import MESSAGE_ACTIONS
from sellers.services.events import application_event_record, written_language
from sellers.services.evidence import EXTENSIONS, check_quota
from sellers.services.notifications import notifications_send
from sellers.signals import application_message_posted
from sellers.validators import inspect_evidence_file
from sellers.webhooks.deliveries import webhook_message_deliveries_record

MAX_BODY_CHARACTERS = 5000
MAX_ATTACHMENTS = 5

Side = ApplicationMessage.Side


def application_message_post(
    *,
    actor: Actor,
    application_id: int,
    body: str,
    attachments: Sequence[UploadedFile] = (),
    submission_key: uuid.UUID | None = None,
    language: str | None = None,
) -> ApplicationMessage:
    """Add a message to the application's conversation and tell the other side.

    ``language`` is the one the author writes in, by default the active one. The same
    ``submission_key`` twice (a form sent twice) returns the first message instead of a second.
    """
    if submission_key is not None and actor.user is not None:
        done = ApplicationMessage.objects.filter(
            submission_key=submission_key, application_id=application_id, author=actor.user
        ).first()
        if done is not None:
            return done
    body = _checked_body(body)
    inspected = _checked_attachments(attachments)
    try:
        with transaction.atomic():
            return _post(
                actor,
                application_id,
                body,
                inspected,
                submission_key=submission_key or uuid.uuid4(),
                language=written_language(language),
            )
    except IntegrityError:
        if submission_key is None:
            raise
        # The same form sent twice at once: the other request stored it.
        return ApplicationMessage.objects.get(
            submission_key=submission_key, application_id=application_id
        )


def _post(actor, application_id, body, inspected, *, submission_key, language):
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("brand")
        .get(pk=application_id)
    )
    side = _side(actor, application)
    if application.status == Status.DRAFT:
        raise ApplicationError(
            gettext(
                "The conversation with the review team opens once the application is submitted."
            ),
            code="not_submitted",
        )
    if side == Side.SELLER and inspected:
        try:
            check_quota(application.company_id, sum(info.size for _upload, info in inspected))
        except ValidationError as exc:
            raise ValidationError({"attachments": exc.message_dict["file"]}) from None
    event = application_event_record(
        application, actor, MESSAGE_ACTIONS[side], body, language=language
    )
    message = ApplicationMessage.objects.create(
        application=application,
        author=actor.user,
        author_label=actor.label,
        side=side,
        body=body,
        language=language,
        event=event,
        submission_key=submission_key,
    )
    attachment_ids = []
    for upload, info in inspected:
        attachment = MessageAttachment(
            message=message,
            original_name=upload.name[:255],
            sha256=info.sha256,
            size=info.size,
            detected_type=info.detected_type,
        )
        # Stored under a random name: the sender's file name is kept only as data.
        attachment.file.save(
            f"{uuid.uuid4().hex}.{EXTENSIONS[info.detected_type]}", upload, save=False
        )
        attachment.save()
        attachment_ids.append(attachment.pk)
    if side == Side.REVIEWER:
        # Every member's inbox, then their mail once this commits; and the seller's systems,
        # by the webhook outbox written in this same transaction. With files, the event waits
        # for their malware scan (application_message_posted starts it), so that every file
        # it names can be downloaded when it arrives.
        notifications_send(event=event)
        if not attachment_ids:
            webhook_message_deliveries_record(application_id=application.pk, message_id=message.pk)
    application_message_posted.send(
        sender=ApplicationMessage,
        message_id=message.pk,
        application_id=application.pk,
        side=side,
        attachment_ids=attachment_ids,
    )
    return message


def _side(actor: Actor, application: Application) -> str:
    """Which side the actor writes for, or why they may not write here."""
    company_id = application.company_id
    if actor.acts_for(company_id):
        # The actor was read at the start of the request; a member removed since then is out.
        if actor.user is not None and not (
            Membership.objects.filter(user=actor.user, company_id=company_id).exists()
        ):
            raise ApplicationError(
                gettext("You are no longer a member of this company."), code="not_a_member"
            )
        return Side.SELLER
    if actor.is_reviewer:
        if not may_see(actor, company_id, doors=Door.STAFF):
            raise ApplicationError(
                gettext(
                    "You declared a conflict of interest with this company, so you cannot write "
                    "to it."
                ),
                code="conflict_of_interest",
            )
        return Side.REVIEWER
    raise ApplicationError(gettext("You do not act for this company."), code="not_your_company")


def _checked_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError(
            {"body": [gettext("Write a message: it cannot be empty.")]}, code="required"
        )
    if len(body) > MAX_BODY_CHARACTERS:
        raise ValidationError(
            {
                "body": [
                    gettext(
                        "A message may be at most %(limit)s characters long; this one has "
                        "%(length)s."
                    )
                    % {"limit": MAX_BODY_CHARACTERS, "length": len(body)}
                ]
            },
            code="max_length",
        )
    if "\x00" in body:
        # PostgreSQL cannot store it, and no keyboard types it.
        raise ValidationError(
            {"body": [gettext("The message contains a null character; remove it.")]},
            code="null_characters",
        )
    return body


def _checked_attachments(attachments: Sequence[UploadedFile]) -> list:
    """Each file checked as evidence is, before anything is stored: the type read from its
    bytes (PDF, JPEG, PNG or WebP), its size, and no file that opens as two things."""
    if len(attachments) > MAX_ATTACHMENTS:
        raise ValidationError(
            {
                "attachments": [
                    ngettext(
                        "Attach at most %(limit)s file to a message.",
                        "Attach at most %(limit)s files to a message.",
                        MAX_ATTACHMENTS,
                    )
                    % {"limit": MAX_ATTACHMENTS}
                ]
            }
        )
    inspected, errors = [], []
    for upload in attachments:
        try:
            inspected.append((upload, inspect_evidence_file(upload)))
        except ValidationError as exc:
            errors += exc.messages
    if errors:
        raise ValidationError({"attachments": errors})
    return inspected
