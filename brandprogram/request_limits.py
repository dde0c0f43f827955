"""413 for a request body larger than ``REQUEST_MAX_BYTES``, decided before any of it is read.

Django reads a body only as far as its ``Content-Length`` says, spooling uploaded files to
disk as they arrive and checking their size afterwards, so a huge upload would tie a web
process up for as long as the client takes to send it and fill the temporary folder before
being refused. The declared length is known with the headers: answer at once, and the body is
never read: gunicorn discards at most a bounded remainder before it closes the connection.

A body without ``Content-Length`` (``Transfer-Encoding: chunked``) is never read by Django at
all: its ``WSGIRequest`` reads zero bytes when no length is declared, so such a request arrives
empty and nothing of it is stored.
"""

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation

from brandprogram.problems import API_PREFIX, plain_problem


class RequestSizeLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.REQUEST_MAX_BYTES
        if _declared_length(request) > limit:
            return _too_large(request, limit)
        return self.get_response(request)


def _declared_length(request) -> int:
    # The same reading WSGIRequest makes: an unparsable length means no body is read.
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _too_large(request, limit: int) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return plain_problem(
            413,
            "Request too large",
            "request_too_large",
            f"The request is larger than the {limit / 2**20:g} MiB the service accepts.",
        )
    # Answered before the session and locale middleware run: the page takes its language from
    # the request's headers and cookie, and reads nothing else.
    with translation.override(translation.get_language_from_request(request)):
        page = render_to_string("413.html", {"limit": limit}, request=None)
    return HttpResponse(page, status=413)
