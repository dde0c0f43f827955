"""Every write on the seller side, one function per use case.

Views, API views, commands and tasks validate their input shape and call these; the rules live
here so that the web, the API and the shell behave alike.
"""

import hashlib
import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from itertools import pairwise

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from brandprogram.errors import ApplicationError
from sellers.actors import Actor, Role
from sellers.api import cache as api_cache
from sellers.models import (
    ApiKey,
    Application,
    ApplicationDraft,
    ApplicationEvent,
    AuthorizationLink,
    Brand,
    Category,
    Certification,
    Evidence,
    Facility,
    Membership,
    Notification,
    PartnerGrant,
    PartnerOrganization,
    Program,
    ReasonCode,
    RequestedEvidence,
    SellerCompany,
    Status,
    Trademark,
)
from sellers.models.application import CLOSED_STATUSES
from sellers.models.partner import Scope
from sellers.validators import (
    inspect_evidence_file,
    normalize_nice_classes,
    normalize_registration_number,
    normalize_trademark_number,
)
from sellers.workflow import application_transition, seller_label

EDITABLE_STATUSES = (Status.DRAFT, Status.CHANGES_REQUESTED)
EXTENSIONS = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
}
API_KEY_PREFIX = "bpk"


@dataclass(frozen=True)
class TrademarkInput:
    office: str
    number: str
    registration_status: str
    mark_type: str
    nice_classes: list[int]
    owner_name: str
    expires_on: date | None = None
    correspondent_email: str = ""


