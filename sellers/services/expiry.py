"""Warnings ahead of expiry: the owner of every seller still in the program hears once, in
their language, of each authorization letter, certificate and trademark registration that
expires within ``EXPIRY_WARNING_DAYS``.

Run daily (``sellers.tasks.expiry_warnings``): with a monthly run a document could come
within the window just after a run and be warned only days ahead; daily, each is warned
about as far ahead as the setting says, and the stored warnings keep a second run silent.
"""

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from sellers.mail import mail_after_commit, portal_link
from sellers.models import (
    Application,
    AuthorizationLink,
    Certification,
    ExpiryWarning,
    Membership,
    Status,
    Trademark,
)

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
    """Warn each owner of what expires within the window and was not warned of yet.

    Returns the warnings stored now (one mail per company lists them)."""
    today = today or timezone.localdate()
    window = (today, today + datetime.timedelta(days=settings.EXPIRY_WARNING_DAYS))
    companies = (
        Application.objects.exclude(status__in=ENDED_STATUSES)
        .values_list("company_id", flat=True)
        .distinct()
    )
    warned = []
    for company_id in companies:
        warned += _warn_company(company_id, window)
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


def _warn_company(company_id: int, window) -> list[ExpiryWarning]:
    owner = (
        Membership.objects.filter(company_id=company_id, role=Membership.Role.OWNER)
        .select_related("user")
        .first()
    )
    if owner is None:
        return []
    with transaction.atomic():
        items, warned = [], []
        for kind, document, expires_on in _expiring(company_id, window):
            warning, is_new = ExpiryWarning.objects.get_or_create(
                kind=kind,
                object_id=document.pk,
                expires_on=expires_on,
                defaults={"company_id": company_id},
            )
            if is_new:
                warned.append(warning)
                items.append({"kind": kind, "document": document, "expires_on": expires_on})
        if items:
            with translation.override(owner.language):
                mail_after_commit(
                    to=owner.user.email or owner.user.get_username(),
                    template="sellers/email/expiry_warning",
                    context={
                        "items": sorted(items, key=lambda item: item["expires_on"]),
                        "link": portal_link(reverse("portal:dashboard")),
                    },
                )
            logger.info("company %s warned of %d expiring documents", company_id, len(items))
    return warned
