"""Screening settings: a bad value stops the process at start, naming the variable."""

import os
import subprocess
import sys

import pytest

from tests.conftest import PROJECT_ROOT


def _check(**env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CELERY_BROKER_URL"}}
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=PROJECT_ROOT,
        env={**clean, "DEBUG": "true", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


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
    result = _check(**{variable: value})

    assert result.returncode != 0
    assert message in result.stderr


def test_the_default_screening_settings_start():
    result = _check()

    assert (result.returncode, result.stdout.strip()) == (
        0,
        "System check identified no issues (0 silenced).",
    )
