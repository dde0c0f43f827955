"""The seller portal on a phone (390 x 844) and on a laptop: nothing wider than the screen, the
header folded into a menu that opens, in English and in Chinese."""

import importlib

import pytest
from django.apps import apps
from django.core.management import call_command

from sellers.models import ApplicationDraft, ApplicationEvent, Notification, Status
from tests.browser.conftest import LAPTOP, PHONE, fits_the_screen, log_in
from tests.sellers.factories import ApplicationFactory, EvidenceFactory

pytestmark = pytest.mark.browser

nice_classes = importlib.import_module("sellers.migrations.0007_nice_classes_ncl_13_2026")
STEPS = ("brand", "trademark", "ownership", "categories", "supply", "evidence", "review")


@pytest.fixture
def portal(live_server, seller_a):
    """A seller with an unfinished wizard at its last step and a returned application."""
    call_command("compilemessages", "--ignore=.venv", verbosity=0)
    # Transactional tests flush reference data; the class headings are reloaded for these.
    nice_classes.load(apps, None)
    draft_application = ApplicationFactory(
        company=seller_a.company, brand__name="GLOWNEST", trademark__nice_classes=[9, 11, 35]
    )
    EvidenceFactory(
        application=draft_application,
        kind="product_photo",
        original_name="a-rather-long-file-name-of-a-product-photo-on-its-box.png",
    )
    draft = ApplicationDraft.objects.create(
        company=seller_a.company,
        step="review",
        brand=draft_application.brand,
        trademark=draft_application.trademark,
        application=draft_application,
        created_by=seller_a.owner,
    )
    returned = ApplicationFactory(
        company=seller_a.company, brand__name="LUMIBRIGHT", changes_requested=True
    )
    event = ApplicationEvent.objects.create(
        application=returned,
        actor_label="Ana Reviewer",
        action="request_changes",
        from_status=Status.IN_REVIEW,
        to_status=Status.CHANGES_REQUESTED,
        seller_visible=True,
        note="Please add the registration certificate.",
    )
    Notification.objects.create(
        user=seller_a.owner,
        application=returned,
        event=event,
        subject="LUMIBRIGHT: Changes requested",
        body="Please add the registration certificate.",
    )
    base = live_server.url
    return [
        f"{base}/applications/",
        *(f"{base}/applications/wizard/{draft.pk}/{step}/" for step in STEPS),
        f"{base}/applications/{returned.pk}/",
        f"{base}/applications/{draft_application.pk}/",
        f"{base}/notifications/",
        f"{base}/team/",
        f"{base}/partners/",
    ]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_browser_seller_pages_fit_a_phone(
    live_server, browser, seller_a, portal, language, screenshot, axe_check
):
    page = browser.new_context(viewport=PHONE).new_page()
    log_in(page, live_server.url, seller_a.owner.username)
    if language != "en":
        page.get_by_role("button", name="Menu").click()
        page.get_by_label("Language").select_option(language)
        page.get_by_role("button", name="Switch").click()

    spilled = {}
    for url in portal:
        page.goto(url)
        fits, culprits = fits_the_screen(page)
        if not fits or culprits:
            spilled[url] = culprits
        screenshot(page, f"phone-{language}-{url.rstrip('/').rsplit('/', 2)[-1]}")
    assert spilled == {}
    assert page.locator("html").get_attribute("lang") == language

    # The menu is folded away, and opens with every page of the portal in it.
    notifications = page.locator(".site-nav a").last
    assert not notifications.is_visible()
    menu = page.locator(".menu-toggle")
    menu.click()
    assert menu.get_attribute("aria-expanded") == "true"
    assert notifications.is_visible()
    box = notifications.bounding_box()
    assert box["x"] + box["width"] <= PHONE["width"]
    # Each menu item on one line, however short its words (Chinese ones included).
    heights = page.locator(".site-nav a").evaluate_all(
        "links => links.map(a => a.getBoundingClientRect().height)"
    )
    assert max(heights) < 2 * min(heights)
    buttons = page.locator(".site-menu .btn").evaluate_all(
        "buttons => buttons.map(b => b.getBoundingClientRect().height)"
    )
    assert len(buttons) == 2
    assert max(buttons) < 40
    assert fits_the_screen(page) == (True, [])
    screenshot(page, f"phone-{language}-menu")
    axe_check(page)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_browser_the_header_keeps_its_rows_on_a_laptop(
    live_server, browser, seller_a, portal, language
):
    page = browser.new_context(viewport=LAPTOP).new_page()
    log_in(page, live_server.url, seller_a.owner.username)
    if language != "en":
        page.get_by_label("Language").select_option(language)
        page.get_by_role("button", name="Switch").click()
    page.goto(portal[0])

    assert not page.locator(".menu-toggle").is_visible()
    tops = page.locator(".site-nav a").evaluate_all(
        "links => links.map(a => Math.round(a.getBoundingClientRect().top))"
    )
    name, account = page.locator(".site-name"), page.locator(".account")
    # The pages on one row below the name; the name and the account on one row above it.
    assert len(set(tops)) == 1
    assert name.bounding_box()["y"] == pytest.approx(account.bounding_box()["y"], abs=12)
    assert tops[0] > name.bounding_box()["y"] + name.bounding_box()["height"]
    assert fits_the_screen(page) == (True, [])
    # The tab shows the program's mark.
    icon = page.request.get(live_server.url + page.locator("link[rel=icon]").get_attribute("href"))
    assert (icon.status, icon.headers["content-type"]) == (200, "image/svg+xml")
    assert icon.body().startswith(b"<svg")


def test_browser_visitors_pages_fit_a_phone(live_server, browser, axe_check, screenshot):
    page = browser.new_context(viewport=PHONE).new_page()
    page.goto(f"{live_server.url}/")
    page.get_by_role("heading", name="What to have ready before you start").wait_for()
    screenshot(page, "phone-front")

    spilled = {}
    for path in ("/", "/login/", "/sign-up/", "/sign-up/resend/"):
        page.goto(live_server.url + path)
        fits, culprits = fits_the_screen(page)
        if not fits or culprits:
            spilled[path] = culprits
        axe_check(page)
    assert spilled == {}

    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Register your company").click()
    page.get_by_role("heading", name="Register your company").wait_for()
