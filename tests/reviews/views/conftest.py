"""The reviewer pages driven through Chromium use the browser fixtures of tests/browser."""

from tests.browser.conftest import browser, screenshot

__all__ = ["browser", "screenshot"]
