"""Partners and their access: creating a partner organisation, grants that let it act for a
seller (issued by staff and commands, or given and taken away by the company's owner), and
what each partner's keys may do.
"""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from brandprogram.errors import ApplicationError
from sellers.actors import Actor
from sellers.api import cache as api_cache
from sellers.models import ApiKey, Membership, PartnerGrant, PartnerOrganization, SellerCompany
from sellers.models.partner import GRANT_SCOPE_CONSEQUENCES, Scope


def partner_create(
    *, name: str, contact_email: str, marketplace_system: bool = False
) -> PartnerOrganization:
    partner, _ = PartnerOrganization.objects.get_or_create(
        name=name.strip(), defaults={"contact_email": contact_email}
    )
    if marketplace_system and not partner.is_marketplace_system:
        partner.is_marketplace_system = True
        partner.save(update_fields=["is_marketplace_system"])
    return partner


def partner_grant_issue(
    *, partner: PartnerOrganization, company: SellerCompany, actor: Actor
) -> PartnerGrant:
    """Staff and operator commands let a partner act for a seller; granting twice keeps the one
    active grant. The owner's own door is partner_grant_add."""
    try:
        with transaction.atomic():
            return PartnerGrant.objects.create(
                partner=partner, company=company, granted_by=actor.user
            )
    except IntegrityError:
        return PartnerGrant.objects.get(partner=partner, company=company, revoked_at__isnull=True)


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
    return partner_grant_issue(
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


def _live_scopes(partner_ids: list[int]) -> dict[int, set[str]]:
    """The scopes of each partner's API keys that are neither revoked nor expired."""
    now = timezone.now()
    scopes: dict[int, set[str]] = {}
    for partner_id, key_scopes, expires_at in ApiKey.objects.filter(
        partner_id__in=partner_ids, revoked_at__isnull=True
    ).values_list("partner_id", "scopes", "expires_at"):
        if expires_at is None or expires_at > now:
            scopes.setdefault(partner_id, set()).update(key_scopes)
    return scopes


def partner_access_list(*, company_id: int) -> list[PartnerAccess]:
    """The company's active grants, each with what the partner's keys are allowed to do."""
    grants = list(
        PartnerGrant.objects.filter(company_id=company_id, revoked_at__isnull=True)
        .select_related("partner", "granted_by")
        .order_by("partner__name")
    )
    scopes = _live_scopes([grant.partner_id for grant in grants])
    return [
        PartnerAccess(grant, [s.label for s in Scope if s in scopes.get(grant.partner_id, ())])
        for grant in grants
    ]


@dataclass(frozen=True)
class GrantPreview:
    partner: PartnerOrganization
    # (label, what it lets the partner do) for each scope its live keys carry.
    abilities: list
    # The same for every scope a key could carry, shown when the partner holds no key yet.
    possible: list


def partner_grant_preview(*, actor: Actor, partner_id: int) -> GrantPreview:
    """What giving ``partner_id`` access would let it do, for the owner to confirm first."""
    _owned_company_id(actor)
    partner = grantable_partners().filter(pk=partner_id).first()
    if partner is None:
        raise ApplicationError(gettext("There is no such partner."), code="no_partner")
    held = _live_scopes([partner.pk]).get(partner.pk, set())
    possible = [(scope.label, words) for scope, words in GRANT_SCOPE_CONSEQUENCES.items()]
    abilities = [
        (scope.label, words) for scope, words in GRANT_SCOPE_CONSEQUENCES.items() if scope in held
    ]
    return GrantPreview(partner, abilities, possible)
