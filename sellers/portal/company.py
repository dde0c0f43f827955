"""The company profile: what the company is (legal name, registration, licence, main
categories), how far its identity verification has come and what it still lacks. Members read
it; the owner keeps it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from brandprogram.errors import ApplicationError
from sellers.access import Door, visible
from sellers.actors import Actor
from sellers.models import Membership, SellerCompany
from sellers.portal.access import seller_member_required
from sellers.portal.forms import CompanyIdentityForm, CompanyLicenceForm, MainCategoriesForm
from sellers.profile import profile_state
from sellers.services.companies import (
    company_identity_update,
    company_licence_replace,
    company_main_categories_set,
)


def _company(actor: Actor) -> SellerCompany:
    company = (
        visible(SellerCompany.objects.all(), actor, doors=Door.SELLER, company=None)
        .prefetch_related("main_categories")
        .first()
    )
    if company is None:
        raise Http404
    return company


def _render(request, actor: Actor, company: SellerCompany, **forms):
    is_owner = Membership.objects.filter(
        user_id=actor.user_id, company=company, role=Membership.Role.OWNER
    ).exists()
    forms.setdefault(
        "identity_form",
        CompanyIdentityForm(
            initial={
                "legal_name": company.legal_name,
                "country": company.country.code,
                "registration_number": company.registration_number,
            }
        ),
    )
    forms.setdefault("licence_form", CompanyLicenceForm())
    forms.setdefault(
        "categories_form",
        MainCategoriesForm(initial={"main_categories": list(company.main_categories.all())}),
    )
    failed = any(form.errors for form in forms.values())
    context = {
        "company": company,
        "profile": profile_state(company),
        "is_owner": is_owner,
        **(forms if is_owner else {}),
    }
    return render(request, "sellers/company.html", context, status=400 if failed else 200)


@require_GET
@seller_member_required
def company_profile(request, actor: Actor):
    return _render(request, actor, _company(actor))


def _save(request, actor: Actor, form_name: str, form, write):
    company = _company(actor)
    if form.is_valid():
        try:
            write(company, form.cleaned_data)
        except ApplicationError:
            # Staff cannot change the profile; the page offers them no form to post.
            raise Http404 from None
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, gettext("The company profile is saved."))
            return redirect("portal:company")
    return _render(request, actor, company, **{form_name: form})


@require_POST
@seller_member_required
def company_identity(request, actor: Actor):
    return _save(
        request,
        actor,
        "identity_form",
        CompanyIdentityForm(request.POST),
        lambda company, data: company_identity_update(
            actor=actor,
            company_id=company.pk,
            legal_name=data["legal_name"],
            country=data["country"],
            registration_number=data["registration_number"],
        ),
    )


@require_POST
@seller_member_required
def company_licence(request, actor: Actor):
    return _save(
        request,
        actor,
        "licence_form",
        CompanyLicenceForm(request.POST, request.FILES),
        lambda company, data: company_licence_replace(
            actor=actor, company_id=company.pk, business_licence=data["business_licence"]
        ),
    )


@require_POST
@seller_member_required
def company_categories(request, actor: Actor):
    return _save(
        request,
        actor,
        "categories_form",
        MainCategoriesForm(request.POST),
        lambda company, data: company_main_categories_set(
            actor=actor,
            company_id=company.pk,
            category_ids=[category.pk for category in data["main_categories"]],
        ),
    )
