from django.utils import timezone
from rest_framework import authentication, exceptions

from sellers.actors import actor_for_api_key
from sellers.models import ApiKey
from sellers.services import api_key_hash

# last_used_at is written at most this often per key, not on every request.
LAST_USED_RESOLUTION_SECONDS = 60


class ApiKeyAuthentication(authentication.BaseAuthentication):
    """``Authorization: Bearer <key>``; ``request.user`` becomes the key's Actor."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        scheme, _, raw = header.partition(" ")
        # Authentication schemes are case-insensitive (RFC 9110, section 11.1).
        if scheme.lower() != self.keyword.lower():
            return None
        raw = raw.strip()
        if not raw:
            raise exceptions.AuthenticationFailed("The Authorization header has no key.")
        api_key = (
            ApiKey.objects.select_related("partner", "company", "staff_user")
            .filter(key_hash=api_key_hash(raw))
            .first()
        )
        if api_key is None or not api_key.is_active:
            raise exceptions.AuthenticationFailed("The API key is unknown, expired or revoked.")
        now = timezone.now()
        if (
            api_key.last_used_at is None
            or (now - api_key.last_used_at).total_seconds() > LAST_USED_RESOLUTION_SECONDS
        ):
            ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
        return ApiActor(actor_for_api_key(api_key)), api_key

    def authenticate_header(self, request) -> str:
        return self.keyword


class ApiActor:
    """Wraps an Actor so DRF's permission classes see an authenticated principal."""

    is_authenticated = True
    is_anonymous = False

    def __init__(self, actor) -> None:
        self.actor = actor

    def __str__(self) -> str:
        return self.actor.label
