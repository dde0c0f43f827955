"""Webhook endpoints: the use cases that register, change and delete them, and secret rotation.

Endpoints belong to a partner organisation or, for a seller's own key, to its company.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from brandprogram.queueing import enqueue_after_commit
from sellers.access import Door, visible
from sellers.actors import Actor
from sellers.models import WebhookDelivery, WebhookEndpoint, WebhookSecret
from sellers.webhooks.client import TargetRefused, target_check
from sellers.webhooks.signing import secret_generate
from sellers.workflow.table import SELLER_STATUSES

# One event type per status a seller can see an application move into; nothing moves back
# into "draft".
APPLICATION_EVENT_TYPES = tuple(
    sorted({f"application.{code}" for code, _label in SELLER_STATUSES.values() if code != "draft"})
)
# A message from the review team in an application's conversation (the seller's own messages
# are not echoed back to the side that wrote them).
MESSAGE_EVENT_TYPE = "application.message_received"
# Changes to the program's roster, about every seller's brands: for partner organisations
# holding a roster:read key (the roster is theirs to read), never for a seller's endpoint.
BRAND_EVENT_TYPES = ("brand.admitted", "brand.reinstated", "brand.revoked", "brand.suspended")
EVENT_TYPES = (*APPLICATION_EVENT_TYPES, MESSAGE_EVENT_TYPE, *BRAND_EVENT_TYPES)


def webhook_endpoints_of(actor: Actor) -> QuerySet[WebhookEndpoint]:
    """The endpoints an API key manages: its partner's, or its seller company's."""
    if actor.partner_id is not None:
        return WebhookEndpoint.objects.filter(partner_id=actor.partner_id)
    return visible(WebhookEndpoint.objects.all(), actor, doors=Door.SELLER)


def _checked_url(url: str) -> str:
    try:
        target_check(url)
    except TargetRefused as exc:
        raise ValidationError({"url": [str(exc)]}) from None
    return url


def _checked_event_types(event_types: list[str], actor: Actor) -> list[str]:
    unknown = sorted(set(event_types) - set(EVENT_TYPES))
    if unknown:
        message = gettext("Unknown event type: %(types)s.") % {"types": ", ".join(unknown)}
        raise ValidationError({"event_types": [message]})
    if actor.partner_id is None and set(event_types) & set(BRAND_EVENT_TYPES):
        message = gettext("Brand events tell of every seller's brands; only partners receive them.")
        raise ValidationError({"event_types": [message]})
    if not event_types:
        raise ValidationError({"event_types": [gettext("Subscribe to at least one event type.")]})
    return sorted(set(event_types))


def webhook_endpoint_create(
    *, actor: Actor, url: str, event_types: list[str], description: str = ""
) -> tuple[WebhookEndpoint, str]:
    """Register an endpoint; return it with its signing secret, which is shown only now."""
    holder = (
        {"partner_id": actor.partner_id}
        if actor.partner_id is not None
        else {"company_id": min(actor.company_ids)}
    )
    event_types = _checked_event_types(event_types, actor)
    url = _checked_url(url)
    secret = secret_generate()
    with transaction.atomic():
        endpoint = WebhookEndpoint.objects.create(
            url=url, event_types=event_types, description=description.strip(), **holder
        )
        WebhookSecret.objects.create(endpoint=endpoint, secret=secret)
    return endpoint, secret


def own_endpoint(actor: Actor, endpoint_id: int, *, lock: bool = False) -> WebhookEndpoint:
    """The actor's endpoint; anyone else's is answered as if it did not exist."""
    endpoints = webhook_endpoints_of(actor)
    if lock:
        endpoints = endpoints.select_for_update()
    endpoint = endpoints.filter(pk=endpoint_id).first()
    if endpoint is None:
        raise WebhookEndpoint.DoesNotExist
    return endpoint


def webhook_endpoint_update(
    *,
    actor: Actor,
    endpoint_id: int,
    url: str | None = None,
    event_types: list[str] | None = None,
    description: str | None = None,
    is_active: bool | None = None,
) -> WebhookEndpoint:
    """Change an endpoint; switching it on again clears why it was disabled, and the
    deliveries held back meanwhile go out."""
    if url is not None:
        url = _checked_url(url)
    if event_types is not None:
        event_types = _checked_event_types(event_types, actor)
    with transaction.atomic():
        endpoint = own_endpoint(actor, endpoint_id, lock=True)
        if url is not None:
            endpoint.url = url
        if event_types is not None:
            endpoint.event_types = event_types
        if description is not None:
            endpoint.description = description.strip()
        if is_active is True and not endpoint.is_active:
            endpoint.is_active, endpoint.disabled_reason, endpoint.disabled_at = True, "", None
            webhook_endpoint_release_waiting(endpoint_id=endpoint.pk)
        elif is_active is False and endpoint.is_active:
            endpoint.is_active = False
            endpoint.disabled_reason = WebhookEndpoint.DisabledReason.OWNER
            endpoint.disabled_at = timezone.now()
        endpoint.save()
    return endpoint


def webhook_endpoint_release_waiting(*, endpoint_id: int) -> list[int]:
    """Inside the transaction that switches an endpoint on again: send what waited meanwhile.

    Events held while it was off, and deliveries whose retries it interrupted, go out oldest
    first, one after the other. Only the newest ``WEBHOOK_HELD_MAX`` are sent, none older than
    ``WEBHOOK_HELD_MAX_AGE_SECONDS``: a receiver back after weeks would otherwise be flooded
    with news long overtaken. The others are marked failed, with the reason, and stay in the
    log for a redelivery by hand. Returns the ids sent, in order.
    """
    now = timezone.now()
    waiting = WebhookDelivery.objects.filter(
        endpoint_id=endpoint_id,
        status__in=[WebhookDelivery.Status.HELD, WebhookDelivery.Status.PENDING],
    )
    too_old = now - timedelta(seconds=settings.WEBHOOK_HELD_MAX_AGE_SECONDS)
    hours = round(settings.WEBHOOK_HELD_MAX_AGE_SECONDS / 3600)
    waiting.filter(created_at__lt=too_old).update(
        status=WebhookDelivery.Status.FAILED,
        next_attempt_at=None,
        last_error=ngettext(
            "Not sent: it waited longer than %(hours)s hour while the endpoint was off.",
            "Not sent: it waited longer than %(hours)s hours while the endpoint was off.",
            hours,
        )
        % {"hours": hours},
    )
    kept = list(
        waiting.order_by("-created_at", "-pk").values_list("pk", "attempts")[
            : settings.WEBHOOK_HELD_MAX
        ]
    )
    waiting.exclude(pk__in=[pk for pk, _attempts in kept]).update(
        status=WebhookDelivery.Status.FAILED,
        next_attempt_at=None,
        last_error=gettext(
            "Not sent: more than %(count)s events waited while the endpoint was off, and "
            "only the newest are sent."
        )
        % {"count": settings.WEBHOOK_HELD_MAX},
    )
    # Claimed for the ordered sending, so that the sweep leaves them to it.
    waiting.update(status=WebhookDelivery.Status.PENDING, next_attempt_at=now + claim_lease())
    in_order = [[pk, attempts] for pk, attempts in reversed(kept)]
    if in_order:
        enqueue_after_commit("sellers.tasks.webhook_deliver_in_order", deliveries=in_order)
    return [pk for pk, _attempts in in_order]


def claim_lease() -> timedelta:
    """How long an attempt may hold a delivery before the beat task may try it again: the
    message may have been lost, or the sending worker died between claiming it and recording
    the answer."""
    return timedelta(seconds=settings.WEBHOOK_CLAIM_SECONDS)


def webhook_endpoint_delete(*, actor: Actor, endpoint_id: int) -> None:
    """Delete the actor's endpoint and its delivery log."""
    with transaction.atomic():
        endpoint = own_endpoint(actor, endpoint_id, lock=True)
        webhook_endpoints_erase(WebhookEndpoint.objects.filter(pk=endpoint.pk))


