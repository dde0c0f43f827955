"""The conversation of an application as one reader sees it: oldest message first, each with
its files and, when it was written in another language than the reader's, the name of that
language (messages are shown as written, never machine-translated); and whether one of its
files may be handed out."""

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, pgettext_lazy

from brandprogram.errors import ApplicationError
from sellers.models import ApplicationMessage, MessageAttachment

# Names of their own: the language switcher names each language in itself ("English",
# "简体中文"), which is not how a note in Chinese names English.
LANGUAGE_NAMES = {
    "en": pgettext_lazy("the language a message is written in", "English"),
    "zh-hans": pgettext_lazy("the language a message is written in", "Chinese"),
}


def conversation_thread(
    *, application_id: int, reader_side: str, reader_language: str
) -> list[ApplicationMessage]:
    """The messages, each with ``written_in`` (a language name, or "") and ``from_reader_side``
    (written by the reader's own side)."""
    messages = list(
        ApplicationMessage.objects.filter(application_id=application_id)
        .prefetch_related("attachments")
        .order_by("created_at", "pk")
    )
    for message in messages:
        message.written_in = written_in(message.language, reader_language)
        message.from_reader_side = message.side == reader_side
    return messages


def written_in(language: str, reader_language: str) -> str:
    """The name of ``language`` in the reader's language, or "" when the reader uses it."""
    if language == reader_language:
        return ""
    if language in LANGUAGE_NAMES:
        return str(LANGUAGE_NAMES[language])
    return translation.get_language_info(language)["name_translated"]


def attachment_check_servable(attachment: MessageAttachment) -> None:
    """Raise ApplicationError unless the malware scan found the file clean: every door that
    hands out a conversation's file (portal, media host, partner API) asks here first."""
    status = attachment.scan_status
    if status == MessageAttachment.ScanStatus.CLEAN:
        return
    if status == MessageAttachment.ScanStatus.INFECTED:
        raise ApplicationError(
            gettext(
                "Blocked: malware found (%(name)s). The file is kept for the record and is "
                "never handed out; ask the sender for a clean copy."
            )
            % {"name": attachment.scan_finding},
            code="attachment_blocked",
        )
    raise ApplicationError(
        gettext(
            "This file is still being checked for malware; it can be downloaded once the "
            "check finds it clean, usually within a minute."
        ),
        code="attachment_being_checked",
    )


def attachment_api_path(attachment: MessageAttachment) -> str:
    """Where the partner API hands out the file (the API's answers and webhooks link to it)."""
    return reverse(
        "api:application-message-attachment",
        kwargs={
            "pk": attachment.message.application_id,
            "message_id": attachment.message_id,
            "attachment_id": attachment.pk,
        },
    )
