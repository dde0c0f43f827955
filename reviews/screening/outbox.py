"""The screening outbox: a ScreeningRequest written with the submission, published after
commit, and published again by the sweep when the broker never got it."""

import logging
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from brandprogram.db import CompiledUpdate
from brandprogram.queueing import publish
from reviews.models import ScreeningRequest
from reviews.screening.runner import check_time_limits

logger = logging.getLogger(__name__)


def screening_request_record(*, application_id: int) -> ScreeningRequest:
    """Called inside the submitting transaction: the request commits or rolls back with it."""
    request = ScreeningRequest.objects.create(application_id=application_id)
    transaction.on_commit(
        lambda: screening_request_publish(request_id=request.pk, application_id=application_id)
    )
    return request


def _request(request_id: int, **values):
    return ScreeningRequest.objects.filter(pk=request_id)


# Written after every submission's commit: compiling the write took longer than running it.
_PUBLISHED = CompiledUpdate(
    _request,
    lambda request_id, now: {"publish_attempts": F("publish_attempts") + 1, "published_at": now},
    request_id=-2_102_938_475,
    now=datetime(1901, 2, 3, 4, 5, 6, 789_014, tzinfo=UTC),
)
_ATTEMPTED = CompiledUpdate(
    _request,
    lambda request_id: {"publish_attempts": F("publish_attempts") + 1},
    request_id=-2_102_938_476,
)


def screening_request_publish(*, request_id: int, application_id: int | None = None) -> bool:
    """Send a request to the broker; False (and the request left for the sweep) if it is down.
    ``application_id``, when the caller knows it, saves reading the request."""
    if application_id is None:
        application_id = ScreeningRequest.objects.values_list("application_id", flat=True).get(
            pk=request_id
        )
    # The task runs the quick checks too, within the checks' time limits.
    published = publish(
        "reviews.tasks.screen_application",
        options=check_time_limits(),
        application_id=application_id,
    )
    # The attempt and, when the broker took it, its time, in one write: each write outside a
    # transaction is a commit of its own that waits for the disk.
    if published:
        _PUBLISHED.run(request_id=request_id, now=timezone.now())
    else:
        _ATTEMPTED.run(request_id=request_id)
        logger.warning("broker unavailable; screening request %s waits for the sweep", request_id)
    return published


def screening_requests_to_publish() -> list[int]:
    """Requests never published, or published so long ago that the message must be lost."""
    stale_before = timezone.now() - timedelta(seconds=settings.SCREENING_STALE_SECONDS)
    return list(
        ScreeningRequest.objects.filter(handled_at__isnull=True)
        .filter(Q(published_at__isnull=True) | Q(published_at__lt=stale_before))
        .values_list("pk", flat=True)
    )
