"""Reviewer-side figures for the metrics: queue depth, waits, SLA breaches, screening run times.

``review_queue_figures`` is what ``settings.METRICS_REVIEW_QUEUES`` points at.
"""

from django.db.models import Count, Min, Q
from django.utils import timezone

from brandprogram.metrics import observe_screening_run
from reviews.models import ReviewQueue, ScreeningRun


def review_queue_figures() -> dict[str, tuple[int, float, int]]:
    """{queue name: (open items waiting for a reviewer, seconds the oldest of them has been in
    the queue, open items past their due time)}; every queue is listed, an empty one with zeros.

    A breach counts whether or not somebody has taken the item: the deadline is the queue's.
    """
    now = timezone.now()
    open_items = Q(items__closed_at__isnull=True)
    waiting = open_items & Q(items__assignee__isnull=True)
    rows = ReviewQueue.objects.values_list("name").annotate(
        waiting=Count("items", filter=waiting),
        since=Min("items__entered_at", filter=waiting),
        late=Count("items", filter=open_items & Q(items__due_at__lt=now)),
    )
    return {
        name: (count, (now - since).total_seconds() if since else 0.0, late)
        for name, count, since, late in rows.order_by()
    }


def record_run_duration(sender, *, instance: ScreeningRun, update_fields=None, **kwargs) -> None:
    """post_save receiver: a run that has just finished adds its duration to the histogram."""
    if update_fields and "finished_at" in update_fields and instance.finished_at:
        observe_screening_run((instance.finished_at - instance.started_at).total_seconds())
