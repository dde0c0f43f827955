"""Four eyes, staged decisions, escalation and the ranked waiting list, through the workflow."""

import pytest

from brandprogram.errors import ApplicationError
from sellers.actors import actor_for_user
from sellers.models import Application, Notification, SellerCompany, Status
from sellers.services.decisions import changes_request, decisions_release
from sellers.workflow.table import seller_label
from sellers.workflow.transition import application_transition
from tests.sellers.factories import (
    ApplicationFactory,
    CompanyFactory,
    ProgramFactory,
    ReviewerFactory,
)


def _state(application) -> tuple:
    """Everything a refused action must leave as it was."""
    application = Application.objects.get(pk=application.pk)
    return (
        application.status,
        application.assignee_id,
        application.proposed_decision,
        application.proposed_by_id,
        application.decided_at,
        list(application.events.values_list("pk", flat=True)),
    )


def _decide(application, action, user, **kwargs):
    return application_transition(
        application_id=application.pk, action=action, actor=actor_for_user(user), **kwargs
    )


@pytest.fixture
def second_senior(db):
    return ReviewerFactory(username="lea.senior@brand-program.example", senior=True)


@pytest.fixture
def high_risk(settings, seller_a, reviewer):
    settings.SCREENING_SENIOR_RISK = 50
    return ApplicationFactory(
        company=seller_a.company, in_review=True, assignee=reviewer, risk_score=50
    )


def test_approval_below_the_senior_threshold_takes_effect_at_once(settings, reviewer):
    settings.SCREENING_SENIOR_RISK = 50
    application = ApplicationFactory(in_review=True, assignee=reviewer, risk_score=49)

    _decide(application, "approve", reviewer)

    application.refresh_from_db()
    assert application.status == Status.APPROVED
    assert list(application.events.values_list("action", "seller_visible")) == [("approve", True)]


def test_high_risk_approval_is_only_proposed_and_the_seller_hears_nothing(
    high_risk, reviewer, seller_a
):
    _decide(high_risk, "approve", reviewer, note="Welcome aboard.", internal_note="Looked fine.")

    high_risk.refresh_from_db()
    assert (high_risk.status, high_risk.proposed_decision, high_risk.proposed_by) == (
        Status.PROPOSED,
        "approve",
        reviewer,
    )
    assert high_risk.decided_at is None
    event = high_risk.events.get()
    assert (event.action, event.seller_visible, event.note, event.internal_note) == (
        "propose_approval",
        False,
        "Welcome aboard.",
        "Looked fine.",
    )
    assert seller_label(high_risk.status) == "Under review"
    assert not Notification.objects.filter(application=high_risk).exists()


def test_the_proposer_cannot_confirm_their_own_proposal(high_risk, settings):
    proposer = ReviewerFactory(username="pat.senior@brand-program.example", senior=True)
    Application.objects.filter(pk=high_risk.pk).update(assignee=proposer)
    _decide(high_risk, "approve", proposer)
    before = _state(high_risk)

    with pytest.raises(ApplicationError) as refused:
        _decide(high_risk, "confirm", proposer)

    assert refused.value.code == "same_reviewer"
    assert _state(high_risk) == before


def test_a_reviewer_who_is_not_senior_cannot_confirm(high_risk, reviewer, other_reviewer):
    _decide(high_risk, "approve", reviewer)
    before = _state(high_risk)

    for person in (reviewer, other_reviewer):
        with pytest.raises(ApplicationError) as refused:
            _decide(high_risk, "confirm", person)
        assert refused.value.code == "role_not_allowed"

    assert _state(high_risk) == before


