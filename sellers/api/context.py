"""The partner-API call: who calls and what the request fetched from the shared cache for it.

Authentication builds it once; views, permissions, the cache, idempotency and the throttle read
it through ``partner_call``.
"""

from dataclasses import dataclass
from typing import ClassVar

from brandprogram.shared_cache import Exchange
from brandprogram.throttling import RateWindow
from sellers.actors import Actor
from sellers.models import ApiKey


@dataclass(frozen=True)
class PartnerCall:
    actor: Actor
    api_key: ApiKey
    # The digest of the key the request sent, by which the cache knows it.
    key_hash: str
    rate_window: RateWindow
    # The API generation, the key's rate counter and, for a cached view, the stored answer,
    # fetched in one round trip before anything else.
    shared: Exchange
    # Which stored answer fits this request; None for views whose answers are not cached.
    answer_variant: str | None

    # DRF's request.user is the call, so its permission classes see an authenticated principal.
    is_authenticated: ClassVar[bool] = True
    is_anonymous: ClassVar[bool] = False

    def __str__(self) -> str:
        return self.actor.label


def partner_call(request) -> PartnerCall:
    """The call of a request that authenticated with an API key."""
    return request.user
