"""The program dashboard's figures: one query per table at most, whatever the number of rows.

Each figure is a ``Table`` (columns and rows of plain values); the page, its charts and the CSV
downloads all read the same tables, so what a manager downloads is what the page shows.
"""

import datetime
import math
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Aggregate, Count, F, FloatField, Func, Min, OuterRef, Q, Subquery
from django.db.models.functions import TruncWeek
from django.utils import timezone
from django.utils.translation import gettext as _

from reviews.checks import trademark_registry
from reviews.models import CheckResult, ReviewQueue, ScreeningRun
from sellers.models import Application, ApplicationEvent, Program, Status
from sellers.workflow.table import PLACE_HOLDING

# The events that settle a decision, each counted once by the status it led to: a direct approval
# (or its waitlisting when the program is full), the second reviewer's confirmation of a proposal,
# the release of a staged decision, a request for changes. A rejection or an approval proposed
# for four eyes decides nothing yet; a proposal sent back decides nothing at all.
DECISION_ACTIONS = ("approve", "waitlist", "confirm", "release_decision", "request_changes")
OUTCOMES = (Status.APPROVED, Status.WAITLISTED, Status.REJECTED, Status.CHANGES_REQUESTED)
# A brand is admitted when it gets a place: by a decision, or from the waiting list.
ADMISSION_ACTIONS = ("approve", "confirm", "release_decision", "admit_from_waitlist")
SUBMISSION_ACTIONS = ("submit", "resubmit")
# Applications handed in and not decided yet (a staged decision is taken, only not released).
AWAITING_DECISION = (
    Status.SUBMITTED,
    Status.SCREENING,
    Status.AWAITING_REVIEW,
    Status.IN_REVIEW,
    Status.PROPOSED,
)
DECISION_WEEKS = 12
DECISION_TIME_WINDOW = datetime.timedelta(days=90)
DAY_SECONDS = 86400


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)


@dataclass(frozen=True)
class Dashboard:
    program: Program
    generated_at: datetime.datetime
    tables: dict[str, Table]


def program_dashboard(*, program: Program, now: datetime.datetime | None = None) -> Dashboard:
    now = now or timezone.now()
    statuses = applications_by_status(program=program)
    queues = queue_figures(program=program, now=now)
    events = weekly_events(program=program, now=now)
    place_table = places(program=program, statuses=statuses)
    sla = sla_breaches(queues=queues, now=now)
    decision_time = time_to_decision(program=program, now=now)
    tables = [
        summary(
            statuses=statuses,
            places=place_table,
            sla=sla,
            decision_time=decision_time,
            events=events,
        ),
        trends(events=events),
        statuses,
        place_table,
        queue_depth(queues=queues, now=now),
        sla,
        decisions_per_week(events=events),
        decision_time,
        hand_check_waits(program=program, now=now),
    ]
    return Dashboard(program, now, {table.key: table for table in tables})


def applications_by_status(*, program: Program) -> Table:
    counts = dict(
        Application.objects.filter(program=program)
        .values_list("status")
        .annotate(count=Count("pk"))
        .order_by()
    )
    return Table(
        "status",
        _("Applications by status"),
        [_("Status"), _("Applications")],
        [[str(status.label), counts.get(status.value, 0)] for status in Status],
    )


def places(*, program: Program, statuses: Table) -> Table:
    """Derived from the status counts: no query of its own."""
    by_label = dict(statuses.rows)
    used = sum(by_label[str(status.label)] for status in PLACE_HOLDING)
    return Table(
        "places",
        _("Places"),
        [_("Capacity"), _("Used"), _("Free"), _("Waitlisted")],
        [
            [
                program.capacity,
                used,
                max(0, program.capacity - used),
                by_label[str(Status.WAITLISTED.label)],
            ]
        ],
    )


def queue_figures(*, program: Program, now: datetime.datetime) -> list[dict]:
    """Per review queue, this program's open items: one query feeding both queue tables.

    Every queue is listed, an empty one with zeros, so a manager sees the queue is there.
    """
    mine = Q(items__closed_at__isnull=True, items__application__program=program)
    # The one place that decides what a breach is: an open item whose due time has passed.
    breached = mine & Q(items__due_at__lt=now)
    return list(
        ReviewQueue.objects.annotate(
            waiting=Count("items", filter=mine & Q(items__assignee__isnull=True)),
            assigned=Count("items", filter=mine & Q(items__assignee__isnull=False)),
            oldest_entered_at=Min("items__entered_at", filter=mine),
            breaches=Count("items", filter=breached),
            escalated=Count("items", filter=breached & Q(items__escalated_at__isnull=False)),
            earliest_due_at=Min("items__due_at", filter=breached),
        )
        .order_by("name", "pk")
        .values(
            "name",
            "waiting",
            "assigned",
            "oldest_entered_at",
            "breaches",
            "escalated",
            "earliest_due_at",
        )
    )


