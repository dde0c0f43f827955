"""Review queues: where screened applications wait, who gets them, and their deadlines.

An open ``QueueItem`` follows its application through the workflow (the receiver in
``reviews.receivers`` calls ``queue_item_follow`` inside every transition's transaction); every
status change, claims and assignments included, still goes through
``sellers.workflow.transition.application_transition``.
"""

import datetime
import logging

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from brandprogram.errors import ApplicationError
from brandprogram.phrases import Phrase
from brandprogram.queueing import enqueue_after_commit
from reviews.languages import staff_mail_after_commit
from reviews.models import QueueItem, QueueMembership, ReviewQueue, ScreeningRun
from reviews.sla import add_business_days
from sellers.access import Door, staff_who_may_see, visible
from sellers.actors import (
    REVIEWER_GROUP,
    SENIOR_REVIEWER_GROUP,
    SYSTEM,
    Actor,
    Role,
)
from sellers.mail import portal_link
from sellers.models import (
    Application,
    ApplicationEvent,
    SellerCompany,
    Status,
)
from sellers.services.events import application_internal_event_record
from sellers.workflow.transition import application_transition

logger = logging.getLogger(__name__)

# Added to an item's priority; the queue orders by due time first, so these decide among
# items due at the same time, and an escalation lifts an overdue item above every fresh one.
PRIORITY_GOLD = 20
PRIORITY_SILVER = 10
PRIORITY_RESUBMISSION = 5
PRIORITY_ESCALATION = 100

QUEUE_ORDER = ("due_at", "-priority", "entered_at", "pk")

# How many times claim-next looks again when the item it locked was taken or withdrawn between
# reading the queue and moving the application.
CLAIM_ATTEMPTS = 5

# How long an item of an automatic queue may wait unassigned before the SLA sweep assigns it
# itself: the assignment published on entry was lost (the broker was down) or is still running.
ASSIGNMENT_GRACE = datetime.timedelta(minutes=2)

ASSIGNMENT_SERVICE = Actor(
    label=gettext_noop("Automatic assignment"), staff_roles=frozenset({Role.SYSTEM})
)


def queue_item_follow(*, application_id: int, from_status: str, to_status: str) -> None:
    """Keep the application's open queue item in step with a status change just made, and
    the application's ``in_queue`` with the item."""
    items = QueueItem.objects.filter(application_id=application_id, closed_at__isnull=True)
    now = timezone.now()
    if to_status == Status.AWAITING_REVIEW:
        if from_status == Status.IN_REVIEW:
            items.update(assignee=None, assigned_at=None)
        elif not items.exists():
            queue_item_open(application_id=application_id)
    elif to_status == Status.IN_REVIEW:
        if from_status == Status.PROPOSED and not items.exists():
            # A proposal sent back is the same review going on: the item closed when the
            # proposal was made opens again, keeping its arrival and its deadline.
            latest = QueueItem.objects.filter(application_id=application_id).order_by("-pk")
            if QueueItem.objects.filter(pk__in=latest.values("pk")[:1]).update(closed_at=None):
                _in_queue(application_id, True)
        assignee_id = Application.objects.values_list("assignee_id", flat=True).get(
            pk=application_id
        )
        items.update(assignee_id=assignee_id, assigned_at=now)
    elif from_status in {Status.AWAITING_REVIEW, Status.IN_REVIEW}:
        closed = items.update(closed_at=now)
        if closed:
            _in_queue(application_id, False)


def _in_queue(application_id: int, held: bool) -> None:
    # A queryset update: the flag is the queues' own bookkeeping, not a change of the
    # application that its last-changed time, its signals or the partner API should see.
    Application.objects.filter(pk=application_id).update(in_queue=held)


