"""USPTO bulk XML as published: real case files from the daily and annual files (see
data/README.md), stored field by field and judged by the registry check."""

import dataclasses
import datetime
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from reviews.checks import trademark_registry
from reviews.models import RegistryMark
from reviews.registry.status import (
    DEAD,
    PENDING,
    REGISTERED,
    UNKNOWN,
    uspto_state,
    uspto_status_text,
    uspto_term_end,
)
from sellers.models import Application, TrademarkVerificationCode
from tests.files import png_upload
from tests.pages import application_form, logged_in
from tests.reviews.registry.support import check_trademark
from tests.sellers.factories import CategoryFactory, OwnerFactory, ProgramFactory

DATA = Path(__file__).resolve().parent / "data"
LIVE, RENEWED, DEAD_BACKFILE, PENDING_NEW, STATUS_ONLY, MADRID = (
    "98423838-live-registered.xml",
    "70011210-renewed.xml",
    "60146682-dead-backfile.xml",
    "98763166-pending.xml",
    "60172053-status-only.xml",
    "79366581-madrid-abridged.xml",
)
ELLINGTON = (
    "--office", "USPTO", "--brand", "THE ELLINGTON AT OVIEDO PARK",
    "--owner", "Brand Properties, LLC", "--nice-class", "36",
)  # fmt: skip


def _daily_file(tmp_path: Path, *records: str, name: str = "apc240914.xml") -> Path:
    # The prolog every daily and annual file opens with (DTD v2.0, version date 2004-11-08).
    path = tmp_path / name
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<trademark-applications-daily>'
        "<version><version-no>2.0</version-no><version-date>20041108</version-date></version>"
        "<creation-datetime>202409142348</creation-datetime><application-information>"
        "<file-segments><file-segment>TRMK</file-segment><action-keys><action-key>TX</action-key>"
        + "".join(records)
        + "</action-keys></file-segments></application-information></trademark-applications-daily>",
        encoding="utf-8",
    )
    return path


def _import(tmp_path: Path, *names: str, file_name: str = "apc240914.xml") -> dict:
    records = [(DATA / name).read_text(encoding="utf-8") for name in names]
    out = io.StringIO()
    path = _daily_file(tmp_path, *records, name=file_name)
    call_command("import_registry", str(path), "--format", "uspto-xml", stdout=out)
    return json.loads(out.getvalue())


def test_a_live_registration_is_stored_field_by_field(db, tmp_path):
    summary = _import(tmp_path, LIVE)

    mark = RegistryMark.objects.get()
    assert summary == {"imported": 1, "data_version": "apc240914.xml"}
    assert (
        mark.office, mark.serial, mark.number, mark.status_code, mark.status_state,
        mark.status_text, mark.status_date, mark.mark_literal, mark.drawing_type,
        mark.nice_classes, mark.owner_name, mark.owner_entity_type, mark.owner_nationality,
        mark.correspondent_email, mark.correspondent_email_changed_on, mark.filing_date,
        mark.registration_date, mark.expires_on, mark.international_registration_number,
    ) == (
        "USPTO", "98423838", "7463601", "700", "registered",
        "REGISTERED", datetime.date(2024, 7, 30), "THE ELLINGTON AT OVIEDO PARK", "4",
        [36], "Brand Properties, LLC", "LIMITED LIABILITY COMPANY", "US-GA",
        "", datetime.date(2024, 9, 10), datetime.date(2024, 2, 27),
        datetime.date(2024, 7, 30), datetime.date(2034, 7, 30), "",
    )  # fmt: skip
    assert mark.goods_services.startswith(
        "Leasing or renting of multi-use and residential real estate; "
    )
    assert mark.goods_services.endswith("real estate management; Management of apartments")
    # Oldest first, as numbered by USPTO within a day.
    assert [event["code"] for event in mark.events] == [
        "NWAP", "NWOS", "DOCK", "CNEA", "GNEA", "GNEN", "XAEC", "CNSA", "NONP", "PUBO", "NPUB",
        "R.PR", "NRCC", "COAR", "CHAN", "REAP", "ARAA", "TCCA",
    ]  # fmt: skip
    assert mark.events[0] == {
        "date": "2024-02-27",
        "code": "NWAP",
        "text": "NEW APPLICATION ENTERED",
    }
    assert mark.events[-1] == {
        "date": "2024-09-10",
        "code": "TCCA",
        "text": "TEAS CHANGE OF CORRESPONDENCE RECEIVED",
    }


