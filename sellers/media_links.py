"""Evidence files from a separate host (``MEDIA_HOST``), through short-lived signed links.

Sellers upload the evidence, so its bytes are untrusted: opened on the portal's own origin, a
crafted file would run with the portal's cookies. With MEDIA_HOST set, the portal's download
and preview views check who is asking and then redirect to the media host with a signed link
valid for MEDIA_LINK_MAX_AGE seconds; the media host serves nothing else. Without MEDIA_HOST the
views serve the file themselves, on the portal's host.
"""

from django.conf import settings
from django.core import signing
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_GET

from sellers.models import Evidence

SALT = "sellers.media_links.evidence"


def evidence_response(evidence: Evidence, *, as_attachment: bool):
    """For a caller already allowed to see ``evidence``: the file, or a redirect to it."""
    from sellers.views import evidence_file_response  # sellers.views imports this module

    if not settings.MEDIA_HOST:
        return evidence_file_response(evidence, as_attachment=as_attachment)
    token = signing.dumps({"evidence": evidence.pk, "attachment": as_attachment}, salt=SALT)
    path = reverse("evidence_file", kwargs={"token": token})
    return redirect(f"{settings.MEDIA_HOST_SCHEME}://{settings.MEDIA_HOST}{path}")


@require_GET
def evidence_file(request, token: str):
    """The media host's only page: the file a signed link names, while the link is fresh."""
    from sellers.views import evidence_file_response  # sellers.views imports this module

    if not settings.MEDIA_HOST or request.get_host().lower() != settings.MEDIA_HOST:
        raise Http404
    try:
        claim = signing.loads(token, salt=SALT, max_age=settings.MEDIA_LINK_MAX_AGE)
    except signing.BadSignature:
        raise Http404 from None
    evidence = get_object_or_404(Evidence, pk=claim["evidence"])
    return evidence_file_response(evidence, as_attachment=bool(claim["attachment"]))
