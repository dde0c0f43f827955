import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "brandprogram.settings")

application = get_wsgi_application()

# The embedded default (`make run`) has no beat process of its own; its web process runs one.
from brandprogram.embedded_beat import start_if_embedded  # noqa: E402 - needs Django set up

start_if_embedded()
