"""The workflow table, exercised in full: every allowed move, and every forbidden one."""

from contextlib import contextmanager

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from brandprogram.errors import ApplicationError
from sellers.actors import SYSTEM, Role, actor_for_user
from sellers.models import Application, ApplicationEvent, Status
from sellers.signals import application_status_changing
from sellers.workflow.table import SELLER_STATUSES, TRANSITIONS, seller_label
from sellers.workflow.transition import application_transition
from tests.sellers.factories import ApplicationFactory, ProgramFactory

# What someone may ask for; the effects the workflow derives itself have no roles, and a
# transition without a fixed target goes where the decision taken before says (tested apart).
REQUESTABLE = [t for t in TRANSITIONS.values() if t.roles]
ALLOWED = [
    (t.action, source) for t in REQUESTABLE if t.target is not None for source in sorted(t.sources)
]
FORBIDDEN = [
    (t.action, status) for t in REQUESTABLE for status in Status.values if status not in t.sources
]


def _actor_for(transition, *, seller, reviewer, senior_reviewer, manager=None):
    if Role.SYSTEM in transition.roles:
        return SYSTEM
    if Role.SELLER in transition.roles:
        return seller.actor
    if Role.SENIOR_REVIEWER in transition.roles:
        return actor_for_user(senior_reviewer)
    if Role.MANAGER in transition.roles:
        return actor_for_user(manager)
    return actor_for_user(reviewer)


@pytest.mark.parametrize(("action", "source"), ALLOWED)
def test_transition_allowed_moves_status_and_appends_event(
    action,
    source,
    seller_a,
    reviewer,
    other_reviewer,
    senior_reviewer,
):
    transition = TRANSITIONS[action]
    actor = _actor_for(
        transition, seller=seller_a, reviewer=reviewer, senior_reviewer=senior_reviewer
    )
    application = ApplicationFactory(company=seller_a.company, status=source, assignee=actor.user)
    handing_over = {"assignee": other_reviewer} if action in {"assign", "reassign"} else {}

    with _announcements() as announced:
        result = application_transition(
            application_id=application.pk,
            action=action,
            actor=actor,
            note="Reason given.",
            **handing_over,
        )

    application.refresh_from_db()
    assert application.status == transition.target == result.status
    event = ApplicationEvent.objects.get(application=application, action=action)
    assert (event.from_status, event.to_status) == (source, transition.target)
    assert event.seller_visible is transition.seller_visible
    assert event.actor_label == actor.label
    assert event.note == "Reason given."
    assert announced[0] == (action, source, transition.target)


@contextmanager
def _announcements():
    """The status changes announced to the reviewer side while the block runs."""
    announced = []

    def receiver(sender, *, action, from_status, to_status, **kwargs):
        announced.append((action, from_status, to_status))

    application_status_changing.connect(receiver, dispatch_uid="test-announcements")
    try:
        yield announced
    finally:
        application_status_changing.disconnect(dispatch_uid="test-announcements")


@pytest.mark.parametrize(("action", "status"), FORBIDDEN)
def test_transition_from_wrong_status_is_refused_and_changes_nothing(
    action, status, seller_a, reviewer, senior_reviewer, manager
):
    transition = TRANSITIONS[action]
    actor = _actor_for(
        transition,
        seller=seller_a,
        reviewer=reviewer,
        senior_reviewer=senior_reviewer,
        manager=manager,
    )
    application = ApplicationFactory(company=seller_a.company, status=status, assignee=actor.user)

    with pytest.raises(ApplicationError) as refused:
        application_transition(application_id=application.pk, action=action, actor=actor, note="x")

    assert refused.value.code == "transition_not_allowed"
    application.refresh_from_db()
    assert application.status == status
    assert not ApplicationEvent.objects.filter(application=application).exists()


@pytest.mark.parametrize("action", sorted(TRANSITIONS))
def test_transition_by_a_role_not_in_the_table_is_refused(action, seller_b, outsider, reviewer):
    transition = TRANSITIONS[action]
    source = sorted(transition.sources)[0]
    application = ApplicationFactory(status=source)
    # Seller B acts for another company, the outsider for none; a reviewer is no seller.
    intruders = [seller_b.actor, actor_for_user(outsider)]
    if Role.REVIEWER not in transition.roles:
        intruders.append(actor_for_user(reviewer))
    if Role.SYSTEM not in transition.roles:
        intruders.append(SYSTEM)

    for intruder in intruders:
        with pytest.raises(ApplicationError) as refused:
            application_transition(application_id=application.pk, action=action, actor=intruder)
        assert refused.value.code == "role_not_allowed", intruder.label

    application.refresh_from_db()
    assert application.status == source


@pytest.mark.parametrize("action", sorted(t.action for t in TRANSITIONS.values() if not t.roles))
def test_derived_effects_cannot_be_asked_for_even_by_the_assignee(action, reviewer):
    application = ApplicationFactory(
        status=sorted(TRANSITIONS[action].sources)[0], assignee=reviewer
    )
    before = application.status

    with pytest.raises(ApplicationError) as refused:
        application_transition(
            application_id=application.pk, action=action, actor=actor_for_user(reviewer), note="x"
        )

    assert refused.value.code == "role_not_allowed"
    application.refresh_from_db()
    assert application.status == before
    assert not application.events.exists()


