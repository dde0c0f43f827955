"""Conflicts of interest, and the decisions a reviewer may not take: refused, nothing changed."""

import pytest
from django.urls import reverse

from brandprogram.errors import ApplicationError
from reviews import queues
from reviews.models import QueueItem, ReviewQueue
from reviews.services import conflict_declare, conflict_withdraw
from sellers.actors import actor_for_user
from sellers.models import Application, ApplicationEvent, ConflictOfInterest, Status
from sellers.services.decisions import changes_request
from sellers.workflow.transition import application_transition
from tests.pages import logged_in, messages_on, page_text
from tests.reviews.factories import ReviewQueueFactory
from tests.reviews.queues.queue_support import screened
from tests.sellers.factories import ApplicationFactory, ReviewerFactory


def _state(application) -> tuple:
    application = Application.objects.get(pk=application.pk)
    return (
        application.status,
        application.assignee_id,
        application.decided_at,
        ApplicationEvent.objects.filter(application=application).count(),
    )


@pytest.fixture
def conflicted(reviewer, seller_a):
    """Ana declared that she used to work for seller A."""
    conflict_declare(
        actor=actor_for_user(reviewer), company=seller_a.company, reason="Worked there until 2025"
    )
    return actor_for_user(reviewer)


def test_actor_knows_the_companies_a_reviewer_is_conflicted_with(conflicted, seller_a):
    assert conflicted.conflicted_company_ids == {seller_a.company.pk}


@pytest.mark.parametrize(
    ("action", "status"),
    [
        ("claim", Status.AWAITING_REVIEW),
        ("approve", Status.IN_REVIEW),
        ("reject", Status.IN_REVIEW),
        ("request_changes", Status.IN_REVIEW),
        ("release", Status.IN_REVIEW),
        ("rescreen", Status.AWAITING_REVIEW),
    ],
)
def test_workflow_refuses_a_conflicted_reviewer_and_changes_nothing(
    action, status, conflicted, reviewer, seller_a
):
    application = ApplicationFactory(company=seller_a.company, status=status, assignee=reviewer)
    before = _state(application)

    with pytest.raises(ApplicationError) as refused:
        application_transition(
            application_id=application.pk, action=action, actor=conflicted, note="A reason."
        )

    assert (refused.value.code, refused.value.message) == (
        "conflict_of_interest",
        f"You declared a conflict of interest with {seller_a.company.legal_name}, so you "
        "cannot act on its applications.",
    )
    assert _state(application) == before


def test_assigning_to_a_conflicted_reviewer_is_refused(conflicted, reviewer, manager, seller_a):
    ReviewQueueFactory(members=[reviewer], assignment_mode=ReviewQueue.AssignmentMode.MANUAL)
    application = screened(company=seller_a.company)
    before = _state(application)

    with pytest.raises(ApplicationError) as refused:
        queues.queue_item_assign(
            item_id=QueueItem.objects.get().pk, assignee=reviewer, actor=actor_for_user(manager)
        )

    assert (refused.value.code, refused.value.message) == (
        "conflict_of_interest",
        f"{reviewer.username} declared a conflict of interest with this company.",
    )
    assert _state(application) == before


def test_claim_next_skips_the_conflicted_company(conflicted, reviewer, seller_a, seller_b):
    queue = ReviewQueueFactory(members=[reviewer])
    own = screened(company=seller_a.company, brand__name="CONFLICTED")
    other = screened(company=seller_b.company, brand__name="FREE")

    claimed = queues.queue_item_claim_next(queue_id=queue.pk, actor=conflicted)
    nothing_left = queues.queue_item_claim_next(queue_id=queue.pk, actor=conflicted)

    assert (claimed.pk, nothing_left) == (other.pk, None)
    own.refresh_from_db()
    assert (own.status, own.assignee) == (Status.AWAITING_REVIEW, None)


def test_automatic_assignment_skips_the_conflicted_member(
    conflicted, reviewer, other_reviewer, seller_a, django_capture_on_commit_callbacks
):
    ReviewQueueFactory(
        members=[reviewer, other_reviewer],
        assignment_mode=ReviewQueue.AssignmentMode.AUTOMATIC,
    )

    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            screened(company=seller_a.company)

    assert set(Application.objects.values_list("assignee", flat=True)) == {other_reviewer.pk}


def test_conflicted_application_is_not_found_in_the_workspace_nor_listed(
    conflicted, reviewer, seller_a, seller_b
):
    ReviewQueueFactory(members=[reviewer])
    hidden = screened(company=seller_a.company, brand__name="HIDDENBRAND")
    screened(company=seller_b.company, brand__name="VISIBLEBRAND")
    unqueued = ApplicationFactory(
        company=seller_a.company, awaiting_review=True, brand__name="UNQUEUEDHIDDEN"
    )
    client = logged_in(reviewer)

    queue_page = page_text(client.get(reverse("reviews:queue")))
    answers = [
        client.get(reverse("reviews:workspace", args=[hidden.pk])).status_code,
        client.post(reverse("reviews:claim", args=[unqueued.pk])).status_code,
        client.get(
            reverse("reviews:evidence_preview", args=[hidden.evidence.get().pk])
        ).status_code,
    ]

    assert "VISIBLEBRAND" in queue_page
    assert "HIDDENBRAND" not in queue_page
    assert "UNQUEUEDHIDDEN" not in queue_page
    assert seller_a.company.legal_name not in queue_page
    assert answers == [404, 404, 404]
    unqueued.refresh_from_db()
    assert unqueued.status == Status.AWAITING_REVIEW


