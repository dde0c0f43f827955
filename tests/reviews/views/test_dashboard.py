"""The program dashboard: figures from known data, CSV equal to the page, access, query count."""

import csv
import datetime
import io
import re
import statistics
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from reviews.dashboard import percentile, program_dashboard
from reviews.models import QueueItem, ReviewQueue
from sellers.actors import MANAGER_GROUP, actor_for_user
from sellers.models import Application, ApplicationEvent, Status
from sellers.services.decisions import changes_request
from sellers.workflow.transition import application_transition
from tests.pages import PASSWORD
from tests.reviews.factories import ReviewQueueFactory
from tests.sellers.factories import ApplicationFactory, CategoryFactory, ProgramFactory, UserFactory

NOW = timezone.now()
DAY = datetime.timedelta(days=1)
# Decision times, in days, of ten applications decided recently.
DECISION_DAYS = [0.5, 1, 2, 2, 3, 4, 6, 9, 12, 30]


@pytest.fixture
def program(db):
    program = ProgramFactory()
    program.capacity = 20
    program.save()
    return program


@pytest.fixture
def lighting(db):
    return CategoryFactory()


@pytest.fixture
def toys(db):
    return CategoryFactory(code="toys", name="Toys and games", nice_classes=[28])


def waiting(program, queue, *, days, due_in, assignee=None, escalated=False, closed=False):
    """An application with a queue item that entered ``days`` ago and is due in ``due_in``
    days (negative: overdue); assigned items are in review."""
    status = Status.IN_REVIEW if assignee else Status.AWAITING_REVIEW
    application = ApplicationFactory(
        program=program, status=status, assignee=assignee, in_queue=not closed
    )
    Application.objects.filter(pk=application.pk).update(submitted_at=NOW - days * DAY)
    return QueueItem.objects.create(
        queue=queue,
        application=application,
        assignee=assignee,
        entered_at=NOW - days * DAY,
        due_at=NOW + due_in * DAY,
        assigned_at=NOW if assignee else None,
        escalated_at=NOW if escalated else None,
        closed_at=NOW if closed else None,
    )


def decided(program, *, days, ago=10, status=Status.APPROVED):
    application = ApplicationFactory(program=program, status=status)
    decided_at = NOW - ago * DAY
    Application.objects.filter(pk=application.pk).update(
        submitted_at=decided_at - days * DAY, decided_at=decided_at
    )
    return application


def at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def decision_event(application, action, when, to_status=Status.APPROVED):
    event = ApplicationEvent.objects.create(
        application=application,
        actor_label="reviewer",
        action=action,
        from_status=Status.IN_REVIEW,
        to_status=to_status,
        seller_visible=True,
    )
    ApplicationEvent.objects.filter(pk=event.pk).update(created_at=when)


@pytest.fixture
def queues(db, lighting, toys):
    return {
        "lighting": ReviewQueueFactory(name="Lighting", categories=[lighting]),
        "senior": ReviewQueueFactory(
            name="Senior review", categories=[], risk_level=ReviewQueue.RiskLevel.SENIOR
        ),
        "toys": ReviewQueueFactory(name="Toys", categories=[toys]),
        "empty": ReviewQueueFactory(name="Empty queue", categories=[]),
    }


@pytest.fixture
def data(program, queues):
    for days in DECISION_DAYS:
        decided(program, days=days)
    decided(program, days=400, ago=200)  # outside the 90-day window
    waiting(program, queues["lighting"], days=1, due_in=2)
    waiting(program, queues["lighting"], days=7, due_in=-2, escalated=True)
    waiting(program, queues["senior"], days=2, due_in=-0.5, assignee=UserFactory())
    # Entered long ago, but its queue's SLA leaves it a day yet: not a breach.
    waiting(program, queues["toys"], days=3, due_in=1)
    # Items that left their queue count nowhere, however late they were.
    closed = waiting(program, queues["lighting"], days=30, due_in=-25, closed=True)
    Application.objects.filter(pk=closed.application_id).update(status=Status.REJECTED)
    ApplicationFactory(program=program, suspended=True)
    ApplicationFactory(program=program, waitlisted=True)
    ApplicationFactory(program=program, status=Status.DRAFT)
    # Another program's work counts on its own dashboard only.
    other = ProgramFactory(slug="other", name="Other program", capacity=10)
    assert other.capacity == 10
    waiting(other, queues["lighting"], days=20, due_in=-15)
    decided(other, days=50)
    return program


