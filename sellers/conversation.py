"""The conversation of an application as one reader sees it: oldest message first, each with
its files and, when it was written in another language than the reader's, the name of that
language (messages are shown as written, never machine-translated)."""

from django.utils import translation
from django.utils.translation import pgettext_lazy

from sellers.models import ApplicationMessage

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
