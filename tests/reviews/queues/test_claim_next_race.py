"""Twenty reviewers press "Claim next" on the same queue at the same moment."""

import threading

import pytest
from django.db import connection, transaction

from reviews import queues
from reviews.models import QueueItem
from sellers.actors import actor_for_user
from sellers.models import Application, ApplicationEvent, Status
from tests.reviews.factories import ReviewQueueFactory
from tests.reviews.queues.queue_support import screened
from tests.sellers.factories import ReviewerFactory

REVIEWERS = 20
ITEMS = 50


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_claims_get_twenty_different_items_and_skip_none():
    if connection.vendor != "postgresql":
        pytest.skip("SKIP LOCKED needs PostgreSQL (make test)")
    reviewers = [
        ReviewerFactory(username=f"claimer{n}@brand-program.example") for n in range(REVIEWERS)
    ]
    queue = ReviewQueueFactory(members=reviewers)
    for _ in range(ITEMS):
        screened()
    queue_order = list(
        QueueItem.objects.filter(queue=queue)
        .order_by(*queues.QUEUE_ORDER)
        .values_list("application_id", flat=True)
    )
    actors = [actor_for_user(user) for user in reviewers]
    start = threading.Barrier(REVIEWERS)
    claimed: dict[int, int | None] = {}
    failures: list[BaseException] = []

    def claim_next(actor):
        try:
            start.wait()
            application = queues.queue_item_claim_next(queue_id=queue.pk, actor=actor)
            claimed[actor.user_id] = application.pk if application else None
        except BaseException as exc:  # reported below, with the thread's own traceback
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=claim_next, args=(actor,)) for actor in actors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    assert None not in claimed.values()
    assert len(set(claimed.values())) == REVIEWERS
    # Nothing was skipped: the claimed items are exactly the first twenty in queue order.
    assert set(claimed.values()) == set(queue_order[:REVIEWERS])
    holders = dict(
        Application.objects.filter(status=Status.IN_REVIEW).values_list("pk", "assignee_id")
    )
    assert holders == {application_id: user_id for user_id, application_id in claimed.items()}
    assert (
        dict(
            QueueItem.objects.filter(assignee__isnull=False).values_list(
                "application_id", "assignee"
            )
        )
        == holders
    )
    assert ApplicationEvent.objects.filter(action="claim").count() == REVIEWERS
    assert Application.objects.filter(status=Status.AWAITING_REVIEW).count() == ITEMS - REVIEWERS


@pytest.mark.django_db(transaction=True)
def test_claim_next_skips_an_item_locked_by_another_claim_instead_of_waiting(reviewer):
    if connection.vendor != "postgresql":
        pytest.skip("SKIP LOCKED needs PostgreSQL (make test)")
    queue = ReviewQueueFactory(members=[reviewer])
    first, second = screened(brand__name="FIRST"), screened(brand__name="SECOND")
    locked, release = threading.Event(), threading.Event()

    def hold_the_first_item():
        try:
            with transaction.atomic():
                QueueItem.objects.select_for_update().get(application=first)
                locked.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_the_first_item)
    holder.start()
    locked.wait(timeout=30)
    try:
        with connection.cursor() as cursor:
            # Waiting for the lock would be the bug; fail fast instead of hanging.
            cursor.execute("SET lock_timeout = '3s'")
        application = queues.queue_item_claim_next(
            queue_id=queue.pk, actor=actor_for_user(reviewer)
        )
    finally:
        release.set()
        holder.join()
        with connection.cursor() as cursor:
            cursor.execute("RESET lock_timeout")

    assert application.pk == second.pk
    first.refresh_from_db()
    assert (first.status, first.assignee) == (Status.AWAITING_REVIEW, None)
