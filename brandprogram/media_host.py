"""The media host (MEDIA_HOST) answers only evidence links; everything else there is 404."""

from django.conf import settings
from django.http import HttpResponseNotFound

MEDIA_PATH_PREFIX = "/files/"


class MediaHostMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        on_media_host = bool(settings.MEDIA_HOST) and (
            request.get_host().lower() == settings.MEDIA_HOST
        )
        if on_media_host and not request.path.startswith(MEDIA_PATH_PREFIX):
            return HttpResponseNotFound()
        return self.get_response(request)
