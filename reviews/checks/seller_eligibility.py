"""The company may join at all: identity verified, a valid registration number of an entity
type the program takes (an individual business is not a company), operating indicators within
the program's limits, and a focus on one or two main categories, counted over its profile and
every open or admitted application."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError

from reviews.checks.base import Finding
from sellers.categories import MAX_MAIN_CATEGORIES, company_focus
from sellers.models import SellerCompany
from sellers.profile import profile_state
from sellers.validators import company_registration_checked

CODE = "seller_eligibility"
TITLE = "Seller eligibility"
QUICK = True


def run(application):
    company = application.company
    declared = [category.name for category in company.main_categories.all()]
    main = [category.name for category in company_focus(company)]
    limit_rate = Decimal(settings.ELIGIBILITY_MAX_DISPUTE_RATE_BP) / 10_000
    limit_complaints = settings.ELIGIBILITY_MAX_INFRINGEMENT_COMPLAINTS
    evidence = {
        "identity_status": company.identity_status,
        "registration_number": company.registration_number,
        "quality_dispute_rate": str(company.quality_dispute_rate),
        "max_quality_dispute_rate": str(limit_rate),
        "infringement_complaints": company.infringement_complaints,
        "max_infringement_complaints": limit_complaints,
        "declared_main_categories": declared,
        "main_categories": main,
    }
    failures, warnings, passes = [], [], []
    status = SellerCompany.IdentityStatus
    if company.identity_status == status.VERIFIED:
        passes.append("The company's identity is verified.")
    elif company.identity_status == status.PENDING:
        warnings.append("The company's identity verification is still pending.")
    else:
        missing = profile_state(company).missing
        failures.append(
            f"The company's identity is {company.get_identity_status_display().lower()}"
            + (f"; its profile lacks: {' '.join(missing)}" if missing else ".")
        )
    try:
        company_registration_checked(company.country.code, company.registration_number)
    except ValidationError as exc:
        failures.append(f"Registration number: {' '.join(exc.messages)}")
    rate = company.quality_dispute_rate
    if rate > limit_rate:
        failures.append(
            f"The quality-dispute rate is {rate:.2%}, above the program's limit of "
            f"{limit_rate:.2%}."
        )
    else:
        passes.append(f"Quality disputes {rate:.2%} (limit {limit_rate:.2%}).")
    complaints = company.infringement_complaints
    if complaints > limit_complaints:
        failures.append(
            f"The company has {complaints} open infringement complaint(s); the program "
            f"allows {limit_complaints}."
        )
    if len(main) > MAX_MAIN_CATEGORIES:
        failures.append(
            f"The company sells in {len(main)} main categories ({', '.join(main)}), counting its "
            f"profile and its open and admitted applications; the program takes specialists in "
            f"one or two."
        )
    elif not declared:
        warnings.append("The company has not named its main categories.")
    else:
        passes.append(f"Main categories: {', '.join(main)}.")
    outcome = "fail" if failures else "warn" if warnings else "pass"
    words = failures + warnings if outcome != "pass" else passes
    return Finding(outcome, " ".join(words), evidence, source="seller company record")