def queue_item_open(*, application_id: int) -> QueueItem | None:
    """Put an application that waits for review into its queue; None if no queue takes it."""
    application = Application.objects.select_related("company").get(pk=application_id)
    queue = _matching_queue(application)
    if queue is None:
        logger.warning("application %s matches no review queue", application_id)
        return None
    now = timezone.now()
    # Asked once: the resubmission raises the priority and may bring its reviewer back.
    resubmitted = _latest_resubmission(application_id)
    item = QueueItem.objects.create(
        queue=queue,
        application=application,
        priority=_priority(application, resubmitted=resubmitted is not None),
        entered_at=now,
        due_at=add_business_days(now, queue.sla_business_days),
    )
    _in_queue(application_id, True)
    automatic = queue.assignment_mode == ReviewQueue.AssignmentMode.AUTOMATIC
    if automatic or _reviewer_returning_to(application_id, resubmitted) is not None:
        enqueue_after_commit("reviews.tasks.assign_queue_item", item_id=item.pk)
    return item


def _latest_resubmission(application_id: int) -> int | None:
    """The id of the application's latest "resubmit" event, None when it was never resubmitted."""
    events = ApplicationEvent.objects.filter(application_id=application_id, action="resubmit")
    return events.order_by("-pk").values_list("pk", flat=True).first()


def _returning_reviewer_id(application_id: int) -> int | None:
    """The reviewer who requested the changes a resubmission answers, on the resubmission's
    first arrival in a queue (after a claim or an assignment the work belongs to the queue
    again); None when the application was never sent back by a reviewer."""
    return _reviewer_returning_to(application_id, _latest_resubmission(application_id))


def _reviewer_returning_to(application_id: int, resubmitted: int | None) -> int | None:
    """``_returning_reviewer_id`` for the resubmission event ``resubmitted`` (or None)."""
    events = ApplicationEvent.objects.filter(application_id=application_id).order_by("-pk")
    if (
        resubmitted is None
        or events.filter(pk__gt=resubmitted, action__in=("claim", "assign")).exists()
    ):
        return None
    return (
        events.filter(pk__lt=resubmitted, action="request_changes", actor__isnull=False)
        .values_list("actor_id", flat=True)
        .first()
    )


def queue_item_reroute(*, application_id: int) -> QueueItem | None:
    """Move the application's open item to the queue its latest screening routes it to now.

    Called when a re-run check changed the route (a standard case became a senior one, or the
    reverse). The item keeps its arrival, priority and reviewer (who may finish the case: a
    decision on a senior-route case still needs a senior reviewer's confirmation); its due
    time follows the new queue's SLA, and the move is written in the staff-only history.
    """
    item = (
        QueueItem.objects.select_for_update()
        .select_related("queue")
        .filter(application_id=application_id, closed_at__isnull=True)
        .first()
    )
    if item is None:
        return None
    queue = _matching_queue(Application.objects.get(pk=application_id))
    if queue is None or queue.pk == item.queue_id:
        return item
    moved_from = item.queue
    item.queue = queue
    item.due_at = add_business_days(item.entered_at, queue.sla_business_days)
    item.save(update_fields=["queue", "due_at"])
    application_internal_event_record(
        actor=SYSTEM,
        application_id=application_id,
        action="queue_moved",
        note=Phrase(
            gettext_noop("Moved from the queue “%(old)s” to “%(new)s” after checks re-ran."),
            old=moved_from.name,
            new=queue.name,
        ),
    )
    if item.assignee_id is None and queue.assignment_mode == ReviewQueue.AssignmentMode.AUTOMATIC:
        enqueue_after_commit("reviews.tasks.assign_queue_item", item_id=item.pk)
    return item


def _matching_queue(application: Application) -> ReviewQueue | None:
    run = (
        ScreeningRun.objects.filter(application=application, state=ScreeningRun.State.COMPLETED)
        .order_by("-finished_at", "-pk")
        .first()
    )
    senior = run is not None and run.route == ScreeningRun.Route.SENIOR
    level = ReviewQueue.RiskLevel.SENIOR if senior else ReviewQueue.RiskLevel.STANDARD
    queues = ReviewQueue.objects.filter(risk_level=level).order_by("name", "pk")
    # The queue of one of the application's categories, joined in the same query.
    return (
        queues.filter(categories__applications=application).first()
        or queues.filter(categories__isnull=True).first()
    )


