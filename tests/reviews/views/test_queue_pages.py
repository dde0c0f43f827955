"""The queue page: per-queue counts, items in working order, claim-next and a lead's assignment."""

import datetime
from urllib.parse import urlencode

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from reviews.models import QueueItem, ReviewQueue
from reviews.services import conflict_declare
from sellers.actors import actor_for_user
from sellers.models import Application, ApplicationEvent, Notification, Status
from tests.pages import logged_in, messages_on, page_text
from tests.reviews.factories import ReviewQueueFactory
from tests.reviews.queues.queue_support import screened
from tests.sellers.factories import ApplicationFactory, CategoryFactory, ReviewerFactory


def _queue_url(queue) -> str:
    return f"{reverse('reviews:queue')}?queue={queue.pk}"


def test_queue_page_shows_counts_oldest_age_and_items_by_due_time(db, reviewer, other_reviewer):
    lighting = ReviewQueueFactory(name="Lighting", members=[reviewer, other_reviewer])
    toys = ReviewQueueFactory(
        name="Toys", members=[reviewer], categories=[CategoryFactory(code="toys", name="Toys")]
    )
    ReviewQueueFactory(name="Not mine", categories=[CategoryFactory(code="bags", name="Bags")])
    later, sooner, taken = (screened(brand__name=name) for name in ("LATER", "SOONER", "TAKEN"))
    now = timezone.now()
    QueueItem.objects.filter(application=later).update(
        due_at=now + datetime.timedelta(days=2), entered_at=now - datetime.timedelta(hours=5)
    )
    QueueItem.objects.filter(application=sooner).update(due_at=now - datetime.timedelta(hours=1))
    QueueItem.objects.filter(application=taken).update(due_at=now + datetime.timedelta(days=1))
    logged_in(other_reviewer).post(reverse("reviews:claim", args=[taken.pk]))

    response = logged_in(reviewer).get(_queue_url(lighting))

    counts = {
        q.name: (q.waiting, q.in_review, q.breached, q.oldest_entered_at is not None)
        for q in response.context["queues"]
    }
    assert counts == {"Lighting": (2, 1, 1, True), "Toys": (0, 0, 0, False)}
    assert response.context["queues"][0].oldest_entered_at == now - datetime.timedelta(hours=5)
    assert [item["application__brand__name"] for item in response.context["items"]] == [
        "SOONER",
        "TAKEN",
        "LATER",
    ]
    text = page_text(response)
    assert "5\xa0hours" in text
    assert "Not mine" not in text
    assert f'action="/review/queues/{lighting.pk}/claim-next/"' in text
    assert 'id="assign-form"' not in text
    assert toys.name in text


def test_queue_rows_show_each_item_to_its_lead_and_to_a_manager(
    db, reviewer, other_reviewer, manager
):
    queue = ReviewQueueFactory(members=[other_reviewer], leads=[reviewer])
    late, unscored = screened(brand__name="LATE & CO"), screened(brand__name="UNSCORED")
    Application.objects.filter(pk=late.pk).update(risk_score=72)
    Application.objects.filter(pk=unscored.pk).update(risk_score=None)
    QueueItem.objects.filter(application=late).update(
        due_at=timezone.now() - datetime.timedelta(hours=2), priority=25
    )
    other_reviewer.first_name, other_reviewer.last_name = "Omar", "Haddad"
    other_reviewer.save()
    logged_in(other_reviewer).post(reverse("reviews:claim", args=[unscored.pk]))
    late_item = QueueItem.objects.get(application=late)

    lead_page = page_text(logged_in(reviewer).get(_queue_url(queue)))
    manager_page = page_text(logged_in(manager).get(_queue_url(queue)))

    assert (
        f'<input type="checkbox" name="items" value="{late_item.pk}" id="item-{late_item.pk}" '
        'aria-label="Select LATE &amp; CO">'
    ) in lead_page
    assert f'<a class="strong-link" href="/review/applications/{late.pk}/">LATE &amp; CO</a>' in (
        lead_page
    )
    assert late.company.legal_name in lead_page
    assert '<span class="risk risk-high">72</span>' in lead_page
    assert '<td class="num">25</td>' in lead_page
    assert '<span class="risk risk-none">not scored</span>' in lead_page
    assert lead_page.count('<span class="tag">overdue</span>') == 1
    assert lead_page.count('<span class="muted">nobody yet</span>') == 1
    assert "<td>Omar Haddad</td>" in lead_page
    assert "Staged decisions" not in lead_page
    # A manager leads every queue, members or not, but claims only as a member.
    assert 'id="assign-form"' in manager_page
    assert f'id="item-{late_item.pk}"' in manager_page
    assert "claim-next" not in manager_page
    assert "Staged decisions" in manager_page


