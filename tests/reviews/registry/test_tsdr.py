"""The TSDR adapter against a local server that serves real TSDR case-status answers (ST.96).

The answers under data/tsdr/ are as the USPTO served them (see the README there); each test
names the case it reads. Their registrations ran out years ago, so a verdict that should pass
is taken on the day the answer was served (``as_of``), as a reviewer would have seen it then.
"""

import datetime

import pytest

from reviews.checks.trademark_registry import Filing, judge
from reviews.registry.base import RegistryError, RegistryUnavailable
from reviews.registry.tsdr import TsdrRegistry
from tests.reviews.registry.st96 import tsdr_answer


def _tsdr(server, **overrides) -> TsdrRegistry:
    options = {
        "base_url": server.url,
        "api_key": "k-123",
        "key_header": "USPTO-API-KEY",
        "timeout": 2,
        "attempts": 3,
        "backoff": 0,
    }
    return TsdrRegistry(**(options | overrides))


def _serve(server, case: str) -> TsdrRegistry:
    server.answers = [(200, tsdr_answer(case))]
    return _tsdr(server)


@pytest.fixture
def tsdr_serves(settings, registry_server):
    """The registry check asks TSDR, which answers with the case saved under that name."""
    settings.TSDR_BASE_URL = registry_server.url
    settings.TSDR_BACKOFF_SECONDS = 0

    def serve(case: str):
        registry_server.answers = [(200, tsdr_answer(case))]

    return serve


def _filing(number: str, brand: str, owner: str, *classes: int) -> Filing:
    return Filing(
        office="USPTO",
        number=number,
        brand=brand,
        owners=(("the owner given", owner),),
        goods=tuple((f"the goods of class {k}", (k,)) for k in classes),
    )


def test_tsdr_reads_a_renewed_corporate_registration_field_by_field(registry_server):
    record = _serve(registry_server, "rn2178784").lookup("2178784")

    assert registry_server.requests[0]["path"] == "/ts/cd/casestatus/rn2178784/info.xml"
    assert registry_server.requests[0]["headers"]["uspto-api-key"] == "k-123"
    assert (
        record.office, record.serial, record.number, record.status_code, record.status_state,
        record.status_date, record.status_text, record.mark_literal, record.drawing_type,
        record.nice_classes, record.owner_name, record.owner_entity_type,
        record.owner_nationality, record.correspondent_email, record.filing_date,
        record.registration_date, record.expires_on, record.international_registration_number,
    ) == (
        "USPTO", "74631225", "2178784", "800", "registered", datetime.date(2008, 8, 11),
        "The registration has been renewed.", "JAVA", "typed words", (9,),
        "Oracle America, Inc.", "CORPORATION", "US DE", "docket@hollandhart.com",
        datetime.date(1995, 2, 7), datetime.date(1998, 8, 4), datetime.date(2018, 8, 4), "",
    )  # fmt: skip
    assert record.goods_services.startswith(
        "Class 9: computer programs for use in developing and executing other computer programs"
    )
    assert record.source == "USPTO TSDR case status"


def test_the_owner_is_the_current_one_named_in_the_contact_not_the_entity_type(registry_server):
    # JAVA lists its original applicant, the owner at publication and the original registrant
    # (all Sun Microsystems) and, numbered highest, the subsequent owner after registration.
    record = _serve(registry_server, "rn2178784").lookup("2178784")

    assert (record.owner_name, record.owner_entity_type) == ("Oracle America, Inc.", "CORPORATION")


def test_the_owner_named_only_by_organization_name_is_read(registry_server):
    # MySQL's registrant names itself in OrganizationStandardName, without an EntityName.
    record = _serve(registry_server, "rn2713476").lookup("2713476")

    assert (record.owner_name, record.owner_entity_type, record.owner_nationality) == (
        "MySQL AB",
        'A COMPANY (AN "AKTIEBOLAG")',
        "SE",
    )


