"""A check for worker tests: it announces that it started, then waits for the test's go-ahead.

Enabled only in a worker started with SCREENING_CHECKS naming this module; the two files it
uses come from the environment that test gives the worker.
"""

import os
import time
from pathlib import Path

from reviews.checks.base import Finding

CODE = "blocking_gate"
TITLE = "Test gate"


def run(application):
    Path(os.environ["SCREENING_GATE_STARTED"]).write_text(str(application.pk))
    release = Path(os.environ["SCREENING_GATE_RELEASE"])
    while not release.exists():
        time.sleep(0.05)
    return Finding("pass", "The test let the check finish.", source="test gate")
