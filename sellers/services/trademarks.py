"""A pending trademark the office has registered since the seller applied with it."""

import datetime

from django.db import transaction

from sellers.actors import Actor
from sellers.models import Trademark
from sellers.services.events import application_event_record
from sellers.services.expiry import ENDED_STATUSES


def trademark_registered_record(
    *, trademark_id: int, actor: Actor, note: str, expires_on: datetime.date | None
) -> bool:
    """Mark a pending trademark registered, with a history line on each of its applications
    still in the program. False when it was registered already (a second run adds nothing)."""
    with transaction.atomic():
        trademark = Trademark.objects.select_for_update().get(pk=trademark_id)
        if trademark.registration_status != Trademark.RegistrationStatus.PENDING:
            return False
        trademark.registration_status = Trademark.RegistrationStatus.REGISTERED
        trademark.expires_on = expires_on or trademark.expires_on
        trademark.save(update_fields=["registration_status", "expires_on"])
        for application in trademark.applications.exclude(status__in=ENDED_STATUSES):
            application_event_record(application, actor, "trademark_registered", note)
    return True