def test_a_renewed_registration_runs_ten_years_from_its_renewal(registry_server):
    # MYSQL, registered 2003-05-06 and renewed early (status 800 of 2013-03-23): RenewalDate
    # 2013-05-06 starts the second term.
    record = _serve(registry_server, "rn2713476").lookup("2713476")

    assert (record.registration_date, record.status_code, record.expires_on) == (
        datetime.date(2003, 5, 6),
        "800",
        datetime.date(2023, 5, 6),
    )


def test_a_never_renewed_registration_runs_ten_years_from_registration(registry_server):
    record = _serve(registry_server, "sn85334015").lookup("85334015")

    assert (record.registration_date, record.expires_on) == (
        datetime.date(2013, 1, 29),
        datetime.date(2023, 1, 29),
    )


def test_the_drawing_type_comes_from_the_mark_feature_code(registry_server):
    # Haydel's Bakery's mark 3717416 is a design without words (feature code 2).
    record = _serve(registry_server, "sn77478018").lookup("77478018")

    assert (record.drawing_type, record.mark_literal, record.nice_classes) == (
        "design only",
        "",
        (14, 25, 30),
    )


def test_events_are_read_oldest_first_and_a_correspondence_change_is_dated(registry_server):
    record = _serve(registry_server, "sn85334015").lookup("85334015")

    assert len(record.events) == 35
    assert record.events[0] == {
        "date": "2011-06-03",
        "code": "NWAPI",
        "text": "NEW APPLICATION ENTERED IN TRAM",
    }
    assert record.events[-1] == {
        "date": "2018-01-29",
        "code": "REM1E",
        "text": "COURTESY REMINDER - SEC. 8 (6-YR) E-MAILED",
    }
    dates = [event["date"] for event in record.events]
    assert dates == sorted(dates)
    # Three "TEAS CHANGE OF CORRESPONDENCE RECEIVED" entries (code TCCAI): the latest counts.
    assert record.correspondent_email_changed_on == datetime.date(2015, 8, 7)
    assert record.correspondent_email == "ptoipinbox@reedsmith.com"


def test_a_review_of_correspondence_is_not_a_change_of_it(registry_server):
    # MYSQL's history has "APPLICANT/CORRESPONDENCE CHANGES" and reviews of correspondence,
    # but no change of correspondence received.
    record = _serve(registry_server, "rn2713476").lookup("2713476")

    assert record.correspondent_email_changed_on is None


def test_the_international_registration_a_record_names_is_read(registry_server):
    # ULTRABOOK's US registration is the basis of international registration 1087917.
    record = _serve(registry_server, "sn85334015").lookup("85334015")

    assert record.international_registration_number == "1087917"
    assert record.status_text.startswith("Registered.  The registration date is used")


def test_a_pending_application_of_a_limited_liability_company(registry_server):
    record = _serve(registry_server, "sn87881347").lookup("87881347")

    assert registry_server.requests[0]["path"] == "/ts/cd/casestatus/sn87881347/info.xml"
    assert (
        record.number, record.status_code, record.status_state, record.owner_name,
        record.owner_entity_type, record.owner_nationality, record.nice_classes,
        record.registration_date, record.expires_on,
    ) == (
        "", "680", "pending", "Burger Addict Renton LLC", "LIMITED LIABILITY COMPANY", "US WA",
        (43,), None, None,
    )  # fmt: skip


def test_joint_owners_give_the_first_listed_current_owner(registry_server):
    # THE BLUEBOOK is registered to four law reviews together.
    record = _serve(registry_server, "rn3886986").lookup("3886986")

    assert (record.owner_name, record.nice_classes, record.status_state) == (
        "COLUMBIA LAW REVIEW ASSOCIATION, INC.",
        (16, 41),
        "registered",
    )


def test_an_answer_without_a_trademark_is_refused(registry_server):
    registry_server.answers = [(200, b"<TrademarkTransaction/>")]

    with pytest.raises(RegistryError, match="without a Trademark"):
        _tsdr(registry_server).lookup("2178784")