def test_the_genuine_owner_of_a_live_mark_passes(db, tmp_path, as_of):
    _import(tmp_path, LIVE)
    as_of(datetime.date(2025, 6, 1))

    verdict = check_trademark("--number", "7463601", *ELLINGTON)

    assert verdict["outcome"] == "pass"
    assert verdict["explanation"] == (
        "USPTO 7463601 is registered (status 700: REGISTERED). The registered owner Brand "
        "Properties, LLC is the owner given. The mark reads “THE ELLINGTON AT OVIEDO PARK”, "
        "exactly the brand name. It is valid until July 30, 2034."
    )


def test_a_renewed_mark_runs_ten_years_from_its_renewal_date(db, tmp_path, as_of):
    _import(tmp_path, RENEWED, file_name="apc18840407-20171231-01.xml")
    # The record as the annual file published it, on its transaction date.
    as_of(datetime.date(2018, 7, 7))

    verdict = check_trademark(
        "--office", "USPTO", "--number", "0011210", "--brand", "SAMSON",
        "--owner", "Samson Rope Technologies, Inc.", "--nice-class", "22",
    )  # fmt: skip

    mark = RegistryMark.objects.get()
    assert (
        mark.number, mark.status_state, mark.status_text, mark.registration_date,
        mark.expires_on, mark.owner_name, mark.owner_entity_type, mark.owner_nationality,
        mark.goods_services, mark.nice_classes, mark.drawing_type,
        mark.correspondent_email_changed_on,
    ) == (
        "11210", "registered", "REGISTERED AND RENEWED", datetime.date(1884, 5, 27),
        datetime.date(2024, 5, 27), "SAMSON ROPE TECHNOLOGIES, INC.", "CORPORATION", "US-WA",
        "CORDS, LINES, [ TWINES, ] AND ROPES", [22], "3T19", datetime.date(2006, 11, 12),
    )  # fmt: skip
    assert mark.events[0] == {
        "date": "1974-05-27",
        "code": "REN4",
        "text": "REGISTERED AND RENEWED (FOURTH RENEWAL - 20 YRS)",
    }
    assert verdict["outcome"] == "pass"
    assert verdict["explanation"].startswith(
        "USPTO 0011210 is registered (status 800: REGISTERED AND RENEWED). "
    )
    assert verdict["explanation"].endswith("It is valid until May 27, 2024.")


@pytest.mark.parametrize(
    ("registered", "renewed", "state", "ends"),
    [
        # First terms were twenty years until 16 November 1989, ten years since.
        (datetime.date(1980, 3, 4), None, REGISTERED, datetime.date(2000, 3, 4)),
        (datetime.date(1989, 11, 16), None, REGISTERED, datetime.date(1999, 11, 16)),
        # A renewal date starts the new term.
        (datetime.date(1884, 5, 27), datetime.date(2014, 5, 27), REGISTERED,
         datetime.date(2024, 5, 27)),
        (datetime.date(1950, 6, 1), datetime.date(1970, 6, 1), REGISTERED,
         datetime.date(1990, 6, 1)),
        (datetime.date(2024, 7, 30), None, PENDING, None),
        (None, None, REGISTERED, None),
    ],
)  # fmt: skip
def test_the_term_end_follows_the_renewal_date_and_the_term_length_of_its_time(
    registered, renewed, state, ends
):
    assert uspto_term_end(registration_date=registered, renewal_date=renewed, state=state) == ends


def test_a_dead_mark_fails_with_the_meaning_of_its_status(db, tmp_path):
    _import(tmp_path, DEAD_BACKFILE, file_name="apc18840407-20151231-01.xml")

    verdict = check_trademark(
        "--office", "USPTO", "--number", "0146682", "--brand", "MACHINE-PISTOL",
        "--owner", "Auto Ordnance Corporation", "--nice-class", "9",
    )  # fmt: skip

    mark = RegistryMark.objects.get()
    assert (
        mark.number, mark.status_state, mark.status_text, mark.owner_entity_type,
        mark.owner_nationality, mark.goods_services, mark.events, mark.expires_on,
    ) == (
        "146682", "dead", "REGISTERED - BACKFILE CANCELLED OR EXPIRED", "CORPORATION", "US-NY",
        "pistols", [], None,
    )  # fmt: skip
    assert verdict["outcome"] == "fail"
    assert verdict["explanation"].startswith(
        "USPTO 0146682 is dead (status 626: REGISTERED - BACKFILE CANCELLED OR EXPIRED)."
    )


