"""WIPO ST.96 trademark XML read into registry fields: one TSDR case-status answer, or a bulk
file of any office (a TrademarkTransaction whose TrademarkBag holds many Trademark elements).

Elements are matched by local name, so any namespace prefix works (TSDR writes ns1/ns2, WIPO
examples com/tmk). Only the paths below the Trademark element are trusted: the same names recur
inside assignments and associated marks, where they describe other parties and other marks.
"""

import re
from collections.abc import Iterator
from datetime import date
from typing import IO

from defusedxml.ElementTree import iterparse
from django.db import models

from reviews.models import RegistryMark
from reviews.registry.status import DEAD, PENDING, REGISTERED, UNKNOWN, uspto_state, uspto_term_end

# ST.3 office codes as ST.96 records carry them, and the office names sellers choose from.
OFFICES = {
    "US": "USPTO",
    "EM": "EUIPO",
    "GB": "UKIPO",
    "CN": "CNIPA",
    "JP": "JPO",
    "KR": "KIPO",
    "WO": "WIPO",
}

# TSDR's MarkFeatureCode is the first digit of the USPTO mark drawing code.
USPTO_FEATURE_CODES = {
    "1": "typed words",
    "2": "design only",
    "3": "design and words",
    "4": "word (standard)",
    "5": "stylized words",
    "6": "no drawing",
}
# ST.96 MarkFeatureCategory words too long for the drawing type column.
FEATURE_CATEGORY_WORDS = {"stylized characters": "stylized words", "three dimensional": "3d shape"}

# Status words of offices other than the USPTO (MarkCurrentStatusCategory, or the status text),
# tried in this order: "registration cancelled" is dead, "application published" pending.
STATUS_WORDS = (
    (
        DEAD,
        (
            "expired", "ended", "withdrawn", "refused", "rejected", "cancelled", "canceled",
            "surrendered", "abandoned", "revoked", "invalid", "lapsed", "inactive", "dead",
        ),
    ),
    (PENDING, ("pending", "filed", "examined", "examination", "published", "opposed", "applied")),
    (REGISTERED, ("registered", "renewed", "protected", "live")),
)  # fmt: skip

INTERNATIONAL_ASSOCIATION = "international application or registration"


class St96FormatError(ValueError):
    """The XML is not an ST.96 trademark record as far as this reader needs one."""