def test_queue_page_needs_the_same_number_of_queries_for_1_and_50_items(
    db, reviewer, django_assert_num_queries
):
    queue = ReviewQueueFactory(members=[reviewer])
    ReviewQueueFactory(name="Second", members=[reviewer], categories=[CategoryFactory(code="toys")])
    client = logged_in(reviewer)
    screened()
    with CaptureQueriesContext(connection) as one_item:
        first = client.get(_queue_url(queue))
    for _ in range(49):
        screened()

    with django_assert_num_queries(len(one_item.captured_queries)):
        fifty = client.get(_queue_url(queue))

    assert (len(first.context["items"]), len(fifty.context["items"])) == (1, 50)
    assert fifty.context["queues"][0].waiting == 50


def test_queue_page_counts_unread_inbox_entries_in_the_statement_of_its_rows(
    seller_a, seller_b, reviewer
):
    queue = ReviewQueueFactory(members=[reviewer])
    screened()
    behind_the_wall = ApplicationFactory(company=seller_a.company)
    other = ApplicationFactory(company=seller_b.company)
    for topic, application, read_at in (
        ("unread", other, None),
        ("read", other, timezone.now()),
        ("behind the wall", behind_the_wall, None),
    ):
        Notification.objects.create(
            user=reviewer,
            application=application,
            topic=topic,
            subject=topic,
            body=topic,
            read_at=read_at,
        )
    conflict_declare(
        actor=actor_for_user(reviewer), company=seller_a.company, reason="Former employer"
    )
    client = logged_in(reviewer)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(_queue_url(queue))

    assert "(1 unread)" in page_text(response)
    notifications = [
        q["sql"] for q in queries.captured_queries if "sellers_notification" in q["sql"]
    ]
    assert len(notifications) == 1
    assert "AS items" in notifications[0]


def test_queue_page_statement_runs_prepared_with_only_the_requests_values_as_parameters(
    db, reviewer
):
    queue = ReviewQueueFactory(members=[reviewer])
    screened()
    client = logged_in(reviewer)

    pages = [client.get(_queue_url(queue)).status_code for _ in range(2)]

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT parameter_types::text[] FROM pg_prepared_statements WHERE statement LIKE %s",
            ["%json_agg%AS items%"],
        )
        prepared = [set(types) for (types,) in cursor.fetchall()]
    # The reviewer, the queue and the time; statuses and page sizes are in the statement's text,
    # where its plan can use them.
    assert pages == [200, 200]
    assert len(prepared) == 1
    assert prepared[0] <= {"smallint", "integer", "bigint", "timestamp with time zone"}


def test_queue_page_pages_through_items_in_working_order(db, reviewer, monkeypatch):
    monkeypatch.setattr("reviews.selectors.QUEUE_PAGE_ITEMS", 2)
    queue = ReviewQueueFactory(members=[reviewer])
    now = timezone.now()
    names = ["FIRST", "SECOND", "THIRD", "FOURTH", "FIFTH"]
    for hours, name in enumerate(names):
        application = screened(brand__name=name)
        QueueItem.objects.filter(application=application).update(
            due_at=now + datetime.timedelta(hours=hours)
        )
    client = logged_in(reviewer)

    def shown(page) -> list[str]:
        response = client.get(f"{_queue_url(queue)}&page={page}")
        return [item["application__brand__name"] for item in response.context["items"]], response

    with CaptureQueriesContext(connection) as first_page:
        first, response = shown(1)
    assert first == ["FIRST", "SECOND"]
    assert f'href="?queue={queue.pk}&amp;page=2"' in page_text(response)
    assert "Page 1 of 3 · items 1\N{EN DASH}2 of 5" in page_text(response)
    with CaptureQueriesContext(connection) as last_page:
        last, response = shown(3)
    assert last == ["FIFTH"]
    assert len(last_page.captured_queries) == len(first_page.captured_queries)
    assert 'rel="next"' not in page_text(response)
    assert f'href="?queue={queue.pk}&amp;page=2"' in page_text(response)
    assert shown(2)[0] == ["THIRD", "FOURTH"]
    # Out of range or not a number: the nearest real page, never an error.
    assert shown(99)[0] == ["FIFTH"]
    assert shown("x")[0] == ["FIRST", "SECOND"]


