"""Forms of the seller portal: they check the shape of the input; sellers.services the rules."""

import re

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import SetPasswordMixin
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from brandprogram.errors import ApplicationError
from sellers.models import Category, Evidence, Facility, NiceClass, Program, Trademark
from sellers.services.applications import TrademarkInput
from sellers.services.drafts import CertificationInput, FacilityInput
from sellers.services.evidence import EvidenceInput
from sellers.services.partners import grantable_partners
from sellers.validators import validate_visible_text

DEFAULT_PROGRAM_SLUG = "thousand-class"
NICE_EDITION = "NCL 13-2026"
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


class _SubcategoryField(forms.ModelMultipleChoiceField):
    """A category under a main one, shown with the main category it belongs to."""

    def label_from_instance(self, category) -> str:
        if category.parent_id:
            return f"{category.parent}: {category}"
        return str(category)


def _main_categories_field() -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        label=_("Main categories"),
        queryset=Category.objects.filter(parent__isnull=True),
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "The one or two main categories your company sells in; the program takes "
            "specialists. Your applications name categories within them."
        ),
        error_messages={"required": _("Choose one or two main categories.")},
    )


def _registration_number_field() -> forms.CharField:
    return forms.CharField(
        label=_("Registration number"),
        max_length=64,
        help_text=_(
            "Unified Social Credit Code for Chinese companies (an enterprise's starts with 91), "
            "the VAT number for companies in the EU, the company number elsewhere."
        ),
    )


def _at_most_two(categories):
    if len(categories) > 2:
        raise ValidationError(
            _(
                "Choose at most two main categories: the program takes companies focused on "
                "one or two."
            ),
            code="too_many_main_categories",
        )
    return categories


# The brand and trademark inputs read the same in the one-page form and in the wizard's steps.
def _brand_name_field() -> forms.CharField:
    return forms.CharField(
        label=_("Brand name"),
        max_length=120,
        validators=[validate_visible_text],
        help_text=_("Exactly as registered, including spaces and punctuation."),
    )


def _native_name_field() -> forms.CharField:
    return forms.CharField(
        label=_("Native-script name"),
        max_length=120,
        validators=[validate_visible_text],
        required=False,
        help_text=_("The brand in Chinese or another script, if it has one."),
    )


def _office_field() -> forms.ChoiceField:
    return forms.ChoiceField(label=_("Trademark office"), choices=Trademark.Office.choices)


def _trademark_number_field() -> forms.CharField:
    return forms.CharField(
        label=_("Trademark number"),
        max_length=40,
        help_text=_("Registration number, or application number if the mark is pending."),
    )


def _registration_status_field(**options) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Registration status"),
        choices=Trademark.RegistrationStatus.choices,
        widget=forms.RadioSelect,
        **options,
    )


def _mark_type_field() -> forms.ChoiceField:
    return forms.ChoiceField(label=_("Mark type"), choices=Trademark.MarkType.choices)


def _owner_name_field() -> forms.CharField:
    return forms.CharField(
        label=_("Owner on record"),
        max_length=255,
        validators=[validate_visible_text],
        help_text=_("The trademark owner exactly as the registry shows it."),
    )


