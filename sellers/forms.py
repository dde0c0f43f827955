"""Forms of the seller portal: they check the shape of the input; sellers.services the rules."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sellers.errors import ApplicationError
from sellers.models import Category, Evidence, Program, Trademark
from sellers.services import EvidenceInput, TrademarkInput

DEFAULT_PROGRAM_SLUG = "thousand-class"
SELLER_ACTIONS = ("submit", "resubmit", "withdraw")


class ServiceErrorsMixin:
    """Put the errors a service raised next to the inputs they are about."""

    def add_service_error(self, exc: ValidationError | ApplicationError) -> None:
        if isinstance(exc, ApplicationError):
            self.add_error(exc.field if exc.field in self.fields else None, exc.message)
            return
        if not hasattr(exc, "error_dict"):
            self.add_error(None, exc.messages)
            return
        for key, messages in exc.message_dict.items():
            self.add_error(key if key in self.fields else None, messages)


class NewApplicationForm(ServiceErrorsMixin, forms.Form):
    program = forms.ModelChoiceField(
        label=_("Program"), queryset=Program.objects.none(), empty_label=None
    )
    brand_name = forms.CharField(
        label=_("Brand name"),
        max_length=120,
        help_text=_("Exactly as registered, including spaces and punctuation."),
    )
    brand_native_name = forms.CharField(
        label=_("Native-script name"),
        max_length=120,
        required=False,
        help_text=_("The brand in Chinese or another script, if it has one."),
    )
    office = forms.ChoiceField(label=_("Trademark office"), choices=Trademark.Office.choices)
    trademark_number = forms.CharField(
        label=_("Trademark number"),
        max_length=40,
        help_text=_("Registration number, or application number if the mark is pending."),
    )
    registration_status = forms.ChoiceField(
        label=_("Registration status"),
        choices=Trademark.RegistrationStatus.choices,
        initial=Trademark.RegistrationStatus.REGISTERED,
        widget=forms.RadioSelect,
    )
    mark_type = forms.ChoiceField(label=_("Mark type"), choices=Trademark.MarkType.choices)
    nice_classes = forms.CharField(
        label=_("Nice classes"),
        max_length=200,
        help_text=_("The classes the mark is registered in, separated by commas, e.g. 9, 11."),
    )
    owner_name = forms.CharField(
        label=_("Owner on record"),
        max_length=255,
        help_text=_("The trademark owner exactly as the registry shows it."),
    )
    expires_on = forms.DateField(
        label=_("Expiry date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    correspondent_email = forms.EmailField(label=_("Correspondent email on record"), required=False)
    categories = forms.ModelMultipleChoiceField(
        label=_("Categories"),
        queryset=Category.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose one or two categories you will sell the brand in."),
        error_messages={"required": _("Choose one or two categories from the list.")},
    )
    evidence_kind = forms.ChoiceField(
        label=_("Kind of document"),
        choices=Evidence.Kind.choices,
        initial=Evidence.Kind.TRADEMARK_CERTIFICATE,
    )
    evidence = forms.FileField(
        label=_("First evidence file"),
        help_text=_("PDF, JPEG or PNG. You can add more files after saving the draft."),
    )

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        programs = Program.objects.filter(Q(closes_on__isnull=True) | Q(closes_on__gte=today))
        self.fields["program"].queryset = programs.order_by("-opens_on", "name")
        self.fields["program"].initial = programs.filter(slug=DEFAULT_PROGRAM_SLUG).first()

    def clean_nice_classes(self) -> list[int]:
        parts = [part for part in re.split(r"[\s,;]+", self.cleaned_data["nice_classes"]) if part]
        if not parts or not all(part.isdigit() for part in parts):
            raise ValidationError(
                _("Enter the Nice classes as numbers separated by commas, e.g. 9, 11."),
                code="invalid",
            )
        return [int(part) for part in parts]

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "program_id": data["program"].pk,
            "brand_name": data["brand_name"],
            "brand_native_name": data["brand_native_name"],
            "trademark": TrademarkInput(
                office=data["office"],
                number=data["trademark_number"],
                registration_status=data["registration_status"],
                mark_type=data["mark_type"],
                nice_classes=data["nice_classes"],
                owner_name=data["owner_name"],
                expires_on=data["expires_on"],
                correspondent_email=data["correspondent_email"],
            ),
            "category_ids": [category.pk for category in data["categories"]],
            "evidence": [EvidenceInput(kind=data["evidence_kind"], upload=data["evidence"])],
        }


class EvidenceForm(ServiceErrorsMixin, forms.Form):
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    kind = forms.ChoiceField(label=_("Kind of document"), choices=Evidence.Kind.choices)
    file = forms.FileField(label=_("File"), help_text=_("PDF, JPEG or PNG."))


class SellerActionForm(forms.Form):
    action = forms.ChoiceField(choices=[(action, action) for action in SELLER_ACTIONS])
