"""Webhook deliveries: one per subscribed endpoint for each status change a seller sees and
each message from the review team; attempts, retries, the beat's sweep of what is due, and
disabling an endpoint that fails.

A delivery row is written in the transaction of the event; Celery sends it after commit, and the
schedule of retries lives in the database (``next_attempt_at``), where a beat task picks what
is due with SKIP LOCKED.
"""

import http.client
import json
import logging
import random
import time
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet, Subquery
from django.utils import timezone, translation
from django.utils.translation import gettext

from brandprogram.db import CompiledOnce
from brandprogram.errors import ApplicationError
from brandprogram.metrics import webhook_delivery_failed
from brandprogram.queueing import enqueue_after_commit
from sellers.access import Door, visible, visible_q
from sellers.actors import Actor
from sellers.conversation import attachment_api_path
from sellers.mail import mail_after_commit, portal_link
from sellers.models import (
    ApiKey,
    Application,
    ApplicationEvent,
    ApplicationMessage,
    Membership,
    PartnerGrant,
    Status,
    WebhookDelivery,
    WebhookEndpoint,
)
from sellers.models.partner import Scope
from sellers.roster import roster_base, roster_entry
from sellers.webhooks.client import TargetRefused, post, target_check
from sellers.webhooks.endpoints import MESSAGE_EVENT_TYPE, claim_lease, own_endpoint
from sellers.webhooks.signing import live_secrets, signed_headers
from sellers.workflow.table import TRANSITIONS, seller_status_code

logger = logging.getLogger(__name__)

# The test event is sent on request only and needs no subscription.
TEST_EVENT_TYPE = "webhook.test"
BRAND_EVENT_PREFIX = "brand."
RESPONSE_EXCERPT_CHARS = 1000
RETRY_AFTER_STATUSES = {429, 503}


def webhook_deliveries_of(actor: Actor) -> QuerySet[WebhookDelivery]:
    """The delivery log an actor may read and send again from.

    A partner sees its endpoints' deliveries about the sellers that let it act for them now:
    once a seller withdraws the grant, the events about its applications (and their bodies)
    leave the partner's log. Test events, which are about no seller, stay.
    """
    if actor.partner_id is not None:
        return WebhookDelivery.objects.filter(endpoint__partner_id=actor.partner_id).filter(
            Q(application__isnull=True)
            | Q(event_type__startswith=BRAND_EVENT_PREFIX)
            | visible_q(actor, doors=Door.SELLER, company="application__company")
        )
    if actor.api_key_id is None and actor.user is not None and actor.user.is_staff:
        # Operators in the admin.
        return WebhookDelivery.objects.all()
    return visible(
        WebhookDelivery.objects.all(), actor, doors=Door.SELLER, company="endpoint__company"
    )


def _body(event_type: str, occurred_at: datetime, data: dict) -> str:
    payload = {"type": event_type, "timestamp": occurred_at.isoformat(), "data": data}
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False, sort_keys=True)


def _event_id() -> str:
    return f"msg_{uuid.uuid4().hex}"


def webhook_deliveries_record(
    *, application_id: int, company_id: int, action: str, from_status: str, to_status: str
) -> list[WebhookDelivery]:
    """Inside the transaction of a status change: one delivery per subscribed endpoint.

    Only changes the seller sees are told, in the seller's status codes. The endpoints are
    the seller company's own and those of every partner it has granted access to. An endpoint
    that is switched off gets its delivery too, held until it is switched on again.
    """
    if not TRANSITIONS[action].seller_visible:
        return []
    event_type = f"application.{seller_status_code(to_status)}"
    endpoints = _subscribed(_OF_COMPANY.objects(company=company_id), event_type)
    if not endpoints:
        return []
    application = Application.objects.select_related("company", "brand").get(pk=application_id)
    event = (
        ApplicationEvent.objects.filter(
            application_id=application_id, action=action, to_status=to_status
        )
        .order_by("-pk")
        .first()
    )
    occurred_at = event.created_at if event else timezone.now()
    body = _body(
        event_type,
        occurred_at,
        {
            "application": {
                "id": application.pk,
                "seller": {
                    "id": application.company_id,
                    "legal_name": application.company.legal_name,
                },
                "brand": application.brand.name,
                "status": seller_status_code(to_status),
            },
            "previous_status": seller_status_code(from_status),
            "action": action,
            "note": event.note if event else "",
        },
    )
    return _deliveries_create(endpoints, application, event_type, body)


