"""The seller portal's tier card: the company's tier, its score and why, and the history."""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from sellers.access import Door, visible
from sellers.actors import Actor
from sellers.models import SellerCompany
from sellers.portal.access import seller_member_required
from sellers.tiering import tier_explanation


@require_GET
@seller_member_required
def tier(request, actor: Actor):
    company = visible(SellerCompany.objects.all(), actor, doors=Door.SELLER, company=None).first()
    if company is None:
        raise Http404
    return render(
        request,
        "sellers/tier.html",
        {"company": company, "explanation": tier_explanation(company)},
    )