def test_queue_page_leaves_out_paging_when_one_page_holds_the_queue(db, reviewer):
    queue = ReviewQueueFactory(members=[reviewer])
    screened(brand__name="ONLY")

    response = logged_in(reviewer).get(_queue_url(queue))

    assert [item["application__brand__name"] for item in response.context["items"]] == ["ONLY"]
    assert 'class="pager"' not in page_text(response)


def test_applications_in_no_queue_list_the_oldest_few_and_say_so(db, reviewer, monkeypatch):
    monkeypatch.setattr("reviews.selectors.UNQUEUED_SHOWN", 2)
    queue = ReviewQueueFactory(members=[reviewer])
    in_queue = screened(brand__name="QUEUED")
    now = timezone.now()
    for hours, name in ((3, "OLDEST"), (1, "NEWEST"), (2, "MIDDLE")):
        ApplicationFactory(
            awaiting_review=True,
            submitted_at=now - datetime.timedelta(hours=hours),
            brand__name=name,
        )

    response = logged_in(reviewer).get(_queue_url(queue))

    shown = [application.brand.name for application in response.context["waiting"]]
    assert shown == ["OLDEST", "MIDDLE"]
    assert "The oldest 2 are shown." in page_text(response)
    assert in_queue.brand.name not in shown


def test_claim_next_button_opens_the_first_item_in_the_workspace(db, reviewer):
    queue = ReviewQueueFactory(members=[reviewer])
    first = screened(brand__name="FIRSTIN")
    screened(brand__name="SECONDIN")

    response = logged_in(reviewer).post(reverse("reviews:claim_next", args=[queue.pk]), follow=True)

    workspace = reverse("reviews:workspace", args=[first.pk])
    back = urlencode({"next": _queue_url(queue)})
    assert response.redirect_chain == [(f"{workspace}?{back}", 302)]
    first.refresh_from_db()
    assert (first.status, first.assignee) == (Status.IN_REVIEW, reviewer)
    assert "Claimed by" in page_text(response)
    assert response.context["queue_item"].queue == queue


def test_claim_next_on_an_empty_queue_says_so(db, reviewer):
    queue = ReviewQueueFactory(members=[reviewer])

    response = logged_in(reviewer).post(reverse("reviews:claim_next", args=[queue.pk]), follow=True)

    assert response.redirect_chain == [(_queue_url(queue), 302)]
    assert messages_on(response) == ["Nothing is waiting in Lighting."]


def test_lead_assigns_ticked_items_from_the_queue_page(db, reviewer, other_reviewer):
    lead = ReviewerFactory(username="lea.lead@brand-program.example")
    queue = ReviewQueueFactory(
        members=[reviewer, other_reviewer],
        leads=[lead],
        assignment_mode=ReviewQueue.AssignmentMode.MANUAL,
    )
    one, two, three = (screened(brand__name=name) for name in ("ONE", "TWO", "THREE"))
    client = logged_in(lead)
    page = client.get(_queue_url(queue))
    items = {item.application_id: item.pk for item in QueueItem.objects.all()}

    response = client.post(
        reverse("reviews:assign", args=[queue.pk]),
        {"items": [items[one.pk], items[two.pk]], "assignee": other_reviewer.pk},
        follow=True,
    )

    assert 'id="assign-form"' in page_text(page)
    assert messages_on(response) == [f"2 items assigned to {other_reviewer.username}."]
    assert dict(QueueItem.objects.values_list("application_id", "assignee")) == {
        one.pk: other_reviewer.pk,
        two.pk: other_reviewer.pk,
        three.pk: None,
    }
    assert ApplicationEvent.objects.filter(action="assign", actor=lead).count() == 2


