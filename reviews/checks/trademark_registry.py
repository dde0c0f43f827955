"""The trademark as the registry records it: live, owned by the seller (or the first grantor of
its authorization chain), for the brand name and the categories, valid long enough, and with a
correspondent email that has not just changed (a sign of a hijacked registration)."""

import difflib
from dataclasses import dataclass, replace
from datetime import timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from reviews.checks.base import REVERIFY_DUE, Finding
from reviews.registry import registry_for
from reviews.registry.base import NoRegistryData, RegistryError, RegistryRecord
from reviews.registry.hand import (
    applies_to,
    is_stale,
    latest_verification,
    public_search,
    verification_record,
    verified_by_on,
)
from reviews.registry.local import LocalRegistry
from reviews.registry.status import DEAD, PENDING, REGISTERED, uspto_status_text
from sellers.models import TrademarkVerificationCode
from sellers.names import normalize_company_name
from sellers.services.record_control import trademark_control_verified
from sellers.validators import display_trademark_number, normalize_trademark_number

CODE = "trademark_registry"
TITLE = "Registry record"
MINIMUM_VALIDITY = relativedelta(months=6)
RECENT_EMAIL_CHANGE = timedelta(days=90)
# Brand and mark this similar (difflib ratio) are a near match: a warning, not a failure.
NEAR_MATCH_RATIO = 0.8


@dataclass(frozen=True)
class Filing:
    """What a seller claims about one trademark: the number they typed, the brand it should
    read, the companies one of which should own it, and the goods it must cover."""

    office: str
    number: str
    brand: str
    # (who, legal name): the seller, then the first grantor of its authorization chain.
    owners: tuple[tuple[str, str], ...]
    # (what the goods are, the Nice classes of which the registration must list one).
    goods: tuple[tuple[str, tuple[int, ...]], ...] = ()
    control: TrademarkVerificationCode | None = None
    # The seller's trademark, whose verification by hand stands in for an office we hold no
    # data for; None where there is no trademark (manage.py check_trademark).
    trademark_id: int | None = None


def quick(application) -> bool:
    """The local copy of a register answers at once; a live registry may be slow or fail and
    retry."""
    return isinstance(registry_for(application.trademark.office), LocalRegistry)


def run(application):
    mark = application.trademark
    owners = [("the seller", application.company.legal_name)]
    first_link = mark.authorization_links.order_by("position").first()
    if first_link is not None:
        owners.append(("the first grantor of the authorization chain", first_link.grantor_name))
    filing = Filing(
        office=mark.office,
        number=mark.number,
        brand=application.brand.name,
        owners=tuple(owners),
        goods=tuple(
            (category.name, tuple(category.nice_classes))
            for category in application.categories.all()
            if category.nice_classes
        ),
        control=trademark_control_verified(mark),
        trademark_id=mark.pk,
    )
    return judge(filing)


def judge(filing: Filing) -> Finding:
    """The verdict on a filing, from the registry's record of its number."""
    evidence = {"office": filing.office, "number": filing.number}
    try:
        number = normalize_trademark_number(filing.office, filing.number)
    except ValidationError as exc:
        return Finding("fail", " ".join(exc.messages), evidence, source="office number formats")
    registry = registry_for(filing.office)
    try:
        record = registry.lookup(number)
    except RegistryError as exc:
        return Finding(
            "error",
            f"The registry refused the lookup ({exc}); the setup needs fixing before this check "
            "can run.",
            evidence,
            source=registry.source,
            data_version="none",
        )
    except NoRegistryData:
        return _judge_by_hand(filing, number, registry.source)
    if record is None:
        return Finding(
            "fail",
            f"{filing.office} has no trademark numbered "
            f"{display_trademark_number(filing.office, number)}.",
            evidence,
            source=registry.source,
            data_version=registry.data_version(),
        )
    failures, warnings, passes = _compare(filing, record)
    control = filing.control
    evidence = {
        "office": filing.office,
        "number": number,
        "registry_record": record.as_evidence(),
        "record_control": None
        if control is None
        else {"verified_at": control.verified_at.isoformat(), "sent_to": control.masked_sent_to},
    }
    outcome = "fail" if failures else "warn" if warnings else "pass"
    words = failures + warnings if outcome != "pass" else passes
    if record.office != filing.office:
        words.insert(0, _international_route(number, record))
    return Finding(
        outcome,
        " ".join(words),
        evidence,
        source=record.source,
        data_version=record.data_version,
    )