def test_a_pending_application_warns_with_its_stage(db, tmp_path):
    _import(tmp_path, PENDING_NEW, file_name="apc240925.xml")

    verdict = check_trademark(
        "--office", "USPTO", "--number", "98763166", "--brand", "SUVENEER",
        "--owner", "Nguyen Quang Huy", "--nice-class", "16",
    )  # fmt: skip

    mark = RegistryMark.objects.get()
    assert (mark.number, mark.owner_entity_type, mark.owner_nationality, mark.goods_services) == (
        "",
        "INDIVIDUAL",
        "VN",
        "Stickers; Stick markers; Sticker albums; Sticker books",
    )
    assert verdict["outcome"] == "warn"
    assert verdict["explanation"] == (
        "USPTO 98763166 is still pending (status 630: NEW APPLICATION - RECORD INITIALIZED NOT "
        "ASSIGNED TO EXAMINER)."
    )


def test_a_madrid_designation_keeps_its_international_registration_number(db, tmp_path):
    _import(tmp_path, MADRID, file_name="apc240925.xml")

    mark = RegistryMark.objects.get()
    assert (
        mark.international_registration_number, mark.status_state, mark.status_text,
        mark.nice_classes, mark.owner_name, mark.owner_entity_type, mark.owner_nationality,
        mark.events[0]["code"], mark.events[-1]["code"],
    ) == (
        "1722108", "pending", "PUBLISHED FOR OPPOSITION", [3, 18, 32, 35], "GIORGI TVILDIANI",
        "INDIVIDUAL", "GE", "REPR", "OP.T",
    )  # fmt: skip


def test_a_madrid_registration_filed_with_wipo_is_judged_on_its_us_designation(db, tmp_path):
    _import(tmp_path, MADRID, file_name="apc240925.xml")

    verdict = check_trademark(
        "--office", "WIPO", "--number", "1722108", "--brand", "NITRO GLISSERIN",
        "--owner", "Giorgi Tvildiani", "--nice-class", "3",
    )  # fmt: skip

    assert verdict["outcome"] == "warn"
    assert verdict["explanation"].startswith(
        "International registration 1722108, verified on its USPTO designation 79366581. "
        "USPTO 79366581 is still pending (status 686: PUBLISHED FOR OPPOSITION)."
    )
    assert verdict["record"]["serial"] == "79366581"


def test_a_status_only_record_changes_the_status_and_wipes_nothing(db, tmp_path):
    _import(tmp_path, LIVE)
    stored = RegistryMark.objects.values().get()
    # Built from the live record by removing every element a status-only record lacks (the
    # shape of the real one in 60172053-status-only.xml), with a new status.
    status_only = (
        "<case-file><serial-number>98423838</serial-number>"
        "<registration-number>7463601</registration-number>"
        "<transaction-date>20250102</transaction-date><case-file-header>"
        "<status-code>710</status-code><status-date>20250102</status-date>"
        "</case-file-header><correspondent></correspondent></case-file>"
    )
    path = _daily_file(tmp_path, status_only, name="apc250102.xml")

    call_command("import_registry", str(path), "--format", "uspto-xml", stdout=io.StringIO())

    after = RegistryMark.objects.values().get()
    changed = {key for key in stored if stored[key] != after[key]}
    assert changed == {
        "status_code", "status_state", "status_text", "status_date", "expires_on",
        "data_version", "imported_at",
    }  # fmt: skip
    assert (
        after["status_state"],
        after["status_text"],
        after["expires_on"],
        after["data_version"],
    ) == ("dead", "CANCELLED - SECTION 8", None, "apc250102.xml")
    assert (after["mark_literal"], after["owner_name"], after["nice_classes"]) == (
        "THE ELLINGTON AT OVIEDO PARK",
        "Brand Properties, LLC",
        [36],
    )


def test_a_status_only_record_of_a_new_serial_is_inserted(db, tmp_path):
    _import(tmp_path, STATUS_ONLY, file_name="apc18840407-20151231-01.xml")

    mark = RegistryMark.objects.get()
    assert (
        mark.serial, mark.number, mark.status_code, mark.status_state, mark.status_text,
        mark.registration_date, mark.status_date, mark.mark_literal, mark.owner_name,
        mark.nice_classes, mark.events,
    ) == (
        "60172053", "172053", "626", "dead", "REGISTERED - BACKFILE CANCELLED OR EXPIRED",
        datetime.date(1923, 8, 21), datetime.date(2005, 10, 25), "", "", [], [],
    )  # fmt: skip