def _seller_side_query(company: int | Subquery):
    """The endpoints of the seller company (its id, or a subquery that reads it) and of every
    partner it has granted access to."""
    granted_partners = PartnerGrant.objects.filter(
        company_id=company, revoked_at__isnull=True
    ).values("partner_id")
    return WebhookEndpoint.objects.filter(
        Q(company_id=company) | Q(partner_id__in=granted_partners)
    )


def _of_application(application_id: int):
    return _seller_side_query(
        Subquery(Application.objects.filter(pk=application_id).values("company_id")[:1])
    )


# Looked up with every status change a seller sees and every message from the review team:
# compiling the read took longer than running it.
_OF_COMPANY = CompiledOnce(_seller_side_query, company=-2_102_938_472)
_OF_APPLICATION = CompiledOnce(_of_application, application_id=-2_102_938_473)


def _subscribed(endpoints: list[WebhookEndpoint], event_type: str) -> list[WebhookEndpoint]:
    # Filtered here rather than in SQL: JSON containment differs between the databases.
    return [endpoint for endpoint in endpoints if event_type in endpoint.event_types]


def webhook_message_deliveries_record(
    *, application_id: int, message_id: int
) -> list[WebhookDelivery]:
    """Inside the transaction that stores a message from the review team: one delivery per
    endpoint of the seller's side subscribed to application.message_received, with the
    message as the conversation in the API shows it."""
    # The seller by a subquery: the application itself is read only when an endpoint listens,
    # so a message nobody subscribed to costs one query.
    endpoints = _subscribed(
        _OF_APPLICATION.objects(application_id=application_id), MESSAGE_EVENT_TYPE
    )
    if not endpoints:
        return []
    message = ApplicationMessage.objects.get(pk=message_id, application_id=application_id)
    application = Application.objects.select_related("company", "brand").get(pk=application_id)
    attachments = [
        {
            "id": attachment.pk,
            "original_name": attachment.original_name,
            "sha256": attachment.sha256,
            "size": attachment.size,
            "detected_type": attachment.detected_type,
            "scan_status": attachment.scan_status,
            "scan_finding": attachment.scan_finding,
            "download": portal_link(attachment_api_path(attachment)),
        }
        for attachment in message.attachments.all()
    ]
    body = _body(
        MESSAGE_EVENT_TYPE,
        message.created_at,
        {
            "application": {
                "id": application.pk,
                "reference": application.reference,
                "seller": {
                    "id": application.company_id,
                    "legal_name": application.company.legal_name,
                },
                "brand": application.brand.name,
                "status": seller_status_code(application.status),
            },
            "message": {
                "id": message.pk,
                # Written as the API writes times, so that the message reads the same here.
                "time": message.created_at.isoformat().replace("+00:00", "Z"),
                "side": message.side,
                # The review team's messages name no reviewer, as in the API, whose words
                # are English whatever the language of the reviewer's page.
                "author": _in_english(ApplicationMessage.Side(message.side).label),
                "language": message.language,
                "body": message.body,
                "attachments": attachments,
            },
        },
    )
    return _deliveries_create(endpoints, application, MESSAGE_EVENT_TYPE, body)


def _in_english(text) -> str:
    with translation.override("en"):
        return str(text)


def _brand_event_type(from_status: str, to_status: str) -> str | None:
    if to_status == Status.APPROVED:
        return "brand.reinstated" if from_status == Status.SUSPENDED else "brand.admitted"
    return {Status.SUSPENDED: "brand.suspended", Status.REVOKED: "brand.revoked"}.get(to_status)


