"""Pages shown to a signed-in person are never stored by a browser or a proxy.

A seller's applications or a reviewer's queue would otherwise stay in the browser's cache after
logging out, for the next person at a shared computer to bring back with the Back button. The
public pages, static files and the partner API (which has no sessions) are left as they are.
"""

from django.conf import settings
from django.utils.cache import patch_cache_control

API_PREFIX = "/api/"


class NoStoreForSignedInMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # Without a session cookie nobody is signed in; checking saves reading the session
        # (and marking every public page as varying by cookie). A server error page shows
        # nothing of the person, and finding out who is signed in would ask the database,
        # which may be what just failed.
        if (
            response.status_code < 500
            and settings.SESSION_COOKIE_NAME in request.COOKIES
            and not request.path.startswith(API_PREFIX)
            and request.user.is_authenticated
        ):
            patch_cache_control(response, no_store=True)
        return response
