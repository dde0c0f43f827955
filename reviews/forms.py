"""Forms of the reviewer workspace."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sellers.models import Evidence
from sellers.workflow import TRANSITIONS

# What the workspace's decision form may ask for; claiming has its own view and button.
DECISION_ACTIONS = (
    "approve",
    "request_changes",
    "reject",
    "release",
    "rescreen",
    "suspend",
    "reinstate",
    "revoke",
)


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
        if action and TRANSITIONS[action].note_required and not cleaned.get("message", "").strip():
            self.add_error("message", _("Write a message explaining this decision."))
        return cleaned


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