def _roster_readers() -> set[int]:
    """Partner organisations holding a live key with the roster:read scope."""
    now = timezone.now()
    keys = ApiKey.objects.filter(partner__isnull=False, revoked_at__isnull=True).filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=now)
    )
    # Filtered here rather than in SQL: JSON containment differs between the databases.
    return {
        partner_id
        for partner_id, scopes in keys.values_list("partner_id", "scopes")
        if Scope.ROSTER_READ.value in scopes
    }


def webhook_brand_deliveries_record(
    *, application_id: int, action: str, from_status: str, to_status: str
) -> list[WebhookDelivery]:
    """Inside the transaction of a status change: a brand.* event for each subscribed
    endpoint of a partner that may read the roster, when a brand joins it, is suspended,
    reinstated or revoked."""
    event_type = _brand_event_type(from_status, to_status)
    if event_type is None:
        return []
    readers = _roster_readers()
    endpoints = [
        endpoint
        for endpoint in WebhookEndpoint.objects.filter(partner_id__in=readers)
        if event_type in endpoint.event_types
    ]
    if not endpoints:
        return []
    application = roster_base().get(pk=application_id)
    body = _body(
        event_type,
        timezone.now(),
        {
            "roster_entry": roster_entry(application),
            "previous_status": seller_status_code(from_status),
            "action": action,
        },
    )
    return _deliveries_create(endpoints, application, event_type, body)


def _deliveries_create(
    endpoints: list[WebhookEndpoint], application: Application, event_type: str, body: str
) -> list[WebhookDelivery]:
    """One delivery of one event per endpoint; held for an endpoint that is switched off."""
    event_id = _event_id()
    due = timezone.now() + claim_lease()
    deliveries = WebhookDelivery.objects.bulk_create(
        WebhookDelivery(
            endpoint=endpoint,
            application=application,
            event_id=event_id,
            event_type=event_type,
            body=body,
            status=WebhookDelivery.Status.PENDING
            if endpoint.is_active
            else WebhookDelivery.Status.HELD,
            next_attempt_at=due if endpoint.is_active else None,
        )
        for endpoint in endpoints
    )
    _send_after_commit([d for d in deliveries if d.status == WebhookDelivery.Status.PENDING])
    return deliveries


def webhook_ping(*, actor: Actor, endpoint_id: int) -> WebhookDelivery:
    """A test event to the endpoint, sent like any other and shown in its delivery log."""
    with transaction.atomic():
        endpoint = own_endpoint(actor, endpoint_id)
        _check_active(endpoint)
        now = timezone.now()
        delivery = WebhookDelivery.objects.create(
            endpoint=endpoint,
            event_id=_event_id(),
            event_type=TEST_EVENT_TYPE,
            body=_body(TEST_EVENT_TYPE, now, {"endpoint_id": endpoint.pk}),
            next_attempt_at=now + claim_lease(),
        )
        _send_after_commit([delivery])
    return delivery


def webhook_redeliver(*, actor: Actor, delivery_id: int) -> WebhookDelivery:
    """Send an event again: a new delivery with the same id and body, and fresh retries."""
    with transaction.atomic():
        original = webhook_deliveries_of(actor).select_related("endpoint").filter(pk=delivery_id)
        original = original.first()
        if original is None:
            raise WebhookDelivery.DoesNotExist
        _check_active(original.endpoint)
        delivery = WebhookDelivery.objects.create(
            endpoint=original.endpoint,
            application_id=original.application_id,
            event_id=original.event_id,
            event_type=original.event_type,
            body=original.body,
            redelivery_of=original.redelivery_of or original,
            next_attempt_at=timezone.now() + claim_lease(),
        )
        _send_after_commit([delivery])
    return delivery


def _check_active(endpoint: WebhookEndpoint) -> None:
    if not endpoint.is_active:
        raise ApplicationError(
            gettext("This endpoint is disabled; switch it on again before sending to it."),
            code="endpoint_disabled",
        )


def _send_after_commit(deliveries: list[WebhookDelivery]) -> None:
    for delivery in deliveries:
        enqueue_after_commit(
            "sellers.tasks.webhook_deliver", delivery_id=delivery.pk, attempts=delivery.attempts
        )


