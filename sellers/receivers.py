from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from brandprogram.queueing import enqueue_after_commit
from sellers.api import cache as api_cache
from sellers.models import (
    ApiKey,
    Application,
    ApplicationEvent,
    Brand,
    Category,
    PartnerGrant,
    PartnerOrganization,
    Program,
    SellerCompany,
    Trademark,
)
from sellers.services import membership_set_language, notifications_create
from sellers.signals import application_status_changing
from sellers.snapshots import snapshot_take
from sellers.webhooks.deliveries import webhook_deliveries_record
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
        enqueue_after_commit("sellers.tasks.notification_mail", notification_id=notification.pk)


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


# The partner API's cached answers (sellers.api.cache) are voided by every save of what they
# show. Writes through QuerySet.update() send no signal and void them where they are made.


@receiver(post_save, sender=Application, dispatch_uid="sellers-api-cache-application-saved")
@receiver(post_delete, sender=Application, dispatch_uid="sellers-api-cache-application-deleted")
def application_changed(sender, instance, **kwargs):
    api_cache.applications_changed([instance.pk])


@receiver(m2m_changed, sender=Application.categories.through, dispatch_uid="sellers-api-cache-cat")
def application_categories_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if not action.startswith("post_"):
        return
    if not reverse:
        api_cache.applications_changed([instance.pk])
    elif pk_set:
        api_cache.applications_changed(pk_set)
    else:
        # A category cleared of all its applications: which ones is no longer known.
        api_cache.references_changed()


@receiver(post_save, sender=Brand, dispatch_uid="sellers-api-cache-brand-saved")
@receiver(post_save, sender=Trademark, dispatch_uid="sellers-api-cache-trademark-saved")
def application_part_changed(sender, instance, **kwargs):
    field = "brand_id" if sender is Brand else "trademark_id"
    api_cache.applications_changed(
        Application.objects.filter(**{field: instance.pk}).values_list("pk", flat=True)
    )


def _references_changed(sender, **kwargs):
    api_cache.references_changed()


for _model in (ApiKey, PartnerGrant, PartnerOrganization, SellerCompany, Program, Category):
    for _signal in (post_save, post_delete):
        _signal.connect(
            _references_changed,
            sender=_model,
            dispatch_uid=f"sellers-api-cache-{_model.__name__}-{_signal is post_save}",
        )