@dataclass(frozen=True)
class EvidenceInput:
    kind: str
    upload: UploadedFile


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
        number = normalize_registration_number(country, registration_number)
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
        if SellerCompany.objects.filter(country=country, registration_number=number).exists():
            raise ValidationError(
                {
                    "registration_number": [
                        gettext("A company with number %(number)s is already registered.")
                        % {"number": number}
                    ]
                }
            )
        if User.objects.filter(username__iexact=owner_email).exists():
            raise ValidationError(
                {
                    "owner_email": [
                        gettext("%(email)s already has an account.") % {"email": owner_email}
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


def partner_create(
    *, name: str, contact_email: str, marketplace_system: bool = False
) -> PartnerOrganization:
    partner, _ = PartnerOrganization.objects.get_or_create(
        name=name.strip(), defaults={"contact_email": contact_email}
    )
    if marketplace_system and not partner.is_marketplace_system:
        partner.is_marketplace_system = True
        partner.save(update_fields=["is_marketplace_system"])
    return partner


def partner_grant(
    *, partner: PartnerOrganization, company: SellerCompany, actor: Actor
) -> PartnerGrant:
    """Let a partner act for a seller; granting twice keeps the one active grant."""
    try:
        with transaction.atomic():
            return PartnerGrant.objects.create(
                partner=partner, company=company, granted_by=actor.user
            )
    except IntegrityError:
        return PartnerGrant.objects.get(partner=partner, company=company, revoked_at__isnull=True)


def api_key_issue(
    *,
    name: str,
    scopes: list[str],
    partner: PartnerOrganization | None = None,
    company: SellerCompany | None = None,
    staff_user=None,
    expires_at: datetime | None = None,
    actor: Actor | None = None,
) -> tuple[ApiKey, str]:
    """Create a key and return it with its secret, which is never stored and shown only now."""
    unknown = set(scopes) - set(Scope.values)
    if unknown:
        raise ValidationError({"scopes": [f"Unknown scope: {', '.join(sorted(unknown))}."]})
    if Scope.INDICATORS_WRITE in scopes and not (partner and partner.is_marketplace_system):
        raise ValidationError(
            {"scopes": [f"Only marketplace systems may hold {Scope.INDICATORS_WRITE.value}."]}
        )
    # A reviewer's key works the queues and nothing else; a seller's or partner's never can.
    if (staff_user is not None) != (set(scopes) == {Scope.REVIEW}):
        raise ValidationError(
            {"scopes": ["A reviewer's key has exactly the review scope; other keys never have it."]}
        )
    prefix = secrets.token_hex(4)
    raw = f"{API_KEY_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    key = ApiKey.objects.create(
        name=name,
        prefix=prefix,
        key_hash=api_key_hash(raw),
        scopes=sorted(set(scopes)),
        partner=partner,
        company=company,
        staff_user=staff_user,
        expires_at=expires_at,
        created_by=actor.user if actor else None,
    )
    return key, raw


def api_key_hash(raw: str) -> str:
    # The secret has 256 bits of entropy, so a plain digest is enough; no salt or stretching.
    return hashlib.sha256(raw.encode()).hexdigest()


def api_key_revoke(*, api_key: ApiKey) -> ApiKey:
    ApiKey.objects.filter(pk=api_key.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    api_cache.references_changed()
    api_key.refresh_from_db()
    return api_key


def application_create(
    *,
    actor: Actor,
    company_id: int,
    program_id: int,
    brand_name: str,
    brand_native_name: str,
    trademark: TrademarkInput,
    category_ids: list[int],
    evidence: list[EvidenceInput] = (),
) -> Application:
    """Start a draft application with its brand, trademark and first evidence files.

    Every input is checked before anything is written, so a refusal leaves no half-made draft
    and no orphan file behind.
    """
    if Role.SELLER not in actor.roles_for(company_id):
        raise ApplicationError(gettext("You do not act for this company."), code="not_your_company")
    errors: dict[str, list[str]] = {}
    brand_name = brand_name.strip()
    if not brand_name:
        errors["brand_name"] = [gettext("Enter the brand name exactly as registered.")]
    trademark_number = _collect(
        errors, "trademark_number", normalize_trademark_number, trademark.office, trademark.number
    )
    nice_classes = _collect(errors, "nice_classes", normalize_nice_classes, trademark.nice_classes)
    if not trademark.owner_name.strip():
        errors["owner_name"] = [gettext("Enter the owner as shown on the registry record.")]
    categories = list(Category.objects.filter(pk__in=set(category_ids)))
    if not 1 <= len(set(category_ids)) <= 2 or len(categories) != len(set(category_ids)):
        errors["categories"] = [gettext("Choose one or two categories from the list.")]
    program = Program.objects.filter(pk=program_id).first()
    if program is None:
        errors["program"] = [gettext("Choose a program.")]
    elif not _program_accepts(program):
        errors["program"] = [
            gettext("%(program)s is not accepting applications today.") % {"program": program}
        ]
    inspected = []
    for item in evidence:
        if item.kind not in Evidence.Kind.values:
            errors.setdefault("evidence", []).append(
                gettext("Unknown evidence kind “%(kind)s”.") % {"kind": item.kind}
            )
            continue
        inspected.append((item, _collect(errors, "evidence", inspect_evidence_file, item.upload)))
    if errors:
        raise ValidationError(errors)

    with transaction.atomic():
        company = SellerCompany.objects.get(pk=company_id)
        brand, _ = Brand.objects.get_or_create(
            company=company, name=brand_name, defaults={"native_name": brand_native_name.strip()}
        )
        if (
            Application.objects.filter(program=program, brand=brand)
            .exclude(status__in=CLOSED_STATUSES)
            .exists()
        ):
            raise ApplicationError(
                gettext("%(brand)s already has an open application in %(program)s.")
                % {"brand": brand.name, "program": program},
                code="duplicate_application",
                field="brand_name",
            )
        mark, _ = Trademark.objects.update_or_create(
            brand=brand,
            office=trademark.office,
            number=trademark_number,
            defaults={
                "registration_status": trademark.registration_status,
                "mark_type": trademark.mark_type,
                "nice_classes": nice_classes,
                "owner_name": trademark.owner_name.strip(),
                "expires_on": trademark.expires_on,
                "correspondent_email": trademark.correspondent_email,
            },
        )
        try:
            with transaction.atomic():
                application = Application.objects.create(
                    company=company,
                    program=program,
                    brand=brand,
                    trademark=mark,
                    created_by=actor.user,
                )
        except IntegrityError:
            # Two identical requests raced past the check above; the constraint caught it.
            raise ApplicationError(
                gettext("%(brand)s already has an open application in %(program)s.")
                % {"brand": brand.name, "program": program},
                code="duplicate_application",
                field="brand_name",
            ) from None
        application.categories.set(categories)
        _record(application, actor, "created", "Application started.")
        for item, info in inspected:
            _store_evidence(application, actor, item, info)
    return application


def evidence_add(*, actor: Actor, application_id: int, kind: str, upload: UploadedFile) -> Evidence:
    if kind not in Evidence.Kind.values:
        raise ValidationError(
            {"kind": [gettext("Unknown evidence kind “%(kind)s”.") % {"kind": kind}]}
        )
    try:
        info = inspect_evidence_file(upload)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from None
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application_id)
        if Role.SELLER not in actor.roles_for(application.company_id):
            raise ApplicationError(
                gettext("You do not act for this company."), code="not_your_company"
            )
        if application.status not in EDITABLE_STATUSES:
            raise ApplicationError(
                gettext(
                    "Evidence can only be added while the application is a draft or changes "
                    "are requested."
                ),
                code="not_editable",
            )
        return _store_evidence(application, actor, EvidenceInput(kind, upload), info)


def _store_evidence(application, actor, item: EvidenceInput, info) -> Evidence:
    _check_quota(application.company_id, info.size)
    # Stored under a random name: the uploader's file name is kept only as data.
    stored_name = f"{uuid.uuid4().hex}.{EXTENSIONS[info.detected_type]}"
    evidence = Evidence(
        application=application,
        kind=item.kind,
        original_name=item.upload.name[:255],
        sha256=info.sha256,
        size=info.size,
        detected_type=info.detected_type,
        uploaded_by=actor.user,
    )
    evidence.file.save(stored_name, item.upload, save=False)
    evidence.save()
    _record(
        application,
        actor,
        "evidence_added",
        f"{evidence.get_kind_display()}: {evidence.original_name}",
    )
    return evidence


def _check_quota(company_id: int, size: int) -> None:
    # Locking the company row serialises its uploads, so two at once cannot both squeeze in.
    SellerCompany.objects.select_for_update().filter(pk=company_id).first()
    used = (
        Evidence.objects.filter(application__company_id=company_id).aggregate(total=Sum("size"))[
            "total"
        ]
        or 0
    )
    quota = settings.COMPANY_STORAGE_QUOTA_BYTES
    if used + size > quota:
        raise ValidationError(
            {
                "file": [
                    gettext(
                        "Your company's files already use %(used)s of its %(quota)s; this file "
                        "(%(size)s) does not fit. Remove files you no longer need."
                    )
                    % {
                        "used": filesizeformat(used),
                        "quota": filesizeformat(quota),
                        "size": filesizeformat(size),
                    }
                ]
            }
        )


def _record(application, actor: Actor, action: str, note: str, *, seller_visible: bool = True):
    ApplicationEvent.objects.create(
        application=application,
        actor=actor.user,
        actor_label=actor.label,
        action=action,
        seller_visible=seller_visible,
        note=note,
    )


def _collect(errors: dict, field: str, check, *args):
    try:
        return check(*args)
    except ValidationError as exc:
        errors.setdefault(field, []).extend(exc.messages)
        return None


def _program_accepts(program: Program) -> bool:
    today = timezone.localdate()
    return program.opens_on <= today and (program.closes_on is None or today <= program.closes_on)


def application_record_risk_score(*, application_id: int, risk_score: int) -> None:
    """Store the latest screening verdict on the application, for queues and the seller view."""
    Application.objects.filter(pk=application_id).update(risk_score=risk_score)


def application_internal_event_record(
    *, actor: Actor, application_id: int, action: str, note: str
) -> ApplicationEvent:
    """Add a line to the history that only staff see (a reviewer re-ran checks, say).

    Called inside the caller's transaction, so the line exists exactly when what it records
    does; it changes no status and notifies nobody.
    """
    return ApplicationEvent.objects.create(
        application_id=application_id,
        actor=actor.user,
        actor_label=actor.label,
        action=action,
        seller_visible=False,
        note=note,
    )


def application_update_draft(
    *,
    actor: Actor,
    application_id: int,
    unchanged_since: datetime | None = None,
    brand_native_name: str | None = None,
    trademark_changes: dict | None = None,
    category_ids: list[int] | None = None,
) -> Application:
    """Change a draft (or an application returned for changes) before it is submitted.

    Only the given parts change; the trademark is checked as a whole, exactly like at creation.
    ``unchanged_since`` is the ``updated_at`` the caller last saw: if the application moved on
    since, nothing is written, so one client cannot silently undo another's edit.
    """
    with transaction.atomic():
        application = (
            Application.objects.select_for_update()
            .select_related("brand", "trademark")
            .get(pk=application_id)
        )
        if Role.SELLER not in actor.roles_for(application.company_id):
            raise ApplicationError(
                gettext("You do not act for this company."), code="not_your_company"
            )
        if unchanged_since is not None and application.updated_at != unchanged_since:
            raise ApplicationError(
                gettext(
                    "The application changed since you read it; read it again and reapply your "
                    "edit."
                ),
                code="changed_meanwhile",
            )
        if application.status not in EDITABLE_STATUSES:
            raise ApplicationError(
                gettext("Only a draft, or an application with changes requested, can be edited."),
                code="not_editable",
            )
        current = application.trademark
        mark_input = TrademarkInput(
            **{
                name: getattr(current, name)
                for name in TrademarkInput.__dataclass_fields__
                if name not in (trademark_changes or {})
            },
            **(trademark_changes or {}),
        )
        errors: dict[str, list[str]] = {}
        number = _collect(
            errors,
            "trademark_number",
            normalize_trademark_number,
            mark_input.office,
            mark_input.number,
        )
        nice_classes = _collect(
            errors, "nice_classes", normalize_nice_classes, mark_input.nice_classes
        )
        if not mark_input.owner_name.strip():
            errors["owner_name"] = [gettext("Enter the owner as shown on the registry record.")]
        categories = None
        if category_ids is not None:
            categories = list(Category.objects.filter(pk__in=set(category_ids)))
            if not 1 <= len(set(category_ids)) <= 2 or len(categories) != len(set(category_ids)):
                errors["categories"] = [gettext("Choose one or two categories from the list.")]
        if errors:
            raise ValidationError(errors)

        changed = []
        if brand_native_name is not None and brand_native_name.strip() != (
            application.brand.native_name
        ):
            application.brand.native_name = brand_native_name.strip()
            application.brand.save(update_fields=["native_name"])
            changed.append("brand native name")
        if trademark_changes:
            application.trademark, _ = Trademark.objects.update_or_create(
                brand=application.brand,
                office=mark_input.office,
                number=number,
                defaults={
                    "registration_status": mark_input.registration_status,
                    "mark_type": mark_input.mark_type,
                    "nice_classes": nice_classes,
                    "owner_name": mark_input.owner_name.strip(),
                    "expires_on": mark_input.expires_on,
                    "correspondent_email": mark_input.correspondent_email,
                },
            )
            changed.append("trademark")
        if categories is not None and set(categories) != set(application.categories.all()):
            application.categories.set(categories)
            changed.append("categories")
        # Saved even when nothing changed, so the version a client holds moves on with it.
        application.save(update_fields=["trademark", "updated_at"])
        if changed:
            _record(application, actor, "edited", f"Changed: {', '.join(changed)}.")
    return application


def evidence_remove(*, actor: Actor, application_id: int, evidence_id: int) -> None:
    """Take a file back out of a draft; the timeline keeps a line saying which one it was."""
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application_id)
        if Role.SELLER not in actor.roles_for(application.company_id):
            raise ApplicationError(
                gettext("You do not act for this company."), code="not_your_company"
            )
        if application.status != Status.DRAFT:
            raise ApplicationError(
                gettext("Evidence can only be removed while the application is a draft."),
                code="not_editable",
            )
        evidence = Evidence.objects.filter(application=application, pk=evidence_id).first()
        if evidence is None:
            raise ApplicationError(
                gettext("This application has no such evidence."), code="no_evidence"
            )
        storage, name = evidence.file.storage, evidence.file.name
        evidence.delete()
        application.save(update_fields=["updated_at"])
        _record(
            application,
            actor,
            "evidence_removed",
            f"{evidence.get_kind_display()}: {evidence.original_name}",
        )
        # The file goes only once the row is gone for good, never while a rollback could
        # still bring the row back.
        transaction.on_commit(lambda: storage.delete(name))


def account_activate(*, user) -> None:
    """Confirming the email address opens the account for logging in."""
    type(user).objects.filter(pk=user.pk).update(is_active=True)
    user.is_active = True


def _owner_membership(actor: Actor) -> Membership:
    membership = Membership.objects.filter(
        user_id=actor.user_id, role=Membership.Role.OWNER
    ).first()
    if membership is None:
        raise ApplicationError(
            gettext("Only the company's owner can manage its team."), code="not_owner"
        )
    return membership


def staff_invite_check(*, actor: Actor, email: str) -> int:
    """Check that the owner may invite ``email``; return the company the invitation is for."""
    owner = _owner_membership(actor)
    if get_user_model().objects.filter(username__iexact=email).exists():
        raise ValidationError(
            {"email": [gettext("%(email)s already has an account.") % {"email": email}]}
        )
    return owner.company_id


def staff_join(*, company_id: int, email: str, password: str, name: str = "") -> Membership:
    """Create the invited person's login as staff of the company that invited them."""
    User = get_user_model()
    first, _, last = name.strip().partition(" ")
    with transaction.atomic():
        if User.objects.filter(username__iexact=email).exists():
            raise ValidationError(
                {"email": [gettext("%(email)s already has an account.") % {"email": email}]}
            )
        user = User.objects.create_user(
            username=email.lower(),
            email=email.lower(),
            password=password,
            first_name=first,
            last_name=last,
        )
        return Membership.objects.create(
            company_id=company_id, user=user, role=Membership.Role.STAFF
        )


def staff_remove(*, actor: Actor, membership_id: int) -> None:
    """Remove a staff member; the login stays but no longer reaches the company."""
    owner = _owner_membership(actor)
    membership = Membership.objects.filter(
        pk=membership_id, company_id=owner.company_id, role=Membership.Role.STAFF
    ).first()
    if membership is None:
        raise ApplicationError(gettext("This company has no such staff member."), code="no_member")
    membership.delete()


def ownership_transfer(*, actor: Actor, membership_id: int) -> Membership:
    """Make a staff member the owner; the previous owner stays on as staff."""
    with transaction.atomic():
        owner = (
            Membership.objects.select_for_update()
            .filter(user_id=actor.user_id, role=Membership.Role.OWNER)
            .first()
        )
        if owner is None:
            raise ApplicationError(
                gettext("Only the company's owner can manage its team."), code="not_owner"
            )
        new_owner = (
            Membership.objects.select_for_update()
            .filter(pk=membership_id, company_id=owner.company_id, role=Membership.Role.STAFF)
            .first()
        )
        if new_owner is None:
            raise ApplicationError(
                gettext("This company has no such staff member."), code="no_member"
            )
        # One owner per company is a constraint, so the old owner steps down first.
        owner.role = Membership.Role.STAFF
        owner.save(update_fields=["role"])
        new_owner.role = Membership.Role.OWNER
        new_owner.save(update_fields=["role"])
    return new_owner


# The application wizard. Each step saves what it has, so a seller can leave and come back.

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
        ApplicationDraft.objects.select_for_update(of=("self",))
        .select_related("company", "brand", "trademark", "application")
        .filter(pk=draft_id)
        .first()
    )
    if draft is None or Role.SELLER not in actor.roles_for(draft.company_id):
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


