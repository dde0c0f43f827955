"""The company's team: members, invitations by email, joining through an invitation, removal
and the transfer of ownership."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from brandprogram.errors import ApplicationError
from sellers.access import Door, visible
from sellers.actors import Actor
from sellers.mail import mail_after_commit, portal_link
from sellers.models import Membership, SellerCompany
from sellers.portal.access import seller_member_required
from sellers.portal.forms import InviteForm, JoinForm
from sellers.services.companies import membership_set_language
from sellers.services.team import ownership_transfer, staff_invite_check, staff_join, staff_remove
from sellers.tokens import invitation_make, invitation_read


def _team_context(actor: Actor, invite_form) -> dict:
    members = list(
        visible(Membership.objects.all(), actor, doors=Door.SELLER)
        .select_related("user", "company")
        .order_by("-role", "user__username")
    )
    return {
        "members": members,
        "is_owner": any(m.user_id == actor.user_id and m.role == "owner" for m in members),
        "invite_form": invite_form,
    }


@require_GET
@seller_member_required
def team(request, actor: Actor):
    return render(request, "sellers/team.html", _team_context(actor, InviteForm()))


@require_POST
@seller_member_required
def team_invite(request, actor: Actor):
    form = InviteForm(request.POST)
    if form.is_valid():
        email = form.cleaned_data["email"]
        try:
            company_id = staff_invite_check(actor=actor, email=email)
        except ApplicationError:
            raise Http404 from None
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            link = portal_link(
                reverse("team_join", args=[invitation_make(company_id=company_id, email=email)])
            )
            company = SellerCompany.objects.get(pk=company_id)
            mail_after_commit(
                to=email,
                template="sellers/email/invitation",
                context={"company": company, "link": link, "inviter": actor.label},
            )
            messages.success(request, gettext("Invitation sent to %(email)s.") % {"email": email})
            return redirect("portal:team")
    return render(request, "sellers/team.html", _team_context(actor, form))


@require_POST
@seller_member_required
def team_remove(request, actor: Actor, pk: int):
    try:
        staff_remove(actor=actor, membership_id=pk)
    except ApplicationError:
        raise Http404 from None
    messages.success(request, gettext("The staff member was removed."))
    return redirect("portal:team")


@require_POST
@seller_member_required
def team_transfer(request, actor: Actor, pk: int):
    try:
        new_owner = ownership_transfer(actor=actor, membership_id=pk)
    except ApplicationError:
        raise Http404 from None
    messages.success(
        request,
        gettext("%(name)s is now the owner of the company.") % {"name": new_owner.user.username},
    )
    return redirect("portal:team")


@require_http_methods(["GET", "POST"])
def team_join(request, token: str):
    invitation = invitation_read(token)
    if invitation is None:
        return render(request, "sellers/invitation_invalid.html", status=400)
    company = get_object_or_404(SellerCompany, pk=invitation["company"])
    form = JoinForm(request.POST or None, email=invitation["email"])
    if request.method == "POST" and form.is_valid():
        try:
            member = staff_join(
                company_id=company.pk,
                email=invitation["email"],
                password=form.cleaned_data["password1"],
                name=form.cleaned_data["name"],
            )
            membership_set_language(user=member.user, language=request.LANGUAGE_CODE)
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, gettext("Your account is ready. Log in to continue."))
            return redirect("login")
    return render(
        request,
        "sellers/invitation_accept.html",
        {"form": form, "company": company, "email": invitation["email"]},
    )
