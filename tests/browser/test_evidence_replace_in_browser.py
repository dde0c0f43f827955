"""Replacing and removing evidence in Chromium: a seller asked for changes replaces the wrong
certificate and removes a photo; the reviewer sees which file replaced which, and the withdrawn
files folded away."""

import hashlib

import pytest

from sellers.models import Evidence
from tests.browser.conftest import log_in
from tests.files import pdf_bytes, png_bytes
from tests.sellers.factories import ApplicationFactory, EvidenceFactory

pytestmark = pytest.mark.browser


def test_browser_seller_replaces_a_certificate_and_the_reviewer_sees_it(
    live_server, browser, seller_a, reviewer, screenshot, axe_check, tmp_path
):
    application = ApplicationFactory(
        company=seller_a.company,
        brand__name="LUMIBRIGHT",
        changes_requested=True,
        with_evidence=False,
    )
    wrong = EvidenceFactory(
        application=application,
        kind=Evidence.Kind.TRADEMARK_CERTIFICATE,
        file__filename="wrong.pdf",
        file__data=pdf_bytes("Another company's certificate"),
        original_name="wrong-certificate.pdf",
        sha256=hashlib.sha256(pdf_bytes("Another company's certificate")).hexdigest(),
        detected_type="application/pdf",
    )
    blurry = EvidenceFactory(application=application, original_name="blurry-photo.png")
    EvidenceFactory(
        application=application,
        original_name="lamp-on-box.png",
        sha256=hashlib.sha256(png_bytes()).hexdigest(),
    )
    corrected = tmp_path / "right-certificate.pdf"
    corrected.write_bytes(pdf_bytes("Trademark registration certificate"))

    seller = browser.new_context().new_page()
    log_in(seller, live_server.url, seller_a.owner.username)
    seller.goto(f"{live_server.url}/applications/{application.pk}/")
    axe_check(seller)
    row = seller.get_by_role("row").filter(has_text="wrong-certificate.pdf")
    row.locator("summary", has_text="Replace").click()
    row.get_by_label("New file in place of wrong-certificate.pdf").set_input_files(corrected)
    axe_check(seller)
    row.get_by_role("button", name="Replace the file").click()
    seller.get_by_text(
        "“wrong-certificate.pdf” was replaced with “right-certificate.pdf”."
    ).wait_for()
    photo = seller.get_by_role("row").filter(has_text="blurry-photo.png")
    photo.locator("summary", has_text="Remove").click()
    photo.get_by_role("button", name="Yes, remove it").click()
    seller.get_by_text("“blurry-photo.png” was removed.").wait_for()
    screenshot(seller, "seller-evidence-replaced")
    axe_check(seller)

    # On a phone the rows stack, and an opened form stays within the screen.
    phone = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    log_in(phone, live_server.url, seller_a.owner.username)
    phone.goto(f"{live_server.url}/applications/{application.pk}/")
    phone_row = phone.get_by_role("row").filter(has_text="right-certificate.pdf")
    phone_row.locator("summary", has_text="Replace").click()
    phone_row.locator("summary", has_text="Remove").click()
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    evidence = seller.locator("section.card", has_text="Add evidence").locator("tbody")
    listed = evidence.inner_text()
    assert "right-certificate.pdf" in listed
    assert "replaces wrong-certificate.pdf" in listed
    assert "lamp-on-box.png" in listed
    assert "blurry-photo.png" not in listed
    history = seller.locator("ol.timeline").inner_text()
    assert "Evidence replaced" in history
    assert "wrong-certificate.pdf → right-certificate.pdf" in history
    assert "Evidence removed" in history
    wrong.refresh_from_db()
    blurry.refresh_from_db()
    assert wrong.replaced_by.original_name == "right-certificate.pdf"
    assert (wrong.withdrawn_by, blurry.withdrawn_by) == (seller_a.owner, seller_a.owner)

    desk = browser.new_context().new_page()
    log_in(desk, live_server.url, reviewer.username)
    desk.goto(f"{live_server.url}/review/applications/{application.pk}/")
    section = desk.locator("#case-evidence")
    replacement = section.locator(".evidence-replaces")
    assert replacement.inner_text().startswith("replaces wrong-certificate.pdf (withdrawn ")
    assert (
        replacement.get_by_role("link", name="wrong-certificate.pdf").get_attribute("href")
        == f"/review/evidence/{wrong.pk}/"
    )
    withdrawn_rows = section.locator("details.evidence-withdrawn tbody tr")
    assert not withdrawn_rows.first.is_visible()
    axe_check(desk)
    section.get_by_text("Withdrawn files (2)").click()
    withdrawn_rows.first.wait_for()
    screenshot(desk, "reviewer-withdrawn-evidence")
    axe_check(desk)

    files = [withdrawn_rows.nth(i).get_by_role("link").first.inner_text() for i in range(2)]
    assert files == ["blurry-photo.png", "wrong-certificate.pdf"]
    assert "removed" in withdrawn_rows.nth(0).inner_text()
    assert "replaced by right-certificate.pdf" in withdrawn_rows.nth(1).inner_text()
    current = section.locator("table").first.inner_text()
    assert "blurry-photo.png" not in current