def _priority(application: Application, *, resubmitted: bool) -> int:
    priority = {
        SellerCompany.Tier.GOLD: PRIORITY_GOLD,
        SellerCompany.Tier.SILVER: PRIORITY_SILVER,
    }.get(application.company.tier, 0)
    if resubmitted:
        priority += PRIORITY_RESUBMISSION
    return priority


def queue_membership(*, queue: ReviewQueue, actor: Actor) -> QueueMembership | None:
    return QueueMembership.objects.filter(queue=queue, reviewer_id=actor.user_id).first()


def _check_may_work(queue: ReviewQueue, actor: Actor) -> None:
    if not actor.is_reviewer or queue_membership(queue=queue, actor=actor) is None:
        raise ApplicationError(
            gettext("You are not a member of the queue “%(queue)s”.") % {"queue": queue.name},
            code="not_a_member",
        )
    if (
        queue.risk_level == ReviewQueue.RiskLevel.SENIOR
        and Role.SENIOR_REVIEWER not in actor.staff_roles
    ):
        raise ApplicationError(
            gettext("Only senior reviewers work the queue “%(queue)s”.") % {"queue": queue.name},
            code="senior_only",
        )


def queue_item_claim_next(*, queue_id: int, actor: Actor) -> Application | None:
    """Give the reviewer the first free item of the queue, or None when nothing is free.

    The item row is locked with SKIP LOCKED: a reviewer claiming at the same moment gets the
    next free item instead of waiting for (and then losing) the same one.
    """
    queue = ReviewQueue.objects.get(pk=queue_id)
    _check_may_work(queue, actor)
    if queue.assignment_mode != ReviewQueue.AssignmentMode.CLAIM_NEXT:
        raise ApplicationError(
            gettext("Items of “%(queue)s” are assigned, not claimed.") % {"queue": queue.name},
            code="not_claimable",
        )
    for _attempt in range(CLAIM_ATTEMPTS):
        with transaction.atomic():
            item = (
                visible(
                    QueueItem.objects.open()
                    .filter(queue=queue, assignee__isnull=True)
                    .filter(application__status=Status.AWAITING_REVIEW),
                    actor,
                    doors=Door.STAFF,
                    company="application__company",
                )
                .select_for_update(skip_locked=True, of=("self",))
                .order_by(*QUEUE_ORDER)
                .first()
            )
            if item is None:
                return None
            try:
                return application_transition(
                    application_id=item.application_id, action="claim", actor=actor
                )
            except ApplicationError as exc:
                # Taken through another door or withdrawn since the row was read.
                if exc.code != "transition_not_allowed":
                    raise
    return None


def application_claim(*, application_id: int, actor: Actor) -> Application:
    """Claim one particular application: allowed outside queues and in claim-next queues."""
    item = QueueItem.objects.open().select_related("queue").filter(application_id=application_id)
    item = item.first()
    if item is not None:
        _check_may_work(item.queue, actor)
        if item.queue.assignment_mode != ReviewQueue.AssignmentMode.CLAIM_NEXT:
            raise ApplicationError(
                gettext("Items of “%(queue)s” are assigned, not claimed.")
                % {"queue": item.queue.name},
                code="not_claimable",
            )
    return application_transition(application_id=application_id, action="claim", actor=actor)


