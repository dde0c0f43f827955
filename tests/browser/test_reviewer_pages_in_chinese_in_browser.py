"""A manager switches to Simplified Chinese and walks the queue, a case and the dashboard: no
catalogued English is left on the screen, the check explanations included, and the pages pass
axe-core."""

import pytest
from django.core.management import call_command
from django.utils import translation

from sellers.models import Status
from sellers.workflow.transition import application_transition
from tests.browser.conftest import log_in, screen_text
from tests.catalogue import untranslated_in
from tests.reviews.factories import ReviewQueueFactory
from tests.sellers.factories import ApplicationFactory, CategoryFactory, ProgramFactory

pytestmark = pytest.mark.browser


def test_browser_manager_reads_the_reviewer_pages_in_chinese(
    live_server, browser, seller_a, manager, screenshot, axe_check
):
    call_command("compilemessages", "--ignore=.venv", verbosity=0)
    ProgramFactory()
    lighting = CategoryFactory()
    ReviewQueueFactory(name="Lighting", members=[manager], categories=[lighting])
    manager.first_name, manager.last_name = "Mia", "Chen"
    manager.save(update_fields=["first_name", "last_name"])
    application = ApplicationFactory(
        company=seller_a.company, brand__name="LUMIBRIGHT", categories=[lighting]
    )
    # Submitted from a Chinese page: screening ran while Chinese was the active language.
    with translation.override("zh-hans"):
        application_transition(application_id=application.pk, action="submit", actor=seller_a.actor)
    application.refresh_from_db()
    assert application.status == Status.AWAITING_REVIEW

    page = browser.new_context().new_page()
    log_in(page, live_server.url, manager.username)
    page.get_by_label("Language").select_option("zh-hans")
    page.get_by_role("button", name="Switch").click()
    page.get_by_role("heading", name="审核队列", exact=True).wait_for()
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert untranslated_in(screen_text(page)) == []
    screenshot(page, "reviewer-queue-zh")
    axe_check(page)

    page.get_by_role("link", name="LUMIBRIGHT").first.click()
    page.get_by_role("heading", name="决定").wait_for()
    screening = page.locator("table.data").filter(has_text="供应链")
    assert "该公司未登记任何工厂" in screening.inner_text()
    assert untranslated_in(screen_text(page)) == []
    screenshot(page, "reviewer-case-zh")
    axe_check(page)

    page.get_by_role("link", name="计划仪表盘").click()
    page.get_by_role("heading", name="计划仪表盘 · 千级品牌计划").wait_for()
    assert untranslated_in(screen_text(page)) == []
    screenshot(page, "dashboard-zh")
    axe_check(page)
