"""Control of the trademark record: a one-time code mailed to the registry's correspondent.

A seller asks for a code; it goes to the correspondent email on the registry record (never to
an address the seller typed), and entering it proves the seller controls the registration or
works with whoever does. Codes expire, allow a few attempts counted under a row lock, and a new
code replaces the previous one. The registry is asked outside any transaction.

The registries live in ``reviews`` and sellers never imports it, so the lookup is a callable
named by ``settings.TRADEMARK_RECORD_LOOKUP``; it returns a RecordContact, None when the
registry has no such mark, or raises RecordLookupFailed.
"""

import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.module_loading import import_string
from django.utils.translation import gettext, ngettext

from brandprogram.errors import ApplicationError
from sellers.access import Door, visible
from sellers.actors import Actor
from sellers.mail import mail_after_commit
from sellers.models import Application, Trademark, TrademarkVerificationCode
from sellers.services.events import application_internal_event_record


@dataclass(frozen=True)
class RecordContact:
    correspondent_email: str
    source: str
    correspondent_email_changed_on: date | None = None


class RecordLookupFailed(Exception):
    """No answer about this record: ``reason`` is "no_data" (nothing held for the office) or
    "unavailable" (the registry failed; a later try may work)."""

    def __init__(self, message: str, *, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


def trademark_record_contact(*, office: str, number: str) -> RecordContact | None:
    lookup = import_string(settings.TRADEMARK_RECORD_LOOKUP)
    return lookup(office=office, number=number)


CODE_DIGITS = 6
HASH_SALT = "sellers.record_control.code"


def _code_hash(trademark_id: int, code: str) -> str:
    # Keyed with SECRET_KEY: six digits are too few to survive a plain digest in a leaked table.
    return salted_hmac(HASH_SALT, f"{trademark_id}:{code}", algorithm="sha256").hexdigest()


def _seller_trademark(actor: Actor, trademark_id: int) -> Trademark:
    marks = visible(
        Trademark.objects.select_related("brand"),
        actor,
        doors=Door.SELLER,
        company="brand__company",
    )
    mark = marks.filter(pk=trademark_id).first()
    if mark is None:
        raise ApplicationError(gettext("There is no such trademark."), code="no_trademark")
    return mark


def _may_send(trademark_id: int, now) -> None:
    recent = TrademarkVerificationCode.objects.filter(
        trademark_id=trademark_id, created_at__gt=now - timedelta(days=1)
    )
    latest = recent.order_by("-created_at").first()
    pause = timedelta(seconds=settings.TRADEMARK_CODE_RESEND_SECONDS)
    if latest is not None and latest.created_at + pause > now:
        wait = int((latest.created_at + pause - now).total_seconds()) + 1
        raise ApplicationError(
            ngettext(
                "A code was just sent. You can ask for another in %(seconds)s second.",
                "A code was just sent. You can ask for another in %(seconds)s seconds.",
                wait,
            )
            % {"seconds": wait},
            code="code_recently_sent",
        )
    if recent.count() >= settings.TRADEMARK_CODE_SENDS_PER_DAY:
        raise ApplicationError(
            gettext(
                "The most codes that can be sent for one trademark in a day have been sent. "
                "Try again tomorrow."
            ),
            code="code_limit_reached",
        )


def _is_email(address: str) -> bool:
    # Registry data is imported as it comes; an address that cannot be mailed counts as none.
    try:
        validate_email(address)
    except ValidationError:
        return False
    return True


def trademark_code_send(*, actor: Actor, trademark_id: int) -> TrademarkVerificationCode:
    """Mail a new code to the correspondent on the registry record; the previous code dies."""
    mark = _seller_trademark(actor, trademark_id)
    labels = {"office": mark.office, "number": mark.display_number}
    # Refuse early, before troubling the registry, when no code could be sent anyway.
    _may_send(mark.pk, timezone.now())
    try:
        contact = trademark_record_contact(office=mark.office, number=mark.number)
    except RecordLookupFailed as exc:
        if exc.reason == "no_data":
            raise ApplicationError(
                gettext(
                    "We hold no %(office)s registry data, so no code can be sent to the owner "
                    "on record. The review team checks the certificate by hand instead."
                )
                % labels,
                code="no_registry_data",
            ) from exc
        raise ApplicationError(
            gettext("The %(office)s registry did not answer. Try again in a few minutes.") % labels,
            code="registry_unavailable",
        ) from exc
    if contact is None:
        raise ApplicationError(
            gettext(
                "The %(office)s registry has no trademark numbered %(number)s, so there is no "
                "correspondent to send a code to. Check the number."
            )
            % labels,
            code="no_registry_record",
        )
    if not _is_email(contact.correspondent_email):
        raise ApplicationError(
            gettext(
                "The registry record of %(office)s %(number)s shows no correspondent email, so "
                "no code can be sent. Ask the owner to add one at the registry."
            )
            % labels,
            code="no_correspondent_email",
        )
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    with transaction.atomic():
        # The trademark's lock makes two requests at once take turns: the second sees the
        # first one's code and is told to wait.
        locked = Trademark.objects.select_for_update().get(pk=mark.pk)
        now = timezone.now()
        if (locked.office, locked.number) != (mark.office, mark.number):
            raise ApplicationError(
                gettext("The trademark changed meanwhile. Ask for a code again."),
                code="changed_meanwhile",
            )
        _may_send(mark.pk, now)
        TrademarkVerificationCode.objects.filter(
            trademark=mark, verified_at__isnull=True, superseded_at__isnull=True
        ).update(superseded_at=now)
        challenge = TrademarkVerificationCode.objects.create(
            trademark=mark,
            office=mark.office,
            number=mark.number,
            code_hash=_code_hash(mark.pk, code),
            sent_to=contact.correspondent_email,
            record_source=contact.source[:120],
            requested_by=actor.user,
            requested_by_label=actor.label[:255],
            expires_at=now + timedelta(seconds=settings.TRADEMARK_CODE_TTL_SECONDS),
        )
        mail_after_commit(
            to=contact.correspondent_email,
            template="sellers/email/trademark_code",
            context={
                "code": code,
                "mark": mark,
                "brand": mark.brand.name,
                "requested_by": actor.label,
                "minutes": settings.TRADEMARK_CODE_TTL_SECONDS // 60,
            },
        )
        _note_on_applications(
            mark,
            actor,
            "record_code_sent",
            f"Verification code for {mark.office} {mark.display_number} mailed to "
            f"{challenge.masked_sent_to}, the correspondent on the registry record.",
        )
    return challenge


def trademark_code_confirm(
    *, actor: Actor, trademark_id: int, code: str
) -> TrademarkVerificationCode:
    """Check an entered code. Every attempt counts, even a wrong one whose refusal is raised:
    the count is committed first, under the code's row lock, so guesses sent in parallel
    cannot get past the limit."""
    mark = _seller_trademark(actor, trademark_id)
    entered = "".join(code.split())
    now = timezone.now()
    limit = settings.TRADEMARK_CODE_MAX_ATTEMPTS
    with transaction.atomic():
        challenge = (
            TrademarkVerificationCode.objects.select_for_update()
            .filter(trademark=mark, verified_at__isnull=True, superseded_at__isnull=True)
            .first()
        )
        if challenge is None:
            outcome = "none"
        elif (challenge.office, challenge.number) != (mark.office, mark.number):
            outcome = "stale"
        elif challenge.expires_at <= now:
            outcome = "expired"
        elif challenge.attempts >= limit:
            outcome = "exhausted"
        else:
            challenge.attempts += 1
            if constant_time_compare(challenge.code_hash, _code_hash(mark.pk, entered)):
                challenge.verified_at = now
                challenge.verified_by_label = actor.label[:255]
                outcome = "verified"
            else:
                outcome = "wrong"
            challenge.save(update_fields=["attempts", "verified_at", "verified_by_label"])
            if outcome == "verified":
                _note_on_applications(
                    mark,
                    actor,
                    "record_control_verified",
                    f"Control of the record of {mark.office} {mark.display_number} verified with "
                    f"the code mailed to {challenge.masked_sent_to}.",
                )
            elif challenge.attempts >= limit:
                _note_on_applications(
                    mark,
                    actor,
                    "record_code_used_up",
                    f"The verification code for {mark.office} {mark.display_number} was used up by "
                    f"{limit} wrong attempts.",
                )
    if outcome == "verified":
        return challenge
    if outcome == "none":
        # A double submit of the right code: the first request used it, the second agrees.
        done = trademark_control_verified(mark)
        if done is not None and constant_time_compare(done.code_hash, _code_hash(mark.pk, entered)):
            return done
        raise ApplicationError(
            gettext("No code is waiting to be entered for this trademark. Ask for a new code."),
            code="no_open_code",
        )
    if outcome == "wrong":
        left = limit - challenge.attempts
        if left:
            message = ngettext(
                "That code is not right. %(left)s attempt is left.",
                "That code is not right. %(left)s attempts are left.",
                left,
            ) % {"left": left}
        else:
            message = gettext(
                "That code is not right, and no attempts are left. Ask for a new code."
            )
        raise ApplicationError(message, code="wrong_code", field="code")
    messages = {
        "stale": gettext(
            "The trademark's office or number changed after the code was sent. Ask for a new code."
        ),
        "expired": gettext("The code has expired. Ask for a new code."),
        "exhausted": gettext("Too many wrong attempts for this code. Ask for a new code."),
    }
    raise ApplicationError(messages[outcome], code=f"code_{outcome}")


def _note_on_applications(mark: Trademark, actor: Actor, action: str, note: str) -> None:
    """Reviewers read record control in each application's history (internal lines only)."""
    for application_id in Application.objects.filter(trademark=mark).values_list("pk", flat=True):
        application_internal_event_record(
            actor=actor, application_id=application_id, action=action, note=note
        )


def trademark_control_verified(mark: Trademark) -> TrademarkVerificationCode | None:
    """The latest code entered correctly for the trademark's current office and number."""
    return (
        TrademarkVerificationCode.objects.filter(
            trademark=mark,
            office=mark.office,
            number=mark.number,
            verified_at__isnull=False,
        )
        .order_by("-verified_at", "-pk")
        .first()
    )


def trademark_code_open(mark: Trademark) -> TrademarkVerificationCode | None:
    """The code the seller can still enter: sent, unused, in time, with attempts left."""
    return TrademarkVerificationCode.objects.filter(
        trademark=mark,
        office=mark.office,
        number=mark.number,
        verified_at__isnull=True,
        superseded_at__isnull=True,
        expires_at__gt=timezone.now(),
        attempts__lt=settings.TRADEMARK_CODE_MAX_ATTEMPTS,
    ).first()
