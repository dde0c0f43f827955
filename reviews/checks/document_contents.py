"""The documents say what the application says: the trademark certificate's number, office,
owner, mark and classes, the business licence's code and name, the authorization letters'
parties and dates, the quality certificates' numbers, holders and expiry, and, where the
registry is held here, the registry's owner and status for the certificate's mark.

Readings are those stored when the files were uploaded; a file not read yet is read now.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_noop as _

from brandprogram.phrases import Items, Phrase
from reviews.checks.base import Finding
from reviews.models import RegistryMark
from reviews.registry.base import NoRegistryData, RegistryRecord
from reviews.registry.local import LocalRegistry
from sellers.documents.matching import (
    Comparison,
    Disagreement,
    Document,
    DocumentCheck,
    Row,
    check_document,
    normalize_classes,
    normalize_number,
)
from sellers.documents.reading import Reading
from sellers.models import Evidence
from sellers.names import normalize_company_name
from sellers.selectors import application_documents, document_readings
from sellers.services.readings import document_read
from sellers.validators import normalize_trademark_number

CODE = "document_contents"
TITLE = gettext_lazy("Document contents")
SOURCE = Phrase(_("readings of the uploaded documents"))


def registry_record(application) -> RegistryRecord | None:
    """The trademark as the local copy of its office's register holds it; no network here."""
    mark = application.trademark
    try:
        number = normalize_trademark_number(mark.office, mark.number)
        return LocalRegistry(mark.office).lookup(number)
    except (NoRegistryData, ValidationError):
        return None


def check_documents(
    application, *, today: datetime.date, read_missing: bool
) -> list[DocumentCheck]:
    """Each readable document of the application (its evidence, the company's sign-up licence,
    the chain's signed letters) beside the application and the registry."""
    record = registry_record(application)
    checks = []
    documents = application_documents(application)
    readings = document_readings(documents)
    for document in documents:
        reading = readings.get(document.key)
        if reading is None and read_missing:
            stored = document_read(document)
            reading = None if stored is None else Reading.from_json(stored.data)
        checks.append(_check_document(application, document, reading, record, today))
    return checks


def _check_document(application, source: Document, reading, record, today) -> DocumentCheck:
    check = check_document(source, reading, today=today)
    if record is None or reading is None or source.kind != Evidence.Kind.TRADEMARK_CERTIFICATE:
        return check
    document = source.name
    office = application.trademark.office
    check.rows = [_beside_registry(row.comparison, record, office) for row in check.rows]
    for row in check.rows:
        # A field that already disagrees with the application is named once.
        if row.registry_agrees is False and row.comparison.agrees is not False:
            check.disagreements.append(
                Disagreement(
                    document,
                    row.comparison.name,
                    row.comparison.read.value,
                    row.registry,
                    "fail",
                    Phrase(
                        _(
                            "%(document)s: the %(field)s reads “%(says)s” but the registry "
                            "records “%(should)s”."
                        ),
                        document=document,
                        field=row.comparison.label,
                        says=row.comparison.read.value,
                        should=row.registry,
                    ),
                )
            )
    if record.status_state == RegistryMark.State.DEAD:
        check.disagreements.append(
            Disagreement(
                document,
                "registration_number",
                record.number or record.serial,
                "",
                "fail",
                Phrase(
                    _(
                        "%(document)s: the registry records this mark as no longer in force "
                        "(%(status)s), whatever the certificate says."
                    ),
                    document=document,
                    # The register's own words for the status, as it prints them.
                    status=record.status_text or record.status_code or record.status_state,
                ),
            )
        )
    return check


def _beside_registry(comparison: Comparison, record: RegistryRecord, office: str) -> Row:
    registry = {
        "office": record.office,
        "registration_number": record.number or record.serial,
        "mark": record.mark_literal,
        "owner": record.owner_name,
        "nice_classes": ", ".join(str(number) for number in record.nice_classes),
        "registration_date": record.registration_date.isoformat()
        if record.registration_date
        else "",
        "valid_until": record.expires_on.isoformat() if record.expires_on else "",
    }.get(comparison.name, "")
    read = comparison.read
    if not registry or read is None or not read.value.strip():
        return Row(comparison, registry)
    agrees = {
        "registration_number": lambda: (
            normalize_number(read.value, office)
            in {normalize_number(record.number, office), normalize_number(record.serial, office)}
        ),
        "owner": lambda: normalize_company_name(read.value) == normalize_company_name(registry),
        "nice_classes": lambda: normalize_classes(read.value) == record.nice_classes,
    }.get(comparison.name)
    return Row(comparison, registry, None if agrees is None else agrees())


def quick(application) -> bool:
    """Quick when every document was read at upload: reading one now is OCR, seconds a page."""
    documents = application_documents(application)
    return len(document_readings(documents)) == len(documents)


def run(application):
    today = timezone.localdate()
    checks = check_documents(application, today=today, read_missing=True)
    evidence = {
        "documents": [
            {
                "document": check.document.key,
                "evidence_id": check.evidence.pk if check.evidence else None,
                "kind": check.document.kind,
                "name": check.document.file_name,
                "status": check.reading.status if check.reading else "",
                "source": check.reading.source if check.reading else "",
                "disagreements": [
                    {
                        "field": item.field,
                        "says": item.says,
                        "should_say": item.should_say,
                        "severity": item.severity,
                    }
                    for item in check.disagreements
                ],
            }
            for check in checks
        ]
    }
    if not checks:
        # Which documents an application needs is the supply-chain check's business; with
        # none whose contents are read, nothing here can disagree.
        return Finding(
            "pass",
            Phrase(_("No document whose contents are read is attached; nothing to compare.")),
            evidence,
            SOURCE,
        )
    found = [item for check in checks for item in check.disagreements]
    failures = [item.phrase for item in found if item.severity == "fail"]
    warnings = [item.phrase for item in found if item.severity == "warn"]
    # A legible copy makes up for an illegible one of the same kind (a photo replaced by the PDF).
    read_kinds = {
        check.document.kind for check in checks if not check.pending and not check.unreadable
    }
    illegible = [
        check.document.name
        for check in checks
        if (check.pending or check.unreadable) and check.document.kind not in read_kinds
    ]
    if failures or warnings:
        return Finding("fail" if failures else "warn", failures + warnings, evidence, SOURCE)
    if illegible:
        return Finding(
            "unverifiable",
            Phrase(
                _("Nothing legible could be read from %(documents)s; compare it by hand."),
                documents=Items(illegible),
            ),
            evidence,
            SOURCE,
        )
    if len(checks) == 1:
        agree = Phrase(_("The document read agrees with the application."))
    else:
        agree = Phrase(
            _("The %(count)s documents read agree with the application."), count=len(checks)
        )
    return Finding("pass", agree, evidence, SOURCE)
