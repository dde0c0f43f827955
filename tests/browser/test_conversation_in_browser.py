"""The conversation in Chromium: a reviewer requests changes, the seller (reading Chinese)
answers with a file without resubmitting, and the reviewer finds the answer at the top of the
queue page, reads it and writes back."""

from pathlib import Path

import pytest
from django.core.management import call_command

from sellers.models import ApplicationMessage, Status
from tests.browser.conftest import log_in
from tests.files import pdf_bytes
from tests.sellers.factories import ApplicationFactory

pytestmark = pytest.mark.browser

CHANGE_REQUEST = "Please send the factory audit report; it may be at most two years old."
ANSWER = "审计报告已附上，是 2026 年 3 月的。"  # noqa: RUF001


def test_browser_seller_answers_a_change_request_in_the_conversation(
    live_server, browser, seller_a, reviewer, tmp_path, screenshot, axe_check
):
    call_command("compilemessages", "--ignore=.venv", verbosity=0)
    audit = tmp_path / "audit-2026.pdf"
    audit.write_bytes(pdf_bytes("Factory audit report, March 2026"))
    application = ApplicationFactory(
        company=seller_a.company,
        brand__name="LUMIBRIGHT",
        in_review=True,
        assignee=reviewer,
        risk_score=5,
    )

    desk = browser.new_context().new_page()
    log_in(desk, live_server.url, reviewer.username)
    desk.goto(f"{live_server.url}/review/applications/{application.pk}/")
    desk.get_by_label("Message to the seller").fill(CHANGE_REQUEST)
    desk.get_by_role("button", name="Request changes").click()
    desk.get_by_text("Changes were requested from the seller of LUMIBRIGHT.").wait_for()

    seller = browser.new_context().new_page()
    log_in(seller, live_server.url, seller_a.owner.username)
    seller.get_by_label("Language").select_option("zh-hans")
    seller.get_by_role("button", name="Switch").click()
    seller.get_by_role("heading", name="我的申请").wait_for()
    seller.get_by_role("link", name="LUMIBRIGHT").click()
    conversation = seller.locator("#conversation")
    conversation.get_by_role("heading", name="对话").wait_for()
    assert "无需重新提交" in conversation.inner_text()
    axe_check(seller)
    conversation.get_by_label("给审核团队留言").fill(ANSWER)
    conversation.get_by_label("附加文件").set_input_files(audit)
    # An impatient double click sends the form twice; there is still one message.
    conversation.get_by_role("button", name="发送消息").dblclick()
    seller.get_by_text("您的消息已发送给审核团队。").wait_for()
    conversation.get_by_role("link", name="audit-2026.pdf").wait_for()
    screenshot(seller, "seller-answers-in-the-conversation")
    axe_check(seller)

    message = ApplicationMessage.objects.get()
    assert (message.side, message.language, message.body) == ("seller", "zh-hans", ANSWER)
    assert [a.original_name for a in message.attachments.all()] == ["audit-2026.pdf"]
    application.refresh_from_db()
    assert (application.status, application.assignee) == (Status.CHANGES_REQUESTED, reviewer)

    desk.goto(f"{live_server.url}/review/")
    reply = desk.locator(".seller-reply")
    reply.wait_for()
    assert ANSWER in reply.inner_text()
    screenshot(desk, "reviewer-sees-the-answer-waiting")
    axe_check(desk)
    reply.get_by_role("link", name="LUMIBRIGHT").click()
    thread = desk.locator("#conversation")
    thread.get_by_text("Written in Chinese").wait_for()
    assert ANSWER in thread.inner_text()
    with desk.expect_download() as download:
        thread.get_by_role("link", name="audit-2026.pdf").click()
    assert Path(download.value.path()).read_bytes() == audit.read_bytes()
    thread.get_by_label("Write to the seller").fill("Thank you, the audit is fine.")
    thread.get_by_role("button", name="Send to the seller").click()
    desk.get_by_text("Your message was sent to the seller.").wait_for()
    screenshot(desk, "reviewer-answers-in-the-conversation")
    axe_check(desk)

    seller.reload()
    answer = seller.locator("#conversation li").last
    assert "原文为英文" in answer.inner_text()
    assert "Thank you, the audit is fine." in answer.inner_text()
    axe_check(seller)
    desk.goto(f"{live_server.url}/review/")
    assert desk.locator(".seller-reply").count() == 0