def _judge_by_hand(filing: Filing, number: str, source: str) -> Finding:
    """No registry data: a reviewer's current verification in the office's public search is
    compared like a registry record; without one the check asks for it."""
    search = public_search(filing.office)
    verification = (
        latest_verification(trademark_id=filing.trademark_id) if filing.trademark_id else None
    )
    evidence = {
        "office": filing.office,
        "number": number,
        "hand_verification": None if verification is None else verification.pk,
    }
    due = f"look it up in the {search.name} and record what the register shows."
    if verification is None:
        return Finding(
            "unverifiable",
            f"We hold no {filing.office} registry data, so the mark must be checked by hand: {due}",
            evidence,
            source=source,
            data_version="none",
        )
    by = verified_by_on(verification)
    if not applies_to(verification, office=filing.office, number=number):
        return Finding(
            "unverifiable",
            f"{verification.office} {verification.number} was verified by hand by {by}, but the "
            f"trademark is now {filing.office} {number}; {due}",
            evidence,
            source=source,
            data_version="none",
            flags=(REVERIFY_DUE,),
        )
    if is_stale(verification):
        return Finding(
            "unverifiable",
            f"{filing.office} {number} was verified by hand by {by}, more than "
            f"{settings.MANUAL_VERIFICATION_MAX_AGE_DAYS} days ago, so it no longer counts; {due}",
            evidence,
            source=source,
            data_version="none",
            flags=(REVERIFY_DUE,),
        )
    record = verification_record(verification)
    # The register was read by eye: there is no correspondent email to hold a code against.
    failures, warnings, passes = _compare(replace(filing, control=None), record)
    outcome = "fail" if failures else "warn" if warnings else "pass"
    words = failures + warnings if outcome != "pass" else passes
    return Finding(
        outcome,
        f"Verified by hand by {by} in the {search.name}: " + " ".join(words),
        evidence | {"registry_record": record.as_evidence()},
        source=record.source,
        data_version=record.data_version,
    )


def _compare(filing: Filing, record: RegistryRecord) -> tuple[list[str], list[str], list[str]]:
    failures, warnings, passes = [], [], []
    label = (
        f"{record.office} {display_trademark_number(record.office, record.number or record.serial)}"
    )
    status = _status(record)
    if record.status_state == REGISTERED:
        passes.append(f"{label} is registered ({status}).")
    elif record.status_state == PENDING:
        warnings.append(f"{label} is still pending ({status}).")
    elif record.status_state == DEAD:
        failures.append(f"{label} is dead ({status}).")
    else:
        warnings.append(f"{label} has {status}, which we cannot classify.")

    _compare_owner(filing, record, failures, passes)
    _compare_literal(filing.brand, record, failures, warnings, passes)

    classes = set(record.nice_classes)
    for what, needed in filing.goods:
        if not classes & set(needed):
            failures.append(
                f"The registry lists classes {', '.join(map(str, sorted(classes))) or 'none'}, "
                f"which do not cover {what} (class {', '.join(map(str, needed))})."
            )

    today = timezone.localdate()
    if record.expires_on is not None and record.expires_on < today + MINIMUM_VALIDITY:
        failures.append(
            f"The registration runs out on {record.expires_on:%Y-%m-%d}, less than six months "
            "from today."
        )
    elif record.expires_on is not None:
        passes.append(f"It is valid until {record.expires_on:%Y-%m-%d}.")

    _compare_control(filing.control, record, warnings, passes)
    return failures, warnings, passes


def _international_route(number: str, record: RegistryRecord) -> str:
    """A Madrid registration is judged on the record of an office that holds it."""
    if record.office == "USPTO" and record.serial.startswith("79"):
        held = f"its {record.office} designation {record.serial}"
    else:
        shown = display_trademark_number(record.office, record.number or record.serial)
        held = f"the {record.office} record {shown} that names it"
    return f"International registration {number}, verified on {held}."


