"""How the seller side asks a trademark registry who the correspondent on a record is.

The registries live in ``reviews`` and sellers never imports it, so the lookup is a callable
named by ``settings.TRADEMARK_RECORD_LOOKUP``; it returns a RecordContact, None when the
registry has no such mark, or raises RecordLookupFailed.
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class RecordContact:
    correspondent_email: str
    source: str
    correspondent_email_changed_on: date | None = None


class RecordLookupFailed(Exception):
    """No answer about this record: ``reason`` is "no_data" (nothing held for the office) or
    "unavailable" (the registry failed; a later try may work)."""

    def __init__(self, message: str, *, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


def trademark_record_contact(*, office: str, number: str) -> RecordContact | None:
    lookup = import_string(settings.TRADEMARK_RECORD_LOOKUP)
    return lookup(office=office, number=number)
