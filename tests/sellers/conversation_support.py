"""Applications the conversation tests talk about, brought to their state by the workflow."""

from sellers.actors import SYSTEM, actor_for_user
from sellers.workflow.transition import application_transition
from tests.sellers.factories import ApplicationFactory


def changes_requested(seller, reviewer, note="Attach the factory audit, please.", **fields):
    """Submitted by ``seller``, screened, claimed by ``reviewer`` who requested changes."""
    application = ApplicationFactory(company=seller.company, **fields)
    application_transition(application_id=application.pk, action="submit", actor=seller.actor)
    for action in ("start_screening", "finish_screening"):
        application_transition(application_id=application.pk, action=action, actor=SYSTEM)
    reviewer_actor = actor_for_user(reviewer)
    application_transition(application_id=application.pk, action="claim", actor=reviewer_actor)
    application_transition(
        application_id=application.pk, action="request_changes", actor=reviewer_actor, note=note
    )
    application.refresh_from_db()
    return application