def queue_item_assign(*, item_id: int, assignee, actor: Actor) -> Application:
    """A queue lead (or a program manager) hands an item to a member, or to another member."""
    item = QueueItem.objects.select_related("queue", "application").get(pk=item_id)
    queue = item.queue
    is_lead = QueueMembership.objects.filter(
        queue=queue, reviewer_id=actor.user_id, is_lead=True
    ).exists()
    if not (is_lead or actor.is_manager):
        raise ApplicationError(
            gettext("Only a lead of “%(queue)s” or a program manager can assign its items.")
            % {"queue": queue.name},
            code="not_a_lead",
        )
    if item.closed_at is not None:
        raise ApplicationError(
            gettext("This application has left the queue."), code="transition_not_allowed"
        )
    if assignee is None or not QueueMembership.objects.filter(queue=queue, reviewer=assignee):
        raise ApplicationError(
            gettext("Choose a member of “%(queue)s”.") % {"queue": queue.name},
            code="not_a_member",
            field="assignee",
        )
    if (
        queue.risk_level == ReviewQueue.RiskLevel.SENIOR
        and not assignee.groups.filter(name=SENIOR_REVIEWER_GROUP).exists()
    ):
        raise ApplicationError(
            gettext("Only senior reviewers work the queue “%(queue)s”.") % {"queue": queue.name},
            code="senior_only",
            field="assignee",
        )
    action = "assign" if item.application.status == Status.AWAITING_REVIEW else "reassign"
    return application_transition(
        application_id=item.application_id, action=action, actor=actor, assignee=assignee
    )


def queue_items_assign(*, item_ids: list[int], assignee, actor: Actor) -> dict[int, str]:
    """Assign several items; each is its own decision. Returns the refusals by item id."""
    refused = {}
    for item_id in item_ids:
        try:
            queue_item_assign(item_id=item_id, assignee=assignee, actor=actor)
        except (ApplicationError, QueueItem.DoesNotExist) as exc:
            refused[item_id] = getattr(exc, "message", gettext("No such queue item."))
    return refused