def _stored_upload(field, upload: UploadedFile, field_name: str) -> None:
    try:
        info = inspect_evidence_file(upload)
    except ValidationError as exc:
        raise ValidationError({field_name: exc.messages}) from None
    field.save(f"{uuid.uuid4().hex}.{EXTENSIONS[info.detected_type]}", upload, save=False)


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
            _stored_upload(brand.logo, logo, "logo")
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
    number = _collect(
        errors, "number", normalize_trademark_number, trademark.office, trademark.number
    )
    classes = _collect(errors, "nice_classes", normalize_nice_classes, trademark.nice_classes)
    if not trademark.owner_name.strip():
        errors["owner_name"] = [gettext("Enter the owner as shown on the registry record.")]
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
            _stored_upload(mark.certificate, certificate, "certificate")
        mark.save()
        draft.trademark = mark
        if draft.application is not None:
            draft.application.trademark = mark
            draft.application.save(update_fields=["trademark", "updated_at"])
            if certificate is not None:
                _certificate_as_evidence(draft.application, actor, mark)
        _advance(draft, ApplicationDraft.Step.TRADEMARK)
    return draft


def _certificate_as_evidence(application: Application, actor: Actor, mark: Trademark) -> None:
    """File the trademark step's certificate with the evidence, where reviewers and the
    checklist look, so the seller is not asked for it twice."""
    with mark.certificate.open("rb") as handle:
        extension = mark.certificate.name.rsplit(".", 1)[-1]
        upload = File(handle, name=f"{mark.office} {mark.number} certificate.{extension}")
        upload.size = mark.certificate.size
        info = inspect_evidence_file(upload)
        if application.evidence.filter(sha256=info.sha256).exists():
            return
        _store_evidence(
            application,
            actor,
            EvidenceInput(Evidence.Kind.TRADEMARK_CERTIFICATE, upload),
            info,
        )


