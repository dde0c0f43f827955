"""Registry bulk data into RegistryMark rows: USPTO case-file XML and a CSV for other offices.

The USPTO daily and annual files (DTD v2.0) run to gigabytes, so they are read as a stream
with defusedxml (no entity expansion, no external references), and every case file is
discarded as soon as it is stored.

A daily file carries whole case files and partial ones: a status change arrives as the serial
number and a header with the new status, nothing else. A USPTO record therefore names only the
fields its elements carry, and an import writes only those, so a status-only record never
blanks the mark, owner, goods or classes already stored. CSV rows are whole records: every
column is written, and an empty cell clears the field.
"""

import csv
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date
from typing import IO

from defusedxml.ElementTree import iterparse

from reviews.models import RegistryMark
from reviews.registry.status import (
    REGISTERED,
    UNKNOWN,
    uspto_entity_type,
    uspto_state,
    uspto_status_text,
    uspto_term_end,
)

BATCH_SIZE = 500
KEY_FIELDS = ("office", "serial")
CSV_COLUMNS = (
    "office", "number", "serial", "status_code", "status_state", "status_date", "mark_literal",
    "drawing_type", "nice_classes", "owner_name", "correspondent_email",
    "correspondent_email_changed_on", "filing_date", "registration_date", "expires_on",
)  # fmt: skip
# The USPTO event of a correspondence change filed online; the bulk files carry no email
# address, so this event is the only trace of a change of correspondent.
CORRESPONDENCE_CHANGE = "TCCA"


class ImportFormatError(ValueError):
    """The file is not in the format it was announced as; names the record and the field."""


def _yyyymmdd(text: str | None) -> date | None:
    text = (text or "").strip()
    if not text or set(text) == {"0"}:
        return None
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return None


def _text(element, path: str) -> str:
    found = element.find(path)
    return (found.text or "").strip() if found is not None else ""


def _nice_classes(codes: Iterable[str]) -> list[int]:
    # International codes are "009"; US-only codes ("A", "B", "200") are not Nice classes.
    classes = {int(code) for code in codes if code.isdigit() and 1 <= int(code) <= 45}
    return sorted(classes)


def _current_owner(owners) -> dict:
    # Party types 10-19 are applicants, 20-29 owners at publication, 30 and above registrants
    # and later assignees: the highest type is the owner now.
    parties = [(_text(owner, "party-type"), index, owner) for index, owner in enumerate(owners)]
    if not parties:
        return {"owner_name": "", "owner_entity_type": "", "owner_nationality": ""}
    owner = max(parties, key=lambda party: party[:2])[2]
    return {
        "owner_name": _text(owner, "party-name"),
        "owner_entity_type": uspto_entity_type(_text(owner, "legal-entity-type-code")),
        "owner_nationality": _nationality(owner),
    }


def _nationality(owner) -> str:
    # A US owner is given by the state it is organised in (ISO 3166-2, "US-GA"); others by
    # country code, or in words under <other>.
    country = _text(owner, "nationality/country")
    state = _text(owner, "nationality/state")
    if state and country in ("", "US"):
        return f"US-{state}"
    return country or _text(owner, "nationality/other")


def _events(statements) -> list[dict]:
    dated = []
    for event in statements.iterfind("case-file-event-statement"):
        when = _yyyymmdd(_text(event, "date"))
        number = _text(event, "number")
        dated.append(
            (
                when or date.min,
                int(number) if number.isdigit() else 0,
                {
                    "date": when.isoformat() if when else "",
                    "code": _text(event, "code"),
                    "text": _text(event, "description-text"),
                },
            )
        )
    return [event for _, _, event in sorted(dated, key=lambda item: item[:2])]


HEADER_DATES = {
    "filing-date": "filing_date",
    "registration-date": "registration_date",
    "status-date": "status_date",
}
HEADER_TEXTS = {"mark-identification": "mark_literal", "mark-drawing-code": "drawing_type"}


def _header_fields(header) -> dict:
    record = {}
    for tag, field in HEADER_DATES.items():
        if header.find(tag) is not None:
            record[field] = _yyyymmdd(_text(header, tag))
    for tag, field in HEADER_TEXTS.items():
        if header.find(tag) is not None:
            record[field] = _text(header, tag)
    if header.find("status-code") is not None:
        code = _text(header, "status-code")
        state = uspto_state(code)
        record |= {
            "status_code": code,
            "status_state": state,
            "status_text": uspto_status_text(code),
        }
        # The term needs the registration date; a record that changes the status of a live
        # registration without restating it leaves the stored term alone.
        if state != REGISTERED or header.find("registration-date") is not None:
            record["expires_on"] = uspto_term_end(
                registration_date=record.get("registration_date"),
                renewal_date=_yyyymmdd(_text(header, "renewal-date")),
                state=state,
            )
    return record