def queue_depth(*, queues: list[dict], now: datetime.datetime) -> Table:
    """Per queue: open items waiting for a reviewer, those assigned, the oldest one's age."""
    return Table(
        "queues",
        _("Queue depth"),
        [_("Queue"), _("Waiting"), _("Assigned (in review)"), _("Oldest open item (days)")],
        [
            [
                row["name"],
                row["waiting"],
                row["assigned"],
                _age(now, row["oldest_entered_at"]),
            ]
            for row in queues
        ],
    )


def sla_breaches(*, queues: list[dict], now: datetime.datetime) -> Table:
    """Per queue: open items past their due time, how many were escalated, the most overdue."""
    return Table(
        "sla",
        _("SLA breaches"),
        [_("Queue"), _("Past due"), _("Of which escalated"), _("Most overdue (days)")],
        [
            [row["name"], row["breaches"], row["escalated"], _age(now, row["earliest_due_at"])]
            for row in queues
        ],
    )


def _age(now: datetime.datetime, since: datetime.datetime | None) -> float | None:
    return None if since is None else _days((now - since).total_seconds())


def _week_start(moment: datetime.datetime) -> datetime.date:
    day = timezone.localtime(moment).date()
    return day - datetime.timedelta(days=day.weekday())


@dataclass(frozen=True)
class WeeklyEvents:
    """Submissions, decisions by outcome and admissions per week of the last weeks (Monday to
    Sunday, the current one included), and the admissions of the current month."""

    weeks: list[datetime.date]
    counts: dict[tuple[datetime.date, str, str], int]
    admitted_this_month: int

    def count(self, week: datetime.date, actions, to_status=None) -> int:
        return sum(
            number
            for (when, action, status), number in self.counts.items()
            if when == week and action in actions and to_status in (None, status)
        )


def weekly_events(*, program: Program, now: datetime.datetime) -> WeeklyEvents:
    """One query for the weekly trends, the decisions and this month's admissions (the current
    month always lies within the weeks counted)."""
    first_week = _week_start(now) - datetime.timedelta(weeks=DECISION_WEEKS - 1)
    since = timezone.make_aware(datetime.datetime.combine(first_week, datetime.time()))
    local = timezone.localtime(now)
    month_start = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    counted = Q(action__in=DECISION_ACTIONS + SUBMISSION_ACTIONS) | Q(action="admit_from_waitlist")
    admission = Q(action__in=ADMISSION_ACTIONS, to_status=Status.APPROVED)
    rows = (
        ApplicationEvent.objects.filter(
            counted,
            application__program=program,
            created_at__gte=since,
        )
        .annotate(week=TruncWeek("created_at"))
        .values("week", "action", "to_status")
        .annotate(
            count=Count("pk"),
            this_month=Count("pk", filter=admission & Q(created_at__gte=month_start)),
        )
        .order_by()
    )
    counts, admitted_this_month = {}, 0
    for row in rows:
        admitted_this_month += row["this_month"]
        key = (timezone.localtime(row["week"]).date(), row["action"], row["to_status"])
        counts[key] = row["count"]
    weeks = [first_week + datetime.timedelta(weeks=n) for n in range(DECISION_WEEKS)]
    return WeeklyEvents(weeks, counts, admitted_this_month)


def decisions_per_week(*, events: WeeklyEvents) -> Table:
    """Decisions per week by their outcome: a confirmed proposal counts as what it decided."""
    rows = []
    for week in events.weeks:
        per_outcome = [events.count(week, DECISION_ACTIONS, outcome) for outcome in OUTCOMES]
        rows.append([week.isoformat(), *per_outcome, sum(per_outcome)])
    return Table(
        "decisions",
        _("Decisions per week"),
        [
            _("Week starting"),
            _("Approved"),
            _("Waitlisted"),
            _("Rejected"),
            _("Changes requested"),
            _("Total"),
        ],
        rows,
    )


