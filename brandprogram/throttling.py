"""A request budget per API key, counted in the shared cache so every web process agrees."""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle


class ApiKeyRateThrottle(SimpleRateThrottle):
    """``API_RATE_LIMIT`` requests per key and period; more are answered 429 with Retry-After."""

    scope = "api_key"

    def get_rate(self) -> str:
        # Read on every request rather than once at import, so the setting is the only source.
        return settings.API_RATE_LIMIT

    def get_cache_key(self, request, view) -> str | None:
        if request.auth is None:
            return None
        # The random prefix, not the row id: ids start again from 1 in a fresh database while
        # counters of an earlier one may still sit in the shared cache.
        return f"throttle:{self.scope}:{request.auth.prefix}"
