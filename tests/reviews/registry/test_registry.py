"""Registry data: importing USPTO XML and CSV, and the registry check on imported rows."""

import datetime
import io
import json
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.formats import date_format

from reviews.checks import trademark_registry
from reviews.models import RegistryMark
from sellers.models import AuthorizationLink
from sellers.names import normalize_company_name
from tests.sellers.factories import ApplicationFactory, CategoryFactory

SAMPLE_DIR = Path(__file__).resolve().parents[3] / "reviews" / "data"


def _case_file(
    *,
    serial="97100001",
    number="7100001",
    status="700",
    status_date="20220510",
    registered="20220510",
    literal="BRIGHTLAMP",
    classes=("011",),
    owners=((30, "Shenzhen Bright Lamp Technology Co., Ltd."),),
) -> str:
    codes = "".join(
        f"<classification><international-code>{code}</international-code></classification>"
        for code in classes
    )
    parties = "".join(
        f"<case-file-owner><party-type>{kind}</party-type><party-name>{name}</party-name>"
        "</case-file-owner>"
        for kind, name in owners
    )
    return (
        f"<case-file><serial-number>{serial}</serial-number>"
        f"<registration-number>{number}</registration-number><case-file-header>"
        f"<filing-date>20210315</filing-date><registration-date>{registered}</registration-date>"
        f"<status-code>{status}</status-code><status-date>{status_date}</status-date>"
        f"<mark-identification>{literal}</mark-identification>"
        f"<mark-drawing-code>4000</mark-drawing-code></case-file-header>"
        f"<classifications>{codes}</classifications><case-file-owners>{parties}</case-file-owners>"
        "</case-file>"
    )


def _daily_file(*case_files: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?><trademark-applications-daily>'
        "<version><version-no>2.0</version-no><version-date>20120702</version-date></version>"
        "<application-information><file-segments><action-keys>"
        + "".join(case_files)
        + "</action-keys></file-segments></application-information></trademark-applications-daily>"
    ).encode()


def _import(path: Path, fmt: str, version: str = "") -> dict:
    out = io.StringIO()
    args = [str(path), "--format", fmt] + (["--data-version", version] if version else [])
    call_command("import_registry", *args, stdout=out)
    return json.loads(out.getvalue())


def test_import_reads_uspto_case_files(db, tmp_path):
    path = tmp_path / "apc261120.xml"
    path.write_bytes(
        _daily_file(
            _case_file(
                classes=("011", "009", "A"),
                owners=((10, "Bright Lamp (applicant)"), (30, "Bright Lamp Co Ltd")),
            ),
            _case_file(serial="98200002", number="0000000", status="630", registered="0"),
        )
    )

    summary = _import(path, "uspto-xml", "USPTO daily 2026-11-20")

    assert summary == {"imported": 2, "data_version": "USPTO daily 2026-11-20"}
    registered, pending = RegistryMark.objects.order_by("serial")
    assert (
        registered.office, registered.number, registered.status_state, registered.nice_classes,
        registered.owner_name, registered.registration_date, registered.expires_on,
        registered.mark_literal, registered.drawing_type,
    ) == (
        "USPTO", "7100001", "registered", [9, 11], "Bright Lamp Co Ltd",
        datetime.date(2022, 5, 10), datetime.date(2032, 5, 10), "BRIGHTLAMP", "4000",
    )  # fmt: skip
    assert (pending.number, pending.status_state, pending.registration_date) == (
        "",
        "pending",
        None,
    )


def test_import_reads_a_zipped_file_and_refreshes_rows(db, tmp_path):
    path = tmp_path / "apc261121.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("apc261121.xml", _daily_file(_case_file(status="710")))
    _import_plain = tmp_path / "first.xml"
    _import_plain.write_bytes(_daily_file(_case_file()))
    _import(_import_plain, "uspto-xml")

    summary = _import(path, "uspto-xml")

    mark = RegistryMark.objects.get()
    assert summary == {"imported": 1, "data_version": "apc261121.zip"}
    assert (mark.status_state, mark.data_version, mark.expires_on) == (
        "dead",
        "apc261121.zip",
        None,
    )


def test_import_refuses_entity_expansion(db, tmp_path):
    path = tmp_path / "bomb.xml"
    path.write_text(
        '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><trademark-applications-daily>'
        "<case-file><serial-number>&b;</serial-number></case-file></trademark-applications-daily>"
    )

    with pytest.raises(CommandError, match="refused unsafe XML"):
        _import(path, "uspto-xml")
    assert RegistryMark.objects.count() == 0


