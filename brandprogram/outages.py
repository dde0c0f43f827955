"""503 with ``Retry-After``, never 500, while PostgreSQL cannot be reached.

A restart or fail-over of the database makes requests fail for a few seconds.
Nothing is wrong with the request and nothing was stored (the transaction rolled back), and
each process reconnects by itself on its next request (``CONN_HEALTH_CHECKS``, as
brandprogram.postgresql applies it), so the honest answer is "unavailable, try again
shortly": clients and load balancers retry a 503, and error trackers do not file an outage
as a bug.
"""

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string

from brandprogram.problems import PROBLEM_TYPE_BASE
from brandprogram.shared_cache import UNREACHABLE as CACHE_UNAVAILABLE

logger = logging.getLogger(__name__)

# Django's OperationalError also covers deadlocks, serialization failures and lock timeouts:
# like a lost connection, each is over once the request is simply tried again. The requests
# that use Redis answer without it while it is away; one that does not is still answered 503.
UNAVAILABLE = (OperationalError, InterfaceError, *CACHE_UNAVAILABLE)
RETRY_AFTER_SECONDS = 5


class ServiceUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, UNAVAILABLE):
            return None
        logger.warning("%s %s answered 503: %r", request.method, request.path, exception)
        if request.path.startswith("/api/"):
            response = JsonResponse(
                {
                    "type": PROBLEM_TYPE_BASE + "service-unavailable",
                    "title": "Service unavailable",
                    "status": 503,
                    "code": "service_unavailable",
                    "detail": "The service is briefly unavailable; "
                    f"retry in {RETRY_AFTER_SECONDS} seconds.",
                },
                status=503,
                content_type="application/problem+json",
            )
        else:
            # A page of its own, not base.html: that one reads the session and the user,
            # which live in the database that just failed.
            response = HttpResponse(render_to_string("503.html", request=None), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