def _expires_on_field() -> forms.DateField:
    return forms.DateField(
        label=_("Expiry date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class NewApplicationForm(ServiceErrorsMixin, forms.Form):
    program = forms.ModelChoiceField(
        label=_("Program"), queryset=Program.objects.none(), empty_label=None
    )
    brand_name = _brand_name_field()
    brand_native_name = _native_name_field()
    office = _office_field()
    trademark_number = _trademark_number_field()
    registration_status = _registration_status_field(
        initial=Trademark.RegistrationStatus.REGISTERED
    )
    mark_type = _mark_type_field()
    nice_classes = forms.CharField(
        label=_("Nice classes"),
        max_length=200,
        help_text=_("The classes the mark is registered in, separated by commas, e.g. 9, 11."),
    )
    owner_name = _owner_name_field()
    expires_on = _expires_on_field()
    correspondent_email = forms.EmailField(label=_("Correspondent email on record"), required=False)
    categories = _SubcategoryField(
        label=_("Categories"),
        queryset=Category.objects.filter(children__isnull=True)
        .select_related("parent")
        .order_by("parent__name", "name"),
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
        help_text=_("PDF, JPEG, PNG or WebP. You can add more files after saving the draft."),
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
    file = forms.FileField(label=_("File"), help_text=_("PDF, JPEG, PNG or WebP."))


class EvidenceReplaceForm(forms.Form):
    file = forms.FileField(
        label=_("New file"),
        help_text=_("PDF, JPEG, PNG or WebP."),
        error_messages={"required": _("Choose the new file.")},
    )
    # The page the seller replaced the file from (the application or the wizard's step).
    next = forms.CharField(required=False)


class TrademarkCodeForm(ServiceErrorsMixin, forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=20,
        help_text=_("The 6 digits from the email the correspondent on record received."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if not re.fullmatch(r"\d{6}", code):
            raise ValidationError(_("Enter the 6-digit code from the email."))
        return code


class SellerActionForm(forms.Form):
    action = forms.ChoiceField(choices=[(action, action) for action in SELLER_ACTIONS])


class GrantForm(forms.Form):
    partner = forms.ModelChoiceField(
        label=_("Partner"), queryset=grantable_partners(), empty_label=None
    )

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class SignUpForm(ServiceErrorsMixin, forms.Form):
    legal_name = forms.CharField(
        label=_("Company legal name"),
        max_length=255,
        validators=[validate_visible_text],
        help_text=_("Exactly as on the business licence."),
    )
    country = CountryField().formfield(label=_("Country of registration"))
    registration_number = _registration_number_field()
    business_licence = forms.FileField(
        label=_("Business licence"), help_text=_("A scan or photo: PDF, JPEG, PNG or WebP.")
    )
    main_categories = _main_categories_field()
    owner_name = forms.CharField(
        label=_("Your name"), max_length=150, validators=[validate_visible_text]
    )
    owner_email = forms.EmailField(
        label=_("Your email"), help_text=_("We send a link to confirm it; you log in with it.")
    )
    password1 = forms.CharField(
        label=_("Password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label=_("Password again"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean_main_categories(self):
        return _at_most_two(self.cleaned_data["main_categories"])

    def clean(self):
        data = super().clean()
        first, second = data.get("password1"), data.get("password2")
        if first and second:
            if first != second:
                self.add_error("password2", _("The two passwords differ."))
            else:
                user = get_user_model()(
                    username=data.get("owner_email", ""), email=data.get("owner_email", "")
                )
                try:
                    password_validation.validate_password(first, user)
                except ValidationError as exc:
                    self.add_error("password1", exc)
        return data


class CompanyIdentityForm(ServiceErrorsMixin, forms.Form):
    legal_name = forms.CharField(
        label=_("Company legal name"),
        max_length=255,
        validators=[validate_visible_text],
        help_text=_("Exactly as on the business licence."),
    )
    country = CountryField().formfield(label=_("Country of registration"))
    registration_number = _registration_number_field()

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class CompanyLicenceForm(ServiceErrorsMixin, forms.Form):
    business_licence = forms.FileField(
        label=_("Business licence"), help_text=_("A scan or photo: PDF, JPEG, PNG or WebP.")
    )

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class MainCategoriesForm(ServiceErrorsMixin, forms.Form):
    main_categories = _main_categories_field()

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean_main_categories(self):
        return _at_most_two(self.cleaned_data["main_categories"])


class ResendConfirmationForm(forms.Form):
    email = forms.EmailField(
        label=_("Your email"), help_text=_("The address you registered your company with.")
    )


class InviteForm(ServiceErrorsMixin, forms.Form):
    email = forms.EmailField(label=_("Email of the person to invite"))

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class JoinForm(ServiceErrorsMixin, SetPasswordMixin, forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=150, validators=[validate_visible_text])
    password1, password2 = SetPasswordMixin.create_password_fields()

    def __init__(self, *args, email: str = "", **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        self.validate_passwords()
        self.validate_password_for_user(get_user_model()(username=self.email, email=self.email))
        return super().clean()


class WizardForm(ServiceErrorsMixin, forms.Form):
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class BrandStepForm(WizardForm):
    name = _brand_name_field()
    native_name = _native_name_field()
    logo = forms.FileField(
        label=_("Logo"), required=False, help_text=_("JPEG, PNG or WebP image; optional.")
    )


def nice_class_choices() -> list[tuple[int, str]]:
    headings = dict(NiceClass.objects.filter(edition=NICE_EDITION).values_list("number", "heading"))
    return [
        (number, f"{number} · {gettext(headings[number])}" if number in headings else str(number))
        for number in range(1, 46)
    ]


class TrademarkStepForm(WizardForm):
    office = _office_field()
    number = _trademark_number_field()
    registration_status = _registration_status_field()
    mark_type = _mark_type_field()
    nice_classes = forms.TypedMultipleChoiceField(
        label=_("Nice classes"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Every class the mark is registered in (Nice classification, NCL 13-2026)."),
        error_messages={"required": _("Tick at least one Nice class.")},
    )
    owner_name = _owner_name_field()
    expires_on = _expires_on_field()
    certificate = forms.FileField(
        label=_("Registration certificate"),
        required=False,
        help_text=_("PDF, JPEG, PNG or WebP. Leave empty to keep the one already uploaded."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["nice_classes"].choices = nice_class_choices()

    def trademark_input(self) -> TrademarkInput:
        data = self.cleaned_data
        return TrademarkInput(
            office=data["office"],
            number=data["number"],
            registration_status=data["registration_status"],
            mark_type=data["mark_type"],
            nice_classes=data["nice_classes"],
            owner_name=data["owner_name"],
            expires_on=data["expires_on"],
        )


class OwnershipStepForm(WizardForm):
    owns = forms.TypedChoiceField(
        label=_("Who owns the trademark?"),
        choices=[
            ("yes", _("Our company is the owner on record")),
            ("no", _("Another company owns it and authorized us")),
        ],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )


class AuthorizationLinkForm(WizardForm):
    grantor_name = forms.CharField(
        label=_("Grantor"), max_length=255, validators=[validate_visible_text]
    )
    grantee_name = forms.CharField(
        label=_("Grantee"), max_length=255, validators=[validate_visible_text]
    )
    product_scope = forms.CharField(label=_("Product scope"), max_length=2000)
    territory = forms.CharField(label=_("Territory"), max_length=255)
    valid_from = forms.DateField(
        label=_("Valid from"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    valid_until = forms.DateField(
        label=_("Valid until"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    letter = forms.FileField(
        label=_("Signed letter"), help_text=_("The letter with signature or company seal.")
    )


class CategoriesStepForm(NewApplicationForm):
    """The program and categories of the one-page form, without its other fields."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in list(self.fields):
            if name not in {"program", "categories"}:
                del self.fields[name]


class FacilityForm(WizardForm):
    manufacturer_name = forms.CharField(
        label=_("Manufacturer"), max_length=255, validators=[validate_visible_text]
    )
    country = CountryField().formfield(label=_("Country"))
    ownership = forms.ChoiceField(
        label=_("Ownership"), choices=Facility.Ownership.choices, widget=forms.RadioSelect
    )
    monthly_capacity_units = forms.IntegerField(
        label=_("Monthly capacity (units)"), min_value=0, required=False
    )
    standard = forms.CharField(
        label=_("Certification"),
        max_length=80,
        required=False,
        help_text=_("For example ISO 9001; optional."),
    )
    certificate_number = forms.CharField(
        label=_("Certificate number"), max_length=80, required=False
    )
    issuer = forms.CharField(
        label=_("Issuer"), max_length=200, required=False, validators=[validate_visible_text]
    )
    scope = forms.CharField(label=_("Scope"), max_length=2000, required=False)
    certificate_expires_on = forms.DateField(
        label=_("Certificate expires on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    certification_file = forms.FileField(label=_("Certificate file"), required=False)

    CERTIFICATION_FIELDS = ("standard", "certificate_number", "issuer")

    def clean(self):
        data = super().clean()
        given = [name for name in self.CERTIFICATION_FIELDS if data.get(name)]
        if given or data.get("certification_file"):
            for name in self.CERTIFICATION_FIELDS:
                if not data.get(name):
                    self.add_error(name, _("Needed when you add a certification."))
        return data

    def facility_input(self) -> FacilityInput:
        data = self.cleaned_data
        return FacilityInput(
            manufacturer_name=data["manufacturer_name"],
            country=data["country"],
            ownership=data["ownership"],
            monthly_capacity_units=data["monthly_capacity_units"],
        )

    def certification_input(self) -> CertificationInput | None:
        data = self.cleaned_data
        if not data.get("standard"):
            return None
        return CertificationInput(
            standard=data["standard"],
            number=data["certificate_number"],
            issuer=data["issuer"],
            scope=data["scope"],
            expires_on=data["certificate_expires_on"],
            file=data["certification_file"],
        )
