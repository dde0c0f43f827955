"""``import_registry --format st96``: WIPO ST.96 trademark files, and Madrid registrations
verified on the imported record of an office that holds them.

The records are the real TSDR answers under data/tsdr/ (see the README there); a bulk file is
those answers' Trademark elements in one TrademarkBag, as an office's bulk file holds many.
"""

import datetime
import io
import json
import zipfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from reviews.models import RegistryMark
from tests.reviews.registry.st96 import TSDR_ANSWERS, tsdr_answer
from tests.reviews.registry.support import check_trademark

CASES = ("rn2178784", "rn2713476", "rn3886986", "sn77478018", "sn85334015", "sn87881347")
BAG_OPEN, BAG_CLOSE = "<ns2:TrademarkBag>", "</ns2:TrademarkBag>"


def _bulk_file(*cases: str) -> bytes:
    """The answers' Trademark elements inside the first answer's transaction envelope."""
    texts = [tsdr_answer(case).decode() for case in cases]
    head, tail = texts[0].split(BAG_OPEN)[0], texts[0].split(BAG_CLOSE)[1]
    records = "".join(text.split(BAG_OPEN)[1].split(BAG_CLOSE)[0] for text in texts)
    return (head + BAG_OPEN + records + BAG_CLOSE + tail).encode()


def _import(path, *options: str) -> dict:
    out = io.StringIO()
    call_command("import_registry", str(path), "--format", "st96", *options, stdout=out)
    return json.loads(out.getvalue())


def test_a_bulk_file_imports_every_trademark(db, tmp_path):
    path = tmp_path / "tsdr-2018.xml"
    path.write_bytes(_bulk_file(*CASES))

    summary = _import(path, "--data-version", "TSDR answers 2018")

    assert summary == {"imported": 6, "data_version": "TSDR answers 2018"}
    assert dict(RegistryMark.objects.values_list("serial", "status_state")) == {
        "74631225": "registered",
        "78002299": "registered",
        "77658723": "registered",
        "77478018": "registered",
        "85334015": "registered",
        "87881347": "pending",
    }
    java = RegistryMark.objects.get(number="2178784")
    assert (
        java.office, java.owner_name, java.owner_entity_type, java.owner_nationality,
        java.expires_on, java.drawing_type, java.nice_classes, java.correspondent_email,
        java.correspondent_email_changed_on, java.status_text, java.data_version,
    ) == (
        "USPTO", "Oracle America, Inc.", "CORPORATION", "US DE", datetime.date(2018, 8, 4),
        "typed words", [9], "docket@hollandhart.com", datetime.date(2003, 4, 11),
        "The registration has been renewed.", "TSDR answers 2018",
    )  # fmt: skip
    assert len(java.events) == 33
    assert java.events[0] == {"date": "1995-07-03", "code": "DOCKD", "text": "ASSIGNED TO EXAMINER"}
    assert java.goods_services.startswith("Class 9: computer programs")
    ultrabook = RegistryMark.objects.get(serial="85334015")
    assert (ultrabook.international_registration_number, ultrabook.number) == ("1087917", "4281391")


def test_a_zipped_file_imports(db, tmp_path):
    path = tmp_path / "tsdr.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("tsdr.xml", _bulk_file("sn77478018", "sn87881347"))

    summary = _import(path)

    assert summary == {"imported": 2, "data_version": "tsdr.zip"}
    assert dict(RegistryMark.objects.values_list("serial", "drawing_type")) == {
        "77478018": "design only",
        "87881347": "word (standard)",
    }


def test_a_tsdr_answer_imports_as_it_was_served(db):
    summary = _import(TSDR_ANSWERS / "rn2713476.xml")

    mark = RegistryMark.objects.get()
    assert summary == {"imported": 1, "data_version": "rn2713476.xml"}
    assert (mark.owner_name, mark.expires_on) == ("MySQL AB", datetime.date(2023, 5, 6))


def test_an_office_code_we_do_not_know_needs_the_office_named(db, tmp_path):
    # The Burger Addict answer with its office code made one we do not map.
    path = tmp_path / "unknown-office.xml"
    path.write_bytes(
        tsdr_answer("sn87881347").replace(b">US</ns1:IPOfficeCode>", b">XX</ns1:IPOfficeCode>")
    )

    with pytest.raises(CommandError) as refused:
        _import(path)
    assert str(refused.value) == (
        f"{path}: record 87881347: the office code XX is not one we know; name the office with "
        "--office"
    )
    assert RegistryMark.objects.count() == 0

    _import(path, "--office", "EUIPO")

    mark = RegistryMark.objects.get()
    # Outside the USPTO the state comes from the status words: "... not yet published for
    # opposition" is a pending application.
    assert (mark.office, mark.status_state, mark.status_code, mark.expires_on) == (
        "EUIPO",
        "pending",
        "680",
        None,
    )


