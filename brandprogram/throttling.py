"""Request budgets counted in the shared cache, so every web process agrees: ``API_RATE_LIMIT``
requests per identity in fixed windows (the current minute, hour, ...).

One atomic increment per request, which the API fetches in the same round trip as the rest of
what it needs from the cache. At the turn of a window an identity may spend up to two budgets
in a short time; what matters here is that no one can hold the service for long.
"""

import math
import time
from dataclasses import dataclass

from django.conf import settings

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