def test_assignment_form_refuses_a_non_lead_and_bad_input(db, reviewer, other_reviewer):
    queue = ReviewQueueFactory(members=[reviewer, other_reviewer])
    other_queue = ReviewQueueFactory(
        name="Toys", categories=[CategoryFactory(code="toys", name="Toys")]
    )
    application = screened()
    foreign = screened(categories=[CategoryFactory(code="toys")])
    item = QueueItem.objects.get(application=application)
    foreign_item = QueueItem.objects.get(application=foreign)
    client = logged_in(reviewer)

    not_lead = client.post(
        reverse("reviews:assign", args=[queue.pk]),
        {"items": [item.pk], "assignee": other_reviewer.pk},
        follow=True,
    )
    nothing_ticked = client.post(
        reverse("reviews:assign", args=[queue.pk]), {"assignee": reviewer.pk}, follow=True
    )
    wrong_queue = client.post(
        reverse("reviews:assign", args=[queue.pk]),
        {"items": [foreign_item.pk], "assignee": reviewer.pk},
        follow=True,
    )

    assert messages_on(not_lead) == [
        "Only a lead of “Lighting” or a program manager can assign its items."
    ]
    assert messages_on(nothing_ticked) == ["Tick at least one item to assign."]
    assert len(messages_on(wrong_queue)) == 1
    assert str(foreign_item.pk) in messages_on(wrong_queue)[0]
    assert other_queue.items.get().assignee is None
    assert QueueItem.objects.filter(assignee__isnull=False).count() == 0
    assert not ApplicationEvent.objects.filter(action__in=["assign", "claim"]).exists()


def test_manager_assigns_several_items_with_the_admin_action(db, reviewer, manager):
    manager.is_staff = manager.is_superuser = True
    manager.save()
    ReviewQueueFactory(members=[reviewer], assignment_mode=ReviewQueue.AssignmentMode.MANUAL)
    applications = [screened(brand__name=name) for name in ("ADMINONE", "ADMINTWO")]
    items = list(QueueItem.objects.values_list("pk", flat=True))
    client = logged_in(manager)

    queue_admin = client.get(
        reverse("admin:reviews_reviewqueue_change", args=[QueueItem.objects.first().queue_id])
    )
    response = client.post(
        reverse("admin:reviews_queueitem_changelist"),
        {"action": "assign_selected", "_selected_action": items, "assignee": reviewer.pk},
        follow=True,
    )

    assert "Lighting" in page_text(queue_admin)
    assert "2 items assigned." in messages_on(response)
    for application in applications:
        application.refresh_from_db()
        assert (application.status, application.assignee) == (Status.IN_REVIEW, reviewer)
    assert ApplicationEvent.objects.filter(action="assign", actor=manager).count() == 2


def test_admin_action_without_a_reviewer_assigns_nothing(db, reviewer, manager):
    manager.is_staff = manager.is_superuser = True
    manager.save()
    ReviewQueueFactory(members=[reviewer])
    screened()

    response = logged_in(manager).post(
        reverse("admin:reviews_queueitem_changelist"),
        {"action": "assign_selected", "_selected_action": [QueueItem.objects.get().pk]},
        follow=True,
    )

    assert messages_on(response) == ["Choose the reviewer to assign."]
    assert QueueItem.objects.get().assignee is None


def test_workspace_offers_claim_only_where_the_reviewer_may_claim(db, reviewer, other_reviewer):
    ReviewQueueFactory(members=[reviewer])
    ReviewQueueFactory(
        name="Manual",
        members=[reviewer],
        categories=[CategoryFactory(code="toys", name="Toys")],
        assignment_mode=ReviewQueue.AssignmentMode.MANUAL,
    )
    claimable = screened()
    assigned_only = screened(categories=[CategoryFactory(code="toys")])

    def claim_button(user, application) -> bool:
        page = page_text(logged_in(user).get(reverse("reviews:workspace", args=[application.pk])))
        return f'action="{reverse("reviews:claim", args=[application.pk])}"' in page

    assert [
        claim_button(reviewer, claimable),
        claim_button(other_reviewer, claimable),
        claim_button(reviewer, assigned_only),
    ] == [True, False, False]
    refused = logged_in(reviewer).post(
        reverse("reviews:claim", args=[assigned_only.pk]), follow=True
    )
    assert messages_on(refused) == ["Items of “Manual” are assigned, not claimed."]
    assigned_only.refresh_from_db()
    assert (assigned_only.status, assigned_only.assignee) == (Status.AWAITING_REVIEW, None)


def test_queue_rows_show_characters_that_do_not_show_as_markers(db, reviewer):
    lighting = ReviewQueueFactory(name="Lighting", members=[reviewer])
    item = screened(brand__name="\u202eEKIN", company__legal_name="Acme\u200b & Sons")

    response = logged_in(reviewer).get(_queue_url(lighting))

    text = page_text(response)
    link = reverse("reviews:workspace", args=[item.pk])
    row = f'<a class="strong-link" href="{link}">⟨U+202E⟩EKIN</a></td><td>Acme⟨U+200B⟩ &amp; Sons'
    assert row in text
    assert [c for c in "\u202e\u200b" if c in text] == []