def _login(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_time_to_decision_median_and_p90_match_an_independent_computation(data):
    table = program_dashboard(program=data, now=NOW).tables["decision_time"]

    expected_median = statistics.median(DECISION_DAYS)
    # Linear interpolation between closest ranks, as PostgreSQL's percentile_cont does.
    expected_p90 = statistics.quantiles(DECISION_DAYS, n=10, method="inclusive")[8]
    assert table.rows == [[10, round(expected_median, 1), round(expected_p90, 1)]]
    assert (expected_median, round(expected_p90, 1)) == (3.5, 13.8)


def test_the_python_fallback_interpolates_like_postgresql():
    values = sorted(day * 86400 for day in DECISION_DAYS)

    assert percentile(values, 0.5) == statistics.median(values)
    assert percentile(values, 0.9) == pytest.approx(
        statistics.quantiles(values, n=10, method="inclusive")[8]
    )
    assert (percentile([], 0.5), percentile([7.0], 0.9)) == (None, 7.0)


def test_status_places_queues_and_sla(data):
    tables = program_dashboard(program=data, now=NOW).tables

    statuses = dict(tables["status"].rows)
    assert (statuses["Approved"], statuses["Awaiting review"], statuses["In review"]) == (11, 3, 1)
    assert (statuses["Suspended"], statuses["Waitlisted"], statuses["Draft"]) == (1, 1, 1)
    assert statuses["Rejected"] == 1
    assert sum(statuses.values()) == 19
    # Approved and suspended brands hold places.
    assert tables["places"].rows == [[20, 12, 8, 1]]
    assert tables["queues"].rows == [
        ["Empty queue", 0, 0, None],
        ["Lighting", 2, 0, 7.0],
        ["Senior review", 0, 1, 2.0],
        ["Toys", 1, 0, 3.0],
    ]
    assert tables["sla"].rows == [
        ["Empty queue", 0, 0, None],
        ["Lighting", 1, 1, 2.0],
        ["Senior review", 1, 0, 0.5],
        ["Toys", 0, 0, None],
    ]


def test_a_breach_is_an_open_item_past_its_due_time(program, queues):
    table = program_dashboard(program=program, now=NOW).tables
    assert table["sla"].rows[1] == ["Lighting", 0, 0, None]

    item = waiting(program, queues["lighting"], days=0.25, due_in=-0.2)
    waiting(program, queues["lighting"], days=10, due_in=0.1)
    later = NOW + DAY

    tables = program_dashboard(program=program, now=later).tables

    # A day on, both are overdue; the most overdue is the one due first, however young.
    assert tables["sla"].rows[1] == ["Lighting", 2, 0, 1.2]
    assert tables["queues"].rows[1] == ["Lighting", 2, 0, 11.0]
    QueueItem.objects.filter(pk=item.pk).update(closed_at=NOW)
    tables = program_dashboard(program=program, now=later).tables
    assert tables["sla"].rows[1] == ["Lighting", 1, 0, 0.9]
    assert tables["queues"].rows[1] == ["Lighting", 1, 0, 11.0]


def test_decisions_are_counted_per_week(program):
    monday = timezone.localdate() - datetime.timedelta(days=timezone.localdate().weekday())
    application = ApplicationFactory(program=program)
    decision_event(application, "approve", at(monday))
    decision_event(application, "confirm", at(monday), Status.REJECTED)
    decision_event(application, "reject", at(monday), Status.PROPOSED)  # only proposed
    decision_event(
        application,
        "request_changes",
        at(monday - datetime.timedelta(days=1)),
        Status.CHANGES_REQUESTED,
    )
    decision_event(application, "waitlist", at(monday - datetime.timedelta(weeks=3)), "waitlisted")
    decision_event(application, "release_decision", at(monday - datetime.timedelta(weeks=3)))
    decision_event(application, "claim", at(monday), Status.IN_REVIEW)  # not a decision
    decision_event(application, "approve", at(monday - datetime.timedelta(weeks=20)))  # too old

    rows = program_dashboard(program=program, now=NOW).tables["decisions"].rows

    assert len(rows) == 12
    by_week = {row[0]: row[1:] for row in rows}
    assert by_week[monday.isoformat()] == [1, 0, 1, 0, 2]
    assert by_week[(monday - datetime.timedelta(weeks=1)).isoformat()] == [0, 0, 0, 1, 1]
    assert by_week[(monday - datetime.timedelta(weeks=3)).isoformat()] == [1, 1, 0, 0, 2]
    assert sum(row[-1] for row in rows) == 5


def _decide(application, action, user, **kwargs):
    return application_transition(
        application_id=application.pk, action=action, actor=actor_for_user(user), **kwargs
    )


def test_four_eyes_decisions_count_by_their_final_outcome(
    settings, program, reviewer, senior_reviewer, manager
):
    """A rejection sent back decides nothing; a confirmed approval is an approval."""
    settings.SCREENING_SENIOR_RISK = 50
    approved = ApplicationFactory(program=program, in_review=True, assignee=reviewer, risk_score=60)
    _decide(approved, "approve", reviewer)
    _decide(approved, "confirm", senior_reviewer)
    sent_back = ApplicationFactory(program=program, in_review=True, assignee=reviewer)
    _decide(sent_back, "reject", reviewer, note="Lapsed.", reasons=["trademark_not_registered"])
    _decide(sent_back, "send_back", senior_reviewer, note="The mark was renewed.")
    rejected = ApplicationFactory(program=program, in_review=True, assignee=reviewer)
    _decide(rejected, "reject", reviewer, note="Lapsed.", reasons=["trademark_not_registered"])
    _decide(rejected, "confirm", senior_reviewer)
    changes = ApplicationFactory(program=program, in_review=True, assignee=reviewer)
    changes_request(
        actor=actor_for_user(reviewer),
        application_id=changes.pk,
        note="Show the factory contract.",
        evidence_kinds=["factory_document"],
        reasons=["supply_chain_incomplete"],
    )

    tables = program_dashboard(program=program).tables
    this_week = tables["decisions"].rows[-1]
    summary = dict(tables["summary"].rows)
    html = _login(manager).get(reverse("reviews:dashboard")).content.decode()

    assert this_week[1:] == [1, 0, 1, 1, 3]
    assert tables["trends"].rows[-1][1:] == [0, 3, 1]
    assert (summary["Places used"], summary["Admitted this month"]) == (1, 1)
    assert "3 (1 approved, 1 rejected, 1 changes requested)" in html
    assert summary["Waiting for a decision"] == 1  # the proposal sent back is in review again


def test_the_headline_figures_come_first_and_download_as_csv(data, manager, program):
    client = _login(manager)
    approved = Application.objects.filter(program=program, status=Status.APPROVED)
    decision_event(approved.first(), "approve", NOW)
    decision_event(approved.last(), "approve", timezone.localtime(NOW).replace(day=1) - DAY)

    html = client.get(reverse("reviews:dashboard")).content.decode()
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(reverse("reviews:dashboard_csv", args=["summary"])).content.decode()
            )
        )
    )

    assert rows == [
        ["Figure", "Value"],
        ["Places used", "12"],
        ["Places in the program", "20"],
        ["Waitlisted", "1"],
        ["Waiting for a decision", "4"],
        ["Overdue reviews", "2"],
        ["Median days to decision, last 90 days", "3.5"],
        ["Admitted this month", "1"],
    ]
    tiles = html.index('id="section-summary"')
    assert tiles < html.index('id="section-trends"') < html.index('id="section-status"')
    assert '<strong class="tile-figure">12 of 20</strong>' in html
    assert '<strong class="tile-figure">3.5</strong>' in html
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg" role="img"') == 10


