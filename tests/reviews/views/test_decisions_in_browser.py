"""Four eyes and staged releases, in a real Chromium against the live server."""

import pytest

from sellers.actors import actor_for_user
from sellers.models import Application, Status
from sellers.workflow.transition import application_transition
from tests.browser.conftest import log_in
from tests.sellers.factories import ApplicationFactory, ProgramFactory, ReviewerFactory

pytestmark = pytest.mark.browser


def test_browser_high_risk_approval_needs_a_second_senior_reviewer(
    live_server, settings, seller_a, senior_reviewer, browser, screenshot, axe_check
):
    settings.SCREENING_SENIOR_RISK = 50
    second = ReviewerFactory(username="lea.senior@brand-program.example", senior=True)
    application = ApplicationFactory(
        company=seller_a.company,
        brand__name="RISKYLAMP",
        awaiting_review=True,
        risk_score=72,
    )

    first = browser.new_context().new_page()
    log_in(first, live_server.url, senior_reviewer.username)
    first.get_by_role("row").filter(has_text="RISKYLAMP").get_by_role(
        "button", name="Claim"
    ).click()
    first.get_by_label("Message to the seller").fill("Welcome to the program.")
    first.get_by_label("Internal note").fill("Logo close to a known mark but distinct.")
    first.get_by_role("button", name="Approve").click()
    first.get_by_text("RISKYLAMP is high-risk: the approval takes effect when").wait_for()
    first.goto(f"{live_server.url}/review/applications/{application.pk}/")
    assert first.get_by_role("button", name="Confirm the proposed decision").count() == 0
    assert "Proposed: Approve" in first.locator(".proposal").inner_text()

    seller = browser.new_context().new_page()
    log_in(seller, live_server.url, seller_a.owner.username)
    seller.goto(f"{live_server.url}/applications/{application.pk}/")
    assert seller.locator(".badge-large").inner_text() == "Under review"

    confirmer = browser.new_context().new_page()
    log_in(confirmer, live_server.url, second.username)
    confirmer.get_by_role("link", name="Decisions to confirm").click()
    confirmer.get_by_role("link", name="RISKYLAMP").click()
    confirmer.get_by_text("Logo close to a known mark but distinct.").first.wait_for()
    screenshot(confirmer, "senior-confirms-proposal")
    axe_check(confirmer)
    confirmer.get_by_role("button", name="Confirm the proposed decision").click()
    confirmer.get_by_text("Decision confirmed: RISKYLAMP is now “Approved”.").wait_for()

    application.refresh_from_db()
    assert application.status == Status.APPROVED
    assert list(application.events.values_list("action", "actor__username")) == [
        ("claim", senior_reviewer.username),
        ("propose_approval", senior_reviewer.username),
        ("confirm", second.username),
    ]
    seller.reload()
    assert seller.locator(".badge-large").inner_text() == "Admitted"
    assert seller.get_by_text("Welcome to the program.").count() == 1
    assert seller.get_by_text("Logo close to a known mark").count() == 0
    screenshot(seller, "seller-admitted-after-four-eyes")
    axe_check(seller)


def test_browser_manager_releases_staged_decisions_and_the_seller_sees_them(
    live_server, seller_a, seller_b, reviewer, manager, browser, screenshot, axe_check
):
    program = ProgramFactory(slug="staged", name="Staged program", stage_decisions=True)
    applications = {}
    for seller, brand in ((seller_a, "LUMIBRIGHT"), (seller_b, "HARBORWARE")):
        application = ApplicationFactory(
            company=seller.company,
            program=program,
            brand__name=brand,
            in_review=True,
            assignee=reviewer,
            risk_score=5,
        )
        application_transition(
            application_id=application.pk,
            action="approve",
            actor=actor_for_user(reviewer),
            note=f"{brand} is admitted.",
        )
        applications[brand] = application

    seller = browser.new_context().new_page()
    log_in(seller, live_server.url, seller_a.owner.username)
    detail = f"{live_server.url}/applications/{applications['LUMIBRIGHT'].pk}/"
    seller.goto(detail)
    assert seller.locator(".badge-large").inner_text() == "Under review"
    assert seller.get_by_text("LUMIBRIGHT is admitted.").count() == 0

    page = browser.new_context().new_page()
    log_in(page, live_server.url, manager.username)
    page.goto(f"{live_server.url}/review/staged/")
    page.get_by_label("Release the decision on LUMIBRIGHT").check()
    screenshot(page, "manager-staged-decisions")
    axe_check(page)
    page.get_by_role("button", name="Release selected").click()
    page.get_by_text("1 decision(s) released; the sellers were notified.").wait_for()
    assert page.get_by_role("row").filter(has_text="LUMIBRIGHT").count() == 0
    assert page.get_by_role("row").filter(has_text="HARBORWARE").count() == 1

    seller.reload()
    assert seller.locator(".badge-large").inner_text() == "Admitted"
    assert seller.get_by_text("LUMIBRIGHT is admitted.").count() == 1
    screenshot(seller, "seller-sees-released-decision")
    axe_check(seller)
    # On the program's dashboard both approvals hold a place (a staged one keeps its place for
    # the release); only the released one is admitted this month.
    page.goto(f"{live_server.url}/review/dashboard/?program=staged")
    tiles = page.locator(".tile")
    assert tiles.filter(has_text="Places used").locator(".tile-figure").inner_text() == "2 of 1,000"
    assert tiles.filter(has_text="Admitted this month").locator(".tile-figure").inner_text() == "1"
    screenshot(page, "manager-dashboard")
    axe_check(page)
    statuses = dict(Application.objects.values_list("brand__name", "status"))
    assert statuses == {"LUMIBRIGHT": Status.APPROVED, "HARBORWARE": Status.STAGED_APPROVED}
