"""The staff inbox: what was written to a reviewer or manager, newest first, unread marked, each
entry opening what it is about; "mark all as read" marks what the page showed; the header counts
the unread entries; nothing about a company behind the reader's wall."""

import re

from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from reviews.services import conflict_declare
from sellers.actors import MANAGER_GROUP, actor_for_user
from sellers.models import Notification, Status
from sellers.services.messages import application_message_post
from sellers.services.notifications import staff_notification_send
from tests.catalogue import chinese_client, untranslated_on
from tests.inbox_pages import inbox_paged_through
from tests.pages import logged_in, page_text
from tests.sellers.conversation_support import changes_requested
from tests.sellers.factories import ApplicationFactory, ReviewerFactory, UserFactory

INBOX = "/review/notifications/"


def _seller_writes(seller, reviewer, brand: str, body: str):
    """An application of ``seller`` that ``reviewer`` sent back, answered by the seller in
    English."""
    application = changes_requested(seller, reviewer, brand__name=brand)
    with translation.override("en"):
        application_message_post(actor=seller.actor, application_id=application.pk, body=body)
    return application


def _conversation(application) -> str:
    return reverse("reviews:workspace", args=[application.pk]) + "#conversation"


def _entries(response) -> list[tuple[str, str, bool]]:
    """(subject, the address it opens, unread) of each entry on the page, top to bottom."""
    return [
        (entry.subject, entry.open_path, entry.read_at is None)
        for entry in response.context["entries"]
    ]


def _badge(response) -> str:
    """The header's inbox link as read out: its words, the figure hidden from the ear."""
    html = page_text(response)
    link = re.search(r'<a href="/review/notifications/">(.*?)</a>', html, re.S).group(1)
    return " ".join(
        re.sub(r'<span class="count" aria-hidden="true">\d+</span>|<[^>]+>', " ", link).split()
    )


def test_the_inbox_lists_the_readers_own_entries_newest_first_each_opening_its_place(
    seller_a, seller_b, reviewer, other_reviewer
):
    first = _seller_writes(seller_a, reviewer, "LUMIBRIGHT", "Here is the audit.")
    second = _seller_writes(seller_b, reviewer, "HARBORPOT", "Is the 2025 report fine?")
    _seller_writes(seller_a, other_reviewer, "GLOWNEST", "For somebody else.")

    response = logged_in(reviewer).get(reverse("reviews:notifications"))

    assert reverse("reviews:notifications") == INBOX
    assert _entries(response) == [
        ("Seller message: HARBORPOT", _conversation(second), True),
        ("Seller message: LUMIBRIGHT", _conversation(first), True),
    ]
    html = page_text(response)
    assert (
        f'<a class="strong-link" href="{_conversation(second)}">Seller message: HARBORPOT</a>'
        in (html)
    )
    assert html.count('<li class="unread">') == 2
    assert "Is the 2025 report fine?" in html
    assert "GLOWNEST" not in html
    assert re.search(r'<span class="count" aria-hidden="true">2</span>', html)
    assert _badge(response) == "Notifications (2 unread)"


def test_a_proposal_entry_opens_the_case_from_the_confirmations_and_a_send_back_the_case(
    settings, seller_a, senior_reviewer
):
    settings.SCREENING_SENIOR_RISK = 50
    confirmer = ReviewerFactory(username="cy.senior@brand-program.example", senior=True)
    application = ApplicationFactory(
        company=seller_a.company,
        in_review=True,
        assignee=senior_reviewer,
        risk_score=80,
        brand__name="RISKY",
    )
    workspace = reverse("reviews:workspace", args=[application.pk])
    logged_in(senior_reviewer).post(workspace, {"action": "approve", "message": "Welcome."})
    confirming = logged_in(confirmer)
    waiting = confirming.get(INBOX)
    confirming.post(workspace, {"action": "send_back", "internal_note": "Check the licence."})

    back = logged_in(senior_reviewer).get(INBOX)

    application.refresh_from_db()
    assert application.status == Status.IN_REVIEW
    confirmations = reverse("reviews:confirmations")
    assert _entries(waiting) == [("To confirm: RISKY", f"{workspace}?next={confirmations}", True)]
    assert _entries(back) == [("Sent back: RISKY", workspace, True)]
    assert "Check the licence." in page_text(back)