def webhook_deliveries_due(*, limit: int = 200) -> int:
    """Queue the deliveries whose next attempt is due; several beats never pick the same one."""
    now = timezone.now()
    with transaction.atomic():
        due = list(
            WebhookDelivery.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(
                status=WebhookDelivery.Status.PENDING,
                next_attempt_at__lte=now,
                endpoint__is_active=True,
            )
            .order_by("next_attempt_at", "pk")
            .values_list("pk", "attempts")[:limit]
        )
        WebhookDelivery.objects.filter(pk__in=[pk for pk, _attempts in due]).update(
            next_attempt_at=now + claim_lease()
        )
        for pk, attempts in due:
            enqueue_after_commit("sellers.tasks.webhook_deliver", delivery_id=pk, attempts=attempts)
    return len(due)


def webhook_delivery_attempt(*, delivery_id: int, attempts: int) -> WebhookDelivery | None:
    """Make one attempt, if the delivery still waits for attempt number ``attempts + 1``.

    ``attempts`` fences out a duplicate message: whichever copy runs first takes the
    attempt, the other finds the count moved on and does nothing. The request is made
    outside any transaction; the answer is recorded in a short one afterwards.
    """
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("endpoint")
            .filter(pk=delivery_id, status=WebhookDelivery.Status.PENDING, attempts=attempts)
            .first()
        )
        # Done already, being attempted by someone else, or its endpoint is switched off
        # (the delivery waits for the endpoint to be switched on again).
        if delivery is None or not delivery.endpoint.is_active:
            return None
        now = timezone.now()
        if _access_withdrawn(delivery):
            delivery.status = WebhookDelivery.Status.FAILED
            delivery.next_attempt_at = None
            delivery.last_error = (
                gettext("This partner no longer holds a key that may read the roster.")
                if delivery.event_type.startswith(BRAND_EVENT_PREFIX)
                else gettext(
                    "The seller withdrew this partner's access; the event is no longer sent."
                )
            )
            delivery.save(update_fields=["status", "next_attempt_at", "last_error"])
            return delivery
        delivery.attempts += 1
        delivery.last_attempt_at = now
        delivery.next_attempt_at = now + claim_lease()
        delivery.save(update_fields=["attempts", "last_attempt_at", "next_attempt_at"])
        endpoint = delivery.endpoint
        signing_secrets = live_secrets(endpoint)
    body = delivery.body.encode()
    headers = signed_headers(
        secrets=signing_secrets,
        event_id=delivery.event_id,
        timestamp=int(timezone.now().timestamp()),
        body=body,
    )
    status_code, answer_body, error, retry_after = None, b"", "", None
    try:
        # Checked again at every attempt: the name may resolve elsewhere than at registration.
        answer = post(target_check(endpoint.url), body, headers)
    except TargetRefused as exc:
        error, failure = str(exc), "target_refused"
    except (OSError, http.client.HTTPException) as exc:
        error = f"{type(exc).__name__}: {exc}"[:500] or type(exc).__name__
        failure = "timeout" if isinstance(exc, TimeoutError) else "connection"
    else:
        status_code, answer_body, retry_after = answer.status, answer.body, answer.retry_after
        failure = f"http_{status_code // 100}xx"
        if 300 <= status_code < 400:
            error = gettext("Redirects are not followed; register the final address instead.")
    if not (status_code is not None and 200 <= status_code < 300):
        webhook_delivery_failed.send(sender=WebhookDelivery, reason=failure)
    return _record_attempt(
        delivery.pk,
        status_code=status_code,
        answer_body=answer_body,
        error=error,
        retry_after=retry_after,
    )


def webhook_deliveries_in_order(*, deliveries: list[list[int]]) -> list[list[int]]:
    """Attempt ``[delivery_id, attempts]`` pairs one after the other, in the order given.

    Used for what an endpoint was not sent while it was switched off. Stops once the time a
    task may take is nearly spent (every attempt may wait for a slow receiver) and returns
    the pairs left, for the next message to carry on with.
    """
    budget = settings.CELERY_TASK_SOFT_TIME_LIMIT - 2 * settings.WEBHOOK_TIMEOUT_SECONDS - 5
    deadline = time.monotonic() + budget
    for index, (delivery_id, attempts) in enumerate(deliveries):
        if index and time.monotonic() > deadline:
            return deliveries[index:]
        webhook_delivery_attempt(delivery_id=delivery_id, attempts=attempts)
    return []


