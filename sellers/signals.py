from dataclasses import dataclass

from django.dispatch import Signal

# Sent inside the transaction that changes an application's status, after the seller side's
# own effects (sellers.workflow.transition), with application_id, action, from_status and
# to_status. The one hook through which reviews reacts (screening requests, queues), so that
# this app never needs to import it. Receivers write rows that must commit or roll back
# together with the change; they must not do network I/O or anything slow.
application_status_changing = Signal()

# Sent inside the transaction that stores a message of an application's conversation, with
# message_id, application_id, side ("seller" or "reviewer") and attachment_ids (the files
# stored with it); reviews tells the reviewer concerned of a seller's message and has every
# file scanned for malware, so that this app never needs to import it.
application_message_posted = Signal()

# Sent while the seller portal shows a suspended application, with application_id. A receiver
# returns the date by which the seller must resolve the suspension, or None; re-certification
# (in reviews) answers it, so this app never needs to import it.
suspension_deadline_lookup = Signal()

# Sent inside the transaction in which a company's profile became complete and its identity
# awaits verification, with company_id; reviews opens a verification case for a reviewer.
company_verification_requested = Signal()

# Sent while a seller enters a trademark, with office and number (canonical form). A receiver
# answers with a RegistryHint from the registry data it holds, or None when it holds none for
# that office; the registry copy lives in reviews, so this app never needs to import it.
trademark_registry_lookup = Signal()


@dataclass(frozen=True)
class RegistryHint:
    known: bool
    owner_name: str = ""
