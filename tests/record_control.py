"""A registry record with a correspondent, and reading the code out of the mail sent to it."""

import re

from django.core import mail

from reviews.models import RegistryMark

CORRESPONDENT = "jane.doe@lamp-law.example"


def registry_record(mark, *, email: str = CORRESPONDENT, changed_on=None) -> RegistryMark:
    """The trademark as the local USPTO copy knows it, with ``email`` as its correspondent."""
    return RegistryMark.objects.create(
        office=mark.office,
        serial=f"9{mark.number}"[:8],
        number=mark.number,
        status_code="700",
        status_state=RegistryMark.State.REGISTERED,
        mark_literal=mark.brand.name,
        nice_classes=mark.nice_classes,
        owner_name=mark.owner_name,
        correspondent_email=email,
        correspondent_email_changed_on=changed_on,
        data_version="test import",
    )


def mailed_codes(to: str = CORRESPONDENT) -> list[str]:
    """The codes mailed to ``to``, oldest first."""
    return [
        # The line that ends in the code, after its label in either language: the requester's
        # name (a key prefix, say) may hold six digits too.
        re.search(r"[:\uff1a] ?(\d{6})$", message.body, re.MULTILINE).group(1)
        for message in mail.outbox
        if message.to == [to]
    ]


def wrong(code: str) -> str:
    """Another six-digit code, certainly not ``code``."""
    return f"{(int(code) + 1) % 1_000_000:06d}"
