"""The company verification queue: the open requests, oldest due first, and one request with
the licence to compare and the verdict to give."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods

from brandprogram.errors import ApplicationError
from reviews.case import pages_outlined
from reviews.forms import CompanyVerificationForm
from reviews.identity import company_verification_decide
from reviews.models import CompanyVerification
from reviews.views.access import reviewer_required
from sellers.access import Door, visible, visible_or_404
from sellers.actors import Actor
from sellers.models import SellerCompany
from sellers.portal.files import page_owner, private_file_response
from sellers.selectors import documents_read, licence_document
from sellers.uscc import entity_type


@require_GET
@reviewer_required
def identity_queue(request, actor: Actor):
    waiting = visible(
        CompanyVerification.objects.open().select_related("company"), actor, doors=Door.STAFF
    )
    return render(
        request,
        "reviews/identity_queue.html",
        {"verifications": list(waiting), "now": timezone.now()},
    )


@require_http_methods(["GET", "POST"])
@reviewer_required
def identity_case(request, actor: Actor, pk: int):
    verification = visible_or_404(
        CompanyVerification.objects.select_related("company", "decided_by"),
        actor,
        doors=Door.STAFF,
        pk=pk,
    )
    form = CompanyVerificationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            company_verification_decide(
                actor=actor,
                verification_id=verification.pk,
                verified=form.cleaned_data["decision"] == "verify",
                reason=form.cleaned_data["reason"],
            )
        except ApplicationError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(
                request,
                gettext("Your verdict on %(company)s is recorded.")
                % {"company": verification.legal_name},
            )
            return redirect("reviews:identity_queue")
    company = verification.company
    history = company.verifications.exclude(pk=verification.pk).select_related("decided_by")
    licence = licence_document(company)
    # What the reader found on the licence, beside the name and number stated.
    reading = documents_read([licence], today=timezone.localdate())[0] if licence else None
    if reading is not None:
        pages_outlined(reading, licence)
    return render(
        request,
        "reviews/identity_case.html",
        {
            "verification": verification,
            "company": company,
            "entity": entity_type(company.registration_number)
            if company.country.code == "CN"
            else "",
            "history": history.order_by("-requested_at"),
            "licence_reading": reading,
            "licence_page": reverse("reviews:document_page", args=[*page_owner(licence), 1])
            if licence
            else "",
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@require_GET
@reviewer_required
def identity_licence(request, actor: Actor, pk: int):
    """The company's business licence, as an attachment, for the reviewers who may see it."""
    company = visible_or_404(
        SellerCompany.objects.exclude(business_licence=""),
        actor,
        doors=Door.STAFF,
        company=None,
        pk=pk,
    )
    return private_file_response(
        company.business_licence,
        name=company.business_licence_name,
        content_type=company.business_licence_type,
        as_attachment=True,
    )
