"""Requesting changes with the evidence kinds that need attention."""

import pytest

from brandprogram.errors import ApplicationError
from sellers.actors import actor_for_user
from sellers.models import RequestedEvidence, Status
from sellers.services.decisions import changes_request
from tests.sellers.factories import ApplicationFactory


def test_changes_request_refuses_an_unknown_evidence_kind_and_keeps_the_status(reviewer):
    application = ApplicationFactory(in_review=True, assignee=reviewer)

    with pytest.raises(ApplicationError) as refused:
        changes_request(
            actor=actor_for_user(reviewer),
            application_id=application.pk,
            note="Please send a newer audit.",
            evidence_kinds=["passport"],
        )

    application.refresh_from_db()
    assert (refused.value.code, refused.value.field) == ("unknown_kind", "evidence_kinds")
    assert application.status == Status.IN_REVIEW
    assert RequestedEvidence.objects.count() == 0
