"""The company's registration number and the trademark number are valid for their issuers."""

from django.core.exceptions import ValidationError

from reviews.checks.base import Finding
from sellers.validators import normalize_registration_number, normalize_trademark_number

CODE = "registration_numbers"
TITLE = "Registration numbers"


def run(application):
    company = application.company
    mark = application.trademark
    problems = []
    try:
        normalize_registration_number(company.country.code, company.registration_number)
    except ValidationError as exc:
        problems.append(f"Company number: {' '.join(exc.messages)}")
    try:
        normalize_trademark_number(mark.office, mark.number)
    except ValidationError as exc:
        problems.append(f"Trademark number: {' '.join(exc.messages)}")
    evidence = {
        "country": company.country.code,
        "registration_number": company.registration_number,
        "office": mark.office,
        "trademark_number": mark.number,
    }
    if problems:
        return Finding("fail", " ".join(problems), evidence, source="python-stdnum, office formats")
    scheme = (
        "Unified Social Credit Code" if company.country.code == "CN" else "company number format"
    )
    return Finding(
        "pass",
        f"Company number {company.registration_number} passes the {scheme} check and "
        f"{mark.office} number {mark.number} has the office's format.",
        evidence,
        source="python-stdnum, office formats",
    )
