"""The correspondent on a registry record, for the seller side's verification codes
(``settings.TRADEMARK_RECORD_LOOKUP`` names ``trademark_record_contact``)."""

from django.core.exceptions import ValidationError

from reviews.registry import registry_for
from reviews.registry.base import NoRegistryData, RegistryError, RegistryUnavailable
from sellers.services.record_control import RecordContact, RecordLookupFailed
from sellers.validators import normalize_trademark_number


def trademark_record_contact(*, office: str, number: str) -> RecordContact | None:
    try:
        number = normalize_trademark_number(office, number)
    except ValidationError:
        # A number the office cannot have is a record the registry cannot have.
        return None
    # A seller is waiting for the answer: one attempt, then "try again in a few minutes".
    registry = registry_for(office, waiting_person=True)
    try:
        record = registry.lookup(number)
    except NoRegistryData as exc:
        raise RecordLookupFailed(str(exc), reason="no_data") from exc
    except (RegistryUnavailable, RegistryError) as exc:
        raise RecordLookupFailed(str(exc), reason="unavailable") from exc
    if record is None:
        return None
    return RecordContact(
        correspondent_email=record.correspondent_email,
        source=record.source,
        correspondent_email_changed_on=record.correspondent_email_changed_on,
    )
