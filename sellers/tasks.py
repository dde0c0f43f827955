"""Seller-side background work: outgoing mail, sent outside the request and its transaction.

A leaf: no module of the apps imports it (Celery finds it by name), and each task imports the
services it calls inside its body, so that loading the tasks never loads the services.
"""

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone

from sellers.mail import mail_subject
from sellers.models import Notification

logger = logging.getLogger(__name__)


@shared_task(autoretry_for=(OSError,), retry_backoff=30, max_retries=5)
def mail_send(*, to: str, subject: str, body: str) -> None:
    # Made one line here too: messages queued before subjects were made so may still wait.
    subject = mail_subject(subject)
    send_mail(subject, body, None, [to])
    logger.info("mail %r sent to %s", subject, to)


@shared_task(autoretry_for=(OSError,), retry_backoff=30, max_retries=5, acks_late=True)
def notification_mail(*, notification_id: int) -> None:
    notification = Notification.objects.select_related("user").get(pk=notification_id)
    if notification.mailed_at is not None:
        return
    user = notification.user
    # Inbox entries stored before subjects were made one line may still hold a line break.
    send_mail(
        mail_subject(notification.subject),
        notification.body,
        None,
        [user.email or user.get_username()],
    )
    # Inside the body: the tasks module stays a leaf (see the module's docstring).
    from sellers.services.notifications import notification_mark_mailed

    notification_mark_mailed(notification_id=notification_id)
    logger.info("notification %s mailed", notification_id)


@shared_task
def notifications_sweep() -> None:
    """Mail the notifications whose message never reached the broker."""
    stale_before = timezone.now() - timedelta(seconds=settings.NOTIFICATION_STALE_SECONDS)
    pending = Notification.objects.filter(mailed_at__isnull=True, created_at__lt=stale_before)
    for notification_id in pending.values_list("pk", flat=True):
        notification_mail.delay(notification_id=notification_id)


# Webhook tasks are named sellers.tasks.webhook_…, which deployments route to a queue of their
# own, so a slow receiver never holds up mail or screening.


@shared_task(acks_late=True)
def webhook_deliver(*, delivery_id: int, attempts: int) -> None:
    # Inside the body: the tasks module stays a leaf.
    from sellers.webhooks.deliveries import webhook_delivery_attempt

    webhook_delivery_attempt(delivery_id=delivery_id, attempts=attempts)


@shared_task(acks_late=True)
def webhook_deliver_in_order(*, deliveries: list[list[int]]) -> None:
    """Send what waited while an endpoint was off, oldest first, one after the other."""
    # Inside the body: the tasks module stays a leaf.
    from brandprogram.queueing import publish
    from sellers.webhooks.deliveries import webhook_deliveries_in_order

    rest = webhook_deliveries_in_order(deliveries=deliveries)
    if rest:
        publish("sellers.tasks.webhook_deliver_in_order", deliveries=rest)


@shared_task
def webhook_deliveries_due() -> None:
    """Queue the retries that are due (and first attempts whose message was lost)."""
    # Inside the body: the tasks module stays a leaf.
    from sellers.webhooks.deliveries import webhook_deliveries_due as queue_due

    queued = queue_due()
    if queued:
        logger.info("%s webhook deliveries queued", queued)


@shared_task
def idempotency_records_purge() -> None:
    """Forget partner API answers kept past their 24 hours."""
    # Inside the body: the tasks module stays a leaf.
    from sellers.api.idempotency import idempotency_records_purge as purge

    removed = purge()
    if removed:
        logger.info("%s idempotency records purged", removed)


@shared_task(acks_late=True)
def evidence_read(*, evidence_id: int) -> None:
    """Read an uploaded document's fields, for screening and for the seller's upload page."""
    # Inside the body: the tasks module stays a leaf.
    from sellers.services.readings import evidence_read as read

    stored = read(evidence_id=evidence_id)
    if stored is not None:
        logger.info("evidence %s read: %s in %s ms", evidence_id, stored.status, stored.duration_ms)


@shared_task(acks_late=True)
def company_licence_read(*, company_id: int) -> None:
    """Read the business licence a company signed up with, for screening and its seller."""
    # Inside the body: the tasks module stays a leaf.
    from sellers.services.readings import company_licence_read as read

    stored = read(company_id=company_id)
    if stored is not None:
        logger.info("licence of company %s read: %s", company_id, stored.status)


@shared_task(acks_late=True)
def authorization_letter_read(*, link_id: int) -> None:
    """Read an authorization link's signed letter, for screening and the seller's chain step."""
    # Inside the body: the tasks module stays a leaf.
    from sellers.services.readings import authorization_letter_read as read

    stored = read(link_id=link_id)
    if stored is not None:
        logger.info("letter of authorization link %s read: %s", link_id, stored.status)


# Its own limits: a month's run over 100,000 sellers takes about half a minute on a quiet
# machine (bench tiering_run_s_100000), too close to the default limit of a task.
@shared_task(acks_late=True, soft_time_limit=1800, time_limit=1860)
def tiering_run() -> None:
    """The monthly ranking of sellers into gold, silver and standard."""
    # Inside the body: the tasks module stays a leaf (see the module's docstring).
    from sellers.services.tiers import tiering_run as run_tiering

    run = run_tiering()
    logger.info(
        "tiering %s: %s active sellers, %s gold, %s silver",
        run,
        run.active_sellers,
        run.gold,
        run.silver,
    )


@shared_task
def expiry_warnings() -> None:
    # Inside the body: the tasks module stays a leaf (see the module's docstring).
    from sellers.services.expiry import expiry_warnings_send

    warned = expiry_warnings_send()
    logger.info("%d expiry warnings sent", len(warned))