def test_a_program_of_a_thousand_places_reads_with_grouped_digits(program, manager):
    program.capacity = 1000
    program.save()

    html = _login(manager).get(reverse("reviews:dashboard")).content.decode()

    assert '<strong class="tile-figure">0 of 1,000</strong>' in html


class Tables(HTMLParser):
    """The cells of every <table id="table-…"> on the page, as text."""

    def __init__(self):
        super().__init__()
        self.tables, self._current, self._row, self._cell = {}, None, None, None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "table" and (attributes.get("id") or "").startswith("table-"):
            self._current = self.tables.setdefault(attributes["id"][6:], [])
        elif tag == "tr" and self._current is not None:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = ""

    def handle_endtag(self, tag):
        if tag == "table":
            self._current = None
        elif tag == "tr" and self._row is not None:
            self._current.append(self._row)
            self._row = None
        elif tag in ("td", "th") and self._cell is not None:
            self._row.append(self._cell.strip())
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data


def test_each_csv_download_equals_the_table_on_the_page(data, manager):
    client = _login(manager)
    page = client.get(reverse("reviews:dashboard"))
    parser = Tables()
    parser.feed(page.content.decode())

    assert sorted(parser.tables) == [
        "decision_time", "decisions", "hand_checks", "places", "queues", "sla", "status",
        "summary", "trends",
    ]  # fmt: skip
    for key, shown in parser.tables.items():
        response = client.get(reverse("reviews:dashboard_csv", args=[key]))
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response["Content-Disposition"] == (
            f'attachment; filename="thousand-class-{key}-{timezone.now().date().isoformat()}.csv"'
        )
        rows = list(csv.reader(io.StringIO(response.content.decode())))
        assert [[cell or "—" for cell in row] for row in rows] == shown, key
    assert parser.tables["decision_time"][1] == ["10", "3.5", "13.8"]


