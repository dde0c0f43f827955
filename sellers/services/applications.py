"""Applications from their start to their submission: the one path by which an application
comes into being (the one-page form, the wizard and the API all reach it), and draft edits.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from brandprogram.errors import ApplicationError
from sellers.actors import Actor, Role
from sellers.categories import focus_checked
from sellers.models import Application, Brand, Category, Evidence, Program, SellerCompany, Trademark
from sellers.models.application import CLOSED_STATUSES
from sellers.services.events import application_event_record
from sellers.services.evidence import EvidenceInput, evidence_store
from sellers.validators import (
    inspect_evidence_file,
    normalize_nice_classes,
    normalize_trademark_number,
    validate_company_entity,
)
from sellers.workflow.table import EDITABLE_STATUSES


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


# The rules every door applies to what a seller typed. Each adds what is wrong to ``errors``
# (field name: messages), so one answer lists every problem at once.


def trademark_checked(
    trademark: TrademarkInput, errors: dict, *, number_field: str = "trademark_number"
) -> tuple[str | None, list[int] | None]:
    """The trademark's number and Nice classes in canonical form. ``number_field`` names the
    number as the door's form does (the wizard's trademark step calls it "number")."""
    number = _collect(
        errors, number_field, normalize_trademark_number, trademark.office, trademark.number
    )
    classes = _collect(errors, "nice_classes", normalize_nice_classes, trademark.nice_classes)
    if not trademark.owner_name.strip():
        errors["owner_name"] = [gettext("Enter the owner as shown on the registry record.")]
    return number, classes


def categories_checked(category_ids: list[int], errors: dict) -> list[Category]:
    """One or two categories under the main ones; a main category itself is not for sale."""
    categories = list(
        Category.objects.filter(pk__in=set(category_ids), children__isnull=True).select_related(
            "parent"
        )
    )
    if not 1 <= len(set(category_ids)) <= 2 or len(categories) != len(set(category_ids)):
        errors["categories"] = [gettext("Choose one or two categories from the list.")]
    return categories


def program_checked(program_id: int, errors: dict) -> Program | None:
    """The program, if it exists and accepts applications today."""
    program = Program.objects.filter(pk=program_id).first()
    if program is None:
        errors["program"] = [gettext("Choose a program.")]
        return None
    today = timezone.localdate()
    if not (
        program.opens_on <= today and (program.closes_on is None or today <= program.closes_on)
    ):
        errors["program"] = [
            gettext("%(program)s is not accepting applications today.") % {"program": program}
        ]
    return program


def application_start(
    *,
    actor: Actor,
    company: SellerCompany,
    program: Program,
    brand: Brand,
    trademark: Trademark,
    categories: list[Category],
) -> Application:
    """The one way an application comes into being, inside the caller's transaction: one open
    application per brand and program, its categories, and the history's first line."""
    try:
        validate_company_entity(company.country.code, company.registration_number)
    except ValidationError as exc:
        # A company registered before the rule; it corrects its number in its profile.
        raise ApplicationError(
            " ".join(exc.messages), code="entity_type_refused", field="seller"
        ) from None
    duplicate = ApplicationError(
        gettext("%(brand)s already has an open application in %(program)s.")
        % {"brand": brand.name, "program": program},
        code="duplicate_application",
        field="brand_name",
    )
    open_applications = Application.objects.filter(program=program, brand=brand).exclude(
        status__in=CLOSED_STATUSES
    )
    if open_applications.exists():
        raise duplicate
    try:
        with transaction.atomic():
            application = Application.objects.create(
                company=company,
                program=program,
                brand=brand,
                trademark=trademark,
                created_by=actor.user,
            )
    except IntegrityError:
        # Two identical requests raced past the check above; the constraint caught it.
        raise duplicate from None
    application.categories.set(categories)
    application_event_record(application, actor, "created", "Application started.")
    return application


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
    number, classes = trademark_checked(trademark, errors)
    categories = categories_checked(category_ids, errors)
    company = SellerCompany.objects.get(pk=company_id)
    focus_checked(company, categories, errors)
    program = program_checked(program_id, errors)
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
        brand, _ = Brand.objects.get_or_create(
            company=company, name=brand_name, defaults={"native_name": brand_native_name.strip()}
        )
        application = application_start(
            actor=actor,
            company=company,
            program=program,
            brand=brand,
            trademark=_trademark_store(brand, trademark, number, classes),
            categories=categories,
        )
        for item, info in inspected:
            evidence_store(application, actor, item, info)
    return application


def _trademark_store(brand: Brand, mark: TrademarkInput, number: str, classes) -> Trademark:
    stored, _ = Trademark.objects.update_or_create(
        brand=brand,
        office=mark.office,
        number=number,
        defaults={
            "registration_status": mark.registration_status,
            "mark_type": mark.mark_type,
            "nice_classes": classes,
            "owner_name": mark.owner_name.strip(),
            "expires_on": mark.expires_on,
            "correspondent_email": mark.correspondent_email,
        },
    )
    return stored


def _collect(errors: dict, field: str, check, *args):
    try:
        return check(*args)
    except ValidationError as exc:
        errors.setdefault(field, []).extend(exc.messages)
        return None


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
        number, nice_classes = trademark_checked(mark_input, errors)
        categories = None
        if category_ids is not None:
            categories = categories_checked(category_ids, errors)
            focus_checked(
                application.company, categories, errors, exclude_application_id=application.pk
            )
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
            application.trademark = _trademark_store(
                application.brand, mark_input, number, nice_classes
            )
            changed.append("trademark")
        if categories is not None and set(categories) != set(application.categories.all()):
            application.categories.set(categories)
            changed.append("categories")
        # Saved even when nothing changed, so the version a client holds moves on with it.
        application.save(update_fields=["trademark", "updated_at"])
        if changed:
            application_event_record(
                application, actor, "edited", f"Changed: {', '.join(changed)}."
            )
    return application
