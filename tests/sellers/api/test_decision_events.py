"""What the API tells partners about four-eyes and staged decisions: only what took effect."""

from sellers.actors import actor_for_user
from sellers.workflow.transition import application_transition
from tests.sellers.factories import ApplicationFactory, ProgramFactory


def _events(partner_client, application) -> list[tuple]:
    response = partner_client.get(f"/api/v1/applications/{application.pk}/events/")
    assert response.status_code == 200
    return [(e["action"], e["status"], e["note"], e["reasons"]) for e in response.json()]


def _status(partner_client, application) -> str:
    return partner_client.get(f"/api/v1/applications/{application.pk}/").json()["status"]


def test_a_proposed_rejection_is_invisible_until_confirmed_then_shows_its_reasons(
    partner_client, seller_a, reviewer, senior_reviewer
):
    application = ApplicationFactory(company=seller_a.company, in_review=True, assignee=reviewer)
    application_transition(
        application_id=application.pk,
        action="reject",
        actor=actor_for_user(reviewer),
        note="The mark lapsed.",
        internal_note="TSDR status 710.",
        reasons=["trademark_not_registered"],
    )
    assert (_status(partner_client, application), _events(partner_client, application)) == (
        "under_review",
        [],
    )

    application_transition(
        application_id=application.pk, action="confirm", actor=actor_for_user(senior_reviewer)
    )

    assert _status(partner_client, application) == "not_admitted"
    assert _events(partner_client, application) == [
        ("confirm", "not_admitted", "The mark lapsed.", ["trademark_not_registered"])
    ]


def test_a_staged_approval_reads_as_under_review_until_released(
    partner_client, seller_a, reviewer, manager
):
    program = ProgramFactory(slug="staged", name="Staged program", stage_decisions=True)
    application = ApplicationFactory(
        company=seller_a.company, program=program, in_review=True, assignee=reviewer
    )
    application_transition(
        application_id=application.pk, action="approve", actor=actor_for_user(reviewer)
    )
    detail = partner_client.get(f"/api/v1/applications/{application.pk}/").json()
    assert (detail["status"], detail["decided_at"]) == ("under_review", None)
    assert _events(partner_client, application) == []

    application_transition(
        application_id=application.pk, action="release_decision", actor=actor_for_user(manager)
    )

    assert _status(partner_client, application) == "admitted"
    assert _events(partner_client, application) == [("release_decision", "admitted", "", [])]
