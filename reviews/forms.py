"""Forms of the reviewer workspace."""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from reviews.models import QueueItem
from sellers.models import Evidence, SellerCompany
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

    def __init__(self, *args, queue, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["items"].queryset = QueueItem.objects.open().filter(queue=queue)
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
