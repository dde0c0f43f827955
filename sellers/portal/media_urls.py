"""The media host's URLconf: signed evidence links, and nothing else."""

from django.urls import path

from sellers.portal import files

# Served on MEDIA_HOST only (brandprogram.media_host); the prefix matches MEDIA_PATH_PREFIX.
urlpatterns = [
    path("<str:token>/", files.evidence_file, name="evidence_file"),
]
