"""Every write on the seller side, one function per use case.

Views, API views, commands and tasks validate their input shape and call these; the rules live
here so that the web, the API and the shell behave alike.
"""

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from sellers.actors import Actor, Role
from sellers.errors import ApplicationError
from sellers.models import (
    ApiKey,
    Application,
    ApplicationEvent,
    Brand,
    Category,
    Evidence,
    Membership,
    PartnerGrant,
    PartnerOrganization,
    Program,
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

EDITABLE_STATUSES = (Status.DRAFT, Status.CHANGES_REQUESTED)
EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}
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
) -> SellerCompany:
    try:
        number = normalize_registration_number(country, registration_number)
    except ValidationError as exc:
        raise ValidationError({"registration_number": exc.messages}) from None
    categories = _categories_by_code(category_codes)
    User = get_user_model()
    with transaction.atomic():
        if SellerCompany.objects.filter(country=country, registration_number=number).exists():
            raise ValidationError(
                {"registration_number": [f"A company with number {number} is already registered."]}
            )
        if User.objects.filter(username__iexact=owner_email).exists():
            raise ValidationError({"owner_email": [f"{owner_email} already has an account."]})
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
        )
        Membership.objects.create(company=company, user=owner, role=Membership.Role.OWNER)
    return company


def _categories_by_code(codes) -> list[Category]:
    categories = list(Category.objects.filter(code__in=codes))
    missing = set(codes) - {category.code for category in categories}
    if missing:
        raise ValidationError({"categories": [f"Unknown category: {', '.join(sorted(missing))}."]})
    return categories


def partner_create(*, name: str, contact_email: str) -> PartnerOrganization:
    partner, _ = PartnerOrganization.objects.get_or_create(
        name=name.strip(), defaults={"contact_email": contact_email}
    )
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
    expires_at: datetime | None = None,
    actor: Actor | None = None,
) -> tuple[ApiKey, str]:
    """Create a key and return it with its secret, which is never stored and shown only now."""
    unknown = set(scopes) - set(Scope.values)
    if unknown:
        raise ValidationError({"scopes": [f"Unknown scope: {', '.join(sorted(unknown))}."]})
    prefix = secrets.token_hex(4)
    raw = f"{API_KEY_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    key = ApiKey.objects.create(
        name=name,
        prefix=prefix,
        key_hash=api_key_hash(raw),
        scopes=sorted(set(scopes)),
        partner=partner,
        company=company,
        expires_at=expires_at,
        created_by=actor.user if actor else None,
    )
    return key, raw


def api_key_hash(raw: str) -> str:
    # The secret has 256 bits of entropy, so a plain digest is enough; no salt or stretching.
    return hashlib.sha256(raw.encode()).hexdigest()


def api_key_revoke(*, api_key: ApiKey) -> ApiKey:
    ApiKey.objects.filter(pk=api_key.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
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
        raise ApplicationError("You do not act for this company.", code="not_your_company")
    errors: dict[str, list[str]] = {}
    brand_name = brand_name.strip()
    if not brand_name:
        errors["brand_name"] = ["Enter the brand name exactly as registered."]
    trademark_number = _collect(
        errors, "trademark_number", normalize_trademark_number, trademark.office, trademark.number
    )
    nice_classes = _collect(errors, "nice_classes", normalize_nice_classes, trademark.nice_classes)
    if not trademark.owner_name.strip():
        errors["owner_name"] = ["Enter the owner as shown on the registry record."]
    categories = list(Category.objects.filter(pk__in=set(category_ids)))
    if not 1 <= len(set(category_ids)) <= 2 or len(categories) != len(set(category_ids)):
        errors["categories"] = ["Choose one or two categories from the list."]
    program = Program.objects.filter(pk=program_id).first()
    if program is None:
        errors["program"] = ["Choose a program."]
    elif not _program_accepts(program):
        errors["program"] = [f"{program.name} is not accepting applications today."]
    inspected = []
    for item in evidence:
        if item.kind not in Evidence.Kind.values:
            errors.setdefault("evidence", []).append(f"Unknown evidence kind {item.kind!r}.")
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
                f"{brand.name} already has an open application in {program.name}.",
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
                f"{brand.name} already has an open application in {program.name}.",
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
        raise ValidationError({"kind": [f"Unknown evidence kind {kind!r}."]})
    try:
        info = inspect_evidence_file(upload)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from None
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application_id)
        if Role.SELLER not in actor.roles_for(application.company_id):
            raise ApplicationError("You do not act for this company.", code="not_your_company")
        if application.status not in EDITABLE_STATUSES:
            raise ApplicationError(
                "Evidence can only be added while the application is a draft or changes are "
                "requested.",
                code="not_editable",
            )
        return _store_evidence(application, actor, EvidenceInput(kind, upload), info)


def _store_evidence(application, actor, item: EvidenceInput, info) -> Evidence:
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