def test_a_correspondence_change_warns_until_control_is_verified_since(db, tmp_path, as_of):
    _import(tmp_path, LIVE)
    as_of(datetime.date(2024, 9, 20))
    filing = trademark_registry.Filing(
        office="USPTO",
        number="7463601",
        brand="THE ELLINGTON AT OVIEDO PARK",
        owners=(("the seller", "Brand Properties, LLC"),),
        goods=(("real estate", (36,)),),
    )

    before = trademark_registry.judge(filing)
    verified = TrademarkVerificationCode(
        office="USPTO",
        number="7463601",
        sent_to="trademarks@brandproperties.example",
        verified_at=datetime.datetime(2024, 9, 15, 10, tzinfo=datetime.UTC),
    )
    after = trademark_registry.judge(dataclasses.replace(filing, control=verified))

    assert before.outcome == "warn"
    assert before.explanation == (
        "The correspondent email on record changed on Sept. 10, 2024 (now not shown) and control "
        "of the record has not been verified through it since; confirm the change with the "
        "owner."
    )
    assert after.outcome == "pass"
    assert (
        "The correspondent email on record changed on Sept. 10, 2024; the seller proved control "
        "through the new address since." in after.explanation
    )


def test_the_portal_takes_a_number_as_printed_and_the_check_finds_it(db, tmp_path, as_of):
    _import(tmp_path, RENEWED, file_name="apc18840407-20171231-01.xml")
    owner = OwnerFactory(company__legal_name="Samson Rope Technologies, Inc.")
    ropes = CategoryFactory(code="ropes", name="Ropes and cords", nice_classes=[22])
    form = application_form(
        ProgramFactory(), ropes, png_upload(), brand_name="SAMSON", trademark_number="0011210",
        nice_classes="22", owner_name="SAMSON ROPE TECHNOLOGIES, INC.",
    )  # fmt: skip

    logged_in(owner.user).post(reverse("portal:application_new"), form)
    application = Application.objects.get()
    as_of(datetime.date(2018, 7, 7))
    finding = trademark_registry.run(application)

    assert (application.trademark.number, application.trademark.display_number) == (
        "11210",
        "0011210",
    )
    assert finding.outcome == "pass"
    assert finding.explanation.startswith(
        "USPTO 0011210 is registered (status 800: REGISTERED AND RENEWED). The registered "
        "owner SAMSON ROPE TECHNOLOGIES, INC. is the seller."
    )


@pytest.mark.parametrize(
    ("code", "state", "meaning"),
    [
        ("400", DEAD, "IR CANCELLED; APPLICATION PENDING TRANSFORMATION"),
        ("401", DEAD, "IR CANCELLED - NO TRANSFORMATION FILED"),
        ("402", DEAD, "IR CANCELLED; US APPLICATION ABANDONED"),
        ("602", DEAD, "ABANDONED-FAILURE TO RESPOND OR LATE RESPONSE"),
        ("618", DEAD, "ABANDONED FILE - BACKFILE"),
        ("626", DEAD, "REGISTERED - BACKFILE CANCELLED OR EXPIRED"),
        ("624", REGISTERED, "REGISTERED - BACKFILE"),
        ("686", PENDING, "PUBLISHED FOR OPPOSITION"),
        ("790", REGISTERED, "CANCELLATION PENDING"),
        ("900", DEAD, "EXPIRED"),
        ("999", UNKNOWN, ""),
    ],
)
def test_published_status_codes_read_with_their_meaning(code, state, meaning):
    assert (uspto_state(code), uspto_status_text(code)) == (state, meaning)


def test_every_published_status_code_is_classified():
    lines = (DATA.parents[3] / "reviews" / "data" / "uspto_status_codes.csv").read_text()
    codes = [line.split(",")[0] for line in lines.splitlines()[1:] if line[:1].isdigit()]

    unclassified = [code for code in codes if uspto_state(code) == UNKNOWN]

    assert len(codes) == 170
    # USPTO itself calls these two neither live nor dead; a reviewer looks at the record.
    assert unclassified == ["000", "970"]
