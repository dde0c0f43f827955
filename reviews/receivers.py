import gc

from reviews import (
    attachment_scans,
    conversation,
    identity,
    languages,
    proposals,
    queues,
    recertification,
    similarity,
)
from reviews.registry.base import NoRegistryData
from reviews.registry.local import LocalRegistry
from reviews.screening.outbox import screening_request_record
from sellers.models import ApplicationMessage, Status
from sellers.signals import RegistryHint


def request_screening_on_submit(*, application_id: int, to_status: str, **kwargs) -> None:
    """Every move into "submitted" (submit, resubmit, a reviewer's re-screen) owes a screening.

    Runs inside the transition's transaction, so the request is stored if and only if the
    move is.
    """
    if to_status == Status.SUBMITTED:
        screening_request_record(application_id=application_id)


def suspension_deadline(*, application_id: int, **kwargs):
    return recertification.recertification_suspension_deadline(application_id=application_id)


def registry_hint(*, office: str, number: str, **kwargs) -> RegistryHint | None:
    """What the local registry copy says of a trademark the seller is entering."""
    try:
        record = LocalRegistry(office).lookup(number)
    except NoRegistryData:
        return None
    if record is None:
        return RegistryHint(known=False)
    return RegistryHint(known=True, owner_name=record.owner_name)


def follow_in_queues(*, application_id: int, from_status: str, to_status: str, **kwargs) -> None:
    """Queue items enter, change hands and leave in the same transaction as the status."""
    queues.queue_item_follow(
        application_id=application_id, from_status=from_status, to_status=to_status
    )


def open_company_verification(*, company_id: int, **kwargs) -> None:
    identity.company_verification_open(company_id=company_id)


def tell_of_proposals(*, application_id: int, action: str, to_status: str, **kwargs) -> None:
    """The reviewers who may confirm a proposal, and its proposer when it is sent back."""
    proposals.proposal_notices_send(
        application_id=application_id, action=action, to_status=to_status
    )


def tell_of_seller_message(*, message_id: int, side: str, **kwargs) -> None:
    """The reviewer concerned, of a message from the seller's side."""
    if side == ApplicationMessage.Side.SELLER:
        conversation.seller_message_notice_send(message_id=message_id)


def scan_message_files(*, message_id: int, attachment_ids=(), **kwargs) -> None:
    """Every file of every message, whichever side sent it, once the message commits."""
    if attachment_ids:
        attachment_scans.message_attachments_scan_request(message_id=message_id)


def remember_staff_language(sender, *, request, user, **kwargs) -> None:
    """At login, as sellers' is: the language a reviewer's mail will be written in."""
    languages.staff_language_remember(user=user, language=getattr(request, "LANGUAGE_CODE", ""))


def prepare_worker(**kwargs) -> None:
    """When a worker starts, before its pool does (its pool processes inherit all of it): the
    similarity check's dictionaries loaded, then every object start-up built moved out of the
    garbage collector's sight. Those objects (Django, the apps, some 190,000 of pypinyin's)
    live as long as the process, yet each full collection walked them all, a few hundred ms
    that fell on whichever search's allocations set it off: the slowest searches at ten
    million marks were these pauses."""
    similarity.dictionaries_load()
    gc.collect()
    gc.freeze()
