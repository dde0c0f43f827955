"""The company's registration number and the trademark number are valid for their issuers."""

from functools import partial

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_noop as _

from brandprogram.phrases import InEachLanguage, Items, Phrase
from reviews.checks.base import MISSING_ESSENTIALS, Finding
from sellers.validators import normalize_registration_number, normalize_trademark_number

CODE = "registration_numbers"
TITLE = gettext_lazy("Registration numbers")
QUICK = True
SOURCE = Phrase(_("python-stdnum, office formats"))


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
            (Phrase(_("the company registration number")), company.registration_number),
            (Phrase(_("the trademark number")), mark.number),
        )
        if not value.strip()
    ]
    if missing:
        return Finding(
            "fail",
            Phrase(
                _("The application does not give %(missing)s; it cannot be checked."),
                missing=Items(missing, join="or"),
            ),
            evidence,
            flags=(MISSING_ESSENTIALS,),
        )
    validators = (
        (
            _("Company number: %(problem)s"),
            lambda: normalize_registration_number(
                company.country.code, company.registration_number
            ),
        ),
        (
            _("Trademark number: %(problem)s"),
            lambda: normalize_trademark_number(mark.office, mark.number),
        ),
    )
    problems = [
        # The validators word their refusals, in each language, as the portal shows them.
        Phrase(message, problem=InEachLanguage(partial(_refusal, validate)))
        for message, validate in validators
        if _refusal(validate)
    ]
    if problems:
        return Finding("fail", problems, evidence, source=SOURCE)
    if company.country.code == "CN":
        passes = _(
            "Company number %(company_number)s passes the Unified Social Credit Code check and "
            "%(office)s number %(number)s has the office's format."
        )
    else:
        passes = _(
            "Company number %(company_number)s passes the company number format check and "
            "%(office)s number %(number)s has the office's format."
        )
    return Finding(
        "pass",
        Phrase(
            passes,
            company_number=company.registration_number,
            office=mark.office,
            number=mark.display_number,
        ),
        evidence,
        source=SOURCE,
    )


def _refusal(validate) -> str:
    """The validator's refusal in the active language, or "" when it accepts."""
    try:
        validate()
    except ValidationError as exc:
        return " ".join(exc.messages)
    return ""
