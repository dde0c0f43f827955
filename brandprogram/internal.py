"""Probes and the metrics scrape are answered before host checks, HTTPS redirects and sessions.

Load balancers, orchestrators and Prometheus call each process by its own address
(``http://10.0.3.7:8000/readyz``): a host that is not in ALLOWED_HOSTS, over plain HTTP. These
views build no URLs and read no cookies, so skipping the host check cannot poison anything, and
``/metrics`` still asks for its token.
"""

from django.urls import resolve

INTERNAL_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})


class InternalEndpointsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path not in INTERNAL_PATHS:
            return self.get_response(request)
        match = resolve(request.path)
        request.resolver_match = match
        return match.func(request, *match.args, **match.kwargs)
