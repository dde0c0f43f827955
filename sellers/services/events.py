"""History lines that are no status change: what sellers did to a draft, what staff did
behind the scenes, and the screening verdict stored on the application.
"""

from django.conf import settings
from django.utils import translation

from brandprogram.phrases import Phrase, in_english
from sellers.actors import Actor
from sellers.models import Application, ApplicationEvent


def event_note(note: str | Phrase, language: str | None = None) -> tuple[str, list[dict], str]:
    """(``note``, ``note_phrases``, ``note_language``) of an event: a phrase the service wrote
    is kept as such, with its English beside it; a person's words are kept as they wrote them,
    with the language they wrote in (``language``, by default the one active for them)."""
    if isinstance(note, Phrase):
        return in_english([note]), [note.to_json()], ""
    if not note.strip():
        return note, [], ""
    return note, [], written_language(language)


def written_language(language: str | None = None) -> str:
    """``language`` as the service names it, by default the one the person acting now uses."""
    try:
        return translation.get_supported_language_variant(
            language or translation.get_language() or settings.LANGUAGE_CODE
        )
    except LookupError:
        return settings.LANGUAGE_CODE


def application_event_record(
    application,
    actor: Actor,
    action: str,
    note: str | Phrase,
    *,
    seller_visible: bool = True,
    language: str | None = None,
) -> ApplicationEvent:
    note, note_phrases, note_language = event_note(note, language)
    return ApplicationEvent.objects.create(
        application=application,
        actor=actor.user,
        actor_label=actor.label,
        action=action,
        seller_visible=seller_visible,
        note=note,
        note_phrases=note_phrases,
        note_language=note_language,
    )


def application_record_risk_score(*, application_id: int, risk_score: int) -> None:
    """Store the latest screening verdict on the application, for queues and the seller view."""
    Application.objects.filter(pk=application_id).update(risk_score=risk_score)


def application_internal_event_record(
    *, actor: Actor, application_id: int, action: str, note: str | Phrase
) -> ApplicationEvent:
    """Add a line to the history that only staff see (a reviewer re-ran checks, say).

    Called inside the caller's transaction, so the line exists exactly when what it records
    does; it changes no status and notifies nobody.
    """
    note, note_phrases, note_language = event_note(note)
    return ApplicationEvent.objects.create(
        application_id=application_id,
        actor=actor.user,
        actor_label=actor.label,
        action=action,
        seller_visible=False,
        note=note,
        note_phrases=note_phrases,
        note_language=note_language,
    )
