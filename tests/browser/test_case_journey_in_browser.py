"""One case from search to admission, walked in Chromium by the people who handle it.

A senior reviewer searches for a high-risk application by its brand, claims the whole case,
reads a page of its test report inline and closes it, and requests changes. The seller, on a
phone, answers in the conversation, replaces the test report and resubmits; the application
comes back to the same reviewer, who proposes its approval. The program manager sends the
proposal back and its proposer is told, by notice, by mail and at the top of the queue; the
second proposal is confirmed, and the dashboard counts one approval and one change request,
not the proposal sent back. The seller's pages fit the phone, the reviewer's pages read in
Chinese carry no catalogued English, and axe-core finds no serious or critical violation on any
page visited.
"""

from pathlib import Path

import pytest
from django.core.management import call_command

from reviews.models import QueueItem, ReviewQueue, ScreeningRun
from reviews.queues import queue_item_open
from sellers.models import ApplicationEvent, ApplicationMessage, Notification, Status
from tests.browser.conftest import (
    LAPTOP,
    PHONE,
    fits_the_screen,
    image_loaded,
    log_in,
    screen_text,
)
from tests.catalogue import untranslated_in
from tests.reviews.factories import ReviewQueueFactory
from tests.reviews.views.case_support import RESULTS, pdf_pages, whole_case

pytestmark = pytest.mark.browser

PDF_TITLE = "Product test report: test-report.pdf"
CHANGE_REQUEST = (
    "The certificate number on the test report is not the one SGS issued; "
    "please upload the signed report."
)
ANSWER = "The first file was an unsigned draft. The signed report is in its place now."
SEND_BACK_NOTE = "Compare the certificate number on the signed report with SGS first."
SECOND_LOOK = "SGS confirmed the certificate number by mail."
# What people wrote is data, as names and file names are: the language check reads the rest.
PEOPLES_WORDS = (CHANGE_REQUEST, ANSWER, SEND_BACK_NOTE, SECOND_LOOK)
# What screening scored the case before it reached the queue: its results add up to this.
FIRST_RISK = sum(score for _code, _outcome, score, _text in RESULTS)


def _text(locator) -> str:
    return " ".join(locator.inner_text().split())


def _interface_text(page) -> str:
    text = screen_text(page)
    for words in PEOPLES_WORDS:
        text = text.replace(words, " ")
    return text


