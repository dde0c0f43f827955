"""Screening checks. Each module exposes CODE, TITLE and ``run(application) -> Finding``.

A check reads the application and its reference data and explains its verdict in words a
reviewer can act on. It writes nothing about the application: storing and scoring the findings
is screening.py's job. (The logo check keeps the program's own logo fingerprints current, as
it is the one that computes them; the document-contents check stores the reading of a file that
was not read at upload, through the sellers' reading service.)
Which modules run is the SCREENING_CHECKS setting, so a deployment can add its own.

A check that is quick says so, with ``QUICK = True`` or, when it depends on the application,
``quick(application) -> bool``: a run's quick checks share one task on one loaded application.
Any other check (one that calls a remote service or reads documents with OCR, or a deployment's
own that says nothing) gets a task of its own, with its own retries and time limit.
"""

from importlib import import_module
from types import ModuleType

from django.conf import settings


def enabled_checks() -> list[ModuleType]:
    return [import_module(path) for path in settings.SCREENING_CHECKS]


def check_for_code(code: str) -> ModuleType:
    for check in enabled_checks():
        if code == check.CODE:
            return check
    raise LookupError(f"no enabled check has the code {code!r}")


def is_quick(check: ModuleType, application) -> bool:
    decide = getattr(check, "quick", None)
    if decide is not None:
        return decide(application)
    return getattr(check, "QUICK", False)
