"""Reading uploaded documents and keeping what was read, once per file: evidence files, the
business licence a company signs up with, and the signed letters of an authorization chain."""

import shutil
import tempfile
import time
from pathlib import Path

from django.core.files import File
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from sellers import documents
from sellers.documents.matching import Document
from sellers.documents.reading import FIELDS_BY_KIND, Reading
from sellers.models import AuthorizationLink, DocumentReading, Evidence, SellerCompany
from sellers.validators import inspect_evidence_file

LICENCE = "business_licence"
LETTER = "authorization_letter"


def evidence_read(*, evidence_id: int) -> DocumentReading | None:
    """Read an evidence file and store the reading; a file read before is not read again.

    Kinds whose contents are not read (product photos, stock records) get no reading. Reading
    runs outside any transaction: it may take seconds and holds no lock meanwhile.
    """
    evidence = Evidence.objects.filter(pk=evidence_id).first()
    if evidence is None or evidence.kind not in FIELDS_BY_KIND:
        return None
    return _read_once(
        {"evidence": evidence},
        evidence.file,
        kind=evidence.kind,
        sha256=evidence.sha256,
        detected_type=evidence.detected_type,
    )


def company_licence_read(*, company_id: int) -> DocumentReading | None:
    """Read the business licence a company uploaded when it signed up, once per file."""
    company = SellerCompany.objects.filter(pk=company_id).first()
    if company is None or not company.business_licence:
        return None
    return _read_once(
        {"company": company},
        company.business_licence,
        kind=LICENCE,
        sha256=company.business_licence_sha256,
        detected_type=company.business_licence_type,
    )


def authorization_letter_read(*, link_id: int) -> DocumentReading | None:
    """Read an authorization link's signed letter, once per file."""
    link = AuthorizationLink.objects.filter(pk=link_id).first()
    if link is None or not link.letter:
        return None
    if not link.letter_sha256:
        _letter_hash(link)
    return _read_once(
        {"authorization_link": link},
        link.letter,
        kind=LETTER,
        sha256=link.letter_sha256,
        detected_type=link.letter_type,
    )


def document_read(document: Document) -> DocumentReading | None:
    """Read whichever document this is, once per file."""
    if document.evidence is not None:
        return evidence_read(evidence_id=document.evidence.pk)
    if document.company is not None:
        return company_licence_read(company_id=document.company.pk)
    return authorization_letter_read(link_id=document.link.pk)


def _letter_hash(link: AuthorizationLink) -> None:
    """Letters stored before their hash was kept are hashed when first read."""
    with link.letter.open("rb") as handle:
        upload = File(handle, name=link.letter.name)
        upload.size = link.letter.size
        info = inspect_evidence_file(upload)
    link.letter_sha256, link.letter_type = info.sha256, info.detected_type
    AuthorizationLink.objects.filter(pk=link.pk).update(
        letter_sha256=info.sha256, letter_type=info.detected_type
    )


def _read_once(
    owner: dict, file: FieldFile, *, kind: str, sha256: str, detected_type: str
) -> DocumentReading:
    stored = DocumentReading.objects.filter(**owner).first()
    if stored is not None and stored.sha256 == sha256:
        return stored
    # The same file read for another owner (a letter attached to its link and uploaded as
    # evidence too) is not read again: the reading is the file's.
    same_file = (
        DocumentReading.objects.filter(sha256=sha256, data__kind=kind).order_by("pk").first()
        if sha256
        else None
    )
    if same_file is not None:
        reading, duration_ms = Reading.from_json(same_file.data), same_file.duration_ms
    else:
        started = time.monotonic()
        reading = _read(file, kind=kind, detected_type=detected_type)
        duration_ms = round((time.monotonic() - started) * 1000)
    return reading_store(owner, sha256=sha256, reading=reading, duration_ms=duration_ms)


def evidence_reading_store(
    *, evidence: Evidence, reading: Reading, duration_ms: int
) -> DocumentReading:
    return reading_store(
        {"evidence": evidence}, sha256=evidence.sha256, reading=reading, duration_ms=duration_ms
    )


def reading_store(owner: dict, *, sha256: str, reading: Reading, duration_ms: int):
    """Keep a reading for its owner (``{"evidence": …}``, ``{"company": …}`` or
    ``{"authorization_link": …}``), replacing the one stored before.

    Two readers of the same file can finish together (the upload's read and screening's): the
    one that stores second waits for the first and writes over its row, without a
    duplicate-key error in its transaction or PostgreSQL's log.
    """
    values = {
        "sha256": sha256,
        "status": reading.status,
        "source": reading.source[:80],
        "data": reading.as_json(),
        "read_at": timezone.now(),
        "duration_ms": duration_ms,
    }
    with transaction.atomic():
        stored = DocumentReading.objects.select_for_update().filter(**owner).first()
        if stored is None:
            # ON CONFLICT DO NOTHING, then the row locked whoever inserted it. By ids: the
            # unsaved instance must not become the owner's cached reading.
            ids = {f"{name}_id": value.pk for name, value in owner.items()}
            DocumentReading.objects.bulk_create(
                [DocumentReading(**ids, **values)], ignore_conflicts=True
            )
            stored = DocumentReading.objects.select_for_update().get(**owner)
        for field, value in values.items():
            setattr(stored, field, value)
        stored.save(update_fields=list(values))
    return stored


def _read(file: FieldFile, *, kind: str, detected_type: str) -> Reading:
    options = {"kind": kind, "detected_type": detected_type}
    try:
        path = file.path
    except NotImplementedError:
        # Storage without local paths (object storage): the reader gets a private copy.
        with tempfile.TemporaryDirectory() as folder:
            copy = Path(folder) / Path(file.name).name
            with file.open("rb") as source, copy.open("wb") as target:
                shutil.copyfileobj(source, target)
            return documents.read_document(copy, **options)
    return documents.read_document(path, **options)
