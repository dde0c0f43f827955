"""Operating indicators that marketplace systems report about a seller, with the history of
every change."""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from sellers.actors import Actor, Role
from sellers.models import IndicatorUpdate, Notification, PartnerOrganization, SellerCompany
from sellers.models.partner import Scope
from sellers.services.notifications import company_notice_send
from sellers.tiering import INDICATOR_LABELS

# The tier is not among them: it is computed from these each month (sellers.services.tiers).
INDICATOR_FIELDS = (
    "quality_dispute_rate",
    "nps",
    "on_time_delivery_rate",
    "infringement_complaints",
    "overseas_stock_days",
)


def _plain(value):
    return str(value) if isinstance(value, Decimal) else value


def company_indicators_update(
    *, actor: Actor, company_id: int, values: dict, as_of: date | None = None
) -> IndicatorUpdate | None:
    """Store the indicators a marketplace system measured for a seller, and the history of
    each change. Values equal to the stored ones add no history line but count as measured
    again (on ``as_of``, or today), which keeps them fresh for the tiering; None when no
    value changed.

    Marketplace systems send them through the API; an operator's command (``load_demo``,
    ``provision_seller``) acts as the system."""
    if Role.SYSTEM not in actor.staff_roles and (
        Scope.INDICATORS_WRITE.value not in actor.scopes
        or not PartnerOrganization.objects.filter(
            pk=actor.partner_id, is_marketplace_system=True
        ).exists()
    ):
        raise PermissionDenied("Only marketplace systems may update seller indicators.")
    unknown = set(values) - set(INDICATOR_FIELDS)
    if unknown:
        raise ValueError(f"not indicators: {sorted(unknown)}")
    with transaction.atomic():
        company = SellerCompany.objects.select_for_update().get(pk=company_id)
        changes = {}
        for field, value in values.items():
            old = getattr(company, field)
            if old != value:
                changes[field] = {"from": _plain(old), "to": _plain(value)}
                setattr(company, field, value)
        # The ranges the model declares (rates 0 to 1, NPS -100 to 100), for these fields only.
        company.clean_fields(
            exclude=[f.name for f in SellerCompany._meta.fields if f.name not in changes]
        )
        measured_on = (as_of or timezone.localdate()).isoformat()
        # A late report of an older measurement does not make a newer one look stale.
        company.indicators_measured_on = {
            **company.indicators_measured_on,
            **{
                field: max(measured_on, company.indicators_measured_on.get(field, ""))
                for field in values
            },
        }
        company.save(update_fields=[*sorted(changes), "indicators_measured_on"])
        if not changes:
            return None
        return IndicatorUpdate.objects.create(
            company=company,
            partner_id=actor.partner_id,
            api_key_id=actor.api_key_id,
            actor_label=actor.label,
            changes=changes,
            as_of=as_of,
        )


def indicators_stale_notice_send(
    *, company_id: int, stale: dict[str, str | None]
) -> Notification | None:
    """Tell the owner, in their language, which indicators the tiering counts as missing
    (``stale``: indicator -> the day last measured, None when never). Once for the same
    indicators last measured on the same days: None when told already."""
    signature = ",".join(f"{indicator}={on or 'never'}" for indicator, on in sorted(stale.items()))
    return company_notice_send(
        company_id=company_id,
        topic=f"stale-indicators:{signature}",
        template="sellers/email/indicators_stale",
        context={
            "company": SellerCompany.objects.values_list("legal_name", flat=True).get(
                pk=company_id
            ),
            "days": settings.TIER_INDICATOR_MAX_AGE_DAYS,
            # The labels stay lazy: they are rendered in the owner's language.
            "items": [
                {"label": label, "measured_on": stale[indicator]}
                for indicator, label in INDICATOR_LABELS.items()
                if indicator in stale
            ],
        },
        link=reverse("portal:tier"),
    )
