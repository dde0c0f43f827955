"""Reading evidence documents and keeping what was read, once per file."""

import shutil
import tempfile
import time
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from sellers import documents
from sellers.documents.reading import FIELDS_BY_KIND, Reading
from sellers.models import DocumentReading, Evidence


def evidence_read(*, evidence_id: int) -> DocumentReading | None:
    """Read an evidence file and store the reading; a file read before is not read again.

    Kinds whose contents are not read (product photos, stock records) get no reading. Reading
    runs outside any transaction: it may take seconds and holds no lock meanwhile.
    """
    evidence = Evidence.objects.filter(pk=evidence_id).first()
    if evidence is None or evidence.kind not in FIELDS_BY_KIND:
        return None
    stored = DocumentReading.objects.filter(evidence=evidence).first()
    if stored is not None and stored.sha256 == evidence.sha256:
        return stored
    started = time.monotonic()
    reading = _read(evidence)
    duration_ms = round((time.monotonic() - started) * 1000)
    return evidence_reading_store(evidence=evidence, reading=reading, duration_ms=duration_ms)


def evidence_reading_store(
    *, evidence: Evidence, reading: Reading, duration_ms: int
) -> DocumentReading:
    with transaction.atomic():
        stored, _created = DocumentReading.objects.update_or_create(
            evidence=evidence,
            defaults={
                "sha256": evidence.sha256,
                "status": reading.status,
                "source": reading.source[:80],
                "data": reading.as_json(),
                "read_at": timezone.now(),
                "duration_ms": duration_ms,
            },
        )
    return stored


def _read(evidence: Evidence) -> Reading:
    options = {"kind": evidence.kind, "detected_type": evidence.detected_type}
    try:
        path = evidence.file.path
    except NotImplementedError:
        # Storage without local paths (object storage): the reader gets a private copy.
        with tempfile.TemporaryDirectory() as folder:
            copy = Path(folder) / Path(evidence.file.name).name
            with evidence.file.open("rb") as source, copy.open("wb") as target:
                shutil.copyfileobj(source, target)
            return documents.read_document(copy, **options)
    return documents.read_document(path, **options)
