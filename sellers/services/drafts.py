"""The application wizard's writes. Each step saves what it has, so a seller can leave and
come back; the categories step starts the application through the one creation path.
"""

from dataclasses import dataclass
from datetime import date
from itertools import pairwise

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from brandprogram.errors import ApplicationError
from brandprogram.queueing import enqueue_after_commit
from sellers.access import Door, visible
from sellers.actors import Actor, Role
from sellers.categories import focus_checked
from sellers.models import (
    ApplicationDraft,
    AuthorizationLink,
    Brand,
    Category,
    Certification,
    Facility,
    Trademark,
)
from sellers.names import normalize_company_name
from sellers.services.applications import (
    TrademarkInput,
    application_start,
    categories_checked,
    program_checked,
    trademark_checked,
)
from sellers.services.evidence import certificate_as_evidence, upload_store
from sellers.signals import trademark_registry_lookup
from sellers.validators import normalize_trademark_number
from sellers.workflow.table import EDITABLE_STATUSES

WIZARD_STEPS = [step for step, _label in ApplicationDraft.Step.choices]


@dataclass(frozen=True)
class AuthorizationLinkInput:
    grantor_name: str
    grantee_name: str
    product_scope: str
    territory: str
    valid_from: date
    valid_until: date
    letter: UploadedFile | None = None


@dataclass(frozen=True)
class FacilityInput:
    manufacturer_name: str
    country: str
    ownership: str
    monthly_capacity_units: int | None = None


@dataclass(frozen=True)
class CertificationInput:
    standard: str
    number: str
    issuer: str
    scope: str = ""
    expires_on: date | None = None
    file: UploadedFile | None = None


def _editable_draft(actor: Actor, draft_id: int) -> ApplicationDraft:
    """The draft, locked, if the actor works for its company and it can still change."""
    draft = (
        visible(ApplicationDraft.objects.select_for_update(of=("self",)), actor, doors=Door.SELLER)
        .select_related("company", "brand", "trademark", "application")
        .filter(pk=draft_id)
        .first()
    )
    if draft is None:
        raise ApplicationError(gettext("There is no such draft."), code="no_draft")
    if draft.application is not None and draft.application.status not in EDITABLE_STATUSES:
        raise ApplicationError(
            gettext("This application was submitted; it can no longer be changed."),
            code="not_editable",
        )
    return draft


def _advance(draft: ApplicationDraft, done: str) -> None:
    following = WIZARD_STEPS[min(WIZARD_STEPS.index(done) + 1, len(WIZARD_STEPS) - 1)]
    if WIZARD_STEPS.index(following) > WIZARD_STEPS.index(draft.step):
        draft.step = following
    draft.save()


def draft_save_brand(
    *,
    actor: Actor,
    company_id: int,
    name: str,
    native_name: str = "",
    logo: UploadedFile | None = None,
    draft_id: int | None = None,
) -> ApplicationDraft:
    """Step 1. Starts a draft, or renames the draft's brand when the seller comes back."""
    if Role.SELLER not in actor.roles_for(company_id):
        raise ApplicationError(gettext("You do not act for this company."), code="not_your_company")
    name = name.strip()
    if not name:
        raise ValidationError({"name": [gettext("Enter the brand name exactly as registered.")]})
    with transaction.atomic():
        if draft_id is None:
            draft = ApplicationDraft(
                company_id=company_id, step=ApplicationDraft.Step.BRAND, created_by=actor.user
            )
            brand = Brand.objects.filter(company_id=company_id, name=name).first() or Brand(
                company_id=company_id, name=name
            )
        else:
            draft = _editable_draft(actor, draft_id)
            brand = draft.brand
            clash = Brand.objects.filter(company_id=company_id, name=name).exclude(pk=brand.pk)
            if clash.exists():
                raise ValidationError(
                    {
                        "name": [
                            gettext("Your company already has a brand %(name)s.") % {"name": name}
                        ]
                    }
                )
            brand.name = name
        brand.native_name = native_name.strip()
        if logo is not None:
            upload_store(brand.logo, logo, "logo")
        brand.save()
        draft.brand = brand
        _advance(draft, ApplicationDraft.Step.BRAND)
    return draft


