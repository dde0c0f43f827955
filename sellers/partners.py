"""Partners from the seller's side: who may act for the company, and the operating indicators
that marketplace systems send about it. One function per use case, like sellers.services."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from brandprogram.errors import ApplicationError
from sellers.actors import Actor
from sellers.api import cache as api_cache
from sellers.models import (
    ApiKey,
    IndicatorUpdate,
    Membership,
    PartnerGrant,
    PartnerOrganization,
    SellerCompany,
)
from sellers.models.partner import Scope
from sellers.services import partner_grant

INDICATOR_FIELDS = (
    "tier",
    "quality_dispute_rate",
    "nps",
    "on_time_delivery_rate",
    "infringement_complaints",
)


def _owned_company_id(actor: Actor) -> int:
    company_id = (
        Membership.objects.filter(user_id=actor.user_id, role=Membership.Role.OWNER)
        .values_list("company_id", flat=True)
        .first()
    )
    if company_id is None:
        raise ApplicationError(
            gettext("Only the company's owner can give or take away partners' access."),
            code="not_owner",
        )
    return company_id


def grantable_partners() -> QuerySet[PartnerOrganization]:
    # Marketplace systems need no grant: they report on every seller and act for none.
    return PartnerOrganization.objects.filter(is_marketplace_system=False).order_by("name")


def partner_grant_add(*, actor: Actor, partner_id: int) -> PartnerGrant:
    """The owner lets a partner act for the company; giving it twice keeps the one grant."""
    company_id = _owned_company_id(actor)
    partner = grantable_partners().filter(pk=partner_id).first()
    if partner is None:
        raise ApplicationError(gettext("There is no such partner."), code="no_partner")
    return partner_grant(
        partner=partner, company=SellerCompany.objects.get(pk=company_id), actor=actor
    )


def partner_grant_revoke(*, actor: Actor, grant_id: int) -> PartnerGrant:
    """Take a partner's access away; its keys stop reaching the company at their next call."""
    company_id = _owned_company_id(actor)
    revoked = PartnerGrant.objects.filter(
        pk=grant_id, company_id=company_id, revoked_at__isnull=True
    ).update(revoked_at=timezone.now(), revoked_by_id=actor.user_id)
    if not revoked:
        raise ApplicationError(gettext("This partner has no access to take away."), code="no_grant")
    api_cache.references_changed()
    return PartnerGrant.objects.get(pk=grant_id)


@dataclass(frozen=True)
class PartnerAccess:
    grant: PartnerGrant
    # Labels of what the partner's live API keys may do; empty when it holds none.
    abilities: list


def partner_access_list(*, company_id: int) -> list[PartnerAccess]:
    """The company's active grants, each with what the partner's keys are allowed to do."""
    grants = list(
        PartnerGrant.objects.filter(company_id=company_id, revoked_at__isnull=True)
        .select_related("partner", "granted_by")
        .order_by("partner__name")
    )
    now = timezone.now()
    scopes: dict[int, set[str]] = {}
    for partner_id, key_scopes, expires_at in ApiKey.objects.filter(
        partner_id__in=[grant.partner_id for grant in grants], revoked_at__isnull=True
    ).values_list("partner_id", "scopes", "expires_at"):
        if expires_at is None or expires_at > now:
            scopes.setdefault(partner_id, set()).update(key_scopes)
    return [
        PartnerAccess(grant, [s.label for s in Scope if s in scopes.get(grant.partner_id, ())])
        for grant in grants
    ]


def _plain(value):
    return str(value) if isinstance(value, Decimal) else value


def company_indicators_update(
    *, actor: Actor, company_id: int, values: dict, as_of: date | None = None
) -> IndicatorUpdate | None:
    """Store the indicators a marketplace system measured for a seller, and the history of
    each change. Values equal to the stored ones change nothing; None when nothing changed."""
    if Scope.INDICATORS_WRITE.value not in actor.scopes or not (
        PartnerOrganization.objects.filter(pk=actor.partner_id, is_marketplace_system=True).exists()
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
        if not changes:
            return None
        # The ranges the model declares (rates 0 to 1, NPS -100 to 100), for these fields only.
        company.clean_fields(
            exclude=[f.name for f in SellerCompany._meta.fields if f.name not in changes]
        )
        company.save(update_fields=sorted(changes))
        return IndicatorUpdate.objects.create(
            company=company,
            partner_id=actor.partner_id,
            api_key_id=actor.api_key_id,
            actor_label=actor.label,
            changes=changes,
            as_of=as_of,
        )