def test_the_page_draws_accessible_charts_without_script(data, manager):
    html = _login(manager).get(reverse("reviews:dashboard")).content.decode()

    # The charts need no script: the only one is the header's menu, shared by every page.
    assert re.findall(r"<script[^>]*>", html) == [
        '<script src="/static/brandprogram/menu.js" defer>'
    ]
    assert "cdn" not in html.lower()
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg" role="img"') == 10
    assert '<title id="chart-decision_time-title">Time to decision, last 90 days</title>' in html
    assert '<desc id="chart-places-desc">12 of 20 places used, 1 waitlisted.</desc>' in html
    # The value is written beside each bar, not only encoded in its length.
    assert "<title>Median: 3.5 days</title>" in html
    assert ">13.8 days</text>" in html
    assert '<desc id="chart-queues-desc">4 open items in 4 queue(s).</desc>' in html
    assert "<title>Lighting: 2 waiting, 0 assigned, oldest 7.0 d</title>" in html
    assert "<title>Empty queue: 0</title>" in html
    assert '<desc id="chart-sla-desc">2 open items are past their due time.</desc>' in html
    assert "<title>Senior review: 1, most overdue 0.5 d</title>" in html


def test_another_program_is_chosen_by_its_slug(data, manager):
    client = _login(manager)

    other = client.get(reverse("reviews:dashboard"), {"program": "other"})
    missing = client.get(reverse("reviews:dashboard"), {"program": "nope"})

    parser = Tables()
    parser.feed(other.content.decode())
    assert parser.tables["queues"][1:] == [
        ["Empty queue", "0", "0", "—"],
        ["Lighting", "1", "0", "20.0"],
        ["Senior review", "0", "0", "—"],
        ["Toys", "0", "0", "—"],
    ]
    assert parser.tables["sla"][2] == ["Lighting", "1", "0", "15.0"]
    assert parser.tables["places"][1] == ["10", "1", "9", "0"]
    assert missing.status_code == 404


@pytest.mark.parametrize("url", ["reviews:dashboard", "reviews:dashboard_csv"])
def test_only_managers_see_the_dashboard(data, url, reviewer, senior_reviewer, seller_a):
    address = reverse(url, args=["status"] if url.endswith("csv") else [])

    anonymous = Client().get(address)

    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("login"))
    # Staff without the manager role are refused; anybody else is told the page does not exist.
    for user, answer in ((reviewer, 403), (senior_reviewer, 403), (seller_a.owner, 404)):
        response = _login(user).get(address)
        assert response.status_code == answer
        assert b"Applications by status" not in response.content


def test_an_unknown_csv_table_is_404(data, manager):
    assert (
        _login(manager).get(reverse("reviews:dashboard_csv", args=["secrets"])).status_code == 404
    )


def test_the_number_of_queries_does_not_grow_with_the_data(program, queues, manager):
    client = _login(manager)
    waiting(program, queues["lighting"], days=1, due_in=1)
    decided(program, days=2)
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("reviews:dashboard"))

    for days in range(1, 30):
        queue = queues["toys"] if days % 2 else queues["senior"]
        waiting(program, queue, days=days, due_in=-days / 2, assignee=manager if days % 3 else None)
        decided(program, days=days, status=Status.REJECTED)
    decision_event(Application.objects.first(), "approve", NOW)
    with CaptureQueriesContext(connection) as large:
        response = client.get(reverse("reviews:dashboard"))

    assert response.status_code == 200
    assert len(large) == len(small)
    assert len(small) <= 12


def test_managers_find_the_dashboard_from_the_reviewer_pages(data, manager, reviewer):
    link = f'<a href="{reverse("reviews:dashboard")}">Program dashboard</a>'

    assert link in _login(manager).get(reverse("reviews:queue")).content.decode()
    assert link not in _login(reviewer).get(reverse("reviews:queue")).content.decode()


def test_a_manager_who_does_not_review_lands_on_the_dashboard(data):
    user = UserFactory(username="lee.manager@brand-program.example")
    user.groups.add(Group.objects.get_or_create(name=MANAGER_GROUP)[0])

    response = _login(user).get(reverse("home"))

    assert response["Location"] == reverse("reviews:dashboard")
