"""Seller companies and their logins: registration, the company profile the owner keeps,
account activation, a member's language."""

import uuid

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext

from brandprogram.errors import ApplicationError
from brandprogram.queueing import enqueue_after_commit
from sellers.actors import Actor
from sellers.categories import (
    MAX_MAIN_CATEGORIES,
    company_focus,
    focus_problem,
    main_categories_of,
)
from sellers.models import Category, Membership, SellerCompany
from sellers.profile import profile_state
from sellers.services.evidence import EXTENSIONS
from sellers.signals import company_verification_requested
from sellers.validators import (
    company_registration_checked,
    inspect_evidence_file,
    validate_visible_text,
)


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
    owner_password: str | None,
    owner_name: str = "",
    identity_status: str = SellerCompany.IdentityStatus.UNVERIFIED,
    category_codes: tuple[str, ...] = (),
    owner_active: bool = True,
    business_licence: UploadedFile | None = None,
) -> SellerCompany:
    """Create a company and its owner; self-service sign-ups pass ``owner_active=False``,
    so the owner can log in only after confirming the email address. Without a password
    (None) the owner cannot log in until one is set (``manage.py changepassword``, the
    admin): the demo's other marketplace sellers, whose logins nobody uses, are made so.

    The tier is not given: the monthly tiering run computes it from the indicators."""
    number = _registration_checked(country, registration_number)
    licence_info = None
    if business_licence is not None:
        licence_info = _licence_checked(business_licence)
    # A category under a main one stands for the main category it belongs to.
    categories = main_categories_of(_categories_by_code(category_codes))
    _main_categories_checked(categories)
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
            _licence_store(company, business_licence, licence_info)
            company.save()
            enqueue_after_commit("sellers.tasks.company_licence_read", company_id=company.pk)
        _verification_request_if_complete(company)
    return company


def _registration_checked(country: str, number: str) -> str:
    try:
        return company_registration_checked(country, number)
    except ValidationError as exc:
        raise ValidationError({"registration_number": exc.messages}) from None


def _licence_checked(upload: UploadedFile):
    try:
        return inspect_evidence_file(upload)
    except ValidationError as exc:
        raise ValidationError({"business_licence": exc.messages}) from None


def _licence_store(company: SellerCompany, upload: UploadedFile, info) -> None:
    company.business_licence_name = upload.name[:255]
    company.business_licence_sha256 = info.sha256
    company.business_licence_type = info.detected_type
    company.business_licence.save(
        f"{uuid.uuid4().hex}.{EXTENSIONS[info.detected_type]}", upload, save=False
    )


def _categories_by_code(codes) -> list[Category]:
    categories = list(Category.objects.filter(code__in=codes).select_related("parent"))
    missing = set(codes) - {category.code for category in categories}
    if missing:
        raise ValidationError(
            {
                "main_categories": [
                    gettext("Unknown category: %(codes)s.") % {"codes": ", ".join(sorted(missing))}
                ]
            }
        )
    return categories


def _main_categories_checked(categories: list[Category]) -> None:
    if len(categories) > MAX_MAIN_CATEGORIES:
        raise ValidationError(
            {
                "main_categories": [
                    gettext(
                        "Choose at most two main categories: the program takes companies "
                        "focused on one or two."
                    )
                ]
            }
        )


def _owned_company(actor: Actor, company_id: int) -> SellerCompany:
    """The company, locked, if the actor is its owner: the owner keeps the company's profile."""
    if not Membership.objects.filter(
        user_id=actor.user_id, company_id=company_id, role=Membership.Role.OWNER
    ).exists():
        raise ApplicationError(
            gettext("Only the company's owner can change its profile."), code="not_owner"
        )
    return SellerCompany.objects.select_for_update().get(pk=company_id)


def _identity_changed(company: SellerCompany) -> None:
    # A verification was of the name, number and licence as they stood; a change asks for
    # a new one.
    company.identity_status = SellerCompany.IdentityStatus.UNVERIFIED


def _verification_request_if_complete(company: SellerCompany) -> None:
    """Inside the write's transaction: a complete profile whose identity nobody has verified
    goes to the reviewers. A refused company comes back by changing its name, number or
    licence, which makes it unverified again; naming other main categories does not."""
    unverified = company.identity_status == SellerCompany.IdentityStatus.UNVERIFIED
    if not unverified or not profile_state(company).complete:
        return
    company.identity_status = SellerCompany.IdentityStatus.PENDING
    company.save(update_fields=["identity_status"])
    company_verification_requested.send(sender=SellerCompany, company_id=company.pk)


