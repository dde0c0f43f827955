"""A seller applies and a reviewer admits the brand, in a real Chromium against the live server."""

import datetime
import os
import shutil
from pathlib import Path

import pytest
from django.db import connections
from django.utils import timezone
from playwright.sync_api import sync_playwright

from sellers.models import Application, Status
from tests.factories import CategoryFactory, ProgramFactory
from tests.files import png_bytes

# Playwright's sync API runs an event loop in this thread; the ORM calls made here between
# browser steps are synchronous and safe.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "correct-horse-battery"


@pytest.fixture
def browser():
    if not (shutil.which(CHROMIUM) or Path(CHROMIUM).is_file()):
        pytest.skip(f"no Chromium at {CHROMIUM}: apt-get install chromium, or set CHROMIUM")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
        # Inside this block the ORM runs in Playwright's context and opens its own connection;
        # left open, it would keep the test database from being dropped at the end.
        connections.close_all()


def _log_in(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/login/")
    page.get_by_label("Email").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_browser_seller_applies_and_reviewer_admits(
    live_server, seller_a, reviewer, tmp_path, browser
):
    ProgramFactory()
    lighting = CategoryFactory()
    photo = tmp_path / "lumibright-packaging.png"
    photo.write_bytes(png_bytes(size=(320, 240)))
    expires = timezone.localdate() + datetime.timedelta(days=8 * 365)

    seller = browser.new_context().new_page()
    _log_in(seller, live_server.url, seller_a.owner.username)
    seller.get_by_role("link", name="New application").first.click()
    seller.get_by_label("Brand name").fill("LUMIBRIGHT")
    seller.get_by_label("Native-script name").fill("流明")
    seller.get_by_label("Trademark office").select_option("USPTO")
    seller.get_by_label("Trademark number").fill("7812")
    seller.get_by_label("Registered", exact=True).check()
    seller.get_by_label("Mark type").select_option("word")
    seller.get_by_label("Nice classes").fill("11")
    seller.get_by_label("Owner on record").fill(seller_a.company.legal_name)
    seller.get_by_label("Expiry date").fill(expires.isoformat())
    seller.get_by_label("Correspondent email on record").fill("ip@bright-lamp.example")
    seller.get_by_label(lighting.name).check()
    seller.get_by_label("Kind of document").select_option("trademark_certificate")
    seller.get_by_label("First evidence file").set_input_files(photo)
    seller.get_by_role("button", name="Save draft").click()

    # A number the office does not issue: the form comes back with the error on that field.
    seller.get_by_text("7812 is not a USPTO number").wait_for()
    assert Application.objects.count() == 0
    assert seller.get_by_label("Brand name").input_value() == "LUMIBRIGHT"
    seller.screenshot(path=tmp_path / "seller-new-application-error.png", full_page=True)
    seller.get_by_label("Trademark number").fill("78123456")
    seller.get_by_label("First evidence file").set_input_files(photo)
    seller.get_by_role("button", name="Save draft").click()
    seller.get_by_role("button", name="Submit for review").click()
    seller.get_by_text("Your application was submitted.").wait_for()

    application = Application.objects.get()
    assert application.status == Status.AWAITING_REVIEW
    assert application.evidence.get().original_name == "lumibright-packaging.png"
    assert seller.locator(".badge-large").inner_text() == "Under review"
    seller.screenshot(path=tmp_path / "seller-detail.png", full_page=True)

    reviewer_page = browser.new_context().new_page()
    _log_in(reviewer_page, live_server.url, reviewer.username)
    reviewer_page.screenshot(path=tmp_path / "reviewer-queue.png", full_page=True)
    queue_row = reviewer_page.get_by_role("row").filter(has_text="LUMIBRIGHT")
    queue_row.get_by_role("button", name="Claim").click()
    reviewer_page.get_by_role("heading", name="Decision").wait_for()
    reviewer_page.get_by_label("Message to the seller").fill("Welcome to the program.")
    reviewer_page.screenshot(path=tmp_path / "reviewer-workspace.png", full_page=True)
    reviewer_page.get_by_role("button", name="Approve").click()
    reviewer_page.get_by_text("LUMIBRIGHT was approved and admitted.").wait_for()

    seller.reload()
    assert seller.locator(".badge-large").inner_text() == "Admitted"
    assert seller.get_by_text("Welcome to the program.").inner_text() == "Welcome to the program."
    application.refresh_from_db()
    assert (application.status, application.assignee) == (Status.APPROVED, reviewer)
    seller.screenshot(path=tmp_path / "seller-admitted.png", full_page=True)