def test_declaring_a_conflict_releases_what_the_reviewer_holds(reviewer, seller_a):
    ReviewQueueFactory(members=[reviewer])
    application = screened(company=seller_a.company)
    actor = actor_for_user(reviewer)
    queues.queue_item_claim_next(queue_id=QueueItem.objects.get().queue_id, actor=actor)

    conflict_declare(actor=actor, company=seller_a.company, reason="My brother-in-law owns it")

    application.refresh_from_db()
    assert (application.status, application.assignee) == (Status.AWAITING_REVIEW, None)
    assert QueueItem.objects.get().assignee is None
    assert application.events.last().action == "release"


def test_declaring_twice_is_refused_and_withdrawing_lifts_the_conflict(reviewer, seller_a):
    actor = actor_for_user(reviewer)
    first = conflict_declare(actor=actor, company=seller_a.company, reason="Shareholder")

    with pytest.raises(ApplicationError) as refused:
        conflict_declare(actor=actor, company=seller_a.company, reason="Again")
    conflict_withdraw(conflict=first, actor=actor)

    assert refused.value.message == (
        f"You have already declared a link to {seller_a.company.legal_name}."
    )
    assert ConflictOfInterest.objects.count() == 1
    assert actor_for_user(reviewer).conflicted_company_ids == frozenset()


def test_reviewer_declares_and_withdraws_on_the_conflicts_page(reviewer, seller_a):
    client = logged_in(reviewer)

    unknown = client.post(
        reverse("reviews:conflicts"), {"company": "No Such Company Ltd", "reason": "x"}
    )
    declared = client.post(
        reverse("reviews:conflicts"),
        {"company": seller_a.company.registration_number, "reason": "Former employer"},
        follow=True,
    )
    conflict = ConflictOfInterest.objects.get()
    withdrawn = client.post(reverse("reviews:conflict_withdraw", args=[conflict.pk]), follow=True)

    assert unknown.context["form"].errors == {
        "company": ["No seller company has that legal name or registration number."]
    }
    assert messages_on(declared) == [
        f"Declared: you will not see applications of {seller_a.company.legal_name}."
    ]
    assert "Former employer" in page_text(declared)
    assert messages_on(withdrawn) == [
        f"Withdrawn: applications of {seller_a.company.legal_name} are visible to you again."
    ]
    conflict.refresh_from_db()
    assert (conflict.reviewer, conflict.reason, conflict.withdrawn_at is not None) == (
        reviewer,
        "Former employer",
        True,
    )


def test_a_reviewer_cannot_withdraw_someone_elses_declaration(reviewer, other_reviewer, seller_a):
    conflict = conflict_declare(
        actor=actor_for_user(other_reviewer), company=seller_a.company, reason="Shareholder"
    )

    response = logged_in(reviewer).post(reverse("reviews:conflict_withdraw", args=[conflict.pk]))

    conflict.refresh_from_db()
    assert (response.status_code, conflict.withdrawn_at) == (404, None)


# The bad-input list of the review decisions: each refused with its message, nothing changed.


def test_deciding_an_application_assigned_to_someone_else_is_refused(reviewer, other_reviewer):
    application = ApplicationFactory(in_review=True, assignee=other_reviewer)
    before = _state(application)

    with pytest.raises(ApplicationError) as refused:
        changes_request(
            actor=actor_for_user(reviewer),
            application_id=application.pk,
            note="Please send the licence.",
            evidence_kinds=["business_licence"],
        )

    assert (refused.value.code, refused.value.message) == (
        "not_assignee",
        "Only the reviewer who claimed this application can do that.",
    )
    assert _state(application) == before


@pytest.mark.parametrize("status", [Status.AWAITING_REVIEW, Status.APPROVED, Status.WITHDRAWN])
def test_deciding_in_the_wrong_state_is_refused(status, reviewer):
    application = ApplicationFactory(status=status, assignee=reviewer)
    before = _state(application)

    with pytest.raises(ApplicationError) as refused:
        application_transition(
            application_id=application.pk, action="approve", actor=actor_for_user(reviewer)
        )

    assert (refused.value.code, refused.value.message) == (
        "transition_not_allowed",
        f"Cannot approve while the application is “{Status(status).label}”.",
    )
    assert _state(application) == before


def test_deciding_in_the_workspace_for_a_conflicted_company_finds_nothing(
    reviewer, seller_a, conflicted
):
    application = ApplicationFactory(company=seller_a.company, in_review=True, assignee=reviewer)
    before = _state(application)

    response = logged_in(reviewer).post(
        reverse("reviews:workspace", args=[application.pk]),
        {"action": "approve", "message": "Fine."},
    )

    assert response.status_code == 404
    assert _state(application) == before


def test_reassigning_by_a_queue_member_who_is_no_lead_changes_nothing(reviewer, other_reviewer):
    lead = ReviewerFactory(username="lea.lead@brand-program.example")
    queue = ReviewQueueFactory(members=[reviewer, other_reviewer], leads=[lead])
    application = screened()
    queues.queue_item_claim_next(queue_id=queue.pk, actor=actor_for_user(reviewer))
    before = _state(application)

    with pytest.raises(ApplicationError) as refused:
        queues.queue_item_assign(
            item_id=QueueItem.objects.get().pk,
            assignee=other_reviewer,
            actor=actor_for_user(other_reviewer),
        )

    assert (
        refused.value.message
        == "Only a lead of “Lighting” or a program manager can assign its items."
    )
    assert _state(application) == before