def test_import_reads_the_csv_format(db, tmp_path):
    path = SAMPLE_DIR / "registry_sample.csv"

    summary = _import(path, "csv", "sample 2026-11")

    mark = RegistryMark.objects.get(office="UKIPO")
    assert summary == {"imported": 2, "data_version": "sample 2026-11"}
    assert (mark.number, mark.nice_classes, mark.expires_on, mark.correspondent_email) == (
        "UK00003900002",
        [8, 21],
        datetime.date(2033, 2, 1),
        "tm@harbor.example",
    )


def test_import_names_the_bad_line_of_a_csv(db, tmp_path):
    path = tmp_path / "bad.csv"
    header = (SAMPLE_DIR / "registry_sample.csv").read_text().splitlines()[0]
    path.write_text(
        header + "\nEUIPO,1,1,x,registered,01/02/2023,A,word,9,O,,,,,\n", encoding="utf-8"
    )

    with pytest.raises(CommandError) as raised:
        _import(path, "csv")

    assert str(raised.value) == (
        f"{path}: line 2, status_date: expected a date as YYYY-MM-DD, got '01/02/2023'"
    )


def test_the_shipped_uspto_sample_imports(db):
    summary = _import(SAMPLE_DIR / "uspto_sample.xml", "uspto-xml")

    assert summary["imported"] == 5
    assert dict(RegistryMark.objects.values_list("serial", "status_state")) == {
        "97100001": "registered",
        "98200002": "pending",
        "86300003": "dead",
        "77400004": "registered",
        "78123456": "registered",
    }


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("Shenzhen Bright Lamp Technology Co., Ltd.", "SHENZHEN BRIGHT LAMP TECHNOLOGY CO LTD"),
        ("Shenzhen Bright Lamp Co., Ltd.", "Shenzhen Bright Lamp Company Limited"),
        ("Glowmate Lighting, Inc.", "GLOWMATE LIGHTING INCORPORATED"),
        ("Müller & Söhne GmbH", "MULLER AND SOHNE GMBH"),
    ],
)  # fmt: skip
def test_company_names_match_across_legal_form_spellings(left, right):
    assert normalize_company_name(left) == normalize_company_name(right)


def test_different_companies_do_not_match():
    assert normalize_company_name("Bright Lamp Co., Ltd.") != normalize_company_name(
        "Bright Lamps Co., Ltd."
    )


# The registry check against imported rows.


def _registered(**fields) -> RegistryMark:
    values = {
        "office": "USPTO",
        "serial": "97100001",
        "number": "7100001",
        "status_code": "700",
        "status_state": "registered",
        "mark_literal": "BRIGHTLAMP",
        "drawing_type": "4000",
        "nice_classes": [11],
        "owner_name": "SHENZHEN BRIGHT LAMP TECHNOLOGY COMPANY LIMITED",
        "expires_on": timezone.localdate() + datetime.timedelta(days=2000),
        "data_version": "apc261120.zip",
    }
    return RegistryMark.objects.create(**(values | fields))


def _application(seller, **trademark):
    values = {"trademark__number": "7100001", "brand__name": "BRIGHTLAMP"}
    return ApplicationFactory(company=seller.company, **(values | trademark))


def test_registry_check_passes_a_live_mark_owned_by_the_seller(seller_a):
    _registered()
    application = _application(seller_a)

    finding = trademark_registry.run(application)

    assert (finding.outcome, finding.source_text, finding.data_version) == (
        "pass",
        "USPTO bulk data (local copy)",
        "apc261120.zip",
    )
    assert finding.explanation.startswith(
        "USPTO 7100001 is registered (status 700: REGISTERED). The registered owner SHENZHEN "
        "BRIGHT LAMP TECHNOLOGY COMPANY LIMITED is the seller. The mark reads “BRIGHTLAMP”, "
        "exactly the brand name."
    )
    assert finding.evidence["registry_record"]["serial"] == "97100001"


@pytest.mark.parametrize(
    ("status", "state", "outcome", "phrase"),
    [
        (
            "630", "pending", "warn",
            "USPTO 7100001 is still pending (status 630: NEW APPLICATION - RECORD INITIALIZED "
            "NOT ASSIGNED TO EXAMINER).",
        ),
        ("710", "dead", "fail", "USPTO 7100001 is dead (status 710: CANCELLED - SECTION 8)."),
        ("900", "dead", "fail", "USPTO 7100001 is dead (status 900: EXPIRED)."),
        (
            "800", "registered", "pass",
            "USPTO 7100001 is registered (status 800: REGISTERED AND RENEWED).",
        ),
    ],
)  # fmt: skip
def test_registry_check_reads_the_status(seller_a, status, state, outcome, phrase):
    _registered(status_code=status, status_state=state)

    finding = trademark_registry.run(_application(seller_a))

    assert finding.outcome == outcome
    assert phrase in finding.explanation


