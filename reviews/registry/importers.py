"""Registry bulk data into RegistryMark rows: USPTO case-file XML and a CSV for other offices.

The USPTO daily and annual files (DTD v2.0) run to gigabytes, so they are read as a stream
with defusedxml (no entity expansion, no external references), and every case file is
discarded as soon as it is stored.
"""

import csv
import re
from collections.abc import Iterable, Iterator
from datetime import date
from typing import IO

from defusedxml.ElementTree import iterparse

from reviews.models import RegistryMark
from reviews.registry.status import uspto_state, uspto_term_end

BATCH_SIZE = 500
CSV_COLUMNS = (
    "office", "number", "serial", "status_code", "status_state", "status_date", "mark_literal",
    "drawing_type", "nice_classes", "owner_name", "correspondent_email",
    "correspondent_email_changed_on", "filing_date", "registration_date", "expires_on",
)  # fmt: skip
UPDATED_FIELDS = [c for c in CSV_COLUMNS if c not in ("office", "serial")] + ["data_version"]


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


def _current_owner(case_file) -> str:
    # Party types 10-19 are applicants, 20-29 owners at publication, 30 and above registrants
    # and later assignees: the highest type is the owner now.
    owners = [
        (_text(owner, "party-type"), _text(owner, "party-name"))
        for owner in case_file.iterfind("case-file-owners/case-file-owner")
    ]
    return max(owners, default=("", ""))[1]


def uspto_case_files(stream: IO[bytes], *, data_version: str) -> Iterator[dict]:
    """Yield one row per <case-file>, without holding more than one in memory."""
    root = None
    for event, element in iterparse(stream, events=("start", "end")):
        if root is None:
            root = element
        if event != "end" or element.tag != "case-file":
            continue
        header = element.find("case-file-header")
        if header is None:
            raise ImportFormatError(
                f"case file {_text(element, 'serial-number') or '?'}: no case-file-header"
            )
        serial = _text(element, "serial-number")
        if not serial:
            raise ImportFormatError("a case-file has no serial-number")
        number = _text(element, "registration-number").lstrip("0")
        status_code = _text(header, "status-code")
        state = uspto_state(status_code)
        registration_date = _yyyymmdd(_text(header, "registration-date"))
        status_date = _yyyymmdd(_text(header, "status-date"))
        yield {
            "office": "USPTO",
            "serial": serial,
            "number": number,
            "status_code": status_code,
            "status_state": state,
            "status_date": status_date,
            "mark_literal": _text(header, "mark-identification"),
            "drawing_type": _text(header, "mark-drawing-code"),
            "nice_classes": _nice_classes(
                code.text.strip()
                for code in element.iterfind("classifications/classification/international-code")
                if code.text
            ),
            "owner_name": _current_owner(element),
            "filing_date": _yyyymmdd(_text(header, "filing-date")),
            "registration_date": registration_date,
            "expires_on": uspto_term_end(
                registration_date=registration_date, renewal_date=None, state=state
            ),
            "data_version": data_version,
        }
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
    """Insert or refresh rows by office and serial number; returns how many were written."""
    written, batch = 0, []
    for record in records:
        batch.append(RegistryMark(**record))
        if len(batch) >= BATCH_SIZE:
            written += _write(batch)
            batch = []
    return written + _write(batch)


def _write(batch: list[RegistryMark]) -> int:
    # A file may carry the same case twice (two actions on one day); the later one wins, and
    # PostgreSQL refuses to update one row twice in a statement.
    unique = list({(mark.office, mark.serial): mark for mark in batch}.values())
    if unique:
        RegistryMark.objects.bulk_create(
            unique,
            update_conflicts=True,
            unique_fields=["office", "serial"],
            update_fields=UPDATED_FIELDS,
        )
    return len(batch)
