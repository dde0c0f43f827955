"""USPTO status codes read as registered, pending or dead with the office's own words, and
the end of the term a registration is in."""

import csv
import functools
from datetime import date
from pathlib import Path

from dateutil.relativedelta import relativedelta

REGISTERED, PENDING, DEAD, UNKNOWN = "registered", "pending", "dead", "unknown"
DATA = Path(__file__).resolve().parents[1] / "data"

# The Trademark Law Revision Act cut terms from twenty years to ten for registrations issued
# and renewals granted from 16 November 1989 on.
TEN_YEAR_TERMS_FROM = date(1989, 11, 16)


def _rows(name: str):
    with open(DATA / name, encoding="utf-8", newline="") as source:
        yield from csv.DictReader(line for line in source if not line.startswith("#"))


@functools.cache
def _status_table() -> dict[str, tuple[str, str]]:
    return {row["code"]: (row["state"], row["meaning"]) for row in _rows("uspto_status_codes.csv")}


@functools.cache
def _entity_types() -> dict[str, str]:
    return {row["code"]: row["entity_type"] for row in _rows("uspto_legal_entity_types.csv")}


def uspto_state(code: str) -> str:
    return _status_table().get((code or "").strip(), (UNKNOWN, ""))[0]


def uspto_status_text(code: str) -> str:
    """USPTO's words for a status code ("ABANDONED FILE - BACKFILE"), or "" for a code it
    never published."""
    return _status_table().get((code or "").strip(), (UNKNOWN, ""))[1]


def uspto_entity_type(code: str) -> str:
    """The owner's legal entity type in words (03 is "CORPORATION"), or "" if not published."""
    return _entity_types().get((code or "").strip(), "")


def _term(starts: date) -> relativedelta:
    return relativedelta(years=10 if starts >= TEN_YEAR_TERMS_FROM else 20)


def uspto_term_end(
    *, registration_date: date | None, renewal_date: date | None, state: str
) -> date | None:
    """The end of the term a live registration is in. A renewal date is the first day of the
    renewed term, so the term ends one term length after it; without a renewal the first term
    runs from the registration date."""
    if state != REGISTERED:
        return None
    starts = renewal_date or registration_date
    if starts is None:
        return None
    return starts + _term(starts)
