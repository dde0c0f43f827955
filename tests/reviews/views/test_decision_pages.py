"""Decision pages: proposals to confirm, the manager's staged decisions, reasons for sellers."""

from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reviews import queues
from reviews.services import conflict_declare
from sellers.actors import actor_for_user
from sellers.models import Application, ApplicationEvent, Notification, Status
from sellers.workflow.transition import application_transition
from tests.pages import internal_words_in, logged_in, messages_on, page_text
from tests.reviews.factories import ReviewQueueFactory
from tests.reviews.queues.queue_support import screened
from tests.sellers.factories import (
    ApplicationFactory,
    CategoryFactory,
    ProgramFactory,
    ReviewerFactory,
)


@pytest.fixture
def staged_program(db):
    return ProgramFactory(slug="staged", name="Staged program", stage_decisions=True)


def _staged(program, reviewer, company, brand):
    application = ApplicationFactory(
        program=program,
        company=company,
        brand__name=brand,
        in_review=True,
        assignee=reviewer,
        risk_score=5,
    )
    application_transition(
        application_id=application.pk,
        action="approve",
        actor=actor_for_user(reviewer),
        note=f"{brand} is in.",
    )
    return application


def test_manager_releases_the_selected_staged_decisions_and_sellers_then_see_them(
    staged_program, reviewer, manager, seller_a, seller_b
):
    first = _staged(staged_program, reviewer, seller_a.company, "LUMIBRIGHT")
    second = _staged(staged_program, reviewer, seller_b.company, "HARBORWARE")
    seller = logged_in(seller_a.owner)
    detail = reverse("portal:application_detail", args=[first.pk])
    before = seller.get(detail)
    assert before.context["status_label"] == "Under review"
    assert "LUMIBRIGHT is in." not in page_text(before)

    client = logged_in(manager)
    page = client.get(reverse("reviews:staged"))
    assert [a.brand.name for a in page.context["staged"]] == ["LUMIBRIGHT", "HARBORWARE"]
    assert "Approved, not yet released" in page_text(page)
    released = client.post(reverse("reviews:staged"), {"applications": [first.pk]}, follow=True)

    assert messages_on(released) == ["1 decision(s) released; the sellers were notified."]
    assert [a.brand.name for a in released.context["staged"]] == ["HARBORWARE"]
    statuses = dict(Application.objects.values_list("pk", "status"))
    assert statuses == {first.pk: Status.APPROVED, second.pk: Status.STAGED_APPROVED}
    after = seller.get(detail)
    assert after.context["status_label"] == "Admitted"
    assert "LUMIBRIGHT is in." in page_text(after)
    assert internal_words_in(after) == []
    assert Notification.objects.filter(user=seller_a.owner).count() == 1
    assert not Notification.objects.filter(user=seller_b.owner).exists()


def test_a_conflicted_manager_neither_sees_nor_releases_that_companys_decisions(
    staged_program, reviewer, manager, seller_a, seller_b
):
    hidden = _staged(staged_program, reviewer, seller_a.company, "LUMIBRIGHT")
    shown = _staged(staged_program, reviewer, seller_b.company, "HARBORWARE")
    conflict_declare(
        actor=actor_for_user(manager), company=seller_a.company, reason="Family business"
    )
    client = logged_in(manager)

    page = client.get(reverse("reviews:staged"))
    refused = client.post(reverse("reviews:staged"), {"applications": [hidden.pk]})

    assert [a.brand.name for a in page.context["staged"]] == ["HARBORWARE"]
    assert "LUMIBRIGHT" not in page_text(page)
    assert refused.status_code == 200
    assert refused.context["form"].errors["applications"] == [
        f"Decision {hidden.pk} is no longer staged; reload the page to see the current list."
    ]
    assert "LUMIBRIGHT" not in page_text(refused)
    statuses = dict(Application.objects.values_list("pk", "status"))
    assert statuses == {hidden.pk: Status.STAGED_APPROVED, shown.pk: Status.STAGED_APPROVED}
    assert not Notification.objects.exists()