def test_a_second_senior_confirms_and_a_second_confirmation_does_not_count(
    high_risk, reviewer, senior_reviewer, second_senior, seller_a
):
    _decide(high_risk, "approve", reviewer, note="Welcome aboard.")

    _decide(high_risk, "confirm", senior_reviewer, note="Agreed.")
    after_first = _state(high_risk)
    for person in (senior_reviewer, second_senior):
        with pytest.raises(ApplicationError) as refused:
            _decide(high_risk, "confirm", person)
        assert refused.value.code == "transition_not_allowed"

    assert _state(high_risk) == after_first
    high_risk.refresh_from_db()
    assert (high_risk.status, high_risk.proposed_decision, high_risk.proposed_by) == (
        Status.APPROVED,
        "",
        None,
    )
    confirm = high_risk.events.get(action="confirm")
    assert (confirm.actor, confirm.to_status, confirm.seller_visible, confirm.note) == (
        senior_reviewer,
        Status.APPROVED,
        True,
        "Welcome aboard.",
    )
    assert confirm.internal_note == "Agreed."
    # The seller is told once, with the proposer's message.
    notification = Notification.objects.get(application=high_risk, user=seller_a.owner)
    assert notification.event == confirm
    assert "Welcome aboard." in notification.body
    assert "Agreed." not in notification.body


def test_every_rejection_needs_confirmation_even_by_a_senior_assignee(
    senior_reviewer, second_senior, seller_a
):
    application = ApplicationFactory(
        company=seller_a.company, in_review=True, assignee=senior_reviewer, risk_score=0
    )

    _decide(
        application, "reject", senior_reviewer, note="Not your mark.", reasons=["owner_mismatch"]
    )
    application.refresh_from_db()
    assert application.status == Status.PROPOSED
    assert not Notification.objects.filter(application=application, user=seller_a.owner).exists()

    _decide(application, "confirm", second_senior)

    application.refresh_from_db()
    assert application.status == Status.REJECTED
    event = application.events.latest("pk")
    assert (event.action, event.note, event.reasons) == (
        "confirm",
        "Not your mark.",
        ["owner_mismatch"],
    )
    body = Notification.objects.get(application=application, user=seller_a.owner).body
    assert "The trademark owner is not the applying company" in body


def test_send_back_returns_the_proposal_to_its_reviewer_with_an_internal_note(
    high_risk, reviewer, senior_reviewer
):
    _decide(high_risk, "approve", reviewer)
    before = _state(high_risk)
    with pytest.raises(ApplicationError) as refused:
        _decide(high_risk, "send_back", senior_reviewer, note=" ")
    assert refused.value.code == "note_required"
    assert _state(high_risk) == before

    _decide(high_risk, "send_back", senior_reviewer, note="Check the authorization chain.")

    high_risk.refresh_from_db()
    assert (high_risk.status, high_risk.assignee, high_risk.proposed_decision) == (
        Status.IN_REVIEW,
        reviewer,
        "",
    )
    event = high_risk.events.latest("pk")
    assert (event.action, event.seller_visible, event.note) == (
        "send_back",
        False,
        "Check the authorization chain.",
    )


def test_unknown_reason_codes_are_refused_and_change_nothing(reviewer):
    application = ApplicationFactory(in_review=True, assignee=reviewer)
    before = _state(application)

    with pytest.raises(ApplicationError) as refused:
        _decide(application, "reject", reviewer, note="No.", reasons=["owner_mismatch", "vibes"])

    assert (refused.value.code, refused.value.field) == ("unknown_reason", "reasons")
    assert _state(application) == before


def test_escalation_hands_the_application_to_senior_reviewers_only(
    reviewer, other_reviewer, senior_reviewer
):
    application = ApplicationFactory(in_review=True, assignee=reviewer)

    _decide(application, "escalate", reviewer, note="Possible counterfeit; need a senior view.")
    application.refresh_from_db()
    assert (application.status, application.assignee) == (Status.AWAITING_REVIEW, None)
    assert application.escalated_at is not None
    before = _state(application)

    with pytest.raises(ApplicationError) as refused:
        _decide(application, "claim", other_reviewer)
    assert refused.value.code == "escalated"
    assert _state(application) == before

    _decide(application, "claim", senior_reviewer)
    application.refresh_from_db()
    assert (application.status, application.assignee) == (Status.IN_REVIEW, senior_reviewer)


# The cap and the waiting list.


@pytest.fixture
def tiny_program(db):
    return ProgramFactory(slug="tiny", name="Tiny program", capacity=1)


