"""The whole case in Chromium: a reviewer opens a case with an authorization chain, facilities, a
PDF and a photo; reads a PDF page inline, opens it in the viewer, zooms it and pages on, leaves
with Escape and is still at the same place of the case; the file's name in the evidence table,
a facility certificate's row and a signed letter's name open the viewer too. The seller reads
the chain on a phone. Nothing is wider than the screen, and axe finds no serious or critical
violation on any page visited."""

import re

import pytest

from tests.browser.conftest import (
    ARTIFACTS,
    FITS_THE_SCREEN,
    LAPTOP,
    PHONE,
    image_loaded,
    log_in,
)
from tests.reviews.views.case_support import DISTRIBUTOR, OWNER, whole_case

pytestmark = pytest.mark.browser

PDF_TITLE = "Product test report: test-report.pdf"
CERTIFICATE = "ISO 9001 CQC-2026-0042"


def test_browser_reviewer_reads_a_page_inline_zooms_it_and_escapes_back_to_the_case(
    live_server, browser, seller_a, reviewer, axe_check, screenshot
):
    case = whole_case(seller_a.company)
    context = browser.new_context(viewport=LAPTOP)
    page = context.new_page()
    log_in(page, live_server.url, reviewer.username)
    case_url = f"{live_server.url}/review/applications/{case.application.pk}/"

    page.goto(case_url)
    chain = page.get_by_role("region", name="Authorization chain")
    # Each link read out as "Link 1: grantor to grantee", the arrow only seen.
    for name in (
        f"Link 1: {OWNER} to {DISTRIBUTOR}",
        f"Link 2: {DISTRIBUTOR} to {seller_a.company.legal_name}",
    ):
        assert chain.get_by_role("heading", name=name, exact=True).is_visible()
    letter = chain.get_by_role("table").first.inner_text()
    assert f"{OWNER}\t{OWNER}\t✓ Matches" in letter
    assert "CQC-2026-0042" in page.locator("#case-facilities").inner_text()
    # The certificates' pages are shown in the case: loaded here, so that the place of the
    # case the reviewer leaves the viewer at below stays where it was.
    certificate_pages = page.locator("#case-facilities img")
    assert certificate_pages.count() == 2
    for picture in certificate_pages.all():
        image_loaded(page, picture)
    screenshot(page, "reviewer-whole-case")
    axe_check(page)

    # The first page of the test report, shown in the case.
    thumbnail = page.get_by_role("link", name=f"Page 1 of {PDF_TITLE}")
    image_loaded(page, thumbnail.get_by_role("img"))
    scrolled = page.evaluate("scrollY")
    thumbnail.click()
    viewer = page.get_by_role("dialog", name=PDF_TITLE)
    viewer.wait_for()
    picture = viewer.get_by_role("img", name=f"Page 1 of {PDF_TITLE}")
    image_loaded(page, picture)
    fitted = picture.bounding_box()["width"]
    assert viewer.get_by_text("Page 1 of 2").is_visible()
    assert viewer.get_by_role("button", name="Zoom out").is_disabled()

    viewer.get_by_role("button", name="Zoom in").click()
    viewer.get_by_role("button", name="Zoom in").click()
    zoomed = picture.bounding_box()["width"]
    assert viewer.get_by_text("Zoom: 200%").is_visible()
    assert abs(zoomed / fitted - 2) < 0.05
    viewer.get_by_role("button", name="Next page").click()
    second = viewer.get_by_role("img", name=f"Page 2 of {PDF_TITLE}")
    image_loaded(page, second)
    assert second.get_attribute("src").endswith(f"/evidence/{case.pdf.pk}/pages/2.png")
    assert viewer.get_by_text("Page 2 of 2").is_visible()
    assert viewer.get_by_role("button", name="Next page").is_disabled()
    # The dialog sits over the screen, not the page: the screen is what a person sees.
    page.screenshot(path=ARTIFACTS / "reviewer-whole-case-viewer.png")
    axe_check(page)

    page.keyboard.press("Escape")
    viewer.wait_for(state="hidden")
    assert page.url == case_url
    assert page.evaluate("scrollY") == scrolled
    assert thumbnail.evaluate("link => document.activeElement === link")

    # The file's name in the evidence table opens its page here too, not a new tab.
    file_link = page.locator("#case-evidence").get_by_role("link", name="lamp-on-box.png")
    file_link.click()
    photo = page.get_by_role(
        "dialog", name="Photo of the brand on product or packaging: lamp-on-box.png"
    )
    photo.wait_for()
    assert photo.get_by_text("Page 1 of 1").is_visible()
    photo.get_by_role("button", name="Close").click()
    photo.wait_for(state="hidden")
    assert file_link.evaluate("link => document.activeElement === link")
    assert (page.url, len(context.pages)) == (case_url, 1)

    # A facility's certificate opens in the same viewer from its row, and zooms.
    view = page.locator("#case-facilities").get_by_role(
        "link", name=f"view {CERTIFICATE}", exact=True
    )
    view.click()
    certificate = page.get_by_role("dialog", name=f"Quality certificate: {CERTIFICATE}")
    certificate.wait_for()
    image_loaded(
        page, certificate.get_by_role("img", name=f"Page 1 of Quality certificate: {CERTIFICATE}")
    )
    certificate.get_by_role("button", name="Zoom in").click()
    assert certificate.get_by_text("Zoom: 150%").is_visible()
    assert certificate.get_by_text("Page 1 of 1").is_visible()
    axe_check(page)
    certificate.get_by_role("button", name="Close").click()
    certificate.wait_for(state="hidden")
    assert view.evaluate("link => document.activeElement === link")

    # So does a signed letter's name in the chain.
    letter_name = page.locator("#case-chain").get_by_role("link", name="letter-1.pdf", exact=True)
    letter_name.click()
    title = page.locator(f"#case-chain [data-viewer-group='letter-{case.links[0].pk}']").first
    letter = page.get_by_role("dialog", name=title.get_attribute("data-viewer-title"))
    letter.wait_for()
    image_loaded(page, letter.locator("img.viewer-image"))
    page.keyboard.press("Escape")
    letter.wait_for(state="hidden")
    assert (page.url, len(context.pages)) == (case_url, 1)


