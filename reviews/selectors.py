"""Reads for the reviewer pages and the reviewer API: queues, their items and their counts.

Every read leaves out the applications of companies the reviewer declared a conflict with.
"""

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, Min, OuterRef, Q
from django.utils import timezone

from reviews.models import QueueItem, QueueMembership, ReviewQueue
from reviews.queues import QUEUE_ORDER
from sellers.actors import Actor
from sellers.models import Application, Status

QUEUE_PAGE_ITEMS = 50
# Applications that no queue took are rare; the page shows the oldest ones, never thousands.
UNQUEUED_SHOWN = 50


def queues_with_counts(*, actor: Actor):
    """The queues the reviewer works (every queue for a manager), each with ``waiting``,
    ``in_review``, ``breached`` and ``oldest_entered_at`` (of the waiting items)."""
    now = timezone.now()
    visible = Q(items__closed_at__isnull=True) & ~Q(
        items__application__company_id__in=actor.conflicted_company_ids
    )
    waiting = visible & Q(items__assignee__isnull=True)
    queues = ReviewQueue.objects.all()
    if not actor.is_manager:
        queues = queues.filter(memberships__reviewer_id=actor.user_id)
    return queues.annotate(
        waiting=Count("items", filter=waiting),
        in_review=Count("items", filter=visible & Q(items__assignee__isnull=False)),
        breached=Count("items", filter=visible & Q(items__due_at__lt=now)),
        oldest_entered_at=Min("items__entered_at", filter=waiting),
    ).order_by("name", "pk")


def queue_items(*, queue: ReviewQueue, actor: Actor):
    """Open items of the queue in working order: due time, then priority, then age."""
    return (
        QueueItem.objects.open()
        .filter(queue=queue)
        .exclude(application__company_id__in=actor.conflicted_company_ids)
        .select_related("application__company", "application__brand", "assignee")
        .order_by(*QUEUE_ORDER)
    )


class _CountedPaginator(Paginator):
    """A paginator told its count, so paging costs no COUNT query of its own."""

    def __init__(self, object_list, per_page, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self.count = count


def queue_items_page(*, queue: ReviewQueue, actor: Actor, number) -> Page:
    """One page of the queue's open items in working order; a page number past the end (or
    not a number) gives the last (or first) page.

    ``queue`` comes from ``queues_with_counts``: its ``waiting`` and ``in_review`` already count
    the open items this reviewer may see, which is the paginator's count.
    """
    # The page's ids come from the partial index alone; joining only those rows keeps a page
    # deep in the queue as quick as the first (an OFFSET over the joined rows made PostgreSQL
    # join the whole queue before skipping).
    paginator = _CountedPaginator(
        queue_items(queue=queue, actor=actor).values_list("pk", flat=True),
        QUEUE_PAGE_ITEMS,
        count=queue.waiting + queue.in_review,
    )
    page = paginator.get_page(number)
    ids = list(page.object_list)
    found = queue_items(queue=queue, actor=actor).in_bulk(ids)
    page.object_list = [found[pk] for pk in ids if pk in found]
    return page


def queue_roles(*, queue: ReviewQueue, actor: Actor) -> tuple[bool, bool]:
    """(member, lead) for this reviewer in this queue; a manager acts as a lead everywhere."""
    membership = QueueMembership.objects.filter(queue=queue, reviewer_id=actor.user_id).first()
    member = membership is not None
    lead = actor.is_manager or (member and membership.is_lead)
    return member, lead


def queue_members(*, queue: ReviewQueue):
    return (
        QueueMembership.objects.filter(queue=queue, reviewer__is_active=True)
        .select_related("reviewer")
        .order_by("reviewer__first_name", "reviewer__username")
    )


def unqueued_waiting(*, actor: Actor):
    """Applications awaiting review that no queue took (no queue matched when they arrived)."""
    # The ids first, from the partial index on waiting applications alone: thousands wait, and
    # nearly all of them are in a queue, so only the few rows shown are read from the table.
    oldest = (
        Application.objects.filter(status=Status.AWAITING_REVIEW)
        .exclude(Exists(QueueItem.objects.open().filter(application_id=OuterRef("pk"))))
        .exclude(company_id__in=actor.conflicted_company_ids)
        .order_by("submitted_at", "pk")
        .values("pk")[:UNQUEUED_SHOWN]
    )
    return (
        Application.objects.filter(pk__in=oldest)
        .select_related("company", "brand")
        .order_by("submitted_at", "pk")
    )


def assigned_to(*, actor: Actor):
    return (
        Application.objects.filter(status=Status.IN_REVIEW, assignee_id=actor.user_id)
        .exclude(company_id__in=actor.conflicted_company_ids)
        .select_related("company", "brand")
        .order_by("submitted_at", "pk")
    )


def open_queue_item(*, application_id: int) -> QueueItem | None:
    return (
        QueueItem.objects.open()
        .filter(application_id=application_id)
        .select_related("queue")
        .first()
    )
