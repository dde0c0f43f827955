"""Reads for the reviewer pages and the reviewer API: queues, their items and their counts,
and the staff member's own inbox.

Every read leaves out the applications of companies the reviewer declared a conflict with,
by sellers.access's rule.
"""

from django.core.paginator import Paginator
from django.db.models import Count, FilteredRelation, Min, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone

from reviews.models import QueueItem, QueueMembership, ReviewQueue
from reviews.queues import QUEUE_ORDER
from sellers.access import Door, visible, visible_q
from sellers.actors import Actor, Role
from sellers.models import (
    Application,
    ApplicationEvent,
    ApplicationMessage,
    Notification,
    Status,
)
from sellers.models.message import MESSAGE_ACTIONS
from sellers.selectors import InboxPage, inbox_page

QUEUE_PAGE_ITEMS = 50
# Applications that no queue took are rare; the page shows the oldest ones, never thousands.
UNQUEUED_SHOWN = 50
# The columns an application waiting outside the queues, or claimed by the reviewer, shows.
APPLICATION_ROW_FIELDS = (
    "created_at",
    "submitted_at",
    "risk_score",
    "company__legal_name",
    "brand__name",
)


def queues_with_counts(*, actor: Actor, now=None):
    """The queues the reviewer works (every queue for a manager), each with ``waiting``,
    ``in_review``, ``breached`` (due before ``now``) and ``oldest_entered_at`` (of the waiting
    items), and ``membership_is_lead``: whether the reviewer leads it, None where they are no
    member."""
    now = now or timezone.now()
    # Only open items are joined (the partial indexes on open items serve the join), however
    # many closed ones the queue has collected.
    visible = visible_q(actor, doors=Door.STAFF, company="open_items__application__company")
    return (
        reviewer_queues(actor=actor)
        .alias(open_items=FilteredRelation("items", condition=Q(items__closed_at__isnull=True)))
        .annotate(**_open_item_counts("open_items", "open_items__", visible, now))
    )


def reviewer_queues(*, actor: Actor):
    """The queues the reviewer works (every queue for a manager) by name, each with
    ``membership_is_lead`` as in ``queues_with_counts``, without the counts."""
    membership = QueueMembership.objects.filter(queue=OuterRef("pk"), reviewer_id=actor.user_id)
    queues = ReviewQueue.objects.all()
    if not actor.is_manager:
        queues = queues.filter(memberships__reviewer_id=actor.user_id)
    return queues.annotate(
        membership_is_lead=Subquery(membership.order_by().values("is_lead"))
    ).order_by("name", "pk")


def open_item_counts(*, actor: Actor, now=None):
    """The counts of ``queues_with_counts`` as rows of their own, one for each of the reviewer's
    queues that has open items: ``queue_id`` and the four counts.

    Counted over the open items alone, before they meet their queue: counting them joined to
    their queue and the reviewer's membership took half as long again (1.2 ms against 0.8 ms
    for the bench's 4,275 open items).
    """
    now = now or timezone.now()
    items = QueueItem.objects.open().filter(queue__in=reviewer_queues(actor=actor).values("pk"))
    visible = visible_q(actor, doors=Door.STAFF, company="application__company")
    return items.order_by().values("queue_id").annotate(**_open_item_counts("pk", "", visible, now))


def _open_item_counts(counted: str, path: str, visible: Q, now) -> dict:
    """What a queue shows of its open items; ``path`` leads from the model counted on to an
    open item, ``counted`` names what one item counts as."""
    waiting = visible & Q(**{f"{path}assignee__isnull": True})
    return {
        "waiting": Count(counted, filter=waiting),
        "in_review": Count(counted, filter=visible & Q(**{f"{path}assignee__isnull": False})),
        "breached": Count(counted, filter=visible & Q(**{f"{path}due_at__lt": now})),
        "oldest_entered_at": Min(f"{path}entered_at", filter=waiting),
    }


def queue_items(*, queue: ReviewQueue, actor: Actor):
    """Open items of the queue in working order: due time, then priority, then age."""
    items = QueueItem.objects.open().filter(queue=queue).order_by(*QUEUE_ORDER)
    return visible(items, actor, doors=Door.STAFF, company="application__company")