def trends(*, events: WeeklyEvents) -> Table:
    """What came in, what was decided and who got a place, week by week."""
    return Table(
        "trends",
        _("Week by week"),
        [_("Week starting"), _("Submitted"), _("Decided"), _("Admitted")],
        [
            [
                week.isoformat(),
                events.count(week, SUBMISSION_ACTIONS),
                sum(events.count(week, DECISION_ACTIONS, outcome) for outcome in OUTCOMES),
                events.count(week, ADMISSION_ACTIONS, Status.APPROVED),
            ]
            for week in events.weeks
        ],
    )


def summary(
    *, statuses: Table, places: Table, sla: Table, decision_time: Table, events: WeeklyEvents
) -> Table:
    """The headline figures, from the other tables: no query of its own."""
    by_label = dict(statuses.rows)
    capacity, used, _free, waitlisted = places.rows[0]
    return Table(
        "summary",
        _("At a glance"),
        [_("Figure"), _("Value")],
        [
            [_("Places used"), used],
            [_("Places in the program"), capacity],
            [_("Waitlisted"), waitlisted],
            [
                _("Waiting for a decision"),
                sum(by_label[str(status.label)] for status in AWAITING_DECISION),
            ],
            [_("Overdue reviews"), sum(row[1] for row in sla.rows)],
            [_("Median days to decision, last 90 days"), decision_time.rows[0][1]],
            [_("Admitted this month"), events.admitted_this_month],
        ],
    )


class PercentileCont(Aggregate):
    """PostgreSQL's ordered-set aggregate: the interpolated value at a fraction of the rows."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression, *, fraction: float, **extra):
        super().__init__(expression, fraction=float(fraction), **extra)


class EpochSeconds(Func):
    template = "EXTRACT(EPOCH FROM %(expressions)s)"
    output_field = FloatField()


def percentile(sorted_values: list[float], fraction: float) -> float | None:
    """The same interpolation as PERCENTILE_CONT: between the two nearest ranks."""
    if not sorted_values:
        return None
    position = fraction * (len(sorted_values) - 1)
    low, high = math.floor(position), math.ceil(position)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (position - low)


def time_to_decision(*, program: Program, now: datetime.datetime) -> Table:
    """From the last (re)submission to approval, waitlisting or rejection, over 90 days.

    PostgreSQL computes the percentiles itself; the embedded SQLite default, a demo with a
    handful of decisions, sorts the window's durations in Python: one query either way.
    """
    decided = Application.objects.filter(
        program=program, decided_at__gte=now - DECISION_TIME_WINDOW, submitted_at__isnull=False
    )
    if connection.vendor == "postgresql":
        seconds = EpochSeconds(F("decided_at") - F("submitted_at"))
        figures = decided.aggregate(
            count=Count("pk"),
            median=PercentileCont(seconds, fraction=0.5),
            p90=PercentileCont(seconds, fraction=0.9),
        )
        count, median, p90 = figures["count"], figures["median"], figures["p90"]
    else:
        durations = sorted(
            (decided_at - submitted_at).total_seconds()
            for submitted_at, decided_at in decided.values_list("submitted_at", "decided_at")
        )
        count, median, p90 = len(durations), percentile(durations, 0.5), percentile(durations, 0.9)
    return Table(
        "decision_time",
        _("Time to decision, last 90 days"),
        [_("Decisions"), _("Median (days)"), _("90th percentile (days)")],
        [[count, _days(median), _days(p90)]],
    )


def _days(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / DAY_SECONDS, 1)


def hand_check_waits(*, program: Program, now: datetime.datetime) -> Table:
    """Applications waiting for a decision whose trademark a reviewer must verify by hand (an
    office we hold no registry data for, and no current verification), counted from the
    finding that asked for it.

    They are at most the open reviews, so their ages are sorted here: one query on either
    database.
    """
    latest_run = (
        ScreeningRun.objects.filter(application_id=OuterRef("run__application_id"))
        .order_by("-started_at", "-pk")
        .values("pk")[:1]
    )
    since = sorted(
        (now - asked).total_seconds()
        for asked in CheckResult.objects.filter(
            check_code=trademark_registry.CODE,
            outcome=CheckResult.Outcome.UNVERIFIABLE,
            evidence__has_key="hand_verification",
            run__application__program=program,
            run__application__status__in=(Status.AWAITING_REVIEW, Status.IN_REVIEW),
            run_id=Subquery(latest_run),
        ).values_list("created_at", flat=True)
    )
    return Table(
        "hand_checks",
        _("Waiting for a trademark verification by hand"),
        [_("Applications"), _("Oldest wait (days)"), _("Median wait (days)")],
        [[len(since), _days(since[-1] if since else None), _days(percentile(since, 0.5))]],
    )
