"""A reviewer claims the next item of a queue, requests changes, and the seller sees the request."""

import pytest

from reviews.models import QueueItem
from sellers.models import Evidence, Status
from tests.browser.conftest import log_in
from tests.reviews.factories import ReviewQueueFactory
from tests.reviews.queues.queue_support import screened
from tests.sellers.factories import CategoryFactory, ProgramFactory

pytestmark = pytest.mark.browser


def test_browser_reviewer_claims_next_and_requests_changes(
    live_server, seller_a, seller_b, reviewer, browser, screenshot, axe_check
):
    ProgramFactory()
    lighting = CategoryFactory()
    queue = ReviewQueueFactory(
        name="Lighting", members=[reviewer], categories=[lighting], sla_business_days=2
    )
    first = screened(company=seller_a.company, brand__name="LUMIBRIGHT", categories=[lighting])
    screened(company=seller_b.company, brand__name="HARBORLIGHT", categories=[lighting])

    desk = browser.new_context().new_page()
    log_in(desk, live_server.url, reviewer.username)
    queues_table = desk.get_by_role("table").first
    lighting_row = queues_table.get_by_role("row").filter(has_text="Lighting")
    assert lighting_row.locator("[data-count=waiting]").inner_text() == "2"
    items = desk.get_by_role("table").nth(1).get_by_role("row")
    assert "LUMIBRIGHT" in items.nth(1).inner_text()
    assert "HARBORLIGHT" in items.nth(2).inner_text()
    screenshot(desk, "reviewer-queues")
    axe_check(desk)

    desk.get_by_role("button", name="Claim next").click()
    desk.get_by_role("heading", name="Decision").wait_for()
    assert desk.get_by_role("heading", level=1).inner_text().startswith("LUMIBRIGHT")
    assert desk.get_by_role("link", name="Lighting").is_visible()
    desk.get_by_label("Message to the seller").fill(
        "The business licence scan is cut off at the bottom; please upload the whole page."
    )
    desk.get_by_label("Business licence").check()
    screenshot(desk, "reviewer-requests-changes")
    axe_check(desk)
    desk.get_by_role("button", name="Request changes").click()
    desk.get_by_text("Changes were requested from the seller of LUMIBRIGHT.").wait_for()
    # Back on the queue: one item left, nobody holds it.
    assert lighting_row.locator("[data-count=waiting]").inner_text() == "1"

    first.refresh_from_db()
    assert (first.status, first.assignee) == (Status.CHANGES_REQUESTED, reviewer)
    assert QueueItem.objects.get(application=first).closed_at is not None
    assert QueueItem.objects.get(queue=queue, closed_at__isnull=True).assignee is None

    seller = browser.new_context().new_page()
    log_in(seller, live_server.url, seller_a.owner.username)
    seller.get_by_role("link", name="LUMIBRIGHT").click()
    seller.locator("blockquote").get_by_text("The business licence scan is cut off").wait_for()
    assert seller.locator(".badge-large").inner_text() == "Changes requested"
    assert seller.locator(".requested-evidence").inner_text() == str(
        Evidence.Kind.BUSINESS_LICENCE.label
    )
    screenshot(seller, "seller-sees-requested-changes")
