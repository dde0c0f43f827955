"""The company's team: members, invitations by email, joining through an invitation, removal
and the transfer of ownership."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from brandprogram.errors import ApplicationError
from sellers.access import Door, visible
from sellers.actors import Actor
from sellers.mail import mail_after_commit, portal_link
from sellers.models import Membership, SellerCompany, StaffInvitation
from sellers.portal.access import seller_member_required
from sellers.portal.forms import InviteForm, JoinForm
from sellers.services.companies import membership_set_language
from sellers.services.team import (
    ownership_transfer,
    pending_invitations,
    staff_invitation_cancel,
    staff_invitation_resend,
    staff_invite,
    staff_join,
    staff_remove,
)
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
        "invitations": pending_invitations(members[0].company_id) if members else [],
        "invite_form": invite_form,
        "now": timezone.now(),
    }


def _mail_invitation(invitation: StaffInvitation, actor: Actor) -> None:
    token = invitation_make(
        company_id=invitation.company_id, email=invitation.email, invitation_id=invitation.pk
    )
    mail_after_commit(
        to=invitation.email,
        template="sellers/email/invitation",
        context={
            "company": invitation.company,
            "link": portal_link(reverse("team_join", args=[token])),
            "inviter": actor.label,
        },
    )


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
            invitation = staff_invite(actor=actor, email=email)
        except ApplicationError:
            raise Http404 from None
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            _mail_invitation(invitation, actor)
            messages.success(request, gettext("Invitation sent to %(email)s.") % {"email": email})
            return redirect("portal:team")
    return render(request, "sellers/team.html", _team_context(actor, form))


@require_POST
@seller_member_required
def team_invitation_resend(request, actor: Actor, pk: int):
    try:
        invitation = staff_invitation_resend(actor=actor, invitation_id=pk)
    except ApplicationError:
        raise Http404 from None
    _mail_invitation(invitation, actor)
    messages.success(
        request, gettext("Invitation sent again to %(email)s.") % {"email": invitation.email}
    )
    return redirect("portal:team")


@require_POST
@seller_member_required
def team_invitation_cancel(request, actor: Actor, pk: int):
    try:
        staff_invitation_cancel(actor=actor, invitation_id=pk)
    except ApplicationError:
        raise Http404 from None
    messages.success(request, gettext("The invitation was cancelled; its link no longer works."))
    return redirect("portal:team")


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
    invitation_id = invitation.get("invitation")
    if (
        invitation_id is not None
        and StaffInvitation.objects.filter(pk=invitation_id, cancelled_at__isnull=False).exists()
    ):
        return render(request, "sellers/invitation_invalid.html", {"cancelled": True}, status=400)
    company = get_object_or_404(SellerCompany, pk=invitation["company"])
    form = JoinForm(request.POST or None, email=invitation["email"])
    if request.method == "POST" and form.is_valid():
        try:
            member = staff_join(
                company_id=company.pk,
                email=invitation["email"],
                password=form.cleaned_data["password1"],
                name=form.cleaned_data["name"],
                invitation_id=invitation_id,
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
