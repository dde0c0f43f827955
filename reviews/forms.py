"""Forms of the reviewer workspace."""

import re
import uuid

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from reviews.models import QueueItem, RegistryVerification, ReviewQueue
from reviews.search import Filters, RiskBand
from sellers.access import Door, visible
from sellers.models import Application, Category, Evidence, ReasonCode, SellerCompany, Status
from sellers.workflow.table import STAGED, TRANSITIONS

# What the workspace's decision form may ask for; claiming has its own view and button.
DECISION_ACTIONS = (
    "approve",
    "request_changes",
    "reject",
    "confirm",
    "send_back",
    "escalate",
    "release",
    "rescreen",
    "suspend",
    "reinstate",
    "revoke",
)
# These speak to reviewers only: what the reviewer writes is an internal note.
INTERNAL_ACTIONS = frozenset({"send_back", "escalate"})


class DecisionForm(forms.Form):
    action = forms.ChoiceField(choices=[(action, action) for action in DECISION_ACTIONS])
    message = forms.CharField(
        label=_("Message to the seller"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Required to request changes or to reject. Say what is wrong and what would fix it; "
            "the seller sees it as written."
        ),
    )
    internal_note = forms.CharField(
        label=_("Internal note"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "For reviewers only; the seller never sees it. Required to send a proposal back or "
            "to escalate."
        ),
    )
    reasons = forms.MultipleChoiceField(
        label=_("Reasons"),
        required=False,
        choices=ReasonCode.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The seller sees the reasons ticked, in their language, with the decision."),
    )

    requested_evidence = forms.MultipleChoiceField(
        label=_("Evidence that needs attention"),
        required=False,
        choices=Evidence.Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("When requesting changes, tick the documents the seller should look at again."),
    )

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        action = cleaned.get("action")
        if not action or not TRANSITIONS[action].note_required:
            return cleaned
        if action in INTERNAL_ACTIONS:
            if not cleaned.get("internal_note", "").strip():
                self.add_error("internal_note", _("Write a note for the other reviewers."))
        elif not cleaned.get("message", "").strip():
            self.add_error("message", _("Write a message explaining this decision."))
        return cleaned

    def transition_arguments(self) -> dict:
        """The texts and reasons as the workflow takes them."""
        data = self.cleaned_data
        if data["action"] in INTERNAL_ACTIONS:
            return {"note": data["internal_note"], "reasons": data["reasons"]}
        return {
            "note": data["message"],
            "internal_note": data["internal_note"],
            "reasons": data["reasons"],
        }