def queue_item_assign_automatically(*, item_id: int) -> Application | None:
    """Hand a new item to the reviewer who requested the changes it answers, while they are
    still an eligible member of its queue; otherwise, in an automatic queue, to its
    least-loaded eligible member, and in any other queue to nobody (it waits there).

    Load is the number of applications each member has in review; among equally loaded members
    the one whose last automatic assignment here is oldest goes first (round robin).
    """
    with transaction.atomic():
        item = (
            QueueItem.objects.select_related("queue", "application")
            .select_for_update(of=("self",))
            .get(pk=item_id)
        )
        # Locking the queue's memberships serialises automatic assignment within the queue, so
        # two arrivals at the same moment see each other's load.
        list(
            QueueMembership.objects.select_for_update()
            .filter(queue_id=item.queue_id)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if item.closed_at or item.assignee_id or item.application.status != Status.AWAITING_REVIEW:
            return None
        returning = _returning_reviewer_id(item.application_id)
        membership = returning and _least_loaded(item).filter(reviewer_id=returning).first()
        if membership:
            return application_transition(
                application_id=item.application_id,
                action="assign",
                actor=ASSIGNMENT_SERVICE,
                assignee=membership.reviewer,
                # The service's own note: read in each reviewer's language, not in that of
                # the seller whose resubmission brought the application back.
                note=Phrase(
                    gettext_noop("Back to %(name)s, who requested the changes."),
                    name=membership.reviewer.get_full_name() or membership.reviewer.username,
                ),
            )
        if item.queue.assignment_mode != ReviewQueue.AssignmentMode.AUTOMATIC:
            return None
        membership = _least_loaded(item).first()
        if membership is None:
            logger.warning("no eligible member to assign queue item %s to", item_id)
            return None
        application = application_transition(
            application_id=item.application_id,
            action="assign",
            actor=ASSIGNMENT_SERVICE,
            assignee=membership.reviewer,
        )
        QueueMembership.objects.filter(pk=membership.pk).update(last_assigned_at=timezone.now())
    return application


def _least_loaded(item: QueueItem):
    User = get_user_model()
    groups = [SENIOR_REVIEWER_GROUP]
    if item.queue.risk_level == ReviewQueue.RiskLevel.STANDARD:
        groups.append(REVIEWER_GROUP)
    in_groups = User.groups.through.objects.filter(
        user_id=OuterRef("reviewer_id"), group__name__in=groups
    )
    load = (
        Application.objects.filter(assignee_id=OuterRef("reviewer_id"), status=Status.IN_REVIEW)
        .order_by()
        .values("assignee_id")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return (
        QueueMembership.objects.filter(queue=item.queue, reviewer__is_active=True)
        .filter(Exists(in_groups))
        .filter(staff_who_may_see(item.application.company_id, user="reviewer_id"))
        .annotate(load=Coalesce(Subquery(load), Value(0)))
        .select_related("reviewer")
        .order_by("load", F("last_assigned_at").asc(nulls_first=True), "reviewer_id")
    )


def queue_assignments_redo(*, now=None) -> int:
    """Assign the items of automatic queues whose assignment on entry never happened (its
    message was lost in a broker outage); returns how many were assigned now.

    Only items nobody has had since they entered: an item a reviewer released or escalated
    waits for a lead, as it always has.
    """
    now = now or timezone.now()
    handled_since_entry = ApplicationEvent.objects.filter(
        application_id=OuterRef("application_id"),
        action__in=("claim", "assign"),
        created_at__gte=OuterRef("entered_at"),
    )
    waiting = (
        QueueItem.objects.open()
        .filter(
            assignee__isnull=True,
            queue__assignment_mode=ReviewQueue.AssignmentMode.AUTOMATIC,
            application__status=Status.AWAITING_REVIEW,
            entered_at__lt=now - ASSIGNMENT_GRACE,
        )
        .exclude(Exists(handled_since_entry))
        .order_by(*QUEUE_ORDER)
    )
    assigned = 0
    for item_id in waiting.values_list("pk", flat=True):
        if queue_item_assign_automatically(item_id=item_id) is not None:
            assigned += 1
    return assigned


def queue_sla_sweep(*, now=None) -> dict[str, int]:
    """Escalate overdue items once (priority up, leads mailed) and remind assignees of items
    due within a day or overdue, at most once a day. Safe to run any number of times."""
    now = now or timezone.now()
    escalated = 0
    for item_id in (
        QueueItem.objects.breached(now)
        .filter(escalated_at__isnull=True)
        .values_list("pk", flat=True)
    ):
        claimed = QueueItem.objects.filter(
            pk=item_id, escalated_at__isnull=True, closed_at__isnull=True
        ).update(escalated_at=now, priority=F("priority") + PRIORITY_ESCALATION)
        if claimed:
            escalated += 1
            _mail_leads(item_id)
    today = timezone.localdate(now)
    reminded = 0
    due_soon = QueueItem.objects.open().filter(
        assignee__isnull=False, due_at__lt=now + datetime.timedelta(days=1)
    )
    not_today = Q(reminded_on__isnull=True) | Q(reminded_on__lt=today)
    for item_id in due_soon.filter(not_today).values_list("pk", flat=True):
        if QueueItem.objects.open().filter(not_today, pk=item_id).update(reminded_on=today):
            reminded += 1
            _mail_assignee(item_id)
    return {"escalated": escalated, "reminded": reminded}


def _item_link(item: QueueItem) -> str:
    return portal_link(reverse("reviews:workspace", args=[item.application_id]))


def _mail_context(item: QueueItem) -> dict:
    return {
        "brand": item.application.brand.name,
        "application_id": item.application_id,
        "queue": item.queue.name,
        # Rendered in the worker's time zone, as the reviewers' pages show it.
        "due": timezone.localtime(item.due_at),
        "link": _item_link(item),
    }


def _mail_leads(item_id: int) -> None:
    item = QueueItem.objects.select_related("queue", "application__brand").get(pk=item_id)
    leads = [
        membership.reviewer
        for membership in QueueMembership.objects.filter(queue=item.queue, is_lead=True)
        .exclude(reviewer__email="")
        .select_related("reviewer")
    ]
    if not leads:
        logger.warning("queue %s has no lead to tell about overdue item %s", item.queue, item_id)
        return
    for lead in leads:
        staff_mail_after_commit(
            user=lead, template="reviews/email/queue_overdue", context=_mail_context(item)
        )


def _mail_assignee(item_id: int) -> None:
    item = QueueItem.objects.select_related("queue", "application__brand", "assignee").get(
        pk=item_id
    )
    if not item.assignee.email:
        return
    staff_mail_after_commit(
        user=item.assignee, template="reviews/email/queue_reminder", context=_mail_context(item)
    )
