"""The conversation in the reviewer workspace, and the sellers' answers waiting at the top of
the reviewer's queue page."""

import re
import uuid

from django.urls import reverse
from django.utils import translation

from reviews.services import conflict_declare
from sellers.actors import actor_for_user
from sellers.models import ApplicationMessage, Notification, Status
from sellers.services.messages import application_message_post
from sellers.workflow.transition import application_transition
from tests.files import pdf_bytes, upload
from tests.pages import logged_in, messages_on, page_text
from tests.sellers.conversation_support import changes_requested
from tests.sellers.factories import ApplicationFactory, ReviewerFactory
from tests.sellers.portal.test_conversation import conversation_text


def _workspace(application) -> str:
    return reverse("reviews:workspace", args=[application.pk])


def _post_url(application) -> str:
    return reverse("reviews:message_create", args=[application.pk])


def _words(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", page_text(response)))


def test_the_reviewer_reads_the_sellers_answer_and_writes_back_with_a_file(
    seller_a, reviewer, django_capture_on_commit_callbacks
):
    application = changes_requested(seller_a, reviewer)
    with translation.override("zh-hans"):
        application_message_post(
            actor=seller_a.actor, application_id=application.pk, body="审计报告已附上。"
        )
    client = logged_in(reviewer)

    page = conversation_text(client.get(_workspace(application)))
    assert (
        "Conversation with the seller | The seller reads every message here; keep what is for "
        "reviewers only in the internal note of a decision. | owner-a@bright-lamp.example | "
        "seller | Written in Chinese | 审计报告已附上。"
    ) in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _post_url(application),
            {
                "message-body": "Thank you; the audit is fine.",
                "message-attachments": [upload("note.pdf", pdf_bytes(), "application/pdf")],
                "message-submission_key": str(uuid.uuid4()),
            },
            follow=True,
        )

    assert response.redirect_chain == [(_workspace(application) + "#conversation", 302)]
    assert messages_on(response) == ["Your message was sent to the seller."]
    reply = ApplicationMessage.objects.filter(application=application).latest("pk")
    assert (reply.side, reply.author, reply.language, reply.body) == (
        "reviewer",
        reviewer,
        "en",
        "Thank you; the audit is fine.",
    )
    assert [a.original_name for a in reply.attachments.all()] == ["note.pdf"]
    application.refresh_from_db()
    assert application.status == Status.CHANGES_REQUESTED
    assert [n.user for n in Notification.objects.filter(event=reply.event)] == [seller_a.owner]
    assert (
        "ana.reviewer@brand-program.example | review team | Thank you; the audit is fine. | "
        "note.pdf"
    ) in conversation_text(response)


def test_a_sellers_answer_waits_at_the_top_of_the_reviewers_queue_page_until_answered(
    seller_a, reviewer, other_reviewer
):
    application = changes_requested(seller_a, reviewer, brand__name="LUMIBRIGHT")
    application_message_post(
        actor=seller_a.actor,
        application_id=application.pk,
        body="The audit is attached; is that enough?",
    )
    queue = reverse("reviews:queue")

    page = logged_in(reviewer).get(queue)

    assert [a.pk for a in page.context["replies"]] == [application.pk]
    text = _words(page)
    assert (
        "Waiting for you LUMIBRIGHT: owner-a@bright-lamp.example answered in the conversation "
        "(Changes requested) The audit is attached; is that enough?"
    ) in text
    assert text.index("Waiting for you") < text.index("Claimed by me")
    assert f"{_workspace(application)}?next=%2Freview%2F#conversation" in page_text(page)
    # Nobody else's list.
    assert list(logged_in(other_reviewer).get(queue).context["replies"]) == []

    application_message_post(
        actor=actor_for_user(reviewer), application_id=application.pk, body="Yes, thank you."
    )

    assert list(logged_in(reviewer).get(queue).context["replies"]) == []


def test_a_message_leaves_a_sent_back_proposal_waiting_for_its_proposer(
    seller_a, senior_reviewer, settings
):
    settings.SCREENING_SENIOR_RISK = 50
    proposer = ReviewerFactory(username="pat.senior@brand-program.example", senior=True)
    application = ApplicationFactory(
        company=seller_a.company, in_review=True, assignee=proposer, risk_score=80
    )
    application_transition(
        application_id=application.pk,
        action="approve",
        actor=actor_for_user(proposer),
        note="Welcome to the program.",
    )
    application_transition(
        application_id=application.pk,
        action="send_back",
        actor=actor_for_user(senior_reviewer),
        note="Check the licence again.",
    )
    application_message_post(
        actor=seller_a.actor, application_id=application.pk, body="Any news on our brand?"
    )

    page = logged_in(proposer).get(reverse("reviews:queue"))

    assert [a.pk for a in page.context["sent_back"]] == [application.pk]
    assert [a.pk for a in page.context["replies"]] == [application.pk]


def test_a_conflicted_reviewer_can_neither_read_nor_write(seller_a, reviewer, other_reviewer):
    application = changes_requested(seller_a, reviewer)
    conflict_declare(
        actor=actor_for_user(other_reviewer), company=seller_a.company, reason="Former employee"
    )
    client = logged_in(other_reviewer)

    read = client.get(_workspace(application))
    written = client.post(
        _post_url(application),
        {"message-body": "Hello.", "message-submission_key": str(uuid.uuid4())},
    )

    assert (read.status_code, written.status_code) == (404, 404)
    assert not ApplicationMessage.objects.exists()


def test_a_seller_cannot_use_the_reviewers_door(seller_a, reviewer):
    application = changes_requested(seller_a, reviewer)

    response = logged_in(seller_a.owner).post(
        _post_url(application),
        {"message-body": "Hello.", "message-submission_key": str(uuid.uuid4())},
    )

    assert response.status_code == 404
    assert not ApplicationMessage.objects.exists()


def test_a_refused_message_shows_again_on_the_workspace_with_what_was_typed(seller_a, reviewer):
    application = changes_requested(seller_a, reviewer)

    response = logged_in(reviewer).post(
        _post_url(application),
        {"message-body": "x" * 5001, "message-submission_key": str(uuid.uuid4())},
    )

    assert response.status_code == 200
    assert (
        "Write to the seller | Ensure this value has at most 5000 characters (it has 5001)."
    ) in conversation_text(response)
    assert "x" * 5001 + "</textarea>" in page_text(response)
    assert not ApplicationMessage.objects.exists()