def _uspto_record(case_file, *, data_version: str) -> dict:
    serial = _text(case_file, "serial-number")
    if not serial:
        raise ImportFormatError("a case-file has no serial-number")
    record = {"office": "USPTO", "serial": serial, "data_version": data_version}
    if case_file.find("registration-number") is not None:
        # Stored without the zeros USPTO pads older numbers with ("0011210"); "0000000" is none.
        record["number"] = _text(case_file, "registration-number").lstrip("0")
    header = case_file.find("case-file-header")
    if header is not None:
        record |= _header_fields(header)
    statements = case_file.find("case-file-statements")
    if statements is not None:
        record["goods_services"] = "\n".join(
            _text(statement, "text")
            for statement in statements.iterfind("case-file-statement")
            if _text(statement, "type-code").startswith("GS")
        )
    events = case_file.find("case-file-event-statements")
    if events is not None:
        record["events"] = _events(events)
        changes = [
            event["date"]
            for event in record["events"]
            if event["code"] == CORRESPONDENCE_CHANGE and event["date"]
        ]
        record["correspondent_email_changed_on"] = (
            date.fromisoformat(max(changes)) if changes else None
        )
    classifications = case_file.find("classifications")
    if classifications is not None:
        record["nice_classes"] = _nice_classes(
            code.text.strip()
            for code in classifications.iterfind("classification/international-code")
            if code.text
        )
    owners = case_file.find("case-file-owners")
    if owners is not None:
        record |= _current_owner(list(owners.iterfind("case-file-owner")))
    if case_file.find("international-registration") is not None:
        record["international_registration_number"] = _text(
            case_file, "international-registration/international-registration-number"
        )
    return record


def uspto_case_files(stream: IO[bytes], *, data_version: str) -> Iterator[dict]:
    """Yield one record per <case-file>, naming only the fields the case file carries,
    without holding more than one case file in memory."""
    root = None
    for event, element in iterparse(stream, events=("start", "end")):
        if root is None:
            root = element
        if event != "end" or element.tag != "case-file":
            continue
        yield _uspto_record(element, data_version=data_version)
        element.clear()
        # The root keeps a reference to every finished child; drop them too.
        root.clear()


def _iso_date(value: str, *, line: int, column: str) -> date | None:
    value = value.strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ImportFormatError(
            f"line {line}, {column}: expected a date as YYYY-MM-DD, got {value!r}"
        ) from None


def csv_records(stream: IO[str], *, data_version: str) -> Iterator[dict]:
    reader = csv.DictReader(stream)
    missing = set(CSV_COLUMNS) - set(reader.fieldnames or ())
    if missing:
        raise ImportFormatError(f"the CSV lacks the columns {', '.join(sorted(missing))}")
    states = set(RegistryMark.State.values)
    for line, row in enumerate(reader, start=2):
        if row["status_state"] not in states:
            raise ImportFormatError(
                f"line {line}, status_state: expected one of {', '.join(sorted(states))}, "
                f"got {row['status_state']!r}"
            )
        if not row["office"].strip() or not row["serial"].strip():
            raise ImportFormatError(f"line {line}: office and serial are required")
        record = {column: row[column].strip() for column in CSV_COLUMNS}
        for column in (
            "status_date", "correspondent_email_changed_on", "filing_date",
            "registration_date", "expires_on",
        ):  # fmt: skip
            record[column] = _iso_date(row[column], line=line, column=column)
        record["nice_classes"] = _nice_classes(re.split(r"[;\s]+", row["nice_classes"]))
        record["office"] = record["office"].upper()
        record["data_version"] = data_version
        yield record


def registry_import(records: Iterable[dict]) -> int:
    """Insert or refresh rows by office and serial number, writing only the fields each record
    names; returns how many records were read."""
    read, batch = 0, {}
    for record in records:
        read += 1
        key = (record["office"], record["serial"])
        # A file may carry the same case twice (two actions on one day): the later record wins
        # for the fields it names. PostgreSQL refuses to update one row twice in a statement.
        batch[key] = batch.get(key, {}) | record
        if len(batch) >= BATCH_SIZE:
            _write(batch.values())
            batch = {}
    _write(batch.values())
    return read


def _write(records: Iterable[dict]) -> None:
    # One statement per set of fields present, so each updates only what its records carry;
    # a serial seen for the first time is inserted whatever it carries.
    groups = defaultdict(list)
    for record in records:
        groups[frozenset(record)].append(record)
    for fields, group in groups.items():
        RegistryMark.objects.bulk_create(
            [RegistryMark(**{"status_state": UNKNOWN} | record) for record in group],
            update_conflicts=True,
            unique_fields=list(KEY_FIELDS),
            update_fields=sorted(fields - set(KEY_FIELDS) | {"imported_at"}),
        )
