"""A reviewer verifies a CNIPA trademark by hand on the workspace, in Chromium: the registry
check turns to "verified by hand", a wrong owner fails it, and a wrong file is refused with
everything typed kept."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.formats import date_format

from reviews.models import RegistryVerification
from tests.browser.conftest import log_in
from tests.files import png_bytes
from tests.reviews.verification.support import CNIPA_NUMBER, OWNER, screened_cnipa

pytestmark = pytest.mark.browser

TODAY = timezone.localdate()
VALID_UNTIL = TODAY + datetime.timedelta(days=8 * 365)


@pytest.fixture
def capture(tmp_path):
    path = tmp_path / "cnipa-12345678.png"
    path.write_bytes(png_bytes(size=(640, 400)))
    return path


@pytest.fixture
def workspace(live_server, browser, seller_a, reviewer):
    get_user_model().objects.filter(pk=reviewer.pk).update(first_name="Ana", last_name="Li")
    application = screened_cnipa(seller_a)
    page = browser.new_context().new_page()
    log_in(page, live_server.url, reviewer.username)
    page.goto(f"{live_server.url}/review/applications/{application.pk}/")
    return page


def _fill(page, *, owner: str = OWNER) -> None:
    page.get_by_label("Words of the mark").fill("BRIGHTLAMP")
    page.get_by_label("Owner on the register").fill(owner)
    page.get_by_label("Nice classes").fill("11")
    page.get_by_label("Registered, live").check()
    page.get_by_label("Valid until").fill(VALID_UNTIL.isoformat())
    page.get_by_label("Note", exact=True).fill("Searched by registration number.")


def _registry_row(page):
    return page.get_by_role("row").filter(has_text="Registry record")


def _passed_registry_row(page):
    """Checks that passed are listed last, folded away: opened first."""
    page.locator("details.checks-passed > summary").click()
    return _registry_row(page)


def test_browser_reviewer_verifies_a_cnipa_mark_by_hand(workspace, capture, screenshot):
    page = workspace
    row = _registry_row(page)
    assert row.locator(".badge").inner_text() == "Could not be verified"
    search = page.get_by_role("link", name="Open the CNIPA public search")
    assert search.get_attribute("href") == "https://sbj.cnipa.gov.cn/sbj/sbcx/"
    assert page.get_by_label("Number looked up").input_value() == CNIPA_NUMBER

    _fill(page)
    page.get_by_label("Capture of the page").set_input_files(capture)
    screenshot(page, "reviewer-verify-by-hand")
    page.get_by_role("button", name="Record the verification").click()

    page.get_by_text("Verification recorded; the registry check runs again with it.").wait_for()
    row = _passed_registry_row(page)
    assert row.locator(".badge").inner_text() == "Pass"
    assert row.get_by_text(
        f"Verified by hand by Ana Li on {date_format(TODAY, 'DATE_FORMAT')} in the CNIPA public "
        "search:"
    ).is_visible()
    latest = page.locator("#hand-check-latest")
    assert latest.get_by_role("link", name="cnipa-12345678.png").is_visible()
    screenshot(page, "reviewer-verified-by-hand")
    verification = RegistryVerification.objects.get()
    assert (verification.owner_name, verification.capture_type) == (OWNER, "image/png")


def test_browser_a_wrong_owner_on_the_register_fails_the_check(workspace, capture):
    page = workspace

    _fill(page, owner="Yiwu Copycat Trading Co., Ltd.")
    page.get_by_label("Capture of the page").set_input_files(capture)
    page.get_by_role("button", name="Record the verification").click()

    page.get_by_text("Verification recorded; the registry check runs again with it.").wait_for()
    row = _registry_row(page)
    assert row.locator(".badge").inner_text() == "Fail"
    assert row.get_by_text(
        f"The registered owner is Yiwu Copycat Trading Co., Ltd., not the seller ({OWNER})."
    ).is_visible()


def test_browser_a_wrong_file_is_refused_and_nothing_typed_is_lost(
    workspace, capture, tmp_path, screenshot
):
    page = workspace
    disguised = tmp_path / "register-page.png"
    disguised.write_bytes(b"<!DOCTYPE html><html><body>CNIPA 12345678</body></html>")

    _fill(page)
    page.get_by_label("Capture of the page").set_input_files(disguised)
    page.get_by_role("button", name="Record the verification").click()

    page.get_by_text(
        "register-page.png is text/html; upload the capture as a PNG, JPEG or PDF file."
    ).wait_for()
    screenshot(page, "reviewer-verify-by-hand-wrong-file")
    assert RegistryVerification.objects.count() == 0
    assert page.get_by_label("Words of the mark").input_value() == "BRIGHTLAMP"
    assert page.get_by_label("Owner on the register").input_value() == OWNER
    assert page.get_by_label("Nice classes").input_value() == "11"
    assert page.get_by_label("Registered, live").is_checked()
    assert page.get_by_label("Valid until").input_value() == VALID_UNTIL.isoformat()
    assert page.get_by_label("Note", exact=True).input_value() == "Searched by registration number."

    page.get_by_label("Capture of the page").set_input_files(capture)
    page.get_by_role("button", name="Record the verification").click()

    page.get_by_text("Verification recorded; the registry check runs again with it.").wait_for()
    assert _passed_registry_row(page).locator(".badge").inner_text() == "Pass"
    assert RegistryVerification.objects.count() == 1
