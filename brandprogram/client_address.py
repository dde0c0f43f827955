"""The address of the person making a request, as far as the trusted proxies vouch for it."""

from django.conf import settings


def client_address(request) -> str:
    """The client's address: the connection's peer without a trusted proxy, else the entry of
    X-Forwarded-For that the outermost trusted proxy appended.

    Each proxy appends the address it was reached from, so with ``TRUSTED_PROXY_COUNT`` = N
    the client is the N-th entry from the right; anything further left was written by the
    client and is not believed. A header shorter than that did not pass through all the
    proxies, so the connection's peer is used.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    if count == 0:
        return remote
    entries = [entry.strip() for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    entries = [entry for entry in entries if entry]
    if len(entries) < count:
        return remote
    return entries[-count]
