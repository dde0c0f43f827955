"""Readings as the document reader returns them, built by hand and stored for an evidence row."""

from sellers.documents.reading import Box, ReadField, Reading, Status
from sellers.models import Evidence
from sellers.services.readings import evidence_reading_store
from tests.files import pdf_bytes, png_bytes
from tests.sellers.factories import EvidenceFactory


def reading(kind: str, status: str = Status.READ, confidence: float = 0.97, **values) -> Reading:
    """A reading of ``kind`` carrying ``values``; each field sits on its own line of page 1."""
    fields = tuple(
        ReadField(
            name=name,
            value=value,
            box=Box(page=1, x0=0.1, y0=0.1 + 0.08 * row, x1=0.7, y1=0.15 + 0.08 * row),
            confidence=confidence,
        )
        for row, (name, value) in enumerate(values.items())
    )
    return Reading(
        kind=kind,
        status=status,
        source="text layer",
        language="en",
        page_count=1,
        text="\n".join(values.values()),
        fields=fields,
    )


def read_evidence(application, kind: str, *, image=False, **reading_options) -> Evidence:
    """Attach a document of ``kind`` to the application and store its reading."""
    name = "scan.png" if image else "document.pdf"
    evidence = EvidenceFactory(
        application=application,
        kind=kind,
        file__filename=name,
        file__data=png_bytes((200, 280), (250, 250, 250)) if image else pdf_bytes(),
        original_name=name,
        detected_type="image/png" if image else "application/pdf",
    )
    evidence_reading_store(
        evidence=evidence, reading=reading(kind, **reading_options), duration_ms=40
    )
    return evidence


def certificate_values(application, **changes) -> dict:
    """What the trademark certificate of ``application`` says when it agrees with it."""
    mark = application.trademark
    return {
        "office": mark.office,
        "registration_number": mark.display_number,
        "mark": application.brand.name,
        "owner": mark.owner_name,
        "nice_classes": ", ".join(str(number) for number in mark.nice_classes),
        "registration_date": "2020-03-01",
        "valid_until": mark.expires_on.isoformat(),
    } | changes