def webhook_endpoints_erase(endpoints: QuerySet[WebhookEndpoint]) -> None:
    """Delete endpoints with every delivery sent to them.

    The log goes with its endpoint: it lists events for an address nobody receives at any
    more, and the deliveries hold the bodies that were signed with its secrets. Redeliveries
    go first: deleted together with their originals, Django would first unlink them, which
    leaves two deliveries of one event that are both "the first" and breaks the rule that
    each event is delivered once per endpoint.
    """
    with transaction.atomic():
        deliveries = WebhookDelivery.objects.filter(endpoint__in=endpoints)
        deliveries.filter(redelivery_of__isnull=False).delete()
        deliveries.delete()
        endpoints.delete()


def webhook_secret_rotate(*, actor: Actor, endpoint_id: int) -> tuple[str, datetime]:
    """A new secret; the one it replaces keeps signing beside it for the grace period.

    Returns the new secret (shown only now) and when the previous one stops signing.
    """
    now = timezone.now()
    grace_ends = now + timedelta(seconds=settings.WEBHOOK_SECRET_GRACE_SECONDS)
    with transaction.atomic():
        endpoint = own_endpoint(actor, endpoint_id, lock=True)
        endpoint.secrets.filter(expires_at__lte=now).delete()
        endpoint.secrets.filter(expires_at__isnull=True).update(expires_at=grace_ends)
        # A secret already on its way out keeps its earlier end.
        endpoint.secrets.filter(expires_at__gt=grace_ends).update(expires_at=grace_ends)
        secret = secret_generate()
        WebhookSecret.objects.create(endpoint=endpoint, secret=secret)
    return secret, grace_ends