def same_party(first: str, second: str) -> bool:
    """Names of the same company as people type them: case and spacing do not matter."""
    return " ".join(first.split()).casefold() == " ".join(second.split()).casefold()


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
            _stored_upload(created.letter, link.letter, "letter")
        created.save()
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
    categories = list(Category.objects.filter(pk__in=set(category_ids)))
    if not 1 <= len(set(category_ids)) <= 2 or len(categories) != len(set(category_ids)):
        raise ValidationError(
            {"categories": [gettext("Choose one or two categories from the list.")]}
        )
    with transaction.atomic():
        draft = _editable_draft(actor, draft_id)
        application = draft.application
        if application is None:
            program = Program.objects.filter(pk=program_id).first()
            if program is None or not _program_accepts(program):
                raise ValidationError(
                    {"program": [gettext("Choose a program open for applications.")]}
                )
            try:
                with transaction.atomic():
                    application = Application.objects.create(
                        company=draft.company,
                        program=program,
                        brand=draft.brand,
                        trademark=draft.trademark,
                        created_by=actor.user,
                    )
            except IntegrityError:
                raise ApplicationError(
                    gettext("%(brand)s already has an open application in %(program)s.")
                    % {"brand": draft.brand.name, "program": program},
                    code="duplicate_application",
                    field="categories",
                ) from None
            _record(application, actor, "created", "Application started.")
            draft.application = application
            if draft.trademark.certificate:
                _certificate_as_evidence(application, actor, draft.trademark)
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
                _stored_upload(cert.file, certification.file, "certification_file")
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


