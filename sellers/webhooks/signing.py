"""Webhook signing the Standard Webhooks way: secrets, signatures and the signed headers.

``webhook-id`` is the same for every attempt at an event, ``webhook-timestamp`` gives the Unix
seconds of the attempt and ``webhook-signature`` is a space-separated list of
``v1,<base64 HMAC-SHA256 of "id.timestamp.body">``, one per live secret, so a receiver keeps
verifying through a secret rotation.
"""

import base64
import hashlib
import hmac
import secrets

from django.db.models import Q
from django.utils import timezone

from sellers.models import WebhookEndpoint

SECRET_PREFIX = "whsec_"  # noqa: S105 - the format's marker, not a secret
SECRET_BYTES = 32
USER_AGENT = "BrandProgram-Webhooks/1.0"


def secret_generate() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def signature(*, secret: str, event_id: str, timestamp: int, body: bytes) -> str:
    key = base64.b64decode(secret.removeprefix(SECRET_PREFIX))
    signed = f"{event_id}.{timestamp}.".encode() + body
    digest = hmac.new(key, signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def signed_headers(*, secrets: list[str], event_id: str, timestamp: int, body: bytes) -> dict:
    return {
        "content-type": "application/json",
        "user-agent": USER_AGENT,
        "webhook-id": event_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": " ".join(
            signature(secret=secret, event_id=event_id, timestamp=timestamp, body=body)
            for secret in secrets
        ),
    }


def live_secrets(endpoint: WebhookEndpoint) -> list[str]:
    now = timezone.now()
    return list(
        endpoint.secrets.filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .order_by("-created_at", "-pk")
        .values_list("secret", flat=True)
    )
