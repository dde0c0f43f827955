"""The partner API's request budget: ``API_RATE_LIMIT`` requests per API key and window."""

from rest_framework.throttling import BaseThrottle

from brandprogram.throttling import rate_limit
from sellers.api.context import partner_call


class ApiKeyRateThrottle(BaseThrottle):
    """``API_RATE_LIMIT`` requests per key and period; more are answered 429 with Retry-After.

    A key is counted by its digest, never by its public prefix: a request with a made-up key
    that borrows a partner's prefix must not spend that partner's budget.
    """

    def allow_request(self, request, view) -> bool:
        if request.auth is None:
            return True
        call = partner_call(request)
        # Counted when the key was read, in the same round trip as the rest of the request's
        # reads from the cache.
        self.window = call.rate_window
        return call.shared.counts[call.rate_window.counter] <= rate_limit()

    def wait(self) -> int:
        return self.window.seconds_left
