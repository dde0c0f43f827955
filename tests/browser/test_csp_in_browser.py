"""Chromium enforces the Content-Security-Policy: the pages still work and nothing is refused."""

import pytest

from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser


def test_pages_and_api_docs_run_under_the_policy(live_server, seller_a, browser):
    page = browser.new_context().new_page()
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )

    log_in(page, live_server.url, seller_a.owner.username)
    page.get_by_role("heading", name="My applications").wait_for()
    page.goto(f"{live_server.url}/api/docs/")
    # Swagger UI renders the operations only if its start-up script (a separate file) ran.
    page.locator(".opblock-summary-path", has_text="/api/v1/applications/").first.wait_for()
    body_margin = page.evaluate("getComputedStyle(document.body).margin")
    assert refused == []
    assert body_margin == "0px"

    # An injected inline script is refused, so the policy really is in force.
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.injected = true'; document.body.append(s); }"
    )
    assert page.evaluate("window.injected === undefined")
    assert len(refused) == 1
