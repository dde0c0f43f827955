"""Reviewer-side figures for the metrics: queue depth, waits, SLA breaches, screening run times.

``review_queue_figures`` is what ``settings.METRICS_REVIEW_QUEUES`` points at. The reviewer
queues are, for now, the screening routes (standard, senior) of the applications awaiting
review; when queues get rules of their own, point the setting at a function over those.
"""

from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Min, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from brandprogram.metrics import observe_screening_run
from reviews.models import ScreeningRun
from sellers.models import Application, Status


def review_queue_figures() -> dict[str, tuple[int, float, int]]:
    """{queue: (waiting, seconds the oldest has waited since submission, waiting past the SLA)}."""
    now = timezone.now()
    sla_start = now - timedelta(hours=settings.REVIEW_SLA_HOURS)
    latest_route = (
        ScreeningRun.objects.filter(
            application_id=OuterRef("pk"), state=ScreeningRun.State.COMPLETED
        )
        .order_by("-started_at", "-pk")
        .values("route")[:1]
    )
    rows = (
        Application.objects.filter(status=Status.AWAITING_REVIEW)
        .annotate(queue=Coalesce(Subquery(latest_route), Value(ScreeningRun.Route.STANDARD)))
        .values("queue")
        .annotate(
            waiting=Count("pk"),
            since=Min("submitted_at"),
            late=Count("pk", filter=Q(submitted_at__lt=sla_start)),
        )
        .order_by()
    )
    figures = {
        ScreeningRun.Route.STANDARD.value: (0, 0.0, 0),
        ScreeningRun.Route.SENIOR.value: (0, 0.0, 0),
    }
    for row in rows:
        waited = (now - row["since"]).total_seconds() if row["since"] else 0.0
        figures[row["queue"]] = (row["waiting"], waited, row["late"])
    return figures


def record_run_duration(sender, *, instance: ScreeningRun, update_fields=None, **kwargs) -> None:
    """post_save receiver: a run that has just finished adds its duration to the histogram."""
    if update_fields and "finished_at" in update_fields and instance.finished_at:
        observe_screening_run((instance.finished_at - instance.started_at).total_seconds())
