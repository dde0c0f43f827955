"""Files sent in an application's conversation are scanned for malware once their message has
committed, with the scanners screening uses on evidence (the EICAR test always, ClamAV where
configured).

Until its scan says clean a file is "being checked" and handed out to nobody; a file with
malware is never handed out and the conversation says what was found. A scanner that cannot
answer leaves the file waiting: the task retries with backoff, and the screening sweep sends
the scan again for files still waiting after ``STALE``, so none stays unchecked for good.

A message from the review team reaches the seller's systems (application.message_received)
when the last of its files has its outcome, so that a partner can fetch every clean file at once.
"""

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from brandprogram.queueing import enqueue_after_commit
from reviews.checks.scanners import scanners_from_settings
from sellers.models import ApplicationMessage, MessageAttachment
from sellers.webhooks.deliveries import webhook_message_deliveries_record

logger = logging.getLogger(__name__)

Scan = MessageAttachment.ScanStatus
# Longer than a scan with its first retries takes, so that the sweep does not race the task.
STALE = timedelta(minutes=5)
# Messages per sweep: a backlog after a long scanner outage drains over a few sweeps rather
# than flooding the queue at once.
SWEEP_BATCH = 200


def message_attachments_scan_request(*, message_id: int) -> None:
    """Inside the transaction that stores the message: its files are scanned once it commits."""
    enqueue_after_commit("reviews.tasks.scan_message_attachments", message_id=message_id)


def message_attachments_scan(*, message_id: int) -> dict[int, str]:
    """Scan each file of the message still waiting for its scan and record the outcome on it;
    returns {attachment id: outcome} for the files scanned now.

    Raises ScannerError (a TransientCheckError) when a scanner cannot answer: the files not
    yet scanned stay "being checked", for the task's retry and the sweep.
    """
    scanners = scanners_from_settings()
    outcomes = {}
    waiting = MessageAttachment.objects.filter(message_id=message_id, scan_status=Scan.PENDING)
    for attachment in waiting.order_by("pk"):
        try:
            with attachment.file.open("rb") as stream:
                data = stream.read()
        except FileNotFoundError:
            # Nothing to hand out either: the download answers 404. Left waiting, so that a
            # file restored from a backup is scanned by the sweep before anyone gets it.
            logger.warning("message attachment %s is missing from file storage", attachment.pk)
            continue
        found = None
        for scanner in scanners:
            found = scanner.scan(data)
            if found:
                break
        status = Scan.INFECTED if found else Scan.CLEAN
        with transaction.atomic():
            # Scans of the same message (a retry beside the sweep) take turns here, so that
            # exactly one of them sees the last file done.
            message = ApplicationMessage.objects.select_for_update().get(pk=message_id)
            # The only change a stored file's row takes; conditional, so that a scan that ran
            # twice records its outcome once.
            recorded = MessageAttachment.objects.filter(
                pk=attachment.pk, scan_status=Scan.PENDING
            ).update(scan_status=status, scan_finding=found or "", scanned_at=timezone.now())
            if recorded and _all_scanned(message):
                _tell_seller_side(message)
        if found:
            logger.warning(
                "message attachment %s of message %s: malware found (%s)",
                attachment.pk,
                message_id,
                found,
            )
        outcomes[attachment.pk] = status
    return outcomes


def _all_scanned(message: ApplicationMessage) -> bool:
    return not message.attachments.filter(scan_status=Scan.PENDING).exists()


def _tell_seller_side(message: ApplicationMessage) -> None:
    """The review team's message reaches the seller's systems once every file it carries has
    its scan outcome: a clean file can be downloaded, a blocked one says why."""
    if message.side == ApplicationMessage.Side.REVIEWER:
        webhook_message_deliveries_record(
            application_id=message.application_id, message_id=message.pk
        )


def message_scans_overdue() -> list[int]:
    """Messages with a file still waiting for its scan after ``STALE`` (the broker lost the
    task, or the scanner was down through every retry), oldest first."""
    return list(
        MessageAttachment.objects.filter(
            scan_status=Scan.PENDING, message__created_at__lt=timezone.now() - STALE
        )
        .order_by("message_id")
        .values_list("message_id", flat=True)
        .distinct()[:SWEEP_BATCH]
    )
