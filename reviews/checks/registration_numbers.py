"""The company's registration number and the trademark number are valid for their issuers."""

from django.core.exceptions import ValidationError

from reviews.checks.base import MISSING_ESSENTIALS, Finding
from sellers.validators import normalize_registration_number, normalize_trademark_number

CODE = "registration_numbers"
TITLE = "Registration numbers"
QUICK = True


def run(application):
    company = application.company
    mark = application.trademark
    evidence = {
        "country": company.country.code,
        "registration_number": company.registration_number,
        "office": mark.office,
        "trademark_number": mark.number,
    }
    missing = [
        label
        for label, value in (
            ("the company registration number", company.registration_number),
            ("the trademark number", mark.number),
        )
        if not value.strip()
    ]
    if missing:
        return Finding(
            "fail",
            f"The application does not give {' or '.join(missing)}; it cannot be checked.",
            evidence,
            source="application data",
            flags=(MISSING_ESSENTIALS,),
        )
    problems = []
    try:
        normalize_registration_number(company.country.code, company.registration_number)
    except ValidationError as exc:
        problems.append(f"Company number: {' '.join(exc.messages)}")
    try:
        normalize_trademark_number(mark.office, mark.number)
    except ValidationError as exc:
        problems.append(f"Trademark number: {' '.join(exc.messages)}")
    if problems:
        return Finding("fail", " ".join(problems), evidence, source="python-stdnum, office formats")
    scheme = (
        "Unified Social Credit Code" if company.country.code == "CN" else "company number format"
    )
    return Finding(
        "pass",
        f"Company number {company.registration_number} passes the {scheme} check and "
        f"{mark.office} number {mark.display_number} has the office's format.",
        evidence,
        source="python-stdnum, office formats",
    )