def _waitlisted(program, reviewer, **company):
    application = ApplicationFactory(
        program=program,
        company=CompanyFactory(**company),
        in_review=True,
        assignee=reviewer,
        risk_score=10,
    )
    _decide(application, "approve", reviewer)
    application.refresh_from_db()
    return application


def test_waitlisting_stores_an_explained_brand_score(tiny_program, reviewer):
    ApplicationFactory(program=tiny_program, approved=True)

    application = _waitlisted(
        tiny_program,
        reviewer,
        tier=SellerCompany.Tier.GOLD,
        quality_dispute_rate="0.0120",
        infringement_complaints=1,
    )

    assert application.status == Status.WAITLISTED
    # 100 - 10 risk + 20 gold - 12 for 1.2 % disputes - 15 for one complaint
    assert application.brand_score == 83
    assert [(p["part"], p["points"]) for p in application.brand_score_parts] == [
        ("base", 100),
        ("screening_risk", -10),
        ("tier", 20),
        ("dispute_rate", -12),
        ("complaints", -15),
    ]


def test_revocation_admits_the_best_scored_waiting_brand(
    tiny_program, reviewer, senior_reviewer, seller_b
):
    holder = ApplicationFactory(program=tiny_program, approved=True)
    standard = _waitlisted(tiny_program, reviewer)
    gold = _waitlisted(tiny_program, reviewer, tier=SellerCompany.Tier.GOLD)
    complained = _waitlisted(tiny_program, reviewer, infringement_complaints=2)
    assert standard.brand_score < gold.brand_score
    assert complained.brand_score < standard.brand_score

    _decide(holder, "revoke", senior_reviewer, note="Trademark cancelled.")

    statuses = dict(Application.objects.filter(program=tiny_program).values_list("pk", "status"))
    assert statuses == {
        holder.pk: Status.REVOKED,
        gold.pk: Status.APPROVED,
        standard.pk: Status.WAITLISTED,
        complained.pk: Status.WAITLISTED,
    }
    admission = gold.events.latest("pk")
    assert (admission.action, admission.actor, admission.actor_label, admission.seller_visible) == (
        "admit_from_waitlist",
        None,
        "Program capacity",
        True,
    )


def test_withdrawing_a_staged_approval_frees_its_place_for_a_staged_waitlisting(
    tiny_program, reviewer, seller_a
):
    tiny_program.stage_decisions = True
    tiny_program.save()
    first = ApplicationFactory(
        company=seller_a.company, program=tiny_program, in_review=True, assignee=reviewer
    )
    _decide(first, "approve", reviewer)
    second = _waitlisted(tiny_program, reviewer)
    first.refresh_from_db()
    assert (first.status, second.status) == (Status.STAGED_APPROVED, Status.STAGED_WAITLISTED)

    application_transition(application_id=first.pk, action="withdraw", actor=seller_a.actor)

    second.refresh_from_db()
    assert second.status == Status.STAGED_APPROVED
    admission = second.events.latest("pk")
    assert (admission.action, admission.seller_visible) == ("admit_staged", False)


# Staged decisions.


@pytest.fixture
def staged_program(db):
    return ProgramFactory(slug="staged", name="Staged program", capacity=1, stage_decisions=True)