def test_staged_page_is_for_managers_only(staged_program, reviewer, senior_reviewer, seller_a):
    application = _staged(staged_program, reviewer, seller_a.company, "LUMIBRIGHT")
    events = ApplicationEvent.objects.count()

    # Staff without the manager role are refused; anybody else is told the page does not exist.
    for person, answer in ((reviewer, 403), (senior_reviewer, 403), (seller_a.owner, 404)):
        client = logged_in(person)
        assert client.get(reverse("reviews:staged")).status_code == answer
        refused = client.post(reverse("reviews:staged"), {"applications": [application.pk]})
        assert refused.status_code == answer

    application.refresh_from_db()
    assert application.status == Status.STAGED_APPROVED
    assert ApplicationEvent.objects.count() == events


def test_releasing_nothing_or_a_decision_that_is_not_staged_explains_itself(
    staged_program, reviewer, manager, seller_a
):
    application = _staged(staged_program, reviewer, seller_a.company, "LUMIBRIGHT")
    elsewhere = ApplicationFactory(approved=True)
    client = logged_in(manager)
    events = ApplicationEvent.objects.count()

    empty = client.post(reverse("reviews:staged"), {})
    wrong = client.post(reverse("reviews:staged"), {"applications": [elsewhere.pk]})
    garbage = client.post(reverse("reviews:staged"), {"applications": ["x' OR 1=1"]})

    assert empty.context["form"].errors == {
        "applications": ["Select at least one staged decision to release."]
    }
    assert wrong.context["form"].errors == {
        "applications": [
            f"Decision {elsewhere.pk} is no longer staged; reload the page to see the current list."
        ]
    }
    assert garbage.context["form"].errors == {
        "applications": ["“x' OR 1=1” is not a staged decision."]
    }
    application.refresh_from_db()
    assert application.status == Status.STAGED_APPROVED
    assert ApplicationEvent.objects.count() == events


def test_the_proposer_sees_no_confirm_button_and_a_forged_confirm_changes_nothing(
    settings, senior_reviewer
):
    settings.SCREENING_SENIOR_RISK = 50
    application = ApplicationFactory(
        in_review=True, assignee=senior_reviewer, risk_score=80, brand__name="RISKY"
    )
    client = logged_in(senior_reviewer)
    workspace = reverse("reviews:workspace", args=[application.pk])
    proposed = client.post(workspace, {"action": "approve"}, follow=True)
    assert messages_on(proposed) == [
        "RISKY is high-risk: the approval takes effect when a second senior reviewer confirms it."
    ]
    events = list(application.events.values_list("pk", flat=True))

    page = client.get(workspace)
    forged = client.post(workspace, {"action": "confirm"}, follow=True)

    assert "confirm" not in [b["action"] for b in page.context["buttons"]]
    assert messages_on(forged) == [
        "Another senior reviewer must confirm or send back this proposal; you made it yourself."
    ]
    application.refresh_from_db()
    assert application.status == Status.PROPOSED
    assert list(application.events.values_list("pk", flat=True)) == events
    listed = client.get(reverse("reviews:confirmations"))
    assert [a.pk for a in listed.context["proposals"]] == [application.pk]


def test_workspace_marks_seller_messages_internal_notes_and_reasons(reviewer):
    application = ApplicationFactory(in_review=True, assignee=reviewer)
    client = logged_in(reviewer)
    workspace = reverse("reviews:workspace", args=[application.pk])

    client.post(
        workspace,
        {
            "action": "reject",
            "message": "The registration lapsed in 2024.",
            "internal_note": "Seen on TSDR, status 710.",
            "reasons": ["trademark_not_registered"],
        },
    )
    text = page_text(client.get(workspace))

    assert '<span class="tag">seller sees</span> The registration lapsed in 2024.' in text
    assert '<span class="tag">internal</span> Seen on TSDR, status 710.' in text
    assert "<li>The trademark is not registered</li>" in text


