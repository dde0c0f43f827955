"""What every registry adapter returns, and how it says it cannot answer."""

from dataclasses import asdict, dataclass, field
from datetime import date

from brandprogram.phrases import Phrase
from reviews.checks.base import TransientCheckError


class RegistryUnavailable(TransientCheckError):
    """The registry could not be reached or answered with a server error; worth retrying."""


class RegistryError(Exception):
    """The registry refused the request (a bad key, a malformed number); retrying won't help."""


class NoRegistryData(Exception):
    """There is no data source for this office (no live API, nothing imported)."""


@dataclass(frozen=True)
class RegistryRecord:
    office: str
    serial: str
    number: str
    status_code: str
    status_state: str
    mark_literal: str
    drawing_type: str
    nice_classes: tuple[int, ...]
    owner_name: str
    data_version: str
    source: str
    status_date: date | None = None
    correspondent_email: str = ""
    correspondent_email_changed_on: date | None = None
    filing_date: date | None = None
    registration_date: date | None = None
    expires_on: date | None = None
    status_text: str = ""
    owner_entity_type: str = ""
    owner_nationality: str = ""
    goods_services: str = ""
    international_registration_number: str = ""
    # Oldest first, each {"date": "YYYY-MM-DD", "code": ..., "text": ...}.
    events: tuple[dict, ...] = ()
    # ``source`` as findings show it, in the reader's language; the evidence keeps ``source``.
    source_phrase: Phrase | None = field(default=None, compare=False)

    def as_evidence(self) -> dict:
        fields = asdict(self)
        del fields["source_phrase"]
        return {
            key: value.isoformat() if isinstance(value, date) else value
            for key, value in fields.items()
        } | {"nice_classes": list(self.nice_classes), "events": list(self.events)}
