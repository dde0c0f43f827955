"""``manage.py check_trademark``: the registry check's verdict on a filing typed at the prompt."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.reviews.registry.support import check_trademark

SAMPLE = Path(__file__).resolve().parents[3] / "reviews" / "data" / "uspto_sample.xml"


@pytest.fixture
def uspto(db):
    call_command("import_registry", str(SAMPLE), "--format", "uspto-xml", stdout=io.StringIO())


def test_the_genuine_owner_of_a_live_mark_passes(uspto):
    verdict = check_trademark(
        "--office", "USPTO", "--number", "7100001", "--brand", "BRIGHTLAMP",
        "--owner", "Shenzhen Bright Lamp Technology Co., Ltd.", "--nice-class", "11",
    )  # fmt: skip

    assert verdict["outcome"] == "pass"
    assert "is registered (status 700: REGISTERED)" in verdict["explanation"]
    assert verdict["record"]["serial"] == "97100001"
    assert verdict["record"]["mark_literal"] == "BRIGHTLAMP"
    assert verdict["record"]["nice_classes"] == [11]


def test_another_owner_and_an_uncovered_class_fail_with_both_reasons(uspto):
    verdict = check_trademark(
        "--office", "USPTO", "--number", "7100001", "--brand", "BRIGHTLAMP",
        "--owner", "Glowmate Lighting Inc.", "--nice-class", "9",
    )  # fmt: skip

    assert verdict["outcome"] == "fail"
    assert "not the owner given (Glowmate Lighting Inc.)" in verdict["explanation"]
    assert "do not cover the goods of class 9 (class 9)" in verdict["explanation"]


def test_a_dead_mark_fails(uspto):
    verdict = check_trademark(
        "--office", "USPTO", "--number", "5300003", "--brand", "GLOWMATE",
        "--owner", "Glowmate Lighting Inc.",
    )  # fmt: skip

    assert verdict["outcome"] == "fail"
    assert "is dead (status 710: CANCELLED - SECTION 8)" in verdict["explanation"]


def test_a_number_the_registry_lacks_is_a_failure_without_a_record(uspto):
    verdict = check_trademark(
        "--office", "USPTO", "--number", "7999999", "--brand", "X", "--owner", "Y",
    )  # fmt: skip

    assert verdict == {
        "outcome": "fail",
        "explanation": "USPTO has no trademark numbered 7999999.",
        "record": None,
    }


def test_an_office_without_data_is_unverifiable(db):
    verdict = check_trademark(
        "--office", "JPO", "--number", "6012345", "--brand", "X", "--owner", "Y"
    )

    assert verdict["outcome"] == "unverifiable"
    assert verdict["record"] is None


def test_without_json_the_verdict_reads_as_lines(uspto):
    out = io.StringIO()
    call_command(
        "check_trademark", "--office", "USPTO", "--number", "7100001", "--brand", "BRIGHTLAMP",
        "--owner", "Shenzhen Bright Lamp Technology Co., Ltd.", stdout=out,
    )  # fmt: skip

    lines = out.getvalue().splitlines()
    assert lines[0].startswith("PASS: USPTO 7100001 is registered")
    assert "  mark_literal: BRIGHTLAMP" in lines


def test_a_class_outside_nice_is_refused(db):
    with pytest.raises(CommandError, match="46 is not one"):
        check_trademark(
            "--office", "USPTO", "--number", "7100001", "--brand", "X", "--owner", "Y",
            "--nice-class", "46",
        )  # fmt: skip
