"""Chromium through Playwright, and a folder for the screenshots a run leaves behind."""

import os
import shutil
from pathlib import Path

import pytest
from django.db import connections
from playwright.sync_api import sync_playwright

from tests.conftest import PROJECT_ROOT

# Playwright's sync API runs an event loop in this thread; the ORM calls made here between
# browser steps are synchronous and safe.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

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
ARTIFACTS = PROJECT_ROOT / "var" / "test-artifacts"
# axe-core, installed from the npm registry by `make axe` (part of `make test`).
AXE = PROJECT_ROOT / "var" / "npm" / "node_modules" / "axe-core" / "axe.min.js"
# Violations that keep people from using a page; minor and moderate ones are left to review.
AXE_BLOCKING = ("serious", "critical")

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 800}
FITS_THE_SCREEN = "document.documentElement.scrollWidth <= innerWidth"
# The elements whose right edge lies beyond the screen, to name what spills over.
TOO_WIDE = """() => [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > innerWidth + 0.5 && e.checkVisibility())
    .slice(0, 8).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : ''))"""
# Cards whose content is wider than they are (a table or columns spilling over their edge).
SPILLING_CARDS = """() => [...document.querySelectorAll('.card, .callout')]
    .filter(card => card.scrollWidth > card.clientWidth + 1)
    .map(card => (card.querySelector('h1, h2, h3') || card).textContent.trim().slice(0, 40))"""


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


@pytest.fixture
def screenshot():
    """Save a full-page screenshot under var/test-artifacts/ for people to look at."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=path, full_page=True)
        return path

    return take


def log_in(page, base_url: str, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{base_url}/login/")
    page.get_by_label("Email").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def fits_the_screen(page) -> tuple[bool, list]:
    """Whether the page scrolls sideways, with what spills over: the elements beyond the
    screen's edge when it does, the cards wider inside than outside when it does not."""
    fits = page.evaluate(FITS_THE_SCREEN)
    return fits, page.evaluate(SPILLING_CARDS) if fits else page.evaluate(TOO_WIDE)


def image_loaded(page, image) -> None:
    """Wait until ``image`` (a locator) is scrolled into view and its picture has arrived."""
    image.scroll_into_view_if_needed()
    page.wait_for_function(
        "image => image.complete && image.naturalWidth > 0", arg=image.element_handle()
    )


def screen_text(page) -> str:
    """What a sighted reader sees: hidden elements are not in innerText."""
    return page.evaluate("() => document.body.innerText")


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.is_file():
        pytest.fail(f"axe-core is missing at {AXE}: run `make axe`")
    return AXE.read_text()


@pytest.fixture
def axe_check(axe_source):
    """Run axe-core in the page as it is now and fail on any serious or critical violation.

    The script is evaluated through the browser's debugging protocol, which the page's
    Content-Security-Policy does not govern, so the page is checked under its real policy.
    """

    def check(page) -> None:
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            page.evaluate(axe_source)
        results = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
        blocking = [
            f"{violation['id']} ({violation['impact']}): {violation['help']} at "
            + ", ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
            for violation in results["violations"]
            if violation["impact"] in AXE_BLOCKING
        ]
        assert blocking == [], f"{page.url}: " + "; ".join(blocking)

    return check
