"""Everything the reviewer's queue page shows, read in one round trip (two when the page asked
for is not the one first guessed).

The queues and their counts, the chosen queue's page of items and its members, the
applications waiting outside the queues, those the reviewer claimed, the "waiting for you"
lists and the header's count of unread inbox entries are the querysets of
``reviews.selectors``, so the conflict-of-interest wall and every filter stay written once.
Here they are sent as one statement, each as a JSON array of rows, and the statement is
compiled once for each shape of reviewer: building and compiling nine querysets
took longer than running them. The values that vary from one request to the next (the
reviewer, the queue, the time) are compiled as stand-ins and put in place of them at each
request, its only parameters (brandprogram.db.with_standins), bound on the server so that
PostgreSQL plans the statement once per connection: planning it took as long as running it.
"""

import datetime
import functools
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.paginator import Page
from django.db import connection
from django.db.models import Count, DateTimeField, QuerySet

from brandprogram.db import server_bound_cursor, with_standins
from reviews import selectors
from reviews.models import QueueMembership, ReviewQueue
from sellers.actors import Actor
from sellers.models import Application, Brand, SellerCompany

# Stand-ins compiled in place of the request's values; no real id or time takes these.
_USER = -7_102_938_465
_QUEUE = -7_102_938_466
_NOW = datetime.datetime(1901, 2, 3, 4, 5, 6, 789_012, tzinfo=datetime.UTC)
# Compiled statements kept: one per combination of roles, declared conflicts and page number.
COMPILED_KEPT = 256

QUEUE_FIELDS = ("id", "name", "risk_level", "assignment_mode", "sla_business_days")
# A queue with no open item has no row of counts: these are its counts then.
NO_OPEN_ITEMS = {"waiting": 0, "in_review": 0, "breached": 0, "oldest_entered_at": None}
ITEM_FIELDS = (
    "pk", "application_id", "priority", "due_at", "entered_at",
    "application__risk_score", "application__created_at",
    "application__company__legal_name", "application__brand__name",
    "assignee_id", "assignee__username", "assignee__first_name", "assignee__last_name",
)  # fmt: skip
ROW_FIELDS = (
    "pk", "created_at", "submitted_at", "risk_score", "company__legal_name", "brand__name",
)  # fmt: skip


@dataclass
class QueuePage:
    queues: list[ReviewQueue]
    waiting: list[Application]
    mine: list[Application]
    replies: list[Application]
    to_confirm: list[Application]
    sent_back: list[Application]
    selected: ReviewQueue | None = None
    page: Page | None = None
    # The page's items as rows (reviews_display.queue_item_rows), in working order.
    items: list[dict] = field(default_factory=list)
    members: list[QueueMembership] = field(default_factory=list)
    # Unread entries of the reviewer's inbox, for the header (reviews_roles).
    unread: int = 0


def queue_page_read(*, actor: Actor, queue: str | None, number: str | None, now) -> QueuePage:
    """The page for the queue named by ``queue`` (the reviewer's first queue when it names none
    of theirs) at page ``number`` (the first when not a number, the last when past the end)."""
    guessed_queue = int(queue) if queue and queue.isdigit() else None
    guessed_number = int(number) if number and number.isdigit() and int(number) >= 1 else 1
    rows = _read(actor, now, guessed_queue, guessed_number)
    counts = {row.pop("queue_id"): row for row in rows["counts"]}
    queues = [_queue(row, counts.get(row["id"], NO_OPEN_ITEMS)) for row in rows["queues"]]
    page = QueuePage(
        queues=queues,
        waiting=[_application(row) for row in rows["waiting"]],
        mine=[_application(row) for row in rows["mine"]],
        replies=[_application(row) for row in rows["replies"]],
        to_confirm=[_application(row) for row in rows["to_confirm"]],
        sent_back=[_application(row) for row in rows["sent_back"]],
        unread=rows["unread"][0]["count"] if rows["unread"] else 0,
    )
    selected = next((q for q in queues if q.pk == guessed_queue), None) or (
        queues[0] if queues else None
    )
    if selected is None:
        return page
    paginator = selectors.CountedPaginator(
        [], selectors.QUEUE_PAGE_ITEMS, count=selected.waiting + selected.in_review
    )
    shown = paginator.get_page(number)
    if (selected.pk, shown.number) != (guessed_queue, guessed_number):
        rows = _read(actor, now, selected.pk, shown.number, items_only=True)
    shown.object_list = rows["items"]
    page.selected, page.page, page.items = selected, shown, rows["items"]
    page.members = [_membership(row) for row in rows["members"]]
    return page


def _read(
    actor: Actor, now, queue_id: int | None, number: int, *, items_only: bool = False
) -> dict[str, list[dict]]:
    conflicts = tuple(sorted(actor.conflicted_company_ids))
    sizes = (selectors.QUEUE_PAGE_ITEMS, selectors.UNQUEUED_SHOWN, selectors.FOR_YOU_SHOWN)
    # What the statement's shape depends on, the page sizes included (tests change them).
    shape = (actor.staff_roles, conflicts, queue_id is not None, number, items_only, sizes)
    if connection.vendor != "postgresql":
        # Without PostgreSQL's JSON aggregates (the embedded SQLite set-up) each queryset
        # runs on its own.
        parts = _querysets(*shape, user_id=actor.user_id, queue_id=queue_id, now=now)
        return {name: list(query) for name, query in parts.items()}
    sql, params, columns = _compiled(*shape)
    values = {"user_id": actor.user_id, "queue_id": queue_id, "now": now}
    with server_bound_cursor() as cursor:
        cursor.execute(sql, [values[name] for name in params])
        found = cursor.fetchone()
    return {
        name: [_row(row, names, dated) for row in (found[at] or [])]
        for at, (name, names, dated) in enumerate(columns)
    }


