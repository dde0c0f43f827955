"""A request budget per API key, counted in the shared cache so every web process agrees.

The budget is counted in fixed windows (the current minute, hour, ...): one atomic increment
per request, which the API fetches in the same round trip as the rest of what it needs from the
cache. At the turn of a window a key may spend up to two budgets in a short time; what matters
here is that no key can hold the service for long.
"""

import math
import time
from dataclasses import dataclass

from django.conf import settings
from rest_framework.throttling import BaseThrottle

from brandprogram import shared_cache

PERIODS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}
# Where windows are read from; a test stops it mid-window.
clock = time.time


@dataclass(frozen=True)
class RateWindow:
    counter: str
    # The counter outlives its window by a second, so no increment finds it already gone.
    ttl: int
    seconds_left: int

    @classmethod
    def current(cls, identity: str) -> "RateWindow":
        period = PERIODS[settings.API_RATE_LIMIT.split("/")[1]]
        now = clock()
        window = int(now // period)
        return cls(
            counter=f"throttle:{identity}:{period}:{window}",
            ttl=period + 1,
            # Rounded up: a client that waits this long finds the new window open.
            seconds_left=max(1, math.ceil((window + 1) * period - now)),
        )


def rate_limit() -> int:
    # Read on every request rather than once at import, so the setting is the only source.
    return int(settings.API_RATE_LIMIT.split("/")[0])


class ApiKeyRateThrottle(BaseThrottle):
    """``API_RATE_LIMIT`` requests per key and period; more are answered 429 with Retry-After.

    A key is counted by its digest, never by its public prefix: a request with a made-up key
    that borrows a partner's prefix must not spend that partner's budget.
    """

    def allow_request(self, request, view) -> bool:
        if request.auth is None:
            return True
        window = getattr(request, "rate_window", None)
        exchange = getattr(request, "shared", None)
        if window is None or request.auth.key_hash != getattr(request, "key_hash", None):
            window = RateWindow.current(request.auth.key_hash)
            exchange = shared_cache.Exchange(counters=[(window.counter, window.ttl)]).run()
        self.window = window
        return exchange.counts[window.counter] <= rate_limit()

    def wait(self) -> int:
        return self.window.seconds_left