def _access_withdrawn(delivery: WebhookDelivery) -> bool:
    """A partner hears about a seller's application only while the seller lets it act, and
    about the roster only while it holds a key that may read it."""
    if delivery.endpoint.partner_id is None or delivery.application_id is None:
        return False
    if delivery.event_type.startswith(BRAND_EVENT_PREFIX):
        return delivery.endpoint.partner_id not in _roster_readers()
    company_id = Application.objects.filter(pk=delivery.application_id).values("company_id")
    return not PartnerGrant.objects.filter(
        partner_id=delivery.endpoint.partner_id, company_id__in=company_id, revoked_at__isnull=True
    ).exists()


def _record_attempt(
    delivery_id: int,
    *,
    status_code: int | None,
    answer_body: bytes,
    error: str,
    retry_after: int | None,
) -> WebhookDelivery:
    now = timezone.now()
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(of=("self",))
            .select_related("endpoint")
            .get(pk=delivery_id)
        )
        delivery.last_response_code = status_code
        delivery.last_response_body = answer_body.decode("utf-8", "replace")[
            :RESPONSE_EXCERPT_CHARS
        ]
        delivery.last_error = error[:500]
        schedule = settings.WEBHOOK_RETRY_DELAYS
        if status_code is not None and 200 <= status_code < 300:
            delivery.status = WebhookDelivery.Status.SUCCEEDED
            delivery.delivered_at = now
            delivery.next_attempt_at = None
        elif status_code == 410:
            delivery.status = WebhookDelivery.Status.FAILED
            delivery.next_attempt_at = None
            _disable(delivery.endpoint, WebhookEndpoint.DisabledReason.GONE, now)
        elif delivery.attempts > len(schedule):
            delivery.status = WebhookDelivery.Status.FAILED
            delivery.next_attempt_at = None
            _disable(delivery.endpoint, WebhookEndpoint.DisabledReason.FAILING, now)
        else:
            delay = schedule[delivery.attempts - 1]
            # A little spread, so that failures caused by our own burst do not repeat in step.
            delay *= random.uniform(1.0, 1.1)  # noqa: S311 - jitter, not cryptography
            if status_code in RETRY_AFTER_STATUSES and retry_after:
                delay = max(delay, min(retry_after, max(schedule)))
            delivery.next_attempt_at = now + timedelta(seconds=delay)
        delivery.save()
    logger.info(
        "webhook delivery %s attempt %s: %s %s",
        delivery.pk,
        delivery.attempts,
        status_code or "-",
        delivery.status,
    )
    return delivery


def _disable(endpoint: WebhookEndpoint, reason: str, now: datetime) -> None:
    disabled = WebhookEndpoint.objects.filter(pk=endpoint.pk, is_active=True).update(
        is_active=False, disabled_reason=reason, disabled_at=now
    )
    if not disabled:
        return
    logger.warning("webhook endpoint %s disabled: %s", endpoint.pk, reason)
    # The holder learns it by mail too: a silent endpoint is easily missed for days.
    for address in _holder_addresses(endpoint):
        mail_after_commit(
            to=address,
            template="sellers/email/webhook_endpoint_disabled",
            context={
                "url": endpoint.url,
                "reason": WebhookEndpoint.DisabledReason(reason).label,
                "endpoint_id": endpoint.pk,
            },
        )


def _holder_addresses(endpoint: WebhookEndpoint) -> list[str]:
    if endpoint.partner_id is not None:
        return [endpoint.partner.contact_email]
    owner = (
        Membership.objects.filter(company_id=endpoint.company_id, role=Membership.Role.OWNER)
        .select_related("user")
        .first()
    )
    return [owner.user.email] if owner and owner.user.email else []