def draft_save_trademark(
    *,
    actor: Actor,
    draft_id: int,
    trademark: TrademarkInput,
    certificate: UploadedFile | None = None,
) -> ApplicationDraft:
    errors: dict[str, list[str]] = {}
    number, classes = trademark_checked(trademark, errors, number_field="number")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        draft = _editable_draft(actor, draft_id)
        mark = draft.trademark or Trademark(brand=draft.brand)
        clash = Trademark.objects.filter(
            brand=draft.brand, office=trademark.office, number=number
        ).exclude(pk=mark.pk)
        if clash.exists():
            mark = clash.get()
        mark.office = trademark.office
        mark.number = number
        mark.registration_status = trademark.registration_status
        mark.mark_type = trademark.mark_type
        mark.nice_classes = classes
        mark.owner_name = trademark.owner_name.strip()
        mark.expires_on = trademark.expires_on
        if certificate is not None:
            upload_store(mark.certificate, certificate, "certificate")
        mark.save()
        draft.trademark = mark
        if draft.application is not None:
            draft.application.trademark = mark
            draft.application.save(update_fields=["trademark", "updated_at"])
            if certificate is not None:
                certificate_as_evidence(draft.application, actor, mark)
        _advance(draft, ApplicationDraft.Step.TRADEMARK)
    return draft


def trademark_warnings(
    *, office: str, number: str, owner_name: str, expires_on: date | None
) -> list[str]:
    """What looks wrong in a trademark as entered, against the registry data held locally.
    Warnings only: the registry copy may be behind, and reviewers check the record anyway."""
    warnings = []
    try:
        canonical = normalize_trademark_number(office, number)
    except ValidationError:
        canonical = None
    if canonical:
        answers = trademark_registry_lookup.send(sender=Trademark, office=office, number=canonical)
        hint = next((hint for _, hint in answers if hint is not None), None)
        if hint is not None and not hint.known:
            warnings.append(
                gettext(
                    "%(office)s number %(number)s is not in the registry data we hold. Check "
                    "the number; a reviewer will look it up before deciding."
                )
                % {"office": office, "number": canonical}
            )
        elif (
            hint is not None
            and owner_name.strip()
            and normalize_company_name(hint.owner_name) != normalize_company_name(owner_name)
        ):
            warnings.append(
                gettext(
                    "The registry records %(registered)s as the owner, not %(owner)s. Enter "
                    "the owner as the registry shows it, or explain in the ownership step."
                )
                % {"registered": hint.owner_name, "owner": owner_name.strip()}
            )
    if expires_on is not None and expires_on < timezone.localdate():
        warnings.append(
            gettext(
                "The certificate expired on %(date)s. Upload the renewal certificate if the "
                "registration was renewed."
            )
            % {"date": date_format(expires_on, "DATE_FORMAT")}
        )
    return warnings


def same_party(first: str, second: str) -> bool:
    """Names of the same company by the one rule every check uses (``sellers.names``): the
    wizard joins a chain exactly where the reviewer's case and the registry check do."""
    return normalize_company_name(first) == normalize_company_name(second)


def authorization_chain_problems(draft: ApplicationDraft) -> list[str]:
    """What breaks the chain from the trademark owner to this seller, in the chain's order."""
    links = list(draft.trademark.authorization_links.order_by("position"))
    owner, seller = draft.trademark.owner_name, draft.company.legal_name
    if not links:
        return [
            gettext("Add the authorization from the owner on record, “%(owner)s”.")
            % {"owner": owner}
        ]
    problems = []
    if not same_party(links[0].grantor_name, owner):
        problems.append(
            gettext("Link 1 is granted by “%(grantor)s”, but the owner on record is “%(owner)s”.")
            % {"grantor": links[0].grantor_name, "owner": owner}
        )
    for number, (link, following) in enumerate(pairwise(links), start=1):
        if not same_party(link.grantee_name, following.grantor_name):
            problems.append(
                gettext(
                    "Link %(number)s is granted to “%(grantee)s”, but link %(next)s is granted "
                    "by “%(grantor)s”."
                )
                % {
                    "number": number,
                    "grantee": link.grantee_name,
                    "next": number + 1,
                    "grantor": following.grantor_name,
                }
            )
    if not same_party(links[-1].grantee_name, seller):
        problems.append(
            gettext("The last link is granted to “%(grantee)s”, not to your company, “%(seller)s”.")
            % {"grantee": links[-1].grantee_name, "seller": seller}
        )
    today = timezone.localdate()
    for number, link in enumerate(links, start=1):
        if link.valid_until < today:
            problems.append(
                gettext("Link %(number)s expired on %(date)s.")
                % {"number": number, "date": link.valid_until.isoformat()}
            )
    return problems


