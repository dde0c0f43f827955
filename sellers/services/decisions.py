"""Reviewer decisions that are more than one transition: returning an application with the
evidence that needs attention, and releasing staged decisions.
"""

from collections.abc import Sequence

from django.db import transaction
from django.utils.translation import gettext

from brandprogram.errors import ApplicationError
from sellers.actors import Actor
from sellers.models import Application, Evidence, RequestedEvidence
from sellers.workflow.transition import application_transition


def changes_request(
    *,
    actor: Actor,
    application_id: int,
    note: str,
    evidence_kinds: list[str],
    internal_note: str = "",
    reasons: Sequence[str] = (),
) -> Application:
    """Return the application to the seller, naming the evidence kinds that need attention."""
    unknown = sorted(set(evidence_kinds) - set(Evidence.Kind.values))
    if unknown:
        raise ApplicationError(
            gettext("Unknown evidence kind “%(kind)s”.") % {"kind": unknown[0]},
            code="unknown_kind",
            field="evidence_kinds",
        )
    with transaction.atomic():
        application = application_transition(
            application_id=application_id,
            action="request_changes",
            actor=actor,
            note=note,
            internal_note=internal_note,
            reasons=reasons,
        )
        event = application.events.filter(action="request_changes").latest("created_at", "pk")
        RequestedEvidence.objects.bulk_create(
            RequestedEvidence(event=event, kind=kind)
            for kind in Evidence.Kind.values
            if kind in evidence_kinds
        )
    return application


def decisions_release(*, actor: Actor, application_ids: Sequence[int]) -> list[Application]:
    """Tell the sellers of staged decisions what was decided, one application at a time.

    Each release commits on its own: one that is no longer staged (the seller withdrew it
    meanwhile) is refused by the workflow and does not hold back the others.
    """
    released = []
    existing = Application.objects.filter(pk__in=application_ids).order_by("pk")
    for application_id in existing.values_list("pk", flat=True):
        try:
            released.append(
                application_transition(
                    application_id=application_id, action="release_decision", actor=actor
                )
            )
        except ApplicationError as exc:
            if exc.code == "role_not_allowed":
                raise
    return released
