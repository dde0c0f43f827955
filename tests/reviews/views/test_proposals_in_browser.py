"""A senior reviewer finds a proposal waiting at the top of the queue page, sends it back and
returns there; the proposer finds the note at the top of theirs."""

import pytest

from sellers.actors import actor_for_user
from sellers.models import Status
from sellers.workflow.transition import application_transition
from tests.browser.conftest import log_in
from tests.sellers.factories import ApplicationFactory, ReviewerFactory

pytestmark = pytest.mark.browser


def test_browser_proposal_waits_for_the_confirmer_and_its_send_back_for_the_proposer(
    live_server, settings, senior_reviewer, seller_a, browser, screenshot, axe_check
):
    settings.SCREENING_SENIOR_RISK = 50
    confirmer = ReviewerFactory(username="cy.senior@brand-program.example", senior=True)
    application = ApplicationFactory(
        company=seller_a.company,
        in_review=True,
        assignee=senior_reviewer,
        risk_score=80,
        brand__name="RISKYLAMP",
    )
    application_transition(
        application_id=application.pk,
        action="approve",
        actor=actor_for_user(senior_reviewer),
        note="Welcome.",
    )

    desk = browser.new_context().new_page()
    log_in(desk, live_server.url, confirmer.username)
    waiting = desk.get_by_role("region", name="Waiting for you")
    assert "RISKYLAMP: Approve proposed by sam.senior" in " ".join(waiting.inner_text().split())
    screenshot(desk, "reviewer-proposal-waiting")
    axe_check(desk)
    queue_url = desk.url
    waiting.get_by_role("link", name="RISKYLAMP").click()
    desk.get_by_label("Internal note").fill("The licence expired; check it again.")
    desk.get_by_role("button", name="Send back to the reviewer").click()
    desk.get_by_text("The proposal on RISKYLAMP went back to its reviewer.").wait_for()
    assert desk.url == queue_url
    assert desk.get_by_role("region", name="Waiting for you").count() == 0

    proposer = browser.new_context().new_page()
    log_in(proposer, live_server.url, senior_reviewer.username)
    back = proposer.get_by_role("region", name="Waiting for you")
    assert "your proposal was sent back by cy.senior@brand-program.example" in back.inner_text()
    assert "The licence expired; check it again." in back.inner_text()
    screenshot(proposer, "reviewer-proposal-sent-back")
    axe_check(proposer)
    application.refresh_from_db()
    assert (application.status, application.assignee) == (Status.IN_REVIEW, senior_reviewer)