def test_staged_decisions_hold_places_and_stay_hidden_until_a_manager_releases_them(
    staged_program, reviewer, senior_reviewer, manager, seller_a, seller_b
):
    admitted = ApplicationFactory(
        company=seller_a.company, program=staged_program, in_review=True,
        assignee=reviewer, risk_score=5,
    )  # fmt: skip
    rejected = ApplicationFactory(
        company=seller_b.company, program=staged_program, in_review=True,
        assignee=reviewer, risk_score=5,
    )  # fmt: skip
    _decide(admitted, "approve", reviewer, note="Welcome.")
    _decide(rejected, "reject", reviewer, note="Mark lapsed.", reasons=["trademark_not_registered"])
    _decide(rejected, "confirm", senior_reviewer)
    waiting = _waitlisted(staged_program, reviewer)

    statuses = [Application.objects.get(pk=a.pk).status for a in (admitted, rejected, waiting)]
    assert statuses == [Status.STAGED_APPROVED, Status.STAGED_REJECTED, Status.STAGED_WAITLISTED]
    assert {seller_label(status) for status in statuses} == {"Under review"}
    # Only the senior reviewers who may confirm the rejection heard of it.
    assert not Notification.objects.filter(user__in=[seller_a.owner, seller_b.owner]).exists()
    assert not admitted.events.filter(seller_visible=True).exists()
    # Nothing a seller can read (the API shows the decision time) says a decision was taken.
    assert not Application.objects.filter(decided_at__isnull=False).exists()

    released = decisions_release(
        actor=actor_for_user(manager), application_ids=[admitted.pk, rejected.pk]
    )

    assert sorted(a.status for a in released) == [Status.APPROVED, Status.REJECTED]
    assert Application.objects.get(pk=waiting.pk).status == Status.STAGED_WAITLISTED
    release = rejected.events.latest("pk")
    assert (release.action, release.actor, release.to_status, release.seller_visible) == (
        "release_decision",
        manager,
        Status.REJECTED,
        True,
    )
    assert (release.note, release.reasons) == ("Mark lapsed.", ["trademark_not_registered"])
    decided_at = Application.objects.get(pk=rejected.pk).decided_at
    assert decided_at is not None
    assert decided_at <= release.created_at
    assert Notification.objects.get(user=seller_a.owner).event == admitted.events.latest("pk")
    assert "Mark lapsed." in Notification.objects.get(user=seller_b.owner).body


def test_only_managers_release_staged_decisions(staged_program, reviewer, senior_reviewer):
    application = ApplicationFactory(
        program=staged_program, in_review=True, assignee=reviewer, risk_score=5
    )
    _decide(application, "approve", reviewer)
    before = _state(application)

    for person in (reviewer, senior_reviewer):
        with pytest.raises(ApplicationError) as refused:
            decisions_release(actor=actor_for_user(person), application_ids=[application.pk])
        assert refused.value.code == "role_not_allowed"

    assert _state(application) == before
    assert not Notification.objects.exists()


def test_releasing_skips_what_is_no_longer_staged(staged_program, reviewer, manager):
    application = ApplicationFactory(
        program=staged_program, in_review=True, assignee=reviewer, risk_score=5
    )
    _decide(application, "approve", reviewer)
    manager_actor = actor_for_user(manager)
    decisions_release(actor=manager_actor, application_ids=[application.pk])
    events = application.events.count()

    again = decisions_release(actor=manager_actor, application_ids=[application.pk, 999_999])

    assert again == []
    assert application.events.count() == events


def test_withdrawing_a_proposal_clears_it_and_nobody_can_confirm_it_afterwards(
    high_risk, reviewer, senior_reviewer, seller_a
):
    _decide(high_risk, "approve", reviewer)

    application_transition(application_id=high_risk.pk, action="withdraw", actor=seller_a.actor)
    high_risk.refresh_from_db()
    assert (high_risk.status, high_risk.proposed_decision, high_risk.proposed_by) == (
        Status.WITHDRAWN,
        "",
        None,
    )
    before = _state(high_risk)

    with pytest.raises(ApplicationError) as refused:
        _decide(high_risk, "confirm", senior_reviewer)

    assert refused.value.code == "transition_not_allowed"
    assert _state(high_risk) == before


def test_requested_changes_carry_reasons_to_the_seller(reviewer, seller_a):
    application = ApplicationFactory(company=seller_a.company, in_review=True, assignee=reviewer)

    changes_request(
        actor=actor_for_user(reviewer),
        application_id=application.pk,
        note="Show the factory contract.",
        evidence_kinds=["factory_document"],
        internal_note="Facility list is empty.",
        reasons=["supply_chain_incomplete"],
    )

    event = application.events.get()
    assert (event.action, event.seller_visible, event.reasons, event.internal_note) == (
        "request_changes",
        True,
        ["supply_chain_incomplete"],
        "Facility list is empty.",
    )
    body = Notification.objects.get(application=application).body
    assert "The supply chain is not fully shown" in body
    assert "Facility list is empty." not in body