def test_decision_by_a_reviewer_who_did_not_claim_is_refused(reviewer, other_reviewer):
    application = ApplicationFactory(in_review=True, assignee=reviewer)

    with pytest.raises(ApplicationError) as refused:
        application_transition(
            application_id=application.pk, action="approve", actor=actor_for_user(other_reviewer)
        )

    assert refused.value.code == "not_assignee"
    application.refresh_from_db()
    assert application.status == Status.IN_REVIEW


@pytest.mark.parametrize("action", ["reject", "request_changes"])
def test_decision_without_a_message_is_refused(action, reviewer):
    application = ApplicationFactory(in_review=True, assignee=reviewer)

    with pytest.raises(ApplicationError) as refused:
        application_transition(
            application_id=application.pk, action=action, actor=actor_for_user(reviewer), note="  "
        )

    assert (refused.value.code, refused.value.field) == ("note_required", "note")


def test_submit_without_evidence_is_refused(seller_a):
    application = ApplicationFactory(company=seller_a.company, with_evidence=False)

    with pytest.raises(ApplicationError) as refused:
        application_transition(application_id=application.pk, action="submit", actor=seller_a.actor)

    assert refused.value.code == "evidence_missing"
    application.refresh_from_db()
    assert application.status == Status.DRAFT


def test_submit_records_submission_time(seller_a):
    application = ApplicationFactory(company=seller_a.company)

    application_transition(application_id=application.pk, action="submit", actor=seller_a.actor)

    application.refresh_from_db()
    assert application.submitted_at is not None


def test_a_row_the_caller_locked_changes_without_being_read_or_locked_again(seller_a):
    application = ApplicationFactory(company=seller_a.company)
    application_transition(application_id=application.pk, action="submit", actor=seller_a.actor)

    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        locked = (
            Application.objects.select_for_update(of=("self",))
            .select_related("program", "brand", "trademark")
            .get(pk=application.pk)
        )
        application_transition(
            application_id=application.pk, action="start_screening", actor=SYSTEM, locked=locked
        )

    statements = [query["sql"] for query in queries.captured_queries]
    application.refresh_from_db()
    # The caller's read, and the savepoint of its own transaction inside the test's: none more.
    assert sum(sql.startswith('SELECT "sellers_application"') for sql in statements) == 1
    assert sum(sql.startswith("SAVEPOINT") for sql in statements) == 1
    assert application.status == Status.SCREENING
    assert list(application.events.values_list("action", flat=True)) == [
        "submit",
        "start_screening",
    ]


def test_claim_assigns_the_reviewer_and_release_clears_it(reviewer):
    application = ApplicationFactory(awaiting_review=True)
    actor = actor_for_user(reviewer)

    application_transition(application_id=application.pk, action="claim", actor=actor)
    application.refresh_from_db()
    assert (application.status, application.assignee) == (Status.IN_REVIEW, reviewer)

    application_transition(application_id=application.pk, action="release", actor=actor)
    application.refresh_from_db()
    assert (application.status, application.assignee) == (Status.AWAITING_REVIEW, None)


def test_approval_when_the_program_is_full_waitlists_instead(reviewer):
    program = ProgramFactory(slug="tiny", name="Tiny program", capacity=1)
    ApplicationFactory(program=program, approved=True)
    application = ApplicationFactory(program=program, in_review=True, assignee=reviewer)

    application_transition(
        application_id=application.pk, action="approve", actor=actor_for_user(reviewer)
    )

    application.refresh_from_db()
    assert application.status == Status.WAITLISTED
    assert application.events.get().action == "waitlist"


def test_unknown_action_is_refused(seller_a):
    application = ApplicationFactory(company=seller_a.company)

    with pytest.raises(ApplicationError) as refused:
        application_transition(application_id=application.pk, action="teleport", actor=SYSTEM)

    assert refused.value.code == "unknown_action"


def test_sellers_see_one_label_for_every_internal_review_state():
    internal = [
        Status.SUBMITTED, Status.SCREENING, Status.AWAITING_REVIEW, Status.IN_REVIEW,
        Status.PROPOSED, Status.STAGED_APPROVED, Status.STAGED_WAITLISTED, Status.STAGED_REJECTED,
    ]  # fmt: skip

    assert {seller_label(status) for status in internal} == {"Under review"}
    assert set(SELLER_STATUSES) == set(Status)


def test_events_cannot_be_edited_or_deleted(seller_a):
    application = ApplicationFactory(company=seller_a.company)
    application_transition(application_id=application.pk, action="submit", actor=seller_a.actor)
    event = application.events.get()

    event.note = "rewritten"
    with pytest.raises(ValueError, match="append-only"):
        event.save()
    with pytest.raises(ValueError, match="append-only"):
        event.delete()
    assert application.events.get().note == ""
