"""Receivers of Django's own signals: a member's language at login, and the partner API's
cached answers voided when what they show is saved. Status changes set off their effects in
sellers.workflow.transition, by direct calls.
"""

from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from sellers.api import cache as api_cache
from sellers.models import (
    ApiKey,
    Application,
    Brand,
    Category,
    PartnerGrant,
    PartnerOrganization,
    Program,
    SellerCompany,
    Trademark,
    TrademarkVerificationCode,
)
from sellers.services.companies import membership_set_language


@receiver(user_logged_in, dispatch_uid="sellers-remember-language")
def remember_language(sender, *, request, user, **kwargs):
    membership_set_language(user=user, language=getattr(request, "LANGUAGE_CODE", ""))


# The partner API's cached answers (sellers.api.cache) are voided by every save of what they
# show. Writes through QuerySet.update() send no signal and void them where they are made.


@receiver(post_save, sender=Application, dispatch_uid="sellers-api-cache-application-saved")
@receiver(post_delete, sender=Application, dispatch_uid="sellers-api-cache-application-deleted")
def application_changed(sender, instance, **kwargs):
    api_cache.applications_changed([instance.pk], [instance.company_id])


@receiver(m2m_changed, sender=Application.categories.through, dispatch_uid="sellers-api-cache-cat")
def application_categories_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if not action.startswith("post_"):
        return
    if not reverse:
        api_cache.applications_changed([instance.pk], [instance.company_id])
    elif pk_set:
        _changed(Application.objects.filter(pk__in=pk_set))
    else:
        # A category cleared of all its applications: which ones is no longer known.
        api_cache.references_changed()


@receiver(post_save, sender=Brand, dispatch_uid="sellers-api-cache-brand-saved")
@receiver(post_save, sender=Trademark, dispatch_uid="sellers-api-cache-trademark-saved")
def application_part_changed(sender, instance, **kwargs):
    field = "brand_id" if sender is Brand else "trademark_id"
    _changed(Application.objects.filter(**{field: instance.pk}))


@receiver(post_save, sender=TrademarkVerificationCode, dispatch_uid="sellers-api-cache-code-saved")
def record_control_changed(sender, instance, **kwargs):
    # Applications show whether their trademark's record control was proven.
    _changed(Application.objects.filter(trademark_id=instance.trademark_id))


def _changed(applications) -> None:
    rows = list(applications.values_list("pk", "company_id"))
    api_cache.applications_changed([pk for pk, _ in rows], [company for _, company in rows])


def _references_changed(sender, **kwargs):
    api_cache.references_changed()


for _model in (ApiKey, PartnerGrant, PartnerOrganization, SellerCompany, Program, Category):
    for _signal in (post_save, post_delete):
        _signal.connect(
            _references_changed,
            sender=_model,
            dispatch_uid=f"sellers-api-cache-{_model.__name__}-{_signal is post_save}",
        )
