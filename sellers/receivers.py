from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from sellers.models import Application, ApplicationEvent
from sellers.services import membership_set_language, notifications_create
from sellers.signals import application_status_changing
from sellers.snapshots import snapshot_take
from sellers.tasks import enqueue_after_commit, notification_mail
from sellers.webhooks import webhook_deliveries_record
from sellers.workflow import TRANSITIONS


@receiver(application_status_changing, sender=Application, dispatch_uid="sellers-notify-members")
def notify_members_of_visible_change(sender, *, application_id, action, to_status, **kwargs):
    # Internal moves (screening, claims, queue changes) are never told to the seller.
    if not TRANSITIONS[action].seller_visible:
        return
    event = (
        ApplicationEvent.objects.filter(
            application_id=application_id, action=action, to_status=to_status
        )
        .order_by("-pk")
        .first()
    )
    # Inside the transaction: the inbox entries commit with the change, and their mail is
    # queued only after it, so a rolled-back change tells nobody.
    for notification in notifications_create(event_id=event.pk):
        enqueue_after_commit(notification_mail, notification_id=notification.pk)


@receiver(user_logged_in, dispatch_uid="sellers-remember-language")
def remember_language(sender, *, request, user, **kwargs):
    membership_set_language(user=user, language=getattr(request, "LANGUAGE_CODE", ""))


@receiver(application_status_changing, sender=Application, dispatch_uid="sellers-snapshot")
def snapshot_on_submission(sender, *, application_id, action, **kwargs):
    # Inside the submitting transaction: a submission and its snapshot exist together or not.
    if action in {"submit", "resubmit"}:
        snapshot_take(application_id=application_id, action=action)


@receiver(application_status_changing, sender=Application, dispatch_uid="sellers-webhooks")
def record_webhook_deliveries(sender, *, application_id, action, from_status, to_status, **kw):
    # Inside the transaction: the deliveries exist exactly when the change does.
    webhook_deliveries_record(
        application_id=application_id, action=action, from_status=from_status, to_status=to_status
    )
