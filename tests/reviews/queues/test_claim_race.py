"""Two reviewers press "claim" on the same application at the same moment."""

import threading

import pytest
from django.db import connection

from brandprogram.errors import ApplicationError
from sellers.actors import actor_for_user
from sellers.models import Application, Status
from sellers.workflow.transition import application_transition
from tests.sellers.factories import ApplicationFactory


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("attempt", range(5))
def test_claim_race_has_exactly_one_winner(attempt, reviewer, other_reviewer):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL (make test)")
    application = ApplicationFactory(awaiting_review=True)
    actors = [actor_for_user(reviewer), actor_for_user(other_reviewer)]
    start = threading.Barrier(len(actors))
    outcomes: dict[str, str] = {}

    def claim(actor):
        start.wait()
        try:
            application_transition(application_id=application.pk, action="claim", actor=actor)
            outcomes[actor.label] = "won"
        except ApplicationError as exc:
            outcomes[actor.label] = exc.code
        finally:
            connection.close()

    threads = [threading.Thread(target=claim, args=(actor,)) for actor in actors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes.values()) == ["transition_not_allowed", "won"]
    winner = next(label for label, outcome in outcomes.items() if outcome == "won")
    application = Application.objects.get(pk=application.pk)
    assert application.status == Status.IN_REVIEW
    assert application.assignee.username == winner
    assert list(application.events.values_list("action", flat=True)) == ["claim"]