def test_browser_a_case_from_search_to_admission(
    live_server,
    browser,
    settings,
    seller_a,
    senior_reviewer,
    manager,
    mailoutbox,
    tmp_path,
    axe_check,
    screenshot,
):
    call_command("compilemessages", "--ignore=.venv", verbosity=0)
    # This program sends cases of 40 points or more to its senior reviewers, and their approval
    # takes effect only when a second senior reviewer confirms it.
    settings.SCREENING_SENIOR_RISK = 40
    reviewer = senior_reviewer
    queue = ReviewQueueFactory(
        name="Senior review",
        risk_level=ReviewQueue.RiskLevel.SENIOR,
        categories=[],
        members=[reviewer, manager],
    )
    case = whole_case(seller_a.company, risk_score=FIRST_RISK)
    application = case.application
    ScreeningRun.objects.filter(application=application).update(
        risk_score=FIRST_RISK, route=ScreeningRun.Route.SENIOR
    )
    queue_item_open(application_id=application.pk)
    signed = tmp_path / "test-report-signed.pdf"
    signed.write_bytes(pdf_pages("Signed test report page 1", "Signed test report page 2"))
    base = live_server.url
    case_url = f"{base}/review/applications/{application.pk}/"

    # The reviewer finds the application by its brand and opens the whole case.
    desk_context = browser.new_context(viewport=LAPTOP)
    desk = desk_context.new_page()
    log_in(desk, base, reviewer.username)
    desk.get_by_role("heading", name="Review queue").wait_for()
    axe_check(desk)
    desk.get_by_role("navigation", name="Main").get_by_role("link", name="Search").click()
    desk.get_by_role("heading", name="Search").wait_for()
    axe_check(desk)
    desk.get_by_label("Search", exact=True).fill("lumibright")
    desk.get_by_role("button", name="Search").click()
    results = desk.locator("table.data tbody tr")
    results.first.wait_for()
    found = results.all_inner_texts()
    axe_check(desk)
    desk.get_by_role("link", name=application.reference).click()
    desk.get_by_role("heading", name="LUMIBRIGHT").wait_for()
    assert len(found) == 1
    assert found[0].split("\t")[:2] == [application.reference, "LUMIBRIGHT"]
    assert desk.url == case_url
    chain = desk.get_by_role("region", name="Authorization chain")
    assert chain.get_by_role(
        "heading", name=f"Link 2: {case.links[1].grantor_name} to {seller_a.company.legal_name}"
    ).is_visible()
    assert "CQC-2026-0042" in desk.locator("#case-facilities").inner_text()
    axe_check(desk)
    desk.get_by_role("button", name="Claim").click()
    desk.get_by_role("button", name="Request changes").wait_for()
    application.refresh_from_db()
    assert (application.status, application.assignee) == (Status.IN_REVIEW, reviewer)
    axe_check(desk)

    # A page of the test report opens in the viewer over the case, and closes back to it.
    thumbnail = desk.get_by_role("link", name=f"Page 1 of {PDF_TITLE}")
    image_loaded(desk, thumbnail.get_by_role("img"))
    thumbnail.click()
    viewer = desk.get_by_role("dialog", name=PDF_TITLE)
    picture = viewer.get_by_role("img", name=f"Page 1 of {PDF_TITLE}")
    image_loaded(desk, picture)
    viewer.get_by_role("button", name="Zoom in").click()
    viewer.get_by_text("Zoom: 150%").wait_for()
    screenshot(desk, "journey-reviewer-reads-the-report")
    axe_check(desk)
    viewer.get_by_role("button", name="Close").click()
    viewer.wait_for(state="hidden")
    assert (desk.url, len(desk_context.pages)) == (case_url, 1)

    desk.get_by_label("Message to the seller").fill(CHANGE_REQUEST)
    desk.get_by_role("button", name="Request changes").click()
    desk.get_by_text("Changes were requested from the seller of LUMIBRIGHT.").wait_for()
    axe_check(desk)
    application.refresh_from_db()
    assert application.status == Status.CHANGES_REQUESTED
    request = application.events.get(action="request_changes")
    assert (request.actor, request.note) == (reviewer, CHANGE_REQUEST)
    assert not QueueItem.objects.open().filter(application=application).exists()

    # The seller, on a phone, answers in the conversation, replaces the report and resubmits.
    phone = browser.new_context(viewport=PHONE).new_page()
    seller_pages = []

    def seller_page_checked(name: str) -> None:
        seller_pages.append((name, fits_the_screen(phone)))
        screenshot(phone, f"journey-seller-{name}")
        axe_check(phone)

    log_in(phone, base, seller_a.owner.username)
    phone.get_by_role("link", name="LUMIBRIGHT").wait_for()
    seller_page_checked("applications")
    phone.get_by_role("link", name="LUMIBRIGHT").click()
    phone.locator("blockquote").get_by_text(CHANGE_REQUEST).first.wait_for()
    seller_page_checked("changes-requested")

    conversation = phone.locator("#conversation")
    conversation.get_by_label("Write to the review team").fill(ANSWER)
    conversation.get_by_role("button", name="Send message").click()
    phone.get_by_text("Your message was sent to the review team.").wait_for()
    seller_page_checked("answered")

    report = phone.get_by_role("row").filter(has_text="test-report.pdf")
    report.locator("summary", has_text="Replace").click()
    report.get_by_label("New file in place of test-report.pdf").set_input_files(signed)
    seller_page_checked("replacing")
    report.get_by_role("button", name="Replace the file").click()
    phone.get_by_text("“test-report.pdf” was replaced with “test-report-signed.pdf”.").wait_for()
    seller_page_checked("replaced")

    phone.get_by_role("button", name="Resubmit for review").click()
    phone.get_by_text("Your application was resubmitted.").wait_for()
    assert phone.locator(".badge-large").inner_text() == "Under review"
    seller_page_checked("resubmitted")
    phone.goto(f"{base}/notifications/")
    phone.get_by_text("LUMIBRIGHT").first.wait_for()
    seller_page_checked("notifications")
    assert seller_pages == [(name, (True, [])) for name, _fits in seller_pages]

    message = ApplicationMessage.objects.get(application=application)
    assert (message.side, message.author, message.body) == ("seller", seller_a.owner, ANSWER)
    case.pdf.refresh_from_db()
    replacement = case.pdf.replaced_by
    assert replacement.original_name == "test-report-signed.pdf"
    assert Path(replacement.file.path).read_bytes() == signed.read_bytes()
    assert (case.pdf.withdrawn_by, replacement.withdrawn_at) == (seller_a.owner, None)
    # Withdrawn, never deleted: the first report is kept with its file.
    assert case.pdf.withdrawn_at is not None
    assert Path(case.pdf.file.path).is_file()
    # Back with the reviewer who asked for the changes, in the senior queue again.
    application.refresh_from_db()
    assert application.status == Status.IN_REVIEW
    assert application.assignee == reviewer
    assert application.risk_score >= settings.SCREENING_SENIOR_RISK
    item = QueueItem.objects.open().get(application=application)
    assert (item.queue, item.assignee) == (queue, reviewer)
    back = application.events.filter(action="assign").get()
    assert (back.actor_label, back.note) == (
        "Automatic assignment",
        f"Back to {reviewer.username}, who requested the changes.",
    )
    assert list(
        application.events.filter(pk__gt=request.pk)
        .exclude(action__in=("start_screening", "finish_screening"))
        .values_list("action", flat=True)
    ) == ["seller_message", "evidence_replaced", "resubmit", "assign"]

    # The reviewer finds the answer waiting and the case among theirs; it shows which file
    # replaced which.
    desk.goto(f"{base}/review/")
    waiting = desk.get_by_role("region", name="Waiting for you")
    assert ANSWER in _text(waiting)
    assert "LUMIBRIGHT" in _text(desk.get_by_role("region", name="Claimed by me"))
    axe_check(desk)
    waiting.get_by_role("link", name="LUMIBRIGHT").click()
    thread = desk.locator("#conversation")
    thread.get_by_text(ANSWER).wait_for()
    replaced = desk.locator("#case-evidence .evidence-replaces")
    assert replaced.inner_text().startswith("replaces test-report.pdf (withdrawn ")
    axe_check(desk)

    # Approving a high-risk case proposes the approval to a second senior reviewer.
    desk.get_by_role("button", name="Approve").click()
    desk.get_by_text(
        "LUMIBRIGHT is high-risk: the approval takes effect when a second senior reviewer "
        "confirms it."
    ).wait_for()
    axe_check(desk)
    application.refresh_from_db()
    assert (application.status, application.proposed_by) == (Status.PROPOSED, reviewer)
    told = Notification.objects.get(event__to_status=Status.PROPOSED)
    assert (told.user, told.application) == (manager, application)
    assert [m.subject for m in mailoutbox if m.to == [manager.email]] == ["To confirm: LUMIBRIGHT"]

    # The manager finds it waiting and sends it back with a note.
    second = browser.new_context(viewport=LAPTOP).new_page()
    log_in(second, base, manager.username)
    proposals = second.get_by_role("region", name="Waiting for you")
    assert (
        f"LUMIBRIGHT: Approve proposed by {reviewer.username}, waiting for your confirmation"
        in _text(proposals)
    )
    axe_check(second)
    queue_url = second.url
    proposals.get_by_role("link", name="LUMIBRIGHT").click()
    second.get_by_label("Internal note").fill(SEND_BACK_NOTE)
    axe_check(second)
    second.get_by_role("button", name="Send back to the reviewer").click()
    second.get_by_text("The proposal on LUMIBRIGHT went back to its reviewer.").wait_for()
    assert second.url == queue_url
    axe_check(second)

    application.refresh_from_db()
    assert (application.status, application.assignee, application.proposed_by) == (
        Status.IN_REVIEW,
        reviewer,
        None,
    )
    notice = Notification.objects.get(event__action="send_back")
    assert (notice.user, notice.application) == (reviewer, application)
    assert SEND_BACK_NOTE in notice.body
    reviewer_mail = [m for m in mailoutbox if m.to == [reviewer.email]]
    assert [m.subject for m in reviewer_mail] == [
        "Seller message: LUMIBRIGHT",
        "Sent back: LUMIBRIGHT",
    ]
    assert SEND_BACK_NOTE in reviewer_mail[1].body

    # The proposer finds the send-back and its note at the top of the queue page.
    desk.goto(f"{base}/review/")
    note = desk.get_by_role("region", name="Waiting for you").locator(
        "li", has_text="your proposal was sent back"
    )
    assert _text(note) == (
        f"LUMIBRIGHT: your proposal was sent back by {manager.username} {SEND_BACK_NOTE}"
    )
    screenshot(desk, "journey-proposal-sent-back")
    axe_check(desk)

    # Proposed again once checked, and confirmed by the manager this time.
    note.get_by_role("link", name="LUMIBRIGHT").click()
    desk.get_by_label("Internal note").fill(SECOND_LOOK)
    desk.get_by_role("button", name="Approve").click()
    desk.get_by_text("LUMIBRIGHT is high-risk").wait_for()
    second.goto(queue_url)
    second.get_by_role("region", name="Waiting for you").get_by_role(
        "link", name="LUMIBRIGHT"
    ).click()
    axe_check(second)
    second.get_by_role("button", name="Confirm the proposed decision").click()
    second.get_by_text("Decision confirmed: LUMIBRIGHT is now “Approved”.").wait_for()
    axe_check(second)
    application.refresh_from_db()
    assert application.status == Status.APPROVED
    assert list(
        ApplicationEvent.objects.filter(
            application=application, action__in=("propose_approval", "send_back", "confirm")
        ).values_list("action", "actor")
    ) == [
        ("propose_approval", reviewer.pk),
        ("send_back", manager.pk),
        ("propose_approval", reviewer.pk),
        ("confirm", manager.pk),
    ]

    # The dashboard counts what was decided: one approval and one change request; the
    # proposal sent back decided nothing.
    second.get_by_role("link", name="Program dashboard").click()
    second.get_by_role("heading", name="At a glance").wait_for()
    tiles = {
        _text(tile.locator(".tile-label")): _text(tile.locator(".tile-figure"))
        for tile in second.locator(".tile").all()
    }
    decisions = [
        [int(value) for value in row.split("\t")[1:]]
        for row in second.locator("#table-decisions tbody tr").all_inner_texts()
    ]
    screenshot(second, "journey-dashboard")
    axe_check(second)
    assert tiles["Places used"] == "1 of 1,000"
    assert tiles["Waiting for a decision"] == "0"
    assert tiles["Admitted this month"] == "1"
    # Approved, waitlisted, rejected, changes requested, total: over the weeks shown.
    assert [sum(column) for column in zip(*decisions, strict=True)] == [1, 0, 0, 1, 2]
    assert _text(second.locator("#chart-trend-2 p")) == "2 decided in 12 weeks."
    assert _text(second.locator("#chart-trend-3 p")) == "1 admitted in 12 weeks."

    # The reviewer's pages in Chinese carry no catalogued English.
    desk.goto(f"{base}/review/")
    desk.get_by_label("Language").select_option("zh-hans")
    desk.get_by_role("button", name="Switch").click()
    desk.get_by_role("heading", name="审核队列", exact=True).wait_for()
    left_in_english = {}
    for url in (
        f"{base}/review/",
        f"{base}/review/search/?q=lumibright",
        case_url,
    ):
        desk.goto(url)
        assert desk.locator("html").get_attribute("lang") == "zh-hans"
        left_in_english[url] = untranslated_in(_interface_text(desk))
        axe_check(desk)
    screenshot(desk, "journey-reviewer-case-zh")
    assert left_in_english == {url: [] for url in left_in_english}