def notifications_create(*, event_id: int) -> list[Notification]:
    """One inbox entry per member for a seller-visible event; none twice for the same event."""
    event = ApplicationEvent.objects.select_related("application__brand").get(pk=event_id)
    if not event.seller_visible:
        return []
    application = event.application
    created = []
    for membership in Membership.objects.filter(company_id=application.company_id).select_related(
        "user"
    ):
        with translation.override(membership.language):
            subject, body = render_notification(event)
        notification, is_new = Notification.objects.get_or_create(
            user=membership.user,
            event=event,
            defaults={"application": application, "subject": subject, "body": body},
        )
        if is_new:
            created.append(notification)
    return created


def render_notification(event: ApplicationEvent) -> tuple[str, str]:
    application = event.application
    context = {
        "brand": application.brand.name,
        "status": seller_label(event.to_status or application.status),
        "event": event,
        "reasons": [dict(ReasonCode.choices).get(code, code) for code in event.reasons],
        "link": settings.PORTAL_URL.rstrip("/")
        + reverse("portal:application_detail", args=[application.pk]),
    }
    subject = f"{application.brand.name}: {context['status']}"
    return subject, render_to_string("sellers/email/status_changed.txt", context).strip()


def notification_mark_mailed(*, notification_id: int) -> None:
    Notification.objects.filter(pk=notification_id, mailed_at__isnull=True).update(
        mailed_at=timezone.now()
    )


