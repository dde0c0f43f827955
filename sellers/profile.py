"""What a company's profile still lacks before its identity can be verified, said the way the
profile page and the eligibility check both tell it."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from sellers.categories import company_focus, focus_problem
from sellers.models import Category, SellerCompany
from sellers.uscc import entity_type
from sellers.validators import company_registration_checked


@dataclass(frozen=True)
class ProfileState:
    missing: list[str]
    focus: list[Category]
    # What the registration number says the company is (Chinese codes only).
    entity: str

    @property
    def complete(self) -> bool:
        return not self.missing


def profile_state(company: SellerCompany) -> ProfileState:
    missing = []
    entity = ""
    try:
        number = company_registration_checked(company.country.code, company.registration_number)
    except ValidationError as exc:
        missing.append(
            gettext("Correct the registration number: %(reason)s")
            % {"reason": " ".join(exc.messages)}
        )
    else:
        if company.country.code == "CN":
            entity = entity_type(number)
    if not company.business_licence:
        missing.append(gettext("Upload the business licence."))
    if not company.main_categories.exists():
        missing.append(gettext("Name your one or two main categories."))
    focus = company_focus(company)
    problem = focus_problem(focus)
    if problem:
        missing.append(problem)
    return ProfileState(missing=missing, focus=focus, entity=entity)
