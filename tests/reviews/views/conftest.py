"""The reviewer pages driven through Chromium use the browser fixtures of tests/browser."""

from tests.browser.conftest import axe_check, axe_source, browser, screenshot

__all__ = ["axe_check", "axe_source", "browser", "screenshot"]
