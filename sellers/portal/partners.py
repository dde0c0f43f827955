"""The seller portal's Partners page: which agencies may act for the company, given and
taken away by its owner. Taking access away works at the partner's very next API call."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from brandprogram.errors import ApplicationError
from sellers.actors import Actor
from sellers.models import Membership, PartnerGrant
from sellers.portal.access import seller_member_required
from sellers.portal.forms import GrantForm
from sellers.services.partners import (
    partner_access_list,
    partner_grant_add,
    partner_grant_preview,
    partner_grant_revoke,
)


def _context(actor: Actor, form: GrantForm) -> dict:
    company_id = min(actor.company_ids)
    is_owner = Membership.objects.filter(
        user_id=actor.user_id, company_id=company_id, role=Membership.Role.OWNER
    ).exists()
    revoked = (
        PartnerGrant.objects.filter(company_id=company_id, revoked_at__isnull=False)
        .select_related("partner", "revoked_by")
        .order_by("-revoked_at")[:20]
    )
    return {
        "accesses": partner_access_list(company_id=company_id),
        "revoked": revoked,
        "is_owner": is_owner,
        "form": form,
    }


@require_GET
@seller_member_required
def partners(request, actor: Actor):
    return render(request, "sellers/partners.html", _context(actor, GrantForm()))


def _confirmation(request, actor: Actor, partner_id: int, status: int = 200):
    try:
        preview = partner_grant_preview(actor=actor, partner_id=partner_id)
    except ApplicationError:
        raise Http404 from None
    return render(
        request, "sellers/partner_grant_confirm.html", {"preview": preview}, status=status
    )


@require_GET
@seller_member_required
def partner_access_confirm(request, actor: Actor):
    """Spells out what the partner could do before anything is given."""
    form = GrantForm(request.GET)
    if form.is_valid():
        return _confirmation(request, actor, form.cleaned_data["partner"].pk)
    return render(request, "sellers/partners.html", _context(actor, form), status=400)


@require_POST
@seller_member_required
def partner_access_give(request, actor: Actor):
    form = GrantForm(request.POST)
    if form.is_valid():
        partner_id = form.cleaned_data["partner"].pk
        # Access is given only from the confirmation page, never by a bare post.
        if request.POST.get("confirm") != "yes":
            return _confirmation(request, actor, partner_id, status=400)
        try:
            grant = partner_grant_add(actor=actor, partner_id=partner_id)
        except ApplicationError:
            raise Http404 from None
        messages.success(
            request,
            gettext("%(partner)s can now act for your company.") % {"partner": grant.partner.name},
        )
        return redirect("portal:partners")
    return render(request, "sellers/partners.html", _context(actor, form), status=400)


@require_POST
@seller_member_required
def partner_revoke(request, actor: Actor, pk: int):
    try:
        grant = partner_grant_revoke(actor=actor, grant_id=pk)
    except ApplicationError:
        raise Http404 from None
    messages.success(
        request,
        gettext("%(partner)s can no longer act for your company.")
        % {"partner": grant.partner.name},
    )
    return redirect("portal:partners")
