"""The reviewers' search in Chromium: a reviewer finds an application by the company's name
typed with a typo, opens it from the results, and gets to it directly by its reference."""

import pytest

from tests.browser.conftest import log_in
from tests.sellers.factories import ApplicationFactory, CompanyFactory

pytestmark = pytest.mark.browser


def test_browser_reviewer_searches_and_opens_the_application(
    live_server, browser, reviewer, screenshot
):
    qilin = CompanyFactory(legal_name="Qilin Lantern Works Co., Ltd.")
    lantern = ApplicationFactory(
        company=qilin, brand__name="ZEPHYRLAMP", brand__native_name="明灯", awaiting_review=True
    )
    ApplicationFactory(company__legal_name="Ningbo Harbor Housewares Co., Ltd.")
    page = browser.new_context().new_page()
    log_in(page, live_server.url, reviewer.username)

    page.goto(f"{live_server.url}/review/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Search").click()
    page.get_by_label("Search", exact=True).fill("qilin lantren")
    page.get_by_label("Status").select_option("awaiting_review")
    page.get_by_role("button", name="Search").click()
    results = page.locator("table.data tbody tr")
    results.first.wait_for()
    rows = results.all_inner_texts()
    screenshot(page, "reviewer-search-results")
    page.get_by_role("link", name=lantern.reference).click()
    page.get_by_role("heading", name="ZEPHYRLAMP").wait_for()
    opened = page.url

    page.goto(f"{live_server.url}/review/search/")
    page.get_by_label("Search", exact=True).fill(lantern.reference.lower())
    page.get_by_label("Search", exact=True).press("Enter")
    page.get_by_role("heading", name="ZEPHYRLAMP").wait_for()

    assert len(rows) == 1
    assert rows[0].split("\t")[:3] == [
        lantern.reference,
        "ZEPHYRLAMP 明灯",
        f"Qilin Lantern Works Co., Ltd.\n{qilin.registration_number}",
    ]
    assert opened == page.url == f"{live_server.url}/review/applications/{lantern.pk}/"