def test_browser_the_case_fits_a_phone(
    live_server, browser, seller_a, reviewer, axe_check, screenshot
):
    case = whole_case(seller_a.company)
    page = browser.new_context(viewport=PHONE).new_page()
    log_in(page, live_server.url, reviewer.username)

    page.goto(f"{live_server.url}/review/applications/{case.application.pk}/")
    page.locator("details.checks-passed > summary").click()
    screenshot(page, "reviewer-whole-case-phone")

    too_wide = page.evaluate(
        """() => [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > innerWidth + 0.5 && e.checkVisibility()
                     && !e.closest('.table-scroll'))
        .slice(0, 30).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : ''))"""
    )
    assert too_wide == []
    assert page.evaluate(FITS_THE_SCREEN)
    axe_check(page)


def test_browser_the_seller_reads_the_chain_and_facilities_on_a_phone(
    live_server, browser, seller_a, axe_check, screenshot
):
    case = whole_case(seller_a.company)
    page = browser.new_context(viewport=PHONE).new_page()
    log_in(page, live_server.url, seller_a.owner.username)

    page.goto(f"{live_server.url}/applications/{case.application.pk}/")
    chain = page.get_by_role("region", name="Authorization chain")
    facilities = page.get_by_role("region", name="Facilities and certificates")

    for name in (
        f"Link 1: {OWNER} to {DISTRIBUTOR}",
        f"Link 2: {DISTRIBUTOR} to {seller_a.company.legal_name}",
    ):
        assert chain.get_by_role("heading", name=name, exact=True).is_visible()
    assert re.search(r"ISO 9001\s+QC-2019-7", facilities.inner_text())
    screenshot(page, "seller-application-chain-phone")
    assert page.evaluate(FITS_THE_SCREEN)
    axe_check(page)