def notifications_mark_read(*, user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def membership_set_language(*, user, language: str) -> None:
    """Remember the portal language a member uses, so that their emails are written in it."""
    if language in dict(settings.LANGUAGES):
        Membership.objects.filter(user=user).exclude(language=language).update(language=language)


def changes_request(
    *,
    actor: Actor,
    application_id: int,
    note: str,
    evidence_kinds: list[str],
    internal_note: str = "",
    reasons: Sequence[str] = (),
) -> Application:
    """Return the application to the seller, naming the evidence kinds that need attention."""
    unknown = sorted(set(evidence_kinds) - set(Evidence.Kind.values))
    if unknown:
        raise ApplicationError(
            gettext("Unknown evidence kind “%(kind)s”.") % {"kind": unknown[0]},
            code="unknown_kind",
            field="evidence_kinds",
        )
    with transaction.atomic():
        application = application_transition(
            application_id=application_id,
            action="request_changes",
            actor=actor,
            note=note,
            internal_note=internal_note,
            reasons=reasons,
        )
        event = application.events.filter(action="request_changes").latest("created_at", "pk")
        RequestedEvidence.objects.bulk_create(
            RequestedEvidence(event=event, kind=kind)
            for kind in Evidence.Kind.values
            if kind in evidence_kinds
        )
    return application


def decisions_release(*, actor: Actor, application_ids: Sequence[int]) -> list[Application]:
    """Tell the sellers of staged decisions what was decided, one application at a time.

    Each release commits on its own: one that is no longer staged (the seller withdrew it
    meanwhile) is refused by the workflow and does not hold back the others.
    """
    released = []
    existing = Application.objects.filter(pk__in=application_ids).order_by("pk")
    for application_id in existing.values_list("pk", flat=True):
        try:
            released.append(
                application_transition(
                    application_id=application_id, action="release_decision", actor=actor
                )
            )
        except ApplicationError as exc:
            if exc.code == "role_not_allowed":
                raise
    return released
