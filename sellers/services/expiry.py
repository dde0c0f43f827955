"""Warnings ahead of expiry: the owner of every seller still in the program hears, in their
language, in the portal's inbox and by mail, of each authorization letter, certificate and
trademark registration that expires within ``EXPIRY_WARNING_DAYS``, once per threshold.

Run daily (``sellers.tasks.expiry_warnings``): with a monthly run a document could come
within the window just after a run and be warned only days ahead; daily, each is warned
about as far ahead as the setting says, and the stored warnings keep a second run silent.
A document is warned of at the nearest threshold it is within: one first seen five days
before expiry with thresholds 30 and 7 is warned once, at 7.
"""

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from sellers.models import (
    Application,
    AuthorizationLink,
    Certification,
    ExpiryWarning,
    Membership,
    Status,
    Trademark,
)
from sellers.services.notifications import company_notice_send

logger = logging.getLogger(__name__)

# Applications that are neither drafts nor over: open, waiting, admitted or suspended.
ENDED_STATUSES = (
    Status.DRAFT,
    Status.REJECTED,
    Status.WITHDRAWN,
    Status.REVOKED,
    Status.STAGED_REJECTED,
)


def expiry_warnings_send(*, today: datetime.date | None = None) -> list[ExpiryWarning]:
    """Warn each owner of what expires within a threshold it was not warned at yet.

    Returns the warnings stored now (one notice per company lists them)."""
    today = today or timezone.localdate()
    window = (today, today + datetime.timedelta(days=max(settings.EXPIRY_WARNING_DAYS)))
    companies = (
        Application.objects.exclude(status__in=ENDED_STATUSES)
        .values_list("company_id", flat=True)
        .distinct()
    )
    warned = []
    for company_id in companies:
        warned += _warn_company(company_id, today, window)
    return warned


def _expiring(company_id: int, window) -> list[tuple[str, object, datetime.date]]:
    letters = AuthorizationLink.objects.filter(
        trademark__brand__company_id=company_id, valid_until__range=window
    ).select_related("trademark")
    certificates = Certification.objects.filter(
        facility__company_id=company_id, expires_on__range=window
    )
    marks = Trademark.objects.filter(brand__company_id=company_id, expires_on__range=window)
    return (
        [(ExpiryWarning.Kind.AUTHORIZATION, link, link.valid_until) for link in letters]
        + [(ExpiryWarning.Kind.CERTIFICATION, cert, cert.expires_on) for cert in certificates]
        + [(ExpiryWarning.Kind.TRADEMARK, mark, mark.expires_on) for mark in marks]
    )


def _threshold(today: datetime.date, expires_on: datetime.date) -> int:
    """The nearest threshold a document expiring on ``expires_on`` is within today."""
    days_left = (expires_on - today).days
    return min(days for days in settings.EXPIRY_WARNING_DAYS if days >= days_left)


def _warn_company(company_id: int, today: datetime.date, window) -> list[ExpiryWarning]:
    # Nothing is stored as warned while there is nobody to tell.
    if not Membership.objects.filter(company_id=company_id, role=Membership.Role.OWNER).exists():
        return []
    with transaction.atomic():
        items, warned = [], []
        for kind, document, expires_on in _expiring(company_id, window):
            warning, is_new = ExpiryWarning.objects.get_or_create(
                kind=kind,
                object_id=document.pk,
                expires_on=expires_on,
                days_ahead=_threshold(today, expires_on),
                defaults={"company_id": company_id},
            )
            if is_new:
                warned.append(warning)
                items.append({"kind": kind, "document": document, "expires_on": expires_on})
        if items and company_notice_send(
            company_id=company_id,
            # Each warning is told in exactly one notice: its first warning names it.
            topic=f"expiry:{min(warning.pk for warning in warned)}",
            template="sellers/email/expiry_warning",
            context={"items": sorted(items, key=lambda item: item["expires_on"])},
            link=reverse("portal:dashboard"),
        ):
            logger.info("company %s warned of %d expiring documents", company_id, len(items))
    return warned