class ReleaseForm(forms.Form):
    """The staged decisions a manager releases together."""

    applications = forms.ModelMultipleChoiceField(
        label=_("Staged decisions"),
        queryset=Application.objects.none(),
        error_messages={
            "required": _("Select at least one staged decision to release."),
            "invalid_choice": _(
                "Decision %(value)s is no longer staged; reload the page to see the current list."
            ),
            "invalid_pk_value": _("“%(pk)s” is not a staged decision."),
        },
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        # A manager who declared a conflict with a company neither sees nor releases its
        # decisions; the list on the page is this same queryset.
        self.fields["applications"].queryset = visible(
            Application.objects.filter(status__in=STAGED), actor, doors=Door.STAFF
        )


class RecertificationDecisionForm(forms.Form):
    """Settling a re-certification case: clear, suspend with a deadline, or revoke."""

    action = forms.ChoiceField(
        choices=[("clear", "clear"), ("suspend", "suspend"), ("revoke", "revoke")]
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Clearing: an internal note on why the brand still qualifies. Suspending or revoking: "
            "the message the seller reads."
        ),
    )
    deadline = forms.DateField(
        label=_("Deadline for the seller"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Only for a suspension: the last day the seller has to resolve the failure."),
    )

    def clean(self):
        data = super().clean()
        if data.get("action") == "suspend" and not data.get("deadline"):
            self.add_error("deadline", _("Give the seller a deadline."))
        return data


class AssignForm(forms.Form):
    """A lead's bulk assignment: ticked items of one queue to one of its members."""

    items = forms.ModelMultipleChoiceField(
        label=_("Items"),
        queryset=QueueItem.objects.none(),
        error_messages={"required": _("Tick at least one item to assign.")},
    )
    assignee = forms.ModelChoiceField(
        label=_("Assign to"),
        queryset=get_user_model().objects.none(),
        error_messages={"required": _("Choose the reviewer to assign.")},
    )

    def __init__(self, *args, queue, actor, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # A lead who declared a conflict with a company neither sees nor assigns its items.
        self.fields["items"].queryset = visible(
            QueueItem.objects.open().filter(queue=queue),
            actor,
            doors=Door.STAFF,
            company="application__company",
        )
        self.fields["assignee"].queryset = get_user_model().objects.filter(
            queue_memberships__queue=queue
        )


class ConflictForm(forms.Form):
    company = forms.CharField(
        label=_("Company"),
        max_length=255,
        help_text=_("Its exact legal name or registration number."),
    )
    reason = forms.CharField(
        label=_("Your link to the company"),
        max_length=255,
        help_text=_("For example: worked there until 2025; a relative is a shareholder."),
    )

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean_company(self):
        text = self.cleaned_data["company"].strip()
        matches = list(
            SellerCompany.objects.filter(
                Q(legal_name__iexact=text) | Q(registration_number__iexact=text)
            )[:2]
        )
        if not matches:
            raise forms.ValidationError(
                _("No seller company has that legal name or registration number.")
            )
        if len(matches) > 1:
            raise forms.ValidationError(
                _("Several companies have that name; give the registration number instead.")
            )
        return matches[0]


class RegistryVerificationForm(forms.Form):
    """What a reviewer read on the office's public register, with a capture of the page."""

    number = forms.CharField(
        label=_("Number looked up"),
        max_length=40,
        help_text=_("The seller's number as you searched it."),
    )
    mark_words = forms.CharField(
        label=_("Words of the mark"),
        required=False,
        max_length=500,
        help_text=_("Exactly as the register shows them, spaces and punctuation included."),
    )
    figurative = forms.BooleanField(label=_("The mark is a logo without words"), required=False)
    owner_name = forms.CharField(
        label=_("Owner on the register"),
        max_length=500,
        help_text=_("The registrant's name as the register shows it."),
    )
    nice_classes = forms.CharField(
        label=_("Nice classes"),
        max_length=200,
        help_text=_("The classes the registration lists, separated by commas: 9, 11, 35."),
    )
    status = forms.ChoiceField(
        label=_("Status on the register"),
        choices=RegistryVerification.Status.choices,
        widget=forms.RadioSelect,
    )
    valid_until = forms.DateField(
        label=_("Valid until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The end of the registration's term; required for a registered mark."),
    )
    search_url = forms.URLField(
        label=_("Search used"),
        max_length=500,
        assume_scheme="https",
        help_text=_("The address of the search or of the record's page."),
    )
    capture = forms.FileField(
        label=_("Capture of the page"),
        widget=forms.ClearableFileInput(attrs={"accept": ".png,.jpg,.jpeg,.pdf"}),
        help_text=_("A screenshot (PNG or JPEG) or a printed page (PDF) showing the record."),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Anything the next reviewer should know; for reviewers only."),
    )
    # Rendered once per form: sending the same form twice records one verification.
    submission_key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean_nice_classes(self) -> list[str]:
        # Chinese keyboards type the full-width comma and the enumeration comma.
        separators = r"[\s,;\uff0c\u3001]+"
        return [part for part in re.split(separators, self.cleaned_data["nice_classes"]) if part]


class SearchForm(forms.Form):
    """The reviewers' search: free text and the filters; every field may stay empty."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        help_text=_(
            "A company or brand name (also in Chinese), a registration number (USCC), a "
            "trademark number or a reference such as TCB-2026-000123."
        ),
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *Status.choices]
    )
    queue = forms.ModelChoiceField(
        label=_("Queue"),
        required=False,
        queryset=ReviewQueue.objects.order_by("name"),
        empty_label=_("Any queue"),
    )
    tier = forms.ChoiceField(
        label=_("Tier"),
        required=False,
        choices=[("", _("Any tier")), *SellerCompany.Tier.choices],
    )
    category = forms.ModelChoiceField(
        label=_("Category"),
        required=False,
        queryset=Category.objects.order_by("name"),
        empty_label=_("Any category"),
    )
    risk = forms.ChoiceField(
        label=_("Risk"),
        required=False,
        choices=[
            ("", _("Any risk")),
            (RiskBand.HIGH, _("High")),
            (RiskBand.MEDIUM, _("Medium")),
            (RiskBand.LOW, _("Low")),
            (RiskBand.NONE, _("Not scored")),
        ],
    )

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def filters(self) -> Filters:
        data = self.cleaned_data
        return Filters(
            status=data["status"],
            queue=data["queue"],
            tier=data["tier"],
            category=data["category"],
            risk=data["risk"],
        )


class CompanyVerificationForm(forms.Form):
    """A reviewer's verdict on a company's identity; a refusal says why."""

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("verify", _("Verified: the licence shows this name and number")),
            ("refuse", _("Refused")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required to refuse: what does not match, as the seller will read it."),
    )

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
