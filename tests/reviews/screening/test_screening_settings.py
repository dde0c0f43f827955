"""Screening settings: a bad value stops the process at start, naming the variable."""

import pytest

from tests.conftest import manage_check


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("SCREENING_CHECKS", "reviews.checks.astrology", "SCREENING_CHECKS: No module named"),
        ("SCREENING_CHECKS", "reviews.checks.base", "SCREENING_CHECKS: reviews.checks.base lacks"),
        (
            "SCREENING_CHECKS",
            "reviews.checks.trademark_coverage,reviews.checks.trademark_coverage",
            "SCREENING_CHECKS: two checks share a code",
        ),
        ("SCREENING_RETURN_INCOMPLETE", "perhaps", "SCREENING_RETURN_INCOMPLETE: expected one of"),
        ("SCREENING_SENIOR_RISK", "-1", "SCREENING_SENIOR_RISK: must be at least 0"),
        ("TSDR_BASE_URL", "ftp://tsdr.example", "TSDR_BASE_URL: expected an http(s) URL"),
        ("EVIDENCE_SCANNER", "norton", "EVIDENCE_SCANNER: expected clamd, eicar or nothing"),
    ],
)
def test_bad_screening_settings_stop_the_process(variable, value, message):
    result = manage_check(**{variable: value})

    assert result.returncode != 0
    assert message in result.stderr


def test_the_default_screening_settings_start():
    result = manage_check()

    assert (result.returncode, result.stdout.strip()) == (
        0,
        "System check identified no issues (0 silenced).",
    )