def test_st96_import_refuses_entity_expansion(db, tmp_path):
    path = tmp_path / "bomb.xml"
    path.write_text(
        '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><TrademarkTransaction><Trademark>'
        "<ApplicationNumber><ApplicationNumberText>&b;</ApplicationNumberText></ApplicationNumber>"
        "</Trademark></TrademarkTransaction>"
    )

    with pytest.raises(CommandError, match="refused unsafe XML"):
        _import(path)
    assert RegistryMark.objects.count() == 0


# Madrid: an international registration number typed with office WIPO.


@pytest.fixture
def ultrabook(db):
    """ULTRABOOK's US registration, the basis of international registration 1087917."""
    _import(TSDR_ANSWERS / "sn85334015.xml", "--data-version", "TSDR sn85334015")


def test_an_international_registration_is_verified_on_the_record_that_names_it(ultrabook, as_of):
    as_of(datetime.date(2016, 1, 4))

    verdict = check_trademark(
        "--office", "WIPO", "--number", "1087917", "--brand", "ULTRABOOK",
        "--owner", "Intel Corporation", "--nice-class", "9",
    )  # fmt: skip

    assert verdict["outcome"] == "pass"
    assert verdict["explanation"] == (
        "International registration 1087917, verified on the USPTO record 4281391 that names "
        "it. USPTO 4281391 is registered (status 700: REGISTERED). The registered owner Intel "
        "Corporation is the owner given. The mark reads “ULTRABOOK”, exactly the brand name. "
        "It is valid until Jan. 29, 2023."
    )
    assert (verdict["record"]["office"], verdict["record"]["serial"]) == ("USPTO", "85334015")


def test_an_international_registration_fails_with_its_record(ultrabook):
    verdict = check_trademark(
        "--office", "WIPO", "--number", "1087917", "--brand", "ULTRABOOK",
        "--owner", "Intel Corporation",
    )  # fmt: skip

    assert (verdict["outcome"], verdict["explanation"]) == (
        "fail",
        "International registration 1087917, verified on the USPTO record 4281391 that names "
        "it. The registration runs out on Jan. 29, 2023, less than six months from today.",
    )


def test_an_international_registration_no_office_holds_is_unknown(ultrabook):
    verdict = check_trademark(
        "--office", "WIPO", "--number", "1234567", "--brand", "ULTRABOOK", "--owner", "Intel",
    )  # fmt: skip

    assert verdict == {
        "outcome": "fail",
        "explanation": "WIPO has no trademark numbered 1234567.",
        "record": None,
    }


def test_without_wipo_rows_or_designations_madrid_is_unverifiable(db):
    _import(TSDR_ANSWERS / "rn2178784.xml")

    verdict = check_trademark(
        "--office", "WIPO", "--number", "1087917", "--brand", "X", "--owner", "Y"
    )

    assert (verdict["outcome"], verdict["record"]) == ("unverifiable", None)


def _held(office: str, serial: str, state: str, **fields) -> RegistryMark:
    values = {
        "number": "",
        "status_code": "",
        "mark_literal": "ULTRABOOK",
        "owner_name": "Intel Corporation",
        "international_registration_number": "1087917",
        "data_version": "test rows",
    }
    return RegistryMark.objects.create(
        office=office, serial=serial, status_state=state, **(values | fields)
    )


def test_a_live_designation_is_preferred_to_the_basic_record_and_a_dead_designation(
    ultrabook, as_of
):
    as_of(datetime.date(2016, 1, 4))
    _held("USPTO", "79100001", "dead", status_code="602")
    _held("USPTO", "79100002", "registered", status_code="700", number="4999999")

    verdict = check_trademark(
        "--office", "WIPO", "--number", "1087917", "--brand", "ULTRABOOK",
        "--owner", "Intel Corporation",
    )  # fmt: skip

    assert verdict["explanation"].startswith(
        "International registration 1087917, verified on its USPTO designation 79100002. "
        "USPTO 4999999 is registered (status 700: REGISTERED)."
    )


def test_the_international_register_itself_comes_first(ultrabook):
    _held("WIPO", "1087917", "registered", status_code="Registered", number="1087917")

    verdict = check_trademark(
        "--office", "WIPO", "--number", "1087917", "--brand", "ULTRABOOK",
        "--owner", "Intel Corporation",
    )  # fmt: skip

    assert verdict["outcome"] == "pass"
    assert verdict["explanation"].startswith("WIPO 1087917 is registered (status Registered).")