def local_name(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(element, name: str) -> list:
    if element is None:
        return []
    return [child for child in element if local_name(child.tag) == name]


def _child(element, *path: str):
    """The first element down a path of local names, or None."""
    for name in path:
        if element is None:
            return None
        element = next(iter(_children(element, name)), None)
    return element


def _text(element, *path: str) -> str:
    found = _child(element, *path)
    return (found.text or "").strip() if found is not None else ""


def _descendants(element, name: str) -> Iterator:
    if element is None:
        return iter(())
    return (found for found in element.iter() if local_name(found.tag) == name)


def _first_text(element, name: str) -> str:
    return next(((e.text or "").strip() for e in _descendants(element, name) if e.text), "")


def _attribute(element, name: str) -> str:
    return next((value for key, value in element.attrib.items() if local_name(key) == name), "")


def st96_date(text: str) -> date | None:
    # ST.96 dates may carry a zone offset: "1995-02-07-05:00".
    try:
        return date.fromisoformat(text.strip()[:10])
    except ValueError:
        return None


def _office(trademark, default: str) -> str:
    code = (
        _text(trademark, "RegistrationOfficeCode")
        or _text(trademark, "ReceivingOfficeCode")
        or _text(trademark, "ApplicationNumber", "IPOfficeCode")
    ).upper()
    office = OFFICES.get(code) or default
    if not office:
        raise St96FormatError(
            f"record {_serial(trademark) or '?'}: the office code {code or '(none)'} is not one "
            "we know; name the office with --office"
        )
    return office


def _serial(trademark) -> str:
    return _text(trademark, "ApplicationNumber", "ApplicationNumberText")


def _current_applicant(trademark):
    """TSDR lists every owner the case has had, each numbered by its USPTO party type (10
    original applicant, 20 owner at publication, 30 original registrant, 31 and on later owners
    after registration), so the highest number is the owner now. Joint owners share a number;
    the first of them is taken. Other offices list only the current applicants or holders."""
    parties = [
        party
        for bag in ("ApplicantBag", "HolderBag")
        for party in _children(_child(trademark, bag), bag.removesuffix("Bag"))
    ]

    def party_type(party) -> int:
        number = _attribute(party, "sequenceNumber")
        return int(number) if number.isdigit() else 0

    return max(parties, key=party_type, default=None)


def _party_name(party) -> str:
    name = _child(party, "Contact", "Name")
    if name is None:
        return ""
    for path in (("EntityName",), ("OrganizationName", "OrganizationStandardName")):
        if _text(name, *path):
            return _text(name, *path)
    person = _child(name, "PersonName")
    if person is None:
        return ""
    if _text(person, "PersonFullName"):
        return _text(person, "PersonFullName")
    parts = ("NamePrefix", "FirstName", "MiddleName", "LastName", "SecondLastName", "NameSuffix")
    return " ".join(_text(person, part) for part in parts if _text(person, part))


def _party_nationality(party) -> str:
    # A person's nationality; for a legal entity, where it is incorporated ("US DE").
    nationality = _text(party, "NationalityCode") or _text(party, "CitizenshipCountryCode")
    if nationality:
        return nationality
    return " ".join(
        part
        for part in (_text(party, "IncorporationCountryCode"), _text(party, "IncorporationState"))
        if part
    )


def _drawing_type(trademark) -> str:
    representation = _child(trademark, "MarkRepresentation")
    if representation is None:
        return ""
    category = _first_text(representation, "MarkFeatureCategory")
    if category:
        return FEATURE_CATEGORY_WORDS.get(category.lower(), category.lower())
    code = _first_text(representation, "MarkFeatureCode")
    return USPTO_FEATURE_CODES.get(code, code)


def _nice_classes(trademark) -> list[int]:
    numbers = []
    for goods in _descendants(_child(trademark, "GoodsServicesBag"), "GoodsServices"):
        for classification in _descendants(goods, "GoodsServicesClassification"):
            if _text(classification, "ClassificationKindCode") in ("Nice", ""):
                numbers.append(_text(classification, "ClassNumber"))
        numbers += [_text(c, "ClassNumber") for c in _descendants(goods, "ClassDescription")]
    # TSDR also lists US classes ("021", "A", "200") under other kind codes: not Nice classes.
    return sorted({int(n) for n in numbers if n.isdigit() and 1 <= int(n) <= 45})


def _goods_services(trademark) -> str:
    lines = []
    for description in _descendants(_child(trademark, "GoodsServicesBag"), "ClassDescription"):
        text = "; ".join(
            (t.text or "").strip()
            for t in _children(description, "GoodsServicesDescriptionText")
            if (t.text or "").strip()
        )
        if text:
            number = _text(description, "ClassNumber").lstrip("0")
            lines.append(f"Class {number}: {text}" if number else text)
    return "\n".join(lines)


def _events(trademark) -> list[dict]:
    events = []
    for position, event in enumerate(_descendants(_child(trademark, "MarkEventBag"), "MarkEvent")):
        day = st96_date(_first_text(event, "MarkEventDate"))
        if day is None:
            continue
        entry = _first_text(event, "MarkEventEntryNumber")
        events.append(
            (
                day,
                int(entry) if entry.isdigit() else -position,
                {
                    "date": day.isoformat(),
                    "code": _first_text(event, "MarkEventCode"),
                    "text": _first_text(event, "MarkEventDescriptionText")
                    or _first_text(event, "MarkEventCategory"),
                },
            )
        )
    # TSDR lists the newest first; its entry numbers order events of the same day.
    return [event for _day, _entry, event in sorted(events, key=lambda e: (e[0], e[1]))]


def _correspondence_changed(events: list[dict]) -> date | None:
    # TSDR event codes end in the entry's type letter: "TCCAI" is a TCCA entry.
    changes = [
        event["date"]
        for event in events
        if event["code"].startswith("TCCA") or "CHANGE OF CORRESPONDENCE" in event["text"].upper()
    ]
    return date.fromisoformat(max(changes)) if changes else None


def _correspondent_email(trademark) -> str:
    contact = _child(trademark, "NationalCorrespondent", "Contact")
    if contact is None:
        return ""
    emails = [
        (_attribute(email, "emailAddressPurposeCategory") != "Main", (email.text or "").strip())
        for email in _descendants(contact, "EmailAddressText")
        if (email.text or "").strip()
    ]
    return min(emails, key=lambda email: email[0], default=(False, ""))[1]


def _international_registration(trademark) -> str:
    for associated in _descendants(_child(trademark, "AssociatedMarkBag"), "AssociatedMark"):
        if _text(associated, "AssociationCategory").lower() == INTERNATIONAL_ASSOCIATION:
            number = _text(associated, "InternationalApplicationNumber", "ApplicationNumberText")
            if number:
                return number
    return _first_text(trademark, "InternationalRegistrationNumber")


def _state(office: str, status_code: str, status_words: str) -> str:
    if office == "USPTO":
        return uspto_state(status_code)
    words = set(re.findall(r"[a-z]+", status_words.lower()))
    for state, markers in STATUS_WORDS:
        if words & set(markers):
            return state
    return UNKNOWN


def trademark_fields(trademark, *, office: str = "") -> dict:
    """The RegistryMark fields of one ST.96 Trademark element (without the data version).

    ``office`` is used when the record names no office we know."""
    serial = _serial(trademark)
    if not serial:
        raise St96FormatError("a Trademark has no ApplicationNumber/ApplicationNumberText")
    office = _office(trademark, office)
    national = _child(trademark, "NationalTrademarkInformation")
    status_code = _text(trademark, "MarkCurrentStatusCode")
    category = _text(trademark, "MarkCurrentStatusCategory")
    status_text = _text(national, "MarkCurrentStatusExternalDescriptionText") or category
    state = _state(office, status_code, category or status_text)
    registration_date = st96_date(_text(trademark, "RegistrationDate"))
    if office == "USPTO":
        expires_on = uspto_term_end(
            registration_date=registration_date,
            renewal_date=st96_date(_text(national, "RenewalDate")),
            state=state,
        )
    else:
        expires_on = st96_date(_text(trademark, "ExpiryDate"))
    number = _text(trademark, "RegistrationNumber")
    applicant = _current_applicant(trademark)
    events = _events(trademark)
    return {
        "office": office,
        "serial": serial,
        # USPTO registration numbers are printed without leading zeros; other offices keep them.
        "number": number.lstrip("0") if office == "USPTO" else number,
        "status_code": status_code or category,
        "status_state": state,
        "status_date": st96_date(_text(trademark, "MarkCurrentStatusDate")),
        "status_text": status_text,
        "mark_literal": _first_text(
            _child(trademark, "MarkRepresentation"), "MarkVerbalElementText"
        ),
        "drawing_type": _drawing_type(trademark),
        "nice_classes": _nice_classes(trademark),
        "owner_name": _party_name(applicant),
        "owner_entity_type": _text(applicant, "LegalEntityName"),
        "owner_nationality": _party_nationality(applicant),
        "goods_services": _goods_services(trademark),
        "international_registration_number": _international_registration(trademark),
        "events": events,
        "correspondent_email": _correspondent_email(trademark),
        "correspondent_email_changed_on": _correspondence_changed(events),
        "filing_date": st96_date(_text(trademark, "ApplicationDate")),
        "registration_date": registration_date,
        "expires_on": expires_on,
    }


def trademarks(stream: IO[bytes]) -> Iterator:
    """Each Trademark element of an ST.96 file, discarded once the caller moves on."""
    root = None
    for event, element in iterparse(stream, events=("start", "end")):
        if root is None:
            root = element
        if event == "end" and local_name(element.tag) == "Trademark":
            yield element
            element.clear()
            # The ancestors keep a reference to every finished record; drop them too.
            root.clear()


def st96_records(stream: IO[bytes], *, data_version: str, office: str = "") -> Iterator[dict]:
    """One RegistryMark row per Trademark of a bulk file, for importers.registry_import."""
    limits = {
        field.name: field.max_length
        for field in RegistryMark._meta.get_fields()
        if isinstance(field, models.CharField)
    }
    for trademark in trademarks(stream):
        fields = trademark_fields(trademark, office=office)
        # Offices write longer status texts and names than the columns hold; keep the start.
        yield {
            name: value[: limits[name]] if name in limits else value
            for name, value in fields.items()
        } | {"data_version": data_version}
