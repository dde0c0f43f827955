"""Partner-API authentication: ``Authorization: Bearer <key>`` makes the request a PartnerCall."""

import time
from dataclasses import dataclass

from django.utils import timezone
from rest_framework import authentication, exceptions

from brandprogram import shared_cache
from brandprogram.throttling import RateWindow
from sellers.actors import Actor, actor_for_api_key
from sellers.api import cache
from sellers.api.context import PartnerCall
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
    """``Authorization: Bearer <key>``; ``request.user`` becomes the call's PartnerCall."""

    keyword = "Bearer"

    def authenticate(self, request):
        raw = bearer_key(request)
        if raw is None:
            return None
        if not raw:
            raise exceptions.AuthenticationFailed("The Authorization header has no key.")
        key_hash = api_key_hash(raw)
        rate_window = RateWindow.current(key_hash)
        application_id, answer_variant = _cached_answer(request)
        remembered = _remembered.get(key_hash)
        # Everything this request needs from the shared cache, in one round trip: the API
        # generation, the key's rate counter and, for a cached view, the stored answer or page
        # (the page of the actor this process remembers for the key: list_read checks that
        # the key still acts for the same sellers, and reads again if not).
        shared = shared_cache.Exchange(
            reads=cache.prefetch_reads(application_id, answer_variant)
            + _cached_list_reads(request, remembered),
            counters=[(rate_window.counter, rate_window.ttl)],
        ).run()
        # Read before the key's rows, so a change committed meanwhile voids what is read.
        generation = cache.generation(shared)
        if (
            remembered is not None
            and generation is not None
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
        call = PartnerCall(
            actor=actor,
            api_key=api_key,
            key_hash=key_hash,
            rate_window=rate_window,
            shared=shared,
            answer_variant=answer_variant,
        )
        return call, api_key

    def authenticate_header(self, request) -> str:
        return self.keyword


def _cached_answer(request) -> tuple[int | None, str | None]:
    """The application whose stored answer the view may give, and the variant that fits."""
    # Asked of the view by name: DRF loads its authentication classes while it loads its views,
    # so this module cannot import the partner API's base view to check a view's class.
    cached_application_id = getattr(
        request.parser_context.get("view"), "cached_application_id", None
    )
    if cached_application_id is None:
        return None, None
    application_id = cached_application_id()
    if application_id is None:
        return None, None
    return application_id, cache.answer_variant(request)


def _cached_list_reads(request, remembered: _Remembered | None) -> list[str]:
    caches_list = getattr(request.parser_context.get("view"), "caches_list", None)
    if remembered is None or caches_list is None or not caches_list():
        return []
    return cache.list_prefetch_reads(request, remembered.actor)


def _load(key_hash: str, generation: bytes | None) -> tuple[ApiKey | None, Actor | None]:
    api_key = (
        ApiKey.objects.select_related("partner", "company", "staff_user")
        .filter(key_hash=key_hash)
        .first()
    )
    if api_key is None or not api_key.is_active:
        return api_key, None
    actor = actor_for_api_key(api_key)
    # A reviewer's key acts with the reviewer's roles and declared conflicts, which change
    # outside the generation's reach: it is read afresh on every request. Without a generation
    # (the cache is away) a revocation elsewhere could not reach this process: nothing is kept.
    if api_key.staff_user_id is None and generation is not None:
        if len(_remembered) >= REMEMBERED_KEYS_MAX:
            _remembered.clear()
        _remembered[key_hash] = _Remembered(generation, time.monotonic(), api_key, actor)
    return api_key, actor
