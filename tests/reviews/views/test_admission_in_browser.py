"""A seller applies and a reviewer admits the brand, in a real Chromium against the live server."""

import datetime

import pytest
from django.utils import timezone

from sellers.models import Application, Status
from tests.browser.conftest import log_in
from tests.files import png_bytes
from tests.sellers.factories import CategoryFactory, ProgramFactory

pytestmark = pytest.mark.browser


def test_browser_seller_applies_and_reviewer_admits(
    live_server, settings, seller_a, reviewer, tmp_path, browser, screenshot, axe_check
):
    # Without registry data, and with a certificate that is only a picture, this brand screens
    # at 50 points or more; one reviewer decides alone only below the senior threshold (four
    # eyes have their own browser test).
    settings.SCREENING_SENIOR_RISK = 100
    ProgramFactory()
    lighting = CategoryFactory()
    photo = tmp_path / "lumibright-packaging.png"
    photo.write_bytes(png_bytes(size=(320, 240)))
    expires = timezone.localdate() + datetime.timedelta(days=8 * 365)

    seller = browser.new_context().new_page()
    log_in(seller, live_server.url, seller_a.owner.username)
    # The one-page form, for sellers who have everything at hand.
    seller.goto(f"{live_server.url}/applications/new/")
    seller.get_by_label("Brand name").fill("LUMIBRIGHT")
    seller.get_by_label("Native-script name").fill("流明")
    seller.get_by_label("Trademark office").select_option("USPTO")
    seller.get_by_label("Trademark number").fill("781234567")
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
    seller.get_by_text("781234567 is not a USPTO number").wait_for()
    assert Application.objects.count() == 0
    assert seller.get_by_label("Brand name").input_value() == "LUMIBRIGHT"
    screenshot(seller, "seller-new-application-error")
    axe_check(seller)
    seller.get_by_label("Trademark number").fill("78123456")
    seller.get_by_label("First evidence file").set_input_files(photo)
    seller.get_by_role("button", name="Save draft").click()
    seller.get_by_role("button", name="Submit for review").click()
    seller.get_by_text("Your application was submitted.").wait_for()

    application = Application.objects.get()
    assert application.status == Status.AWAITING_REVIEW
    assert application.evidence.get().original_name == "lumibright-packaging.png"
    assert seller.locator(".badge-large").inner_text() == "Under review"
    screenshot(seller, "seller-detail")
    axe_check(seller)

    reviewer_page = browser.new_context().new_page()
    log_in(reviewer_page, live_server.url, reviewer.username)
    screenshot(reviewer_page, "reviewer-queue")
    axe_check(reviewer_page)
    queue_row = reviewer_page.get_by_role("row").filter(has_text="LUMIBRIGHT")
    queue_row.get_by_role("button", name="Claim").click()
    reviewer_page.get_by_role("heading", name="Decision").wait_for()
    reviewer_page.get_by_label("Message to the seller").fill("Welcome to the program.")
    screenshot(reviewer_page, "reviewer-workspace")
    axe_check(reviewer_page)
    reviewer_page.get_by_role("button", name="Approve").click()
    reviewer_page.get_by_text("LUMIBRIGHT was approved and admitted.").wait_for()

    seller.reload()
    assert seller.locator(".badge-large").inner_text() == "Admitted"
    assert seller.get_by_text("Welcome to the program.").inner_text() == "Welcome to the program."
    application.refresh_from_db()
    assert (application.status, application.assignee) == (Status.APPROVED, reviewer)
    screenshot(seller, "seller-admitted")
    axe_check(seller)