def test_mark_all_as_read_marks_what_the_page_showed_and_needs_the_forms_token(
    seller_a, seller_b, reviewer
):
    _seller_writes(seller_a, reviewer, "LUMIBRIGHT", "Here is the audit.")
    client = Client(enforce_csrf_checks=True)
    client.force_login(reviewer)
    page = client.get(INBOX)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page_text(page)).group(1)
    up_to = re.search(r'name="up_to" value="(\d+)"', page_text(page)).group(1)
    # Written while the reviewer was reading the page: not among what they marked.
    later = _seller_writes(seller_b, reviewer, "HARBORPOT", "One more thing.")

    forged = client.post(INBOX, {"up_to": up_to})
    unread_after_forged = Notification.objects.filter(user=reviewer, read_at__isnull=True).count()
    marked = client.post(INBOX, {"up_to": up_to, "csrfmiddlewaretoken": token})
    after = client.get(INBOX)

    assert forged.status_code == 403
    assert unread_after_forged == 2
    assert (marked.status_code, marked.url) == (302, INBOX)
    assert list(
        Notification.objects.filter(user=reviewer)
        .order_by("pk")
        .values_list("application__brand__name", flat=True)
        .filter(read_at__isnull=True)
    ) == ["HARBORPOT"]
    assert [(subject, unread) for subject, _path, unread in _entries(after)] == [
        ("Seller message: HARBORPOT", True),
        ("Seller message: LUMIBRIGHT", False),
    ]
    assert _badge(after) == "Notifications (1 unread)"
    assert later.pk in [entry.application_id for entry in after.context["entries"]]


def test_with_nothing_unread_the_header_shows_no_count_and_the_page_says_so(reviewer):
    response = logged_in(reviewer).get(INBOX)

    assert response.context["entries"] == []
    assert _badge(response) == "Notifications"
    assert 'class="count"' not in page_text(response)
    assert "No notifications yet." in page_text(response)
    assert 'name="up_to"' not in page_text(response)


def test_entries_about_a_company_declared_a_conflict_with_are_kept_from_the_reader(
    seller_a, seller_b, reviewer
):
    _seller_writes(seller_a, reviewer, "LUMIBRIGHT", "Here is the audit.")
    kept = _seller_writes(seller_b, reviewer, "HARBORPOT", "Is the 2025 report fine?")
    conflict_declare(
        actor=actor_for_user(reviewer), company=seller_a.company, reason="Former employer"
    )

    response = logged_in(reviewer).get(INBOX)

    assert _entries(response) == [("Seller message: HARBORPOT", _conversation(kept), True)]
    assert "LUMIBRIGHT" not in page_text(response)
    assert seller_a.company.legal_name not in page_text(response)
    assert _badge(response) == "Notifications (1 unread)"


def test_a_manager_reads_their_inbox_and_sellers_and_visitors_do_not(seller_a, senior_reviewer):
    manager = UserFactory(username="mo.manager@brand-program.example")
    manager.groups.add(Group.objects.get_or_create(name=MANAGER_GROUP)[0])
    application = _seller_writes(seller_a, senior_reviewer, "LUMIBRIGHT", "Here is the audit.")
    event = application.events.get(action="seller_message")
    staff_notification_send(
        user=manager, event=event, subject="Escalated: LUMIBRIGHT", body="Have a look."
    )

    own = logged_in(manager).get(INBOX)
    seller = logged_in(seller_a.owner)
    seller_read, seller_marked = seller.get(INBOX), seller.post(INBOX)
    visitor = Client().get(INBOX)

    workspace = reverse("reviews:workspace", args=[application.pk])
    assert _entries(own) == [("Escalated: LUMIBRIGHT", workspace, True)]
    assert (seller_read.status_code, seller_marked.status_code) == (404, 404)
    assert Notification.objects.get(user=manager).read_at is None
    assert visitor.status_code == 302
    assert visitor.url.startswith(reverse("login"))


def test_the_inbox_needs_the_same_queries_for_one_entry_and_thirty(
    seller_a, reviewer, django_assert_num_queries
):
    application = _seller_writes(seller_a, reviewer, "LUMIBRIGHT", "Here is the audit.")
    client = logged_in(reviewer)
    with CaptureQueriesContext(connection) as one:
        client.get(INBOX)
    Notification.objects.bulk_create(
        Notification(
            user=reviewer,
            application=application,
            topic=f"reminder:{number}",
            subject=f"Reminder {number}",
            body="Still waiting.",
        )
        for number in range(29)
    )

    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(INBOX)

    assert len(response.context["entries"]) == 30


def test_the_inbox_reads_in_chinese_entries_written_in_the_readers_language(seller_a, reviewer):
    # Logging in in Chinese is what makes the entries written to the reviewer Chinese too.
    client = chinese_client(reviewer)
    _seller_writes(seller_a, reviewer, "LUMIBRIGHT", "Here is the audit.")

    response = client.get(INBOX)

    html = page_text(response)
    assert "<h1>通知</h1>" in html
    assert "全部标为已读" in html
    assert "(1 条未读)" in html
    assert "原文为英文，未经翻译。" in html  # noqa: RUF001 (full-width comma)
    assert untranslated_on(response) == []


def test_the_inbox_pages_through_every_entry_newest_first(reviewer, other_reviewer):
    inbox_paged_through(reviewer, other_reviewer, INBOX, "entries")