def draft_add_authorization_link(
    *, actor: Actor, draft_id: int, link: AuthorizationLinkInput
) -> AuthorizationLink:
    if link.valid_until < link.valid_from:
        raise ValidationError(
            {"valid_until": [gettext("The authorization ends before it starts.")]}
        )
    with transaction.atomic():
        draft = _editable_draft(actor, draft_id)
        last = draft.trademark.authorization_links.order_by("-position").first()
        created = AuthorizationLink(
            trademark=draft.trademark,
            position=(last.position + 1) if last else 1,
            grantor_name=link.grantor_name.strip(),
            grantee_name=link.grantee_name.strip(),
            product_scope=link.product_scope.strip(),
            territory=link.territory.strip(),
            valid_from=link.valid_from,
            valid_until=link.valid_until,
        )
        if link.letter is not None:
            info = upload_store(created.letter, link.letter, "letter")
            created.letter_name = link.letter.name[:255]
            created.letter_sha256, created.letter_type = info.sha256, info.detected_type
        created.save()
        if created.letter:
            enqueue_after_commit("sellers.tasks.authorization_letter_read", link_id=created.pk)
        draft.save(update_fields=["updated_at"])
    return created


def draft_remove_last_authorization_link(*, actor: Actor, draft_id: int) -> None:
    with transaction.atomic():
        draft = _editable_draft(actor, draft_id)
        last = draft.trademark.authorization_links.order_by("-position").first()
        if last is not None:
            last.delete()


def draft_save_ownership(*, actor: Actor, draft_id: int, owns: bool) -> ApplicationDraft:
    """Step 3. The company owns the mark, or the authorization chain reaches it unbroken."""
    with transaction.atomic():
        draft = _editable_draft(actor, draft_id)
        if owns and not same_party(draft.trademark.owner_name, draft.company.legal_name):
            raise ValidationError(
                {
                    "owns": [
                        gettext(
                            "The owner on record is “%(owner)s”, not “%(company)s”. Add the "
                            "authorization chain instead."
                        )
                        % {"owner": draft.trademark.owner_name, "company": draft.company.legal_name}
                    ]
                }
            )
        if not owns:
            problems = authorization_chain_problems(draft)
            if problems:
                raise ValidationError({"owns": problems})
        draft.owns_trademark = owns
        _advance(draft, ApplicationDraft.Step.OWNERSHIP)
    return draft


def uncovered_categories(trademark: Trademark, categories) -> list[Category]:
    """Categories none of whose Nice classes the trademark is registered in."""
    classes = set(trademark.nice_classes)
    return [c for c in categories if c.nice_classes and not classes & set(c.nice_classes)]


def draft_save_categories(
    *, actor: Actor, draft_id: int, program_id: int, category_ids: list[int]
) -> ApplicationDraft:
    """Step 4. The application itself starts here, so evidence has somewhere to go."""
    errors: dict[str, list[str]] = {}
    categories = categories_checked(category_ids, errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        draft = _editable_draft(actor, draft_id)
        application = draft.application
        focus_checked(
            draft.company,
            categories,
            errors,
            exclude_application_id=application.pk if application else None,
        )
        if errors:
            raise ValidationError(errors)
        if application is None:
            program = program_checked(program_id, errors)
            if errors:
                raise ValidationError(errors)
            application = application_start(
                actor=actor,
                company=draft.company,
                program=program,
                brand=draft.brand,
                trademark=draft.trademark,
                categories=categories,
            )
            draft.application = application
            if draft.trademark.certificate:
                certificate_as_evidence(application, actor, draft.trademark)
        else:
            application.categories.set(categories)
        _advance(draft, ApplicationDraft.Step.CATEGORIES)
    return draft


def draft_add_facility(
    *,
    actor: Actor,
    draft_id: int,
    facility: FacilityInput,
    certification: CertificationInput | None = None,
) -> Facility:
    with transaction.atomic():
        draft = _editable_draft(actor, draft_id)
        created = Facility.objects.create(
            company=draft.company,
            manufacturer_name=facility.manufacturer_name.strip(),
            country=facility.country,
            ownership=facility.ownership,
            monthly_capacity_units=facility.monthly_capacity_units,
        )
        if certification is not None:
            cert = Certification(
                facility=created,
                standard=certification.standard.strip(),
                number=certification.number.strip(),
                issuer=certification.issuer.strip(),
                scope=certification.scope.strip(),
                expires_on=certification.expires_on,
            )
            if certification.file is not None:
                info = upload_store(cert.file, certification.file, "certification_file")
                cert.file_sha256 = info.sha256
            cert.save()
        draft.save(update_fields=["updated_at"])
    return created


def draft_finish_step(*, actor: Actor, draft_id: int, step: str) -> ApplicationDraft:
    """Supply chain and evidence: moving on needs at least one facility, then one file."""
    with transaction.atomic():
        draft = _editable_draft(actor, draft_id)
        if step == ApplicationDraft.Step.SUPPLY and not draft.company.facilities.exists():
            raise ValidationError(
                {"facility": [gettext("Add at least one factory or contract manufacturer.")]}
            )
        _advance(draft, step)
    return draft
