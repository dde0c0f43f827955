"""API keys: issued with their secret shown once, looked up by digest, revoked."""

import hashlib
import secrets
from datetime import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

from sellers.actors import Actor
from sellers.api import cache as api_cache
from sellers.models import ApiKey, PartnerOrganization, SellerCompany
from sellers.models.partner import Scope

API_KEY_PREFIX = "bpk"


def api_key_issue(
    *,
    name: str,
    scopes: list[str],
    partner: PartnerOrganization | None = None,
    company: SellerCompany | None = None,
    staff_user=None,
    expires_at: datetime | None = None,
    actor: Actor | None = None,
) -> tuple[ApiKey, str]:
    """Create a key and return it with its secret, which is never stored and shown only now."""
    unknown = set(scopes) - set(Scope.values)
    if unknown:
        raise ValidationError({"scopes": [f"Unknown scope: {', '.join(sorted(unknown))}."]})
    if Scope.INDICATORS_WRITE in scopes and not (partner and partner.is_marketplace_system):
        raise ValidationError(
            {"scopes": [f"Only marketplace systems may hold {Scope.INDICATORS_WRITE.value}."]}
        )
    # The roster is told to the marketplace's partners, not to a seller about its rivals.
    if Scope.ROSTER_READ in scopes and partner is None:
        raise ValidationError(
            {"scopes": [f"Only partner organisations may hold {Scope.ROSTER_READ.value}."]}
        )
    # A reviewer's key works the queues and nothing else; a seller's or partner's never can.
    if (staff_user is not None) != (set(scopes) == {Scope.REVIEW}):
        raise ValidationError(
            {"scopes": ["A reviewer's key has exactly the review scope; other keys never have it."]}
        )
    prefix = secrets.token_hex(4)
    raw = f"{API_KEY_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    key = ApiKey.objects.create(
        name=name,
        prefix=prefix,
        key_hash=api_key_hash(raw),
        scopes=sorted(set(scopes)),
        partner=partner,
        company=company,
        staff_user=staff_user,
        expires_at=expires_at,
        created_by=actor.user if actor else None,
    )
    return key, raw


def api_key_hash(raw: str) -> str:
    # The secret has 256 bits of entropy, so a plain digest is enough; no salt or stretching.
    return hashlib.sha256(raw.encode()).hexdigest()


def api_key_revoke(*, api_key: ApiKey) -> ApiKey:
    ApiKey.objects.filter(pk=api_key.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    api_cache.references_changed()
    api_key.refresh_from_db()
    return api_key
