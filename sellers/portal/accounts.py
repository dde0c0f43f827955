"""Pages reached without a company: where a login lands, a company's sign-up and the owner's
email confirmation."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods

from sellers.actors import actor_for_user
from sellers.mail import mail_after_commit, portal_link
from sellers.portal.forms import ResendConfirmationForm, SignUpForm
from sellers.services.companies import (
    CompanyTaken,
    EmailTaken,
    account_activate,
    company_register,
    membership_set_language,
)
from sellers.services.confirmations import (
    account_confirmation_resend,
    account_confirmation_send,
)
from sellers.tokens import account_confirmation_token


@require_GET
def home(request):
    """Visitors read what the program is and what to have ready; everybody signed in is sent
    on to their own start page."""
    if not request.user.is_authenticated:
        return render(request, "sellers/front.html")
    actor = actor_for_user(request.user)
    if actor.is_reviewer:
        return redirect("reviews:queue")
    if actor.is_manager:
        return redirect("reviews:dashboard")
    if actor.company_ids:
        return redirect("portal:dashboard")
    return render(request, "sellers/no_access.html", status=403)


@require_http_methods(["GET", "POST"])
def sign_up(request):
    """A company registers itself; its owner's login opens once the email is confirmed.

    A taken address or company number gets the same page as a new sign-up and a mail to the
    address given instead of an error, so the form cannot be used to find out who is a member.
    """
    form = SignUpForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                company = company_register(
                    legal_name=data["legal_name"],
                    country=data["country"],
                    registration_number=data["registration_number"],
                    owner_email=data["owner_email"],
                    owner_password=data["password1"],
                    owner_name=data["owner_name"],
                    owner_active=False,
                    business_licence=data["business_licence"],
                    category_codes=tuple(c.code for c in data["main_categories"]),
                )
                owner = company.memberships.get().user
                membership_set_language(user=owner, language=request.LANGUAGE_CODE)
                account_confirmation_send(user=owner, company=company)
        except EmailTaken:
            mail_after_commit(
                to=data["owner_email"],
                template="sellers/email/sign_up_account_exists",
                context={
                    "login_link": portal_link(reverse("login")),
                    "reset_link": portal_link(reverse("password_reset")),
                },
            )
        except CompanyTaken:
            mail_after_commit(
                to=data["owner_email"],
                template="sellers/email/sign_up_company_exists",
                context={
                    "legal_name": data["legal_name"],
                    "registration_number": data["registration_number"],
                },
            )
        except ValidationError as exc:
            form.add_service_error(exc)
            return render(request, "sellers/sign_up.html", {"form": form})
        return redirect("sign_up_sent")
    return render(request, "sellers/sign_up.html", {"form": form})


@require_GET
def sign_up_sent(request):
    return render(request, "sellers/sign_up_sent.html")


@require_http_methods(["GET", "POST"])
def sign_up_resend(request):
    """A new confirmation link, for an owner whose first one went astray or ran out."""
    form = ResendConfirmationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        account_confirmation_resend(email=form.cleaned_data["email"])
        messages.success(
            request,
            gettext(
                "If an account with this address waits for confirmation, a new link is on its "
                "way. Links sent earlier stay valid."
            ),
        )
        return redirect("sign_up_sent")
    return render(request, "sellers/sign_up_resend.html", {"form": form})


@require_GET
def account_confirm(request, uidb64: str, token: str):
    User = get_user_model()
    try:
        user = User.objects.get(pk=urlsafe_base64_decode(uidb64).decode())
    except (ValueError, User.DoesNotExist):
        user = None
    if user is None or not account_confirmation_token.check_token(user, token):
        return render(request, "sellers/account_confirm_failed.html", status=400)
    account_activate(user=user)
    messages.success(request, gettext("Your email is confirmed. You can log in now."))
    return redirect("login")
