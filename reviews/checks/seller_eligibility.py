"""The company may join at all: identity verified, a valid registration number of an entity
type the program takes (an individual business is not a company), operating indicators within
the program's limits, and a focus on one or two main categories, counted over its profile and
every open or admitted application."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_noop as _

from brandprogram.phrases import InEachLanguage, Items, Percent, Phrase
from reviews.checks.base import Finding
from sellers.categories import MAX_MAIN_CATEGORIES, company_focus
from sellers.models import SellerCompany
from sellers.profile import profile_state
from sellers.validators import company_registration_checked

CODE = "seller_eligibility"
TITLE = gettext_lazy("Seller eligibility")
QUICK = True
SOURCE = Phrase(_("seller company record"))


def run(application):
    company = application.company
    # Loaded with the application (screening's load_application), parents included.
    declared_categories = list(company.main_categories.all())
    declared = [category.name for category in declared_categories]
    main = [category.name for category in company_focus(company, declared=declared_categories)]
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
        passes.append(Phrase(_("The company's identity is verified.")))
    elif company.identity_status == status.PENDING:
        warnings.append(Phrase(_("The company's identity verification is still pending.")))
    else:
        refused = company.identity_status == status.REJECTED
        if profile_state(company).missing:
            failures.append(
                Phrase(
                    _("The company's identity verification failed; its profile lacks: %(missing)s")
                    if refused
                    else _(
                        "The company's identity is not verified; its profile lacks: %(missing)s"
                    ),
                    # The profile words what it lacks, in each language, as the portal does.
                    missing=InEachLanguage(lambda: " ".join(profile_state(company).missing)),
                )
            )
        else:
            failures.append(
                Phrase(
                    _("The company's identity verification failed.")
                    if refused
                    else _("The company's identity is not verified.")
                )
            )
    try:
        company_registration_checked(company.country.code, company.registration_number)
    except ValidationError:
        failures.append(
            Phrase(
                _("Registration number: %(problem)s"),
                problem=InEachLanguage(lambda: _refusal(company)),
            )
        )
    rate = company.quality_dispute_rate
    if rate > limit_rate:
        failures.append(
            Phrase(
                _("The quality-dispute rate is %(rate)s, above the program's limit of %(limit)s."),
                rate=Percent(rate),
                limit=Percent(limit_rate),
            )
        )
    else:
        passes.append(
            Phrase(
                _("Quality disputes %(rate)s (limit %(limit)s)."),
                rate=Percent(rate),
                limit=Percent(limit_rate),
            )
        )
    complaints = company.infringement_complaints
    if complaints > limit_complaints:
        failures.append(
            Phrase(
                _(
                    "The company has %(count)s open infringement complaint(s); the program "
                    "allows %(limit)s."
                ),
                count=complaints,
                limit=limit_complaints,
            )
        )
    names = Items(Phrase(name) for name in main)
    if len(main) > MAX_MAIN_CATEGORIES:
        failures.append(
            Phrase(
                _(
                    "The company sells in %(count)s main categories (%(names)s), counting its "
                    "profile and its open and admitted applications; the program takes "
                    "specialists in one or two."
                ),
                count=len(main),
                names=names,
            )
        )
    elif not declared:
        warnings.append(Phrase(_("The company has not named its main categories.")))
    else:
        passes.append(Phrase(_("Main categories: %(names)s."), names=names))
    outcome = "fail" if failures else "warn" if warnings else "pass"
    words = failures + warnings if outcome != "pass" else passes
    return Finding(outcome, words, evidence, source=SOURCE)


def _refusal(company) -> str:
    try:
        company_registration_checked(company.country.code, company.registration_number)
    except ValidationError as exc:
        return " ".join(exc.messages)
    return ""
