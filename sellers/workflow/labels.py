"""Every word shown about a workflow action, one entry per action: the verb of a refusal, the
timeline lines, the buttons and the messages after the action, for sellers and for reviewers.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class ActionLabels:
    # Completes "You may not … this application.", so a refusal reads naturally in every
    # language rather than showing the action's code.
    verb: Promise | None = None
    # The line in the seller's timeline; None: the seller reads the status it led to.
    seller_timeline: Promise | None = None
    # The line in the reviewers' timeline.
    staff_timeline: Promise | None = None
    seller_button: Promise | None = None
    seller_done: Promise | None = None
    reviewer_button: Promise | None = None
    # "primary", "secondary", "danger" or "quiet": how the reviewer's button looks.
    reviewer_style: str = ""
    # Told to the reviewer after the action, with %(brand)s and %(status)s; keyed by the
    # action the workflow recorded, which may differ from the button pressed.
    reviewer_done: Promise | None = None


A = ActionLabels
NONE = ActionLabels()

# Reviewers' buttons show in this table's order, so its first entries are those with a button.
# Lines of the history that are no workflow action (created, evidence_added, …) are here too.
LABELS: dict[str, ActionLabels] = {
    "confirm": A(
        verb=_("confirm the decision on"),
        staff_timeline=_("Decision confirmed"),
        reviewer_button=_("Confirm the proposed decision"),
        reviewer_style="primary",
        reviewer_done=_("Decision confirmed: %(brand)s is now “%(status)s”."),
    ),
    "send_back": A(
        verb=_("send back the decision on"),
        staff_timeline=_("Proposal sent back"),
        reviewer_button=_("Send back to the reviewer"),
        reviewer_style="secondary",
        reviewer_done=_("The proposal on %(brand)s went back to its reviewer."),
    ),
    "approve": A(
        verb=_("approve"),
        seller_timeline=_("Admitted to the program"),
        staff_timeline=_("Approved"),
        reviewer_button=_("Approve"),
        reviewer_style="primary",
        reviewer_done=_("%(brand)s was approved and admitted."),
    ),
    "request_changes": A(
        verb=_("request changes"),
        seller_timeline=_("Changes requested by the review team"),
        staff_timeline=_("Changes requested"),
        reviewer_button=_("Request changes"),
        reviewer_style="secondary",
        reviewer_done=_("Changes were requested from the seller of %(brand)s."),
    ),
    "reject": A(
        verb=_("reject"),
        seller_timeline=_("Not admitted"),
        staff_timeline=_("Rejection proposed"),
        reviewer_button=_("Reject"),
        reviewer_style="danger",
        reviewer_done=_(
            "The rejection of %(brand)s is proposed; it takes effect when a second senior "
            "reviewer confirms it."
        ),
    ),
    "escalate": A(
        verb=_("escalate"),
        staff_timeline=_("Escalated to the senior reviewers"),
        reviewer_button=_("Escalate to a senior reviewer"),
        reviewer_style="quiet",
        reviewer_done=_("%(brand)s was escalated to the senior reviewers."),
    ),
    "release": A(
        verb=_("release"),
        staff_timeline=_("Released to the queue"),
        reviewer_button=_("Release to the queue"),
        reviewer_style="quiet",
        reviewer_done=_("%(brand)s is back in the queue."),
    ),
    "rescreen": A(
        verb=_("screen again"),
        staff_timeline=_("Sent to screening again"),
        reviewer_button=_("Screen again"),
        reviewer_style="quiet",
        reviewer_done=_("%(brand)s is being screened again."),
    ),
    "suspend": A(
        verb=_("suspend"),
        seller_timeline=_("Place suspended"),
        staff_timeline=_("Suspended"),
        reviewer_button=_("Suspend"),
        reviewer_style="danger",
        reviewer_done=_("%(brand)s was suspended."),
    ),
    "reinstate": A(
        verb=_("reinstate"),
        seller_timeline=_("Place reinstated"),
        staff_timeline=_("Reinstated"),
        reviewer_button=_("Reinstate"),
        reviewer_style="secondary",
        reviewer_done=_("%(brand)s was reinstated."),
    ),
    "revoke": A(
        verb=_("revoke"),
        seller_timeline=_("Place revoked"),
        staff_timeline=_("Revoked"),
        reviewer_button=_("Revoke"),
        reviewer_style="danger",
        reviewer_done=_("%(brand)s was revoked."),
    ),
    "submit": A(
        verb=_("submit"),
        seller_timeline=_("Submitted for review"),
        staff_timeline=_("Submitted"),
        seller_button=_("Submit for review"),
        seller_done=_("Your application was submitted. We will let you know the decision here."),
    ),
    "resubmit": A(
        verb=_("resubmit"),
        seller_timeline=_("Resubmitted for review"),
        staff_timeline=_("Resubmitted"),
        seller_button=_("Resubmit for review"),
        seller_done=_("Your application was resubmitted. We will let you know the decision here."),
    ),
    "withdraw": A(
        verb=_("withdraw"),
        seller_timeline=_("Withdrawn"),
        staff_timeline=_("Withdrawn by the seller"),
        seller_button=_("Withdraw application"),
        seller_done=_("Your application was withdrawn."),
    ),
    "start_screening": A(verb=_("start screening"), staff_timeline=_("Screening started")),
    "finish_screening": A(verb=_("finish screening"), staff_timeline=_("Screening finished")),
    "return_incomplete": A(
        verb=_("return as incomplete"),
        seller_timeline=_("Returned: information is missing"),
        staff_timeline=_("Returned to the seller as incomplete"),
    ),
    "return_pending_mark": A(
        verb=_("return for a registered mark"),
        seller_timeline=_("Returned: the trademark is still pending"),
        staff_timeline=_("Returned to the seller: the trademark stayed pending six months"),
    ),
    "trademark_registered": A(
        seller_timeline=_("Trademark registered"),
        staff_timeline=_("Trademark registered (registry data)"),
    ),
    "claim": A(verb=_("claim"), staff_timeline=_("Claimed")),
    "assign": A(verb=_("assign"), staff_timeline=_("Assigned")),
    "reassign": A(verb=_("reassign"), staff_timeline=_("Reassigned")),
    "waitlist": A(
        verb=_("waitlist"),
        seller_timeline=_("Approved, waiting for a place"),
        staff_timeline=_("Approved and waitlisted"),
        reviewer_done=_(
            "%(brand)s was approved; the program is full, so it is on the waiting list."
        ),
    ),
    "propose_approval": A(
        verb=_("propose approval of"),
        staff_timeline=_("Approval proposed"),
        reviewer_done=_(
            "%(brand)s is high-risk: the approval takes effect when a second senior reviewer "
            "confirms it."
        ),
    ),
    "stage_decision": A(
        verb=_("stage the decision on"),
        staff_timeline=_("Decision staged"),
        reviewer_done=_(
            "The decision on %(brand)s (“%(status)s”) is staged; the seller learns of it when "
            "a program manager releases it."
        ),
    ),
    "release_decision": A(
        verb=_("release the decision on"), staff_timeline=_("Decision released to the seller")
    ),
    "admit_from_waitlist": A(
        verb=_("admit from the waiting list"),
        seller_timeline=_("Admitted from the waiting list"),
        staff_timeline=_("Admitted from the waiting list"),
    ),
    "admit_staged": A(
        verb=_("admit from the waiting list"),
        staff_timeline=_("Admitted from the waiting list (staged)"),
    ),
    "revoke_overdue": A(
        verb=_("revoke after the deadline"),
        seller_timeline=_("Place revoked: the deadline passed"),
        staff_timeline=_("Place revoked: the deadline passed"),
    ),
    "created": A(seller_timeline=_("Application started"), staff_timeline=_("Application started")),
    "evidence_added": A(seller_timeline=_("Evidence added"), staff_timeline=_("Evidence added")),
    "evidence_removed": A(
        seller_timeline=_("Evidence removed"), staff_timeline=_("Evidence removed")
    ),
    "evidence_replaced": A(
        seller_timeline=_("Evidence replaced"), staff_timeline=_("Evidence replaced")
    ),
    "edited": A(seller_timeline=_("Application edited"), staff_timeline=_("Application edited")),
    "seller_message": A(
        seller_timeline=_("Message to the review team"), staff_timeline=_("Message from the seller")
    ),
    "reviewer_message": A(
        seller_timeline=_("Message from the review team"), staff_timeline=_("Message to the seller")
    ),
    "rerun_checks": A(staff_timeline=_("Checks re-run")),
    "registry_verified_by_hand": A(staff_timeline=_("Trademark verified by hand")),
    "queue_moved": A(staff_timeline=_("Moved to another queue")),
    "record_code_sent": A(staff_timeline=_("Record-control code sent")),
    "record_control_verified": A(staff_timeline=_("Record control verified")),
    "record_code_used_up": A(staff_timeline=_("Record-control code used up")),
}


def labels_for(action: str) -> ActionLabels:
    """The words for an action or history line; none at all for one the table does not know."""
    return LABELS.get(action, NONE)


def action_readable(action: str) -> str:
    """An action's code as words, for a history line the table has no words for."""
    return action.replace("_", " ").capitalize()