def test_internal_actions_need_an_internal_note_not_a_seller_message(reviewer):
    application = ApplicationFactory(in_review=True, assignee=reviewer)

    response = logged_in(reviewer).post(
        reverse("reviews:workspace", args=[application.pk]),
        {"action": "escalate", "message": "Dear seller"},
    )

    assert response.context["form"].errors == {
        "internal_note": ["Write a note for the other reviewers."]
    }
    application.refresh_from_db()
    assert (application.status, application.escalated_at) == (Status.IN_REVIEW, None)
    assert not application.events.exists()


def test_seller_reads_the_reasons_of_a_rejection_in_chinese(reviewer, senior_reviewer, seller_a):
    application = ApplicationFactory(company=seller_a.company, in_review=True, assignee=reviewer)
    application_transition(
        application_id=application.pk,
        action="reject",
        actor=actor_for_user(reviewer),
        note="商标已失效。",
        internal_note="Only for us.",
        reasons=["trademark_not_registered", "owner_mismatch"],
    )
    application_transition(
        application_id=application.pk, action="confirm", actor=actor_for_user(senior_reviewer)
    )
    seller = logged_in(seller_a.owner)
    seller.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})

    page = seller.get(reverse("portal:application_detail", args=[application.pk]))

    text = page_text(page)
    assert "<li>该商标尚未注册</li>" in text
    assert "<li>商标所有人不是申请公司</li>" in text
    assert "商标已失效。" in text
    assert "Only for us." not in text
    assert page.context["status_label"] == "未被接纳"


def test_staged_page_needs_the_same_queries_for_1_and_50_decisions(
    staged_program, reviewer, manager, django_assert_num_queries
):
    client = logged_in(manager)
    _staged(staged_program, reviewer, ApplicationFactory().company, "BRAND0")
    with CaptureQueriesContext(connection) as one:
        first = client.get(reverse("reviews:staged"))
    for number in range(1, 50):
        _staged(staged_program, reviewer, ApplicationFactory().company, f"BRAND{number}")

    with django_assert_num_queries(len(one.captured_queries)):
        fifty = client.get(reverse("reviews:staged"))

    assert (len(first.context["staged"]), len(fifty.context["staged"])) == (1, 50)
    assert {a.staged_by for a in fifty.context["staged"]} == {reviewer.username}


@pytest.mark.parametrize("is_manager", [True, False])
def test_admin_action_releases_staged_decisions_for_managers_only(
    is_manager, staged_program, reviewer, seller_a
):
    application = _staged(staged_program, reviewer, seller_a.company, "LUMIBRIGHT")
    admin_user = ReviewerFactory(
        username="root@brand-program.example", manager=is_manager, is_staff=True,
        is_superuser=True,
    )  # fmt: skip

    response = logged_in(admin_user).post(
        reverse("admin:sellers_application_changelist"),
        {"action": "release_staged_decisions", "_selected_action": [application.pk]},
        follow=True,
    )

    application.refresh_from_db()
    if is_manager:
        assert application.status == Status.APPROVED
        assert messages_on(response) == ["1 of 1 decision(s) released; the sellers were notified."]
        assert Notification.objects.filter(user=seller_a.owner).count() == 1
    else:
        assert application.status == Status.STAGED_APPROVED
        assert messages_on(response) == ["You may not release the decision on this application."]
        assert not Notification.objects.exists()