def test_registry_check_accepts_the_first_grantor_as_owner(seller_a):
    _registered(owner_name="Brightlamp Holdings Limited")
    application = _application(seller_a)
    AuthorizationLink.objects.create(
        trademark=application.trademark,
        position=1,
        grantor_name="BRIGHTLAMP HOLDINGS LTD.",
        grantee_name=seller_a.company.legal_name,
        product_scope="Lamps",
        territory="Worldwide",
        valid_from=datetime.date(2025, 1, 1),
        valid_until=datetime.date(2030, 1, 1),
    )

    finding = trademark_registry.run(application)

    assert finding.outcome == "pass"
    assert (
        "The registered owner Brightlamp Holdings Limited is the first grantor of the "
        "authorization chain." in finding.explanation
    )


def test_registry_check_fails_a_stranger_owner(seller_a):
    _registered(owner_name="Someone Else Trading Inc.")

    finding = trademark_registry.run(_application(seller_a))

    assert finding.outcome == "fail"
    assert finding.explanation == (
        "The registered owner is Someone Else Trading Inc., not the seller "
        "(Shenzhen Bright Lamp Technology Co., Ltd.)."
    )


def test_registry_check_warns_on_a_near_match_and_shows_the_difference(seller_a):
    _registered(mark_literal="BRIGHT LAMP")

    finding = trademark_registry.run(_application(seller_a))

    assert finding.outcome == "warn"
    assert finding.explanation == (
        "The mark reads “BRIGHT LAMP”, close to but not exactly the brand name “BRIGHTLAMP” "
        "(the register adds “ ”)."
    )


def test_registry_check_fails_a_logo_only_mark(seller_a):
    _registered(mark_literal="", drawing_type="2000")

    finding = trademark_registry.run(_application(seller_a))

    assert (finding.outcome, finding.explanation) == (
        "fail",
        "The registration is a figurative mark (drawing type 2000): a logo without words does "
        "not qualify a brand name.",
    )


def test_registry_check_fails_another_word(seller_a):
    _registered(mark_literal="GLOWMATE")

    finding = trademark_registry.run(_application(seller_a))

    assert finding.explanation == "The mark reads “GLOWMATE”, not the brand name “BRIGHTLAMP”."


def test_registry_check_fails_classes_missing_a_category(seller_a):
    _registered(nice_classes=[9])
    apparel = CategoryFactory(code="test-clothing", name="Clothing", nice_classes=[25])

    finding = trademark_registry.run(_application(seller_a, categories=[apparel]))

    assert finding.explanation == (
        "The registry lists classes 9, which do not cover Clothing (class 25)."
    )


def test_registry_check_wants_six_months_left(seller_a):
    expires = timezone.localdate() + datetime.timedelta(days=90)
    _registered(expires_on=expires)

    finding = trademark_registry.run(_application(seller_a))

    assert (finding.outcome, finding.explanation) == (
        "fail",
        f"The registration runs out on {date_format(expires, 'DATE_FORMAT')}, less than six "
        "months from today.",
    )


def test_registry_check_warns_about_a_recent_email_change(seller_a):
    changed = timezone.localdate() - datetime.timedelta(days=20)
    _registered(
        correspondent_email="new@fast-agent.example", correspondent_email_changed_on=changed
    )

    finding = trademark_registry.run(_application(seller_a))

    assert (finding.outcome, finding.explanation) == (
        "warn",
        f"The correspondent email on record changed on {date_format(changed, 'DATE_FORMAT')} (now "
        "new@fast-agent.example) and control of the record has not been verified through it "
        "since; confirm the change with the owner.",
    )


def test_registry_check_fails_an_unknown_number(seller_a):
    _registered()

    finding = trademark_registry.run(_application(seller_a, trademark__number="7999999"))

    assert (finding.outcome, finding.explanation, finding.data_version) == (
        "fail",
        "USPTO has no trademark numbered 7999999.",
        "apc261120.zip",
    )


def test_registry_check_cannot_verify_an_office_without_data(seller_a):
    application = _application(seller_a, trademark__office="CNIPA", trademark__number="12345678")

    finding = trademark_registry.run(application)

    assert (finding.outcome, finding.score) == ("unverifiable", 10)
    assert finding.explanation == (
        "We hold no CNIPA registry data, so the mark must be checked by hand: look it up in the "
        "CNIPA public search and record what the register shows."
    )
    assert finding.evidence == {"office": "CNIPA", "number": "12345678", "hand_verification": None}