class CountedPaginator(Paginator):
    """A paginator told its count, so paging costs no COUNT query of its own: the counts of
    ``queues_with_counts`` (``waiting`` and ``in_review``) are those of the open items the
    reviewer may see."""

    def __init__(self, object_list, per_page, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self.count = count


def queue_page_rows(ids: QuerySet) -> QuerySet:
    """The queue items ``ids`` selects (one page of ``queue_items``) in working order.

    The page's ids come from the partial index alone, in a subquery; only those rows are
    joined, so a page deep in the queue is as quick as the first (an OFFSET over the joined
    rows made PostgreSQL join the whole queue before skipping).
    """
    return QueueItem.objects.filter(pk__in=ids).order_by(*QUEUE_ORDER)


def queue_roles(*, queue: ReviewQueue, actor: Actor) -> tuple[bool, bool]:
    """(member, lead) for this reviewer in this queue; a manager acts as a lead everywhere.

    A queue from ``queues_with_counts`` carries the reviewer's membership: no query then.
    """
    if hasattr(queue, "membership_is_lead"):
        is_lead = queue.membership_is_lead
    else:
        memberships = QueueMembership.objects.filter(queue=queue, reviewer_id=actor.user_id)
        is_lead = memberships.values_list("is_lead", flat=True).first()
    member = is_lead is not None
    return member, actor.is_manager or bool(is_lead)


def queue_members(*, queue: ReviewQueue):
    return (
        QueueMembership.objects.filter(queue=queue, reviewer__is_active=True)
        .select_related("reviewer")
        .order_by("reviewer__first_name", "reviewer__username")
    )


def unqueued_waiting(*, actor: Actor):
    """Applications awaiting review that no queue took (no queue matched when they arrived)."""
    # From the partial index on those alone (``in_queue`` follows the open item): thousands
    # wait, nearly all of them in a queue, and comparing each with the open items cost the
    # queue page more than its own items.
    oldest = Application.objects.filter(status=Status.AWAITING_REVIEW, in_queue=False).order_by(
        "submitted_at", "pk"
    )
    oldest = visible(oldest, actor, doors=Door.STAFF)
    return (
        Application.objects.filter(pk__in=oldest.values("pk")[:UNQUEUED_SHOWN])
        .select_related("company", "brand")
        .only(*APPLICATION_ROW_FIELDS)
        .order_by("submitted_at", "pk")
    )


def assigned_to(*, actor: Actor):
    applications = (
        Application.objects.filter(status=Status.IN_REVIEW, assignee_id=actor.user_id)
        .select_related("company", "brand")
        .only(*APPLICATION_ROW_FIELDS)
        .order_by("submitted_at", "pk")
    )
    return visible(applications, actor, doors=Door.STAFF)


# The "waiting for you" lists at the top of the queue page stay short; the full list of
# proposals is the confirmations page.
FOR_YOU_SHOWN = 5


def proposals_to_confirm(*, actor: Actor):
    """Proposals the reviewer may confirm or send back: a senior reviewer's, not their own."""
    if Role.SENIOR_REVIEWER not in actor.staff_roles:
        return Application.objects.none()
    proposals = (
        Application.objects.filter(status=Status.PROPOSED)
        .exclude(proposed_by_id=actor.user_id)
        .select_related("brand", "proposed_by")
        .only("brand__name", "proposed_decision", "proposed_by__username", "updated_at")
        .order_by("updated_at", "pk")
    )
    return visible(proposals, actor, doors=Door.STAFF)


def proposals_sent_back(*, actor: Actor):
    """The reviewer's applications whose proposal was sent back and wait for them, each with
    ``back_by`` and ``back_note`` (who sent it back and why)."""
    # A message in the conversation since then leaves the proposal where it was.
    latest = (
        ApplicationEvent.objects.filter(application=OuterRef("pk"))
        .exclude(action__in=MESSAGE_ACTIONS.values())
        .order_by("-pk")
    )
    applications = (
        Application.objects.filter(status=Status.IN_REVIEW, assignee_id=actor.user_id)
        .annotate(
            last_action=Subquery(latest.values("action")[:1]),
            back_by=Subquery(latest.values("actor_label")[:1]),
            back_note=Subquery(latest.values("note")[:1]),
        )
        .filter(last_action="send_back")
        .select_related("brand")
        .only("brand__name", "updated_at")
        .order_by("updated_at", "pk")
    )
    return visible(applications, actor, doors=Door.STAFF)


# Where a seller's message waits for the reviewer the application is with.
REPLY_STATUSES = (
    Status.AWAITING_REVIEW,
    Status.IN_REVIEW,
    Status.PROPOSED,
    Status.CHANGES_REQUESTED,
)


def seller_replies(*, actor: Actor):
    """The reviewer's open applications whose conversation ends with a message from the
    seller's side (an answer to a change request, a question), oldest first, each with
    ``reply_at``, ``reply_by`` and ``reply_body``. Answering in the conversation, or the
    application moving on, takes it off the list."""
    latest = ApplicationMessage.objects.filter(application=OuterRef("pk")).order_by(
        "-created_at", "-pk"
    )
    applications = (
        Application.objects.filter(status__in=REPLY_STATUSES, assignee_id=actor.user_id)
        .annotate(
            reply_side=Subquery(latest.values("side")[:1]),
            reply_at=Subquery(latest.values("created_at")[:1]),
            reply_by=Subquery(latest.values("author_label")[:1]),
            reply_body=Subquery(latest.values("body")[:1]),
        )
        .filter(reply_side=ApplicationMessage.Side.SELLER)
        .select_related("brand")
        .only("brand__name", "status", "created_at")
        .order_by("reply_at", "pk")
    )
    return visible(applications, actor, doors=Door.STAFF)


def open_queue_item(*, application_id: int) -> QueueItem | None:
    return (
        QueueItem.objects.open()
        .filter(application_id=application_id)
        .select_related("queue")
        .first()
    )


# The inbox page shows the newest entries; older ones stay in the mail that was sent for each.
def _own_notifications(actor: Actor):
    """The staff member's own inbox entries, less those about a company they have since
    declared a conflict with: what was written to them before is behind the wall now."""
    return visible(
        Notification.objects.filter(user_id=actor.user_id),
        actor,
        doors=Door.STAFF,
        company="application__company",
    )


def staff_inbox(*, actor: Actor, before: str = "") -> InboxPage:
    """A page of entries, newest first (``before``: see inbox_page), each with ``open_path``:
    where in the reviewer workspace the entry leads (its own link, else its application's
    workspace)."""
    page = inbox_page(_own_notifications(actor), before=before)
    for entry in page.entries:
        entry.open_path = entry.link or (
            reverse("reviews:workspace", args=[entry.application_id])
            if entry.application_id
            else ""
        )
    return page


def staff_unread(*, actor: Actor):
    return _own_notifications(actor).filter(read_at__isnull=True)


def staff_unread_count(*, actor: Actor) -> int:
    return staff_unread(actor=actor).count()