def _querysets(
    roles, conflicts, with_items, number, items_only, sizes, *, user_id, queue_id, now
) -> dict[str, QuerySet]:
    """The page's querysets, as ``values()`` rows."""
    per_page, _unqueued, for_you = sizes
    actor = Actor(
        label="",
        user=get_user_model()(pk=user_id),
        staff_roles=roles,
        conflicted_company_ids=frozenset(conflicts),
    )
    parts = {}
    if not items_only:
        parts |= {
            "queues": selectors.reviewer_queues(actor=actor).values(
                *QUEUE_FIELDS, "membership_is_lead"
            ),
            "counts": selectors.open_item_counts(actor=actor, now=now),
            "waiting": selectors.unqueued_waiting(actor=actor).values(*ROW_FIELDS),
            "mine": selectors.assigned_to(actor=actor).values(*ROW_FIELDS),
            "replies": selectors.seller_replies(actor=actor).values(
                "pk", "brand__name", "status", "reply_by", "reply_body"
            )[:for_you],
            "to_confirm": selectors.proposals_to_confirm(actor=actor).values(
                "pk", "brand__name", "proposed_decision", "proposed_by__username"
            )[:for_you],
            "sent_back": selectors.proposals_sent_back(actor=actor).values(
                "pk", "brand__name", "back_by", "back_note"
            )[:for_you],
            # Grouped by the one reviewer the entries belong to: one row, none when none is
            # unread.
            "unread": selectors.staff_unread(actor=actor)
            .order_by()
            .values("user_id")
            .annotate(count=Count("pk"))
            .values("count"),
        }
    if with_items:
        queue = ReviewQueue(pk=queue_id)
        ids = selectors.queue_items(queue=queue, actor=actor).values("pk")
        start = (number - 1) * per_page
        parts |= {
            "items": selectors.queue_page_rows(ids[start : start + per_page]).values(*ITEM_FIELDS),
            "members": selectors.queue_members(queue=queue).values(
                "reviewer_id", "reviewer__username", "reviewer__first_name", "reviewer__last_name"
            ),
        }
    return parts


@functools.lru_cache(maxsize=COMPILED_KEPT)
def _compiled(*shape) -> tuple[str, list[str], list[tuple[str, list[str], frozenset[str]]]]:
    """One statement selecting each queryset's rows as a JSON array of arrays, compiled with
    the stand-ins for the reviewer, the queue and the time, which are its only parameters.

    The rows keep their queryset's order: each array is aggregated from the ordered query as
    a subquery, which PostgreSQL feeds to the aggregate in that order.
    """
    selects, params, columns = [], [], []
    parts = _querysets(*shape, user_id=_USER, queue_id=_QUEUE, now=_NOW)
    for name, query in parts.items():
        names = [*query.query.extra_select, *query.query.values_select]
        names += list(query.query.annotation_select)
        if query.query.is_empty():
            selects.append(f"NULL AS {name}")
            columns.append((name, names, frozenset()))
            continue
        compiler = query.query.get_compiler(connection=connection)
        sql, query_params = compiler.as_sql()
        dated = frozenset(
            names[at]
            for at, (expression, _sql, _alias) in enumerate(compiler.select)
            if isinstance(getattr(expression, "output_field", None), DateTimeField)
        )
        aliases = ", ".join(f"c{at}" for at in range(len(names)))
        # The ORM's own SQL, with its values as parameters; the names are this module's.
        aggregate = f"SELECT json_agg(json_build_array({aliases})) FROM ({sql}) AS t({aliases})"  # noqa: S608
        selects.append(f"({aggregate}) AS {name}")
        params.extend(query_params)
        columns.append((name, names, dated))
    # The queue is a parameter of a page with items, the reviewer and the time of the rest.
    standins = ({"queue_id": _QUEUE} if shape[2] else {}) | (
        {} if shape[4] else {"user_id": _USER, "now": _NOW}
    )
    sql, names = with_standins("SELECT " + ", ".join(selects), params, standins)
    return sql, names, columns


def _row(values: list, names: list[str], dated: frozenset[str]) -> dict:
    row = dict(zip(names, values, strict=True))
    for name in dated:
        if row[name] is not None:
            row[name] = datetime.datetime.fromisoformat(row[name])
    return row


def _queue(row: dict, counts: dict) -> ReviewQueue:
    queue = ReviewQueue(**{name: row[name] for name in QUEUE_FIELDS})
    queue.membership_is_lead = row["membership_is_lead"]
    for name, value in counts.items():
        setattr(queue, name, value)
    return queue


def _application(row: dict) -> Application:
    """An application with the columns its list shows: brand and company names, and what
    the "waiting for you" lists annotate."""
    application = Application(pk=row.pop("pk"))
    application.brand = Brand(name=row.pop("brand__name"))
    if "company__legal_name" in row:
        application.company = SellerCompany(legal_name=row.pop("company__legal_name"))
    if "proposed_by__username" in row:
        application.proposed_by = get_user_model()(username=row.pop("proposed_by__username"))
    for name, value in row.items():
        setattr(application, name, value)
    return application


def _membership(row: dict) -> QueueMembership:
    reviewer = get_user_model()(
        pk=row["reviewer_id"],
        username=row["reviewer__username"],
        first_name=row["reviewer__first_name"],
        last_name=row["reviewer__last_name"],
    )
    return QueueMembership(reviewer=reviewer)
