import time
from dataclasses import dataclass

from django.utils import timezone
from rest_framework import authentication, exceptions

from sellers import api_cache
from sellers.actors import Actor, actor_for_api_key
from sellers.models import ApiKey
from sellers.services.api_keys import api_key_hash

# last_used_at is written at most this often per key, not on every request.
LAST_USED_RESOLUTION_SECONDS = 60
# A process re-reads a key it remembers at least this often, whatever the generation says.
REMEMBERED_SECONDS = 60
REMEMBERED_KEYS_MAX = 10_000


@dataclass(frozen=True)
class _Remembered:
    generation: bytes
    loaded_at: float
    api_key: ApiKey
    actor: Actor


# Keys this process has read, by digest, each valid while the API generation is unchanged.
_remembered: dict[str, _Remembered] = {}


def bearer_key(request) -> str | None:
    """The key from ``Authorization: Bearer <key>``; None for any other scheme."""
    header = authentication.get_authorization_header(request).decode("latin-1")
    scheme, _, raw = header.partition(" ")
    # Authentication schemes are case-insensitive (RFC 9110, section 11.1).
    if scheme.lower() != ApiKeyAuthentication.keyword.lower():
        return None
    return raw.strip()


class ApiKeyAuthentication(authentication.BaseAuthentication):
    """``Authorization: Bearer <key>``; ``request.user`` becomes the key's Actor."""

    keyword = "Bearer"

    def authenticate(self, request):
        raw = bearer_key(request)
        if raw is None:
            return None
        if not raw:
            raise exceptions.AuthenticationFailed("The Authorization header has no key.")
        # The API views digest the key once, to fetch what the request needs from the cache.
        key_hash = getattr(request, "key_hash", None) or api_key_hash(raw)
        # Read before the key's rows, so a change committed meanwhile voids what is read.
        generation = api_cache.generation(getattr(request, "shared", None))
        remembered = _remembered.get(key_hash)
        if (
            remembered is not None
            and remembered.generation == generation
            and time.monotonic() - remembered.loaded_at < REMEMBERED_SECONDS
        ):
            api_key, actor = remembered.api_key, remembered.actor
        else:
            api_key, actor = _load(key_hash, generation)
        if api_key is None or not api_key.is_active:
            raise exceptions.AuthenticationFailed("The API key is unknown, expired or revoked.")
        now = timezone.now()
        if (
            api_key.last_used_at is None
            or (now - api_key.last_used_at).total_seconds() > LAST_USED_RESOLUTION_SECONDS
        ):
            ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
            api_key.last_used_at = now
        return ApiActor(actor), api_key

    def authenticate_header(self, request) -> str:
        return self.keyword


def _load(key_hash: str, generation: bytes) -> tuple[ApiKey | None, Actor | None]:
    api_key = (
        ApiKey.objects.select_related("partner", "company", "staff_user")
        .filter(key_hash=key_hash)
        .first()
    )
    if api_key is None or not api_key.is_active:
        return api_key, None
    actor = actor_for_api_key(api_key)
    # A reviewer's key acts with the reviewer's roles and declared conflicts, which change
    # outside the generation's reach: it is read afresh on every request.
    if api_key.staff_user_id is None:
        if len(_remembered) >= REMEMBERED_KEYS_MAX:
            _remembered.clear()
        _remembered[key_hash] = _Remembered(generation, time.monotonic(), api_key, actor)
    return api_key, actor


class ApiActor:
    """Wraps an Actor so DRF's permission classes see an authenticated principal."""

    is_authenticated = True
    is_anonymous = False

    def __init__(self, actor) -> None:
        self.actor = actor

    def __str__(self) -> str:
        return self.actor.label
