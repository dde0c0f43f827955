from django.urls import path

from sellers import media_links

# Served on MEDIA_HOST only (brandprogram.media_host); the prefix matches MEDIA_PATH_PREFIX.
urlpatterns = [
    path("<str:token>/", media_links.evidence_file, name="evidence_file"),
]