def company_identity_decide(
    *, actor: Actor, company_id: int, verified: bool, note: str = ""
) -> SellerCompany:
    """A reviewer's verdict on the company's identity (reviews.identity decides the case)."""
    if not actor.is_reviewer:
        raise ApplicationError(
            gettext("Only reviewers verify a company's identity."), code="not_reviewer"
        )
    with transaction.atomic():
        company = SellerCompany.objects.select_for_update().get(pk=company_id)
        company.identity_status = (
            SellerCompany.IdentityStatus.VERIFIED
            if verified
            else SellerCompany.IdentityStatus.REJECTED
        )
        company.identity_note = "" if verified else note
        company.save(update_fields=["identity_status", "identity_note"])
    return company


def company_identity_update(
    *, actor: Actor, company_id: int, legal_name: str, country: str, registration_number: str
) -> SellerCompany:
    """The owner corrects the company's legal name or registration; a change of either
    undoes the identity verification."""
    legal_name = legal_name.strip()
    errors = {}
    try:
        validate_visible_text(legal_name)
    except ValidationError as exc:
        errors["legal_name"] = exc.messages
    if not legal_name:
        errors["legal_name"] = [gettext("Enter the company's legal name.")]
    try:
        number = _registration_checked(country, registration_number)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        company = _owned_company(actor, company_id)
        if (
            SellerCompany.objects.filter(country=country, registration_number=number)
            .exclude(pk=company.pk)
            .exists()
        ):
            raise ValidationError(
                {
                    "registration_number": [
                        gettext("A company with number %(number)s is already registered.")
                        % {"number": number}
                    ]
                }
            )
        if (company.legal_name, company.country.code, company.registration_number) == (
            legal_name,
            country,
            number,
        ):
            return company
        company.legal_name = legal_name
        company.country = country
        company.registration_number = number
        _identity_changed(company)
        company.save(
            update_fields=["legal_name", "country", "registration_number", "identity_status"]
        )
        _verification_request_if_complete(company)
    return company


def company_licence_replace(
    *, actor: Actor, company_id: int, business_licence: UploadedFile
) -> SellerCompany:
    """The owner uploads the business licence (again); it needs verifying anew."""
    info = _licence_checked(business_licence)
    with transaction.atomic():
        company = _owned_company(actor, company_id)
        _licence_store(company, business_licence, info)
        _identity_changed(company)
        company.save(
            update_fields=[
                "business_licence",
                "business_licence_name",
                "business_licence_sha256",
                "business_licence_type",
                "identity_status",
            ]
        )
        enqueue_after_commit("sellers.tasks.company_licence_read", company_id=company.pk)
        _verification_request_if_complete(company)
    return company


def company_main_categories_set(
    *, actor: Actor, company_id: int, category_ids: list[int]
) -> SellerCompany:
    """The owner names the company's one or two main categories; those its open and admitted
    applications sell in count too, so the focus cannot grow past two this way either."""
    named = list(Category.objects.filter(pk__in=set(category_ids)).select_related("parent"))
    if len(named) != len(set(category_ids)):
        raise ValidationError({"main_categories": [gettext("Choose from the list.")]})
    if not named:
        raise ValidationError({"main_categories": [gettext("Choose one or two main categories.")]})
    # A category under a main one stands for the main category it belongs to.
    categories = main_categories_of(named)
    _main_categories_checked(categories)
    with transaction.atomic():
        company = _owned_company(actor, company_id)
        problem = focus_problem(company_focus(company, declared=categories))
        if problem:
            raise ValidationError({"main_categories": [problem]})
        company.main_categories.set(categories)
        _verification_request_if_complete(company)
    return company


def account_activate(*, user) -> None:
    """Confirming the email address opens the account for logging in."""
    type(user).objects.filter(pk=user.pk).update(is_active=True)
    user.is_active = True


def membership_set_language(*, user, language: str) -> None:
    """Remember the portal language a member uses, so that their emails are written in it."""
    if language in dict(settings.LANGUAGES):
        Membership.objects.filter(user=user).exclude(language=language).update(language=language)
