"""Seller companies and their logins: registration, account activation, a member's language."""

import uuid

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext

from sellers.models import Category, Membership, SellerCompany
from sellers.services.evidence import EXTENSIONS
from sellers.validators import company_registration_checked, inspect_evidence_file


class EmailTaken(ValidationError):
    """The owner's address already has a login."""


class CompanyTaken(ValidationError):
    """The company (country and registration number) is already registered."""


def company_register(
    *,
    legal_name: str,
    country: str,
    registration_number: str,
    owner_email: str,
    owner_password: str,
    owner_name: str = "",
    tier: str = SellerCompany.Tier.STANDARD,
    identity_status: str = SellerCompany.IdentityStatus.UNVERIFIED,
    category_codes: tuple[str, ...] = (),
    owner_active: bool = True,
    business_licence: UploadedFile | None = None,
) -> SellerCompany:
    """Create a company and its owner; self-service sign-ups pass ``owner_active=False``,
    so the owner can log in only after confirming the email address."""
    try:
        number = company_registration_checked(country, registration_number)
    except ValidationError as exc:
        raise ValidationError({"registration_number": exc.messages}) from None
    licence_info = None
    if business_licence is not None:
        try:
            licence_info = inspect_evidence_file(business_licence)
        except ValidationError as exc:
            raise ValidationError({"business_licence": exc.messages}) from None
    categories = _categories_by_code(category_codes)
    User = get_user_model()
    with transaction.atomic():
        if User.objects.filter(username__iexact=owner_email).exists():
            raise EmailTaken(
                {
                    "owner_email": [
                        gettext("%(email)s already has an account.") % {"email": owner_email}
                    ]
                }
            )
        if SellerCompany.objects.filter(country=country, registration_number=number).exists():
            raise CompanyTaken(
                {
                    "registration_number": [
                        gettext("A company with number %(number)s is already registered.")
                        % {"number": number}
                    ]
                }
            )
        company = SellerCompany.objects.create(
            legal_name=legal_name.strip(),
            country=country,
            registration_number=number,
            tier=tier,
            identity_status=identity_status,
        )
        company.main_categories.set(categories)
        first, _, last = owner_name.partition(" ")
        owner = User.objects.create_user(
            username=owner_email.lower(),
            email=owner_email.lower(),
            password=owner_password,
            first_name=first,
            last_name=last,
            is_active=owner_active,
        )
        Membership.objects.create(company=company, user=owner, role=Membership.Role.OWNER)
        if licence_info is not None:
            company.business_licence_name = business_licence.name[:255]
            company.business_licence_sha256 = licence_info.sha256
            company.business_licence_type = licence_info.detected_type
            company.business_licence.save(
                f"{uuid.uuid4().hex}.{EXTENSIONS[licence_info.detected_type]}",
                business_licence,
                save=False,
            )
            company.save()
    return company


def _categories_by_code(codes) -> list[Category]:
    categories = list(Category.objects.filter(code__in=codes))
    missing = set(codes) - {category.code for category in categories}
    if missing:
        raise ValidationError(
            {
                "categories": [
                    gettext("Unknown category: %(codes)s.") % {"codes": ", ".join(sorted(missing))}
                ]
            }
        )
    return categories


def account_activate(*, user) -> None:
    """Confirming the email address opens the account for logging in."""
    type(user).objects.filter(pk=user.pk).update(is_active=True)
    user.is_active = True


def membership_set_language(*, user, language: str) -> None:
    """Remember the portal language a member uses, so that their emails are written in it."""
    if language in dict(settings.LANGUAGES):
        Membership.objects.filter(user=user).exclude(language=language).update(language=language)