def test_tsdr_retries_server_errors_then_answers(registry_server):
    answer = tsdr_answer("rn2178784")
    registry_server.answers = [(503, b"busy"), (502, b"bad gateway"), (200, answer)]

    record = _tsdr(registry_server).lookup("2178784")

    assert (len(registry_server.requests), record.serial) == (3, "74631225")


def test_tsdr_gives_up_as_unavailable_after_its_attempts(registry_server):
    registry_server.answers = [(503, b"busy")]

    with pytest.raises(RegistryUnavailable, match=r"after 3 attempts \(HTTP 503\)"):
        _tsdr(registry_server).lookup("2178784")
    assert len(registry_server.requests) == 3


def test_tsdr_unknown_number_is_none(registry_server):
    registry_server.answers = [(404, b"")]

    assert _tsdr(registry_server).lookup("7999999") is None


# The verdict on a filing, judged on what TSDR serves.


def test_the_current_owner_of_java_passes_on_the_day_the_answer_was_served(tsdr_serves, as_of):
    as_of(datetime.date(2012, 1, 10))

    tsdr_serves("rn2178784")

    finding = judge(_filing("2178784", "JAVA", "Oracle America, Inc.", 9))

    assert (finding.outcome, finding.source_text) == ("pass", "USPTO TSDR case status")
    assert finding.explanation == (
        "USPTO 2178784 is registered (status 800: REGISTERED AND RENEWED). The registered owner "
        "Oracle America, Inc. is the owner given. The mark reads “JAVA”, exactly the brand name. "
        "It is valid until Aug. 4, 2018."
    )
    assert finding.evidence["registry_record"]["owner_entity_type"] == "CORPORATION"


def test_the_former_owner_of_java_fails(tsdr_serves, as_of):
    as_of(datetime.date(2012, 1, 10))

    tsdr_serves("rn2178784")

    finding = judge(_filing("2178784", "JAVA", "Sun Microsystems, Inc.", 9))

    assert (finding.outcome, finding.explanation) == (
        "fail",
        "The registered owner is Oracle America, Inc., not the owner given "
        "(Sun Microsystems, Inc.).",
    )


def test_java_has_run_out_today_by_the_record_served(tsdr_serves):
    tsdr_serves("rn2178784")

    finding = judge(_filing("2178784", "JAVA", "Oracle America, Inc.", 9))

    assert (finding.outcome, finding.explanation) == (
        "fail",
        "The registration runs out on Aug. 4, 2018, less than six months from today.",
    )


def test_a_design_only_mark_fails_as_figurative(tsdr_serves, as_of):
    as_of(datetime.date(2015, 5, 1))

    tsdr_serves("sn77478018")

    finding = judge(_filing("3717416", "HAYDEL'S", "Haydel's Bakery", 30))

    assert (finding.outcome, finding.explanation) == (
        "fail",
        "The registration is a figurative mark (drawing type design only): a logo without words "
        "does not qualify a brand name.",
    )


def test_a_pending_application_warns(tsdr_serves, as_of):
    as_of(datetime.date(2018, 9, 1))

    tsdr_serves("sn87881347")

    finding = judge(_filing("87881347", "BURGER ADDICT", "Burger Addict Renton LLC", 43))

    assert (finding.outcome, finding.explanation) == (
        "warn",
        "USPTO 87881347 is still pending (status 680: APPROVED FOR PUBLICATION).",
    )


def test_a_recent_correspondence_change_warns(tsdr_serves, as_of):
    as_of(datetime.date(2015, 9, 1))

    tsdr_serves("sn85334015")

    finding = judge(_filing("4281391", "ULTRABOOK", "Intel Corporation", 9))

    assert (finding.outcome, finding.explanation) == (
        "warn",
        "The correspondent email on record changed on Aug. 7, 2015 (now ptoipinbox@reedsmith.com) "
        "and control of the record has not been verified through it since; confirm the change "
        "with the owner.",
    )