def _status(record: RegistryRecord) -> str:
    """The status code with the office's words for it: "status 618: ABANDONED FILE - BACKFILE".

    For the USPTO the published code table comes first: TSDR's own description of a status
    runs to whole sentences of advice."""
    table = uspto_status_text(record.status_code) if record.office == "USPTO" else ""
    meaning = table or record.status_text
    if not record.status_code:
        return meaning
    return f"status {record.status_code}: {meaning}" if meaning else f"status {record.status_code}"


def _compare_control(control, record: RegistryRecord, warnings, passes) -> None:
    """A code entered from the correspondent's mail outweighs a recent change of that email.
    Bulk data that shows no correspondent email (USPTO's) cannot contradict the address the
    code went to, so a code entered since the change counts."""
    today = timezone.localdate()
    through_current = control is not None and (
        not record.correspondent_email
        or control.sent_to.casefold() == record.correspondent_email.casefold()
    )
    verified_on = timezone.localdate(control.verified_at) if control else None
    changed = record.correspondent_email_changed_on
    if changed is not None and changed >= today - RECENT_EMAIL_CHANGE:
        if through_current and verified_on >= changed:
            passes.append(
                f"The correspondent email on record changed on {changed:%Y-%m-%d}; the seller "
                "proved control through the new address since."
            )
        else:
            warnings.append(
                f"The correspondent email on record changed on {changed:%Y-%m-%d} (now "
                f"{record.correspondent_email or 'not shown'}) and control of the record has "
                "not been verified through it since; confirm the change with the owner."
            )
    if through_current:
        passes.append(
            f"Control of the record was verified on {verified_on:%Y-%m-%d} with a code sent to "
            f"{control.masked_sent_to}, the correspondent on record."
        )
    elif control is not None:
        warnings.append(
            f"Control of the record was verified on {verified_on:%Y-%m-%d} through "
            f"{control.masked_sent_to}, but the correspondent on record is now "
            f"{record.correspondent_email or 'not shown'}."
        )


def _compare_owner(filing: Filing, record: RegistryRecord, failures, passes) -> None:
    owner = normalize_company_name(record.owner_name)
    for who, name in filing.owners:
        if owner and owner == normalize_company_name(name):
            passes.append(f"The registered owner {record.owner_name} is {who}.")
            return
    names = " or ".join(f"{who} ({name})" for who, name in filing.owners)
    failures.append(f"The registered owner is {record.owner_name or 'not shown'}, not {names}.")


def _compare_literal(brand: str, record: RegistryRecord, failures, warnings, passes) -> None:
    literal = record.mark_literal
    if _figurative(record.drawing_type):
        failures.append(
            f"The registration is a figurative mark (drawing type {record.drawing_type}): a logo "
            "without words does not qualify a brand name."
        )
        return
    if literal == brand:
        passes.append(f"The mark reads “{literal}”, exactly the brand name.")
        return
    if not literal:
        warnings.append("The registry shows no words for the mark; compare it by eye.")
        return
    ratio = difflib.SequenceMatcher(None, brand.casefold(), literal.casefold()).ratio()
    if ratio >= NEAR_MATCH_RATIO:
        warnings.append(
            f"The mark reads “{literal}”, close to but not exactly the brand name “{brand}” "
            f"({_difference(brand, literal)})."
        )
    else:
        failures.append(f"The mark reads “{literal}”, not the brand name “{brand}”.")


def _figurative(drawing_type: str) -> bool:
    # USPTO mark drawing codes 2xxx are "design only"; TSDR spells it out; CSV rows say so.
    kind = drawing_type.strip().lower()
    return kind.startswith("2") or kind in {"figurative", "design only"}


def _difference(brand: str, literal: str) -> str:
    changes = []
    for op, b1, b2, l1, l2 in difflib.SequenceMatcher(None, brand, literal).get_opcodes():
        if op == "replace":
            changes.append(f"“{brand[b1:b2]}” is “{literal[l1:l2]}” on the register")
        elif op == "delete":
            changes.append(f"“{brand[b1:b2]}” is missing on the register")
        elif op == "insert":
            changes.append(f"the register adds “{literal[l1:l2]}”")
    return "; ".join(changes)