def test_workspace_explains_the_waiting_list_score(reviewer):
    program = ProgramFactory(slug="tiny", name="Tiny program", capacity=1)
    ApplicationFactory(program=program, approved=True)
    application = ApplicationFactory(
        program=program, in_review=True, assignee=reviewer, risk_score=30
    )
    client = logged_in(reviewer)

    response = client.post(
        reverse("reviews:workspace", args=[application.pk]), {"action": "approve"}, follow=True
    )
    page = client.get(reverse("reviews:workspace", args=[application.pk]))

    assert messages_on(response) == [
        f"{application.brand.name} was approved; the program is full, so it is on the waiting list."
    ]
    assert page.context["score_parts"] == [
        ("Starting points", "", 100),
        ("Screening risk score", "30", -30),
        ("Seller tier", "Standard", 0),
        ("Quality-dispute rate", "0.00 %", 0),
        ("Open infringement complaints", "0", 0),
    ]
    assert "Waiting-list score 70" in page_text(page)


def _claimed_in_second_queue(reviewer):
    """An application in the reviewer's second queue (the queue page opens on the first)."""
    lamps = CategoryFactory(code="lighting-appliances")
    ReviewQueueFactory(
        name="Aa first",
        members=[reviewer],
        categories=[CategoryFactory(code="toys", name="Toys", nice_classes=[28])],
    )
    lighting = ReviewQueueFactory(name="Lighting", members=[reviewer], categories=[lamps])
    application = screened(categories=[lamps])
    queues.application_claim(application_id=application.pk, actor=actor_for_user(reviewer))
    return lighting, application


def test_after_deciding_the_reviewer_returns_to_the_queue_the_application_was_in(reviewer):
    lighting, application = _claimed_in_second_queue(reviewer)
    client = logged_in(reviewer)

    decided = client.post(
        reverse("reviews:workspace", args=[application.pk]),
        {"action": "approve", "message": "Welcome."},
    )

    assert decided.url == f"{reverse('reviews:queue')}?queue={lighting.pk}"
    assert client.get(decided.url).context["selected"] == lighting
    application.refresh_from_db()
    assert application.status == Status.APPROVED


@pytest.mark.parametrize("ours", [True, False])
def test_a_decision_returns_to_the_page_the_reviewer_came_from_when_it_is_ours(reviewer, ours):
    wanted = reverse("reviews:confirmations") if ours else "https://elsewhere.example/review/"
    lighting, application = _claimed_in_second_queue(reviewer)
    client = logged_in(reviewer)
    workspace = reverse("reviews:workspace", args=[application.pk])

    page = client.get(workspace, {"next": wanted})
    decided = client.post(
        workspace, {"action": "request_changes", "message": "Add the licence.", "next": wanted}
    )

    assert (f'name="next" value="{wanted}"' in page.content.decode()) is ours
    queue_page = f"{reverse('reviews:queue')}?queue={lighting.pk}"
    assert decided.url == (wanted if ours else queue_page)
    application.refresh_from_db()
    assert application.status == Status.CHANGES_REQUESTED


def test_claim_next_and_the_confirmations_list_say_where_to_return(
    reviewer, senior_reviewer, settings
):
    lighting, claimed = _claimed_in_second_queue(reviewer)
    waiting = screened(categories=list(claimed.categories.all()))
    settings.SCREENING_SENIOR_RISK = 50
    proposal = ApplicationFactory(in_review=True, assignee=reviewer, risk_score=80)
    application_transition(
        application_id=proposal.pk, action="approve", actor=actor_for_user(reviewer), note="In."
    )

    claimed_next = logged_in(reviewer).post(reverse("reviews:claim_next", args=[lighting.pk]))
    listed = logged_in(senior_reviewer).get(reverse("reviews:confirmations"))

    queue_page = f"{reverse('reviews:queue')}?queue={lighting.pk}"
    workspace = reverse("reviews:workspace", args=[waiting.pk])
    assert claimed_next.url == f"{workspace}?{urlencode({'next': queue_page})}"
    back = urlencode({"next": reverse("reviews:confirmations")})
    assert f'href="{reverse("reviews:workspace", args=[proposal.pk])}?{back}"' in (
        listed.content.decode()
    )
