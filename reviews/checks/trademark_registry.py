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
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_noop as _

from brandprogram.phrases import Date, InEachLanguage, Items, Phrase
from reviews.checks.base import REVERIFY_DUE, Finding
from reviews.registry import registry_for
from reviews.registry.base import NoRegistryData, RegistryError, RegistryRecord
from reviews.registry.hand import (
    applies_to,
    is_stale,
    latest_verification,
    public_search,
    verification_record,
    verification_source,
    verified_by_on,
)
from reviews.registry.local import LocalRegistry
from reviews.registry.status import DEAD, PENDING, REGISTERED, uspto_status_text
from sellers.models import TrademarkVerificationCode
from sellers.names import normalize_company_name
from sellers.services.record_control import trademark_control_verified
from sellers.validators import display_trademark_number, normalize_trademark_number

CODE = "trademark_registry"
TITLE = gettext_lazy("Registry record")
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
    owners: tuple[tuple[Phrase | str, str], ...]
    # (what the goods are, the Nice classes of which the registration must list one).
    goods: tuple[tuple[Phrase | str, tuple[int, ...]], ...] = ()
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
    owners = [(Phrase(_("the seller")), application.company.legal_name)]
    first_link = mark.authorization_links.order_by("position").first()
    if first_link is not None:
        owners.append(
            (Phrase(_("the first grantor of the authorization chain")), first_link.grantor_name)
        )
    filing = Filing(
        office=mark.office,
        number=mark.number,
        brand=application.brand.name,
        owners=tuple(owners),
        goods=tuple(
            (Phrase(category.name), tuple(category.nice_classes))
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
    except ValidationError:
        return Finding(
            "fail",
            # The validator words its refusal, in each language, as the portal shows it.
            Phrase("%(refusal)s", refusal=InEachLanguage(lambda: _number_refusal(filing))),
            evidence,
            source=Phrase(_("office number formats")),
        )
    registry = registry_for(filing.office)
    try:
        record = registry.lookup(number)
    except RegistryError as exc:
        return Finding(
            "error",
            Phrase(
                _(
                    "The registry refused the lookup (%(fault)s); the setup needs fixing before "
                    "this check can run."
                ),
                fault=str(exc),
            ),
            evidence,
            source=registry.source_phrase,
            data_version="none",
        )
    except NoRegistryData:
        return _judge_by_hand(filing, number, registry.source_phrase)
    if record is None:
        return Finding(
            "fail",
            Phrase(
                _("%(office)s has no trademark numbered %(number)s."),
                office=filing.office,
                number=display_trademark_number(filing.office, number),
            ),
            evidence,
            source=registry.source_phrase,
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
        words,
        evidence,
        source=record.source_phrase or record.source,
        data_version=record.data_version,
    )


def _number_refusal(filing: Filing) -> str:
    try:
        normalize_trademark_number(filing.office, filing.number)
    except ValidationError as exc:
        return " ".join(exc.messages)
    return ""


def _judge_by_hand(filing: Filing, number: str, source: Phrase) -> Finding:
    """No registry data: a reviewer's current verification in the office's public search is
    compared like a registry record; without one the check asks for it."""
    search = Phrase.label(public_search(filing.office).label)
    verification = (
        latest_verification(trademark_id=filing.trademark_id) if filing.trademark_id else None
    )
    evidence = {
        "office": filing.office,
        "number": number,
        "hand_verification": None if verification is None else verification.pk,
    }
    due = Phrase(
        _("look it up in the %(search)s and record what the register shows."), search=search
    )
    if verification is None:
        return Finding(
            "unverifiable",
            Phrase(
                _(
                    "We hold no %(office)s registry data, so the mark must be checked by hand: "
                    "%(due)s"
                ),
                office=filing.office,
                due=due,
            ),
            evidence,
            source=source,
            data_version="none",
        )
    by = verified_by_on(verification)
    if not applies_to(verification, office=filing.office, number=number):
        return Finding(
            "unverifiable",
            Phrase(
                _(
                    "%(office)s %(number)s was verified by hand by %(by)s, but the trademark is "
                    "now %(now_office)s %(now_number)s; %(due)s"
                ),
                office=verification.office,
                number=verification.number,
                by=by,
                now_office=filing.office,
                now_number=number,
                due=due,
            ),
            evidence,
            source=source,
            data_version="none",
            flags=(REVERIFY_DUE,),
        )
    if is_stale(verification):
        return Finding(
            "unverifiable",
            Phrase(
                _(
                    "%(office)s %(number)s was verified by hand by %(by)s, more than %(days)s "
                    "days ago, so it no longer counts; %(due)s"
                ),
                office=filing.office,
                number=number,
                by=by,
                days=settings.MANUAL_VERIFICATION_MAX_AGE_DAYS,
                due=due,
            ),
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
        [
            Phrase(
                _("Verified by hand by %(by)s in the %(search)s: %(findings)s"),
                by=by,
                search=search,
                findings=Items(words, join="sentences"),
            )
        ],
        evidence | {"registry_record": record.as_evidence()},
        source=verification_source(verification),
        data_version=record.data_version,
    )


def _compare(filing: Filing, record: RegistryRecord) -> tuple[list, list, list]:
    failures, warnings, passes = [], [], []
    label = {
        "office": record.office,
        "number": display_trademark_number(record.office, record.number or record.serial),
    }
    status = _status(record)
    if record.status_state == REGISTERED:
        passes.append(
            Phrase(_("%(office)s %(number)s is registered (%(status)s)."), status=status, **label)
        )
    elif record.status_state == PENDING:
        warnings.append(
            Phrase(
                _("%(office)s %(number)s is still pending (%(status)s)."), status=status, **label
            )
        )
    elif record.status_state == DEAD:
        failures.append(
            Phrase(_("%(office)s %(number)s is dead (%(status)s)."), status=status, **label)
        )
    else:
        warnings.append(
            Phrase(
                _("%(office)s %(number)s has %(status)s, which we cannot classify."),
                status=status,
                **label,
            )
        )

    _compare_owner(filing, record, failures, passes)
    _compare_literal(filing.brand, record, failures, warnings, passes)

    classes = set(record.nice_classes)
    listed = Items(sorted(classes)) if classes else Phrase(_("no classes"))
    for what, needed in filing.goods:
        if not classes & set(needed):
            failures.append(
                Phrase(
                    _(
                        "The registry lists classes %(classes)s, which do not cover %(goods)s "
                        "(class %(needed)s)."
                    ),
                    classes=listed,
                    goods=what,
                    needed=Items(needed),
                )
            )

    today = timezone.localdate()
    if record.expires_on is not None and record.expires_on < today + MINIMUM_VALIDITY:
        failures.append(
            Phrase(
                _("The registration runs out on %(day)s, less than six months from today."),
                day=Date(record.expires_on),
            )
        )
    elif record.expires_on is not None:
        passes.append(Phrase(_("It is valid until %(day)s."), day=Date(record.expires_on)))

    _compare_control(filing.control, record, warnings, passes)
    return failures, warnings, passes


def _international_route(number: str, record: RegistryRecord) -> Phrase:
    """A Madrid registration is judged on the record of an office that holds it."""
    if record.office == "USPTO" and record.serial.startswith("79"):
        return Phrase(
            _(
                "International registration %(number)s, verified on its %(office)s designation "
                "%(serial)s."
            ),
            number=number,
            office=record.office,
            serial=record.serial,
        )
    return Phrase(
        _(
            "International registration %(number)s, verified on the %(office)s record "
            "%(shown)s that names it."
        ),
        number=number,
        office=record.office,
        shown=display_trademark_number(record.office, record.number or record.serial),
    )


def _status(record: RegistryRecord) -> Phrase:
    """The status code with the office's words for it: "status 618: ABANDONED FILE - BACKFILE".

    For the USPTO the published code table comes first: TSDR's own description of a status
    runs to whole sentences of advice. The office's words are the register's, shown as it
    prints them; a record read by hand says so in our words, through the catalogue."""
    table = uspto_status_text(record.status_code) if record.office == "USPTO" else ""
    meaning = Phrase(table or record.status_text)
    if not record.status_code:
        return meaning
    if not (table or record.status_text):
        return Phrase(_("status %(code)s"), code=record.status_code)
    return Phrase(_("status %(code)s: %(meaning)s"), code=record.status_code, meaning=meaning)


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
    now = record.correspondent_email or Phrase(_("not shown"))
    if changed is not None and changed >= today - RECENT_EMAIL_CHANGE:
        if through_current and verified_on >= changed:
            passes.append(
                Phrase(
                    _(
                        "The correspondent email on record changed on %(day)s; the seller "
                        "proved control through the new address since."
                    ),
                    day=Date(changed),
                )
            )
        else:
            warnings.append(
                Phrase(
                    _(
                        "The correspondent email on record changed on %(day)s (now %(email)s) "
                        "and control of the record has not been verified through it since; "
                        "confirm the change with the owner."
                    ),
                    day=Date(changed),
                    email=now,
                )
            )
    if through_current:
        passes.append(
            Phrase(
                _(
                    "Control of the record was verified on %(day)s with a code sent to "
                    "%(address)s, the correspondent on record."
                ),
                day=Date(verified_on),
                address=control.masked_sent_to,
            )
        )
    elif control is not None:
        warnings.append(
            Phrase(
                _(
                    "Control of the record was verified on %(day)s through %(address)s, but the "
                    "correspondent on record is now %(email)s."
                ),
                day=Date(verified_on),
                address=control.masked_sent_to,
                email=now,
            )
        )


def _compare_owner(filing: Filing, record: RegistryRecord, failures, passes) -> None:
    owner = normalize_company_name(record.owner_name)
    for who, name in filing.owners:
        if owner and owner == normalize_company_name(name):
            passes.append(
                Phrase(
                    _("The registered owner %(owner)s is %(who)s."),
                    owner=record.owner_name,
                    who=who,
                )
            )
            return
    failures.append(
        Phrase(
            _("The registered owner is %(owner)s, not %(claimants)s."),
            owner=record.owner_name or Phrase(_("not shown")),
            claimants=Items(
                (
                    Phrase(_("%(who)s (%(name)s)"), who=who, name=name)
                    for who, name in filing.owners
                ),
                join="or",
            ),
        )
    )


def _compare_literal(brand: str, record: RegistryRecord, failures, warnings, passes) -> None:
    literal = record.mark_literal
    if _figurative(record.drawing_type):
        failures.append(
            Phrase(
                _(
                    "The registration is a figurative mark (drawing type %(drawing)s): a logo "
                    "without words does not qualify a brand name."
                ),
                drawing=record.drawing_type,
            )
        )
        return
    if literal == brand:
        passes.append(
            Phrase(_("The mark reads “%(literal)s”, exactly the brand name."), literal=literal)
        )
        return
    if not literal:
        warnings.append(Phrase(_("The registry shows no words for the mark; compare it by eye.")))
        return
    ratio = difflib.SequenceMatcher(None, brand.casefold(), literal.casefold()).ratio()
    if ratio >= NEAR_MATCH_RATIO:
        warnings.append(
            Phrase(
                _(
                    "The mark reads “%(literal)s”, close to but not exactly the brand name "
                    "“%(brand)s” (%(difference)s)."
                ),
                literal=literal,
                brand=brand,
                difference=_difference(brand, literal),
            )
        )
    else:
        failures.append(
            Phrase(
                _("The mark reads “%(literal)s”, not the brand name “%(brand)s”."),
                literal=literal,
                brand=brand,
            )
        )


def _figurative(drawing_type: str) -> bool:
    # USPTO mark drawing codes 2xxx are "design only"; TSDR spells it out; CSV rows say so.
    kind = drawing_type.strip().lower()
    return kind.startswith("2") or kind in {"figurative", "design only"}


def _difference(brand: str, literal: str) -> Items:
    changes = []
    for op, b1, b2, l1, l2 in difflib.SequenceMatcher(None, brand, literal).get_opcodes():
        if op == "replace":
            changes.append(
                Phrase(
                    _("“%(ours)s” is “%(theirs)s” on the register"),
                    ours=brand[b1:b2],
                    theirs=literal[l1:l2],
                )
            )
        elif op == "delete":
            changes.append(Phrase(_("“%(ours)s” is missing on the register"), ours=brand[b1:b2]))
        elif op == "insert":
            changes.append(Phrase(_("the register adds “%(theirs)s”"), theirs=literal[l1:l2]))
    return Items(changes, join="semicolon")
