"""Seller-side background work: outgoing mail, sent outside the request and its transaction."""

import logging

from celery import shared_task
from django.core.mail import send_mail

from sellers.services import notifications_create

logger = logging.getLogger(__name__)


@shared_task(autoretry_for=(OSError,), retry_backoff=30, max_retries=5)
def mail_send(*, to: str, subject: str, body: str) -> None:
    send_mail(subject, body, None, [to])
    logger.info("mail %r sent to %s", subject, to)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def notify_members(*, event_id: int) -> None:
    """Put a seller-visible event in every member's inbox and mail them about it."""
    for notification in notifications_create(event_id=event_id):
        mail_send.delay(
            to=notification.user.email or notification.user.get_username(),
            subject=notification.subject,
            body=notification.body,
        )
    logger.info("event %s notified", event_id)
