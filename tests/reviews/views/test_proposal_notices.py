"""Four-eyes proposals follow people: who may confirm hears of a proposal, the proposer hears
of a send-back with its note, and both wait at the top of the reviewer's queue page."""

import re

from django.urls import reverse

from reviews.services import conflict_declare
from sellers.actors import actor_for_user
from sellers.mail import portal_link
from sellers.models import Notification, Status
from tests.pages import logged_in, page_text
from tests.sellers.factories import ApplicationFactory, ReviewerFactory


def _words(response) -> str:
    """The page's text as read: tags gone, whitespace collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", page_text(response)))


def test_a_proposal_tells_who_may_confirm_and_a_send_back_tells_the_proposer(
    settings, reviewer, senior_reviewer, seller_a, mailoutbox, django_capture_on_commit_callbacks
):
    settings.SCREENING_SENIOR_RISK = 50
    confirmer = ReviewerFactory(username="cy.senior@brand-program.example", senior=True)
    conflicted = ReviewerFactory(username="dee.senior@brand-program.example", senior=True)
    ReviewerFactory(username="eve.senior@brand-program.example", senior=True, is_active=False)
    conflict_declare(actor=actor_for_user(conflicted), company=seller_a.company, reason="Cousin")
    application = ApplicationFactory(
        company=seller_a.company,
        in_review=True,
        assignee=senior_reviewer,
        risk_score=80,
        brand__name="RISKY",
    )
    workspace = reverse("reviews:workspace", args=[application.pk])

    with django_capture_on_commit_callbacks(execute=True):
        logged_in(senior_reviewer).post(workspace, {"action": "approve", "message": "Welcome."})

    application.refresh_from_db()
    assert application.status == Status.PROPOSED
    told = Notification.objects.filter(event__to_status=Status.PROPOSED)
    assert [n.user for n in told] == [confirmer]
    assert [(m.to, m.subject) for m in mailoutbox] == [([confirmer.email], "To confirm: RISKY")]
    confirm_link = portal_link(f"{workspace}?next={reverse('reviews:confirmations')}")
    assert confirm_link in mailoutbox[0].body
    assert f"{senior_reviewer.username} proposes: Approve for RISKY" in mailoutbox[0].body

    confirming = logged_in(confirmer)
    queue_page = confirming.get(reverse("reviews:queue"))
    assert [a.pk for a in queue_page.context["to_confirm"]] == [application.pk]
    assert "RISKY: Approve proposed by sam.senior@brand-program.example, waiting for your " in (
        _words(queue_page)
    )
    assert logged_in(reviewer).get(reverse("reviews:queue")).context["to_confirm"] == []
    assert logged_in(senior_reviewer).get(reverse("reviews:queue")).context["to_confirm"] == []

    with django_capture_on_commit_callbacks(execute=True):
        sent_back = confirming.post(
            workspace,
            {"action": "send_back", "internal_note": "The licence expired; check it again."},
        )

    assert sent_back.url == f"{reverse('reviews:queue')}"
    application.refresh_from_db()
    assert (application.status, application.assignee) == (Status.IN_REVIEW, senior_reviewer)
    back = Notification.objects.get(event__action="send_back")
    assert back.user == senior_reviewer
    assert "The licence expired; check it again." in back.body
    assert [(m.to, m.subject) for m in mailoutbox[1:]] == [
        ([senior_reviewer.email], "Sent back: RISKY")
    ]
    assert portal_link(workspace) in mailoutbox[1].body
    proposer_page = logged_in(senior_reviewer).get(reverse("reviews:queue"))
    assert [a.pk for a in proposer_page.context["sent_back"]] == [application.pk]
    text = _words(proposer_page)
    assert "RISKY: your proposal was sent back by cy.senior@brand-program.example" in text
    assert "The licence expired; check it again." in text
    assert text.index("Waiting for you") < text.index("Claimed by me")
    assert confirming.get(reverse("reviews:queue")).context["to_confirm"] == []
