"""The staff inbox in Chromium on a phone (390 x 844), in English and in Chinese: the header's
menu holds the inbox with its unread count, the page fits the screen and passes axe, and "mark
all as read" empties the count."""

import pytest
from django.core.management import call_command

from sellers.models import ApplicationEvent, Notification
from sellers.services.notifications import staff_notification_send
from tests.browser.conftest import PHONE, fits_the_screen, log_in
from tests.sellers.factories import ApplicationFactory

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_browser_a_reviewer_reads_and_clears_the_inbox_on_a_phone(
    live_server, browser, seller_a, reviewer, language, axe_check, screenshot
):
    call_command("compilemessages", "--ignore=.venv", verbosity=0)
    for brand in ("LUMIBRIGHT", "GLOWNEST"):
        application = ApplicationFactory(company=seller_a.company, brand__name=brand)
        event = ApplicationEvent.objects.create(
            application=application,
            actor=seller_a.owner,
            actor_label=seller_a.owner.username,
            action="seller_message",
            seller_visible=True,
            note=f"The audit for {brand} is attached; it is the one from March.",
        )
        staff_notification_send(
            user=reviewer,
            event=event,
            subject=f"Seller message: {brand}",
            body=f"The audit for {brand} is attached; it is the one from March.",
            link=f"/review/applications/{application.pk}/#conversation",
        )
    page = browser.new_context(viewport=PHONE).new_page()
    log_in(page, live_server.url, reviewer.username)
    if language != "en":
        page.get_by_role("button", name="Menu").click()
        page.get_by_label("Language").select_option(language)
        page.get_by_role("button", name="Switch").click()
    names = {"en": ("Notifications (2 unread)", "Mark all as read", "Menu")}
    names["zh-hans"] = ("通知 (2 条未读)", "全部标为已读", "菜单")
    inbox_name, mark_name, menu_name = names[language]

    page.goto(f"{live_server.url}/review/")
    inbox = page.get_by_role("link", name=inbox_name, exact=True)
    assert not inbox.is_visible()
    page.get_by_role("button", name=menu_name).click()
    assert inbox.is_visible()
    box = inbox.bounding_box()
    assert box["x"] + box["width"] <= PHONE["width"]
    screenshot(page, f"reviewer-inbox-menu-phone-{language}")
    axe_check(page)
    inbox.click()

    page.wait_for_url(f"{live_server.url}/review/notifications/")
    items = page.locator(".notifications li.unread")
    assert items.count() == 2
    assert fits_the_screen(page) == (True, [])
    screenshot(page, f"reviewer-inbox-phone-{language}")
    axe_check(page)

    page.get_by_role("button", name=mark_name).click()
    page.wait_for_load_state()

    assert page.locator(".notifications li.unread").count() == 0
    assert page.locator(".site-nav .count").count() == 0
    assert not Notification.objects.filter(user=reviewer, read_at__isnull=True).exists()
