"""The application wizard: one page per step, each saved as the seller leaves it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods

from brandprogram.errors import ApplicationError
from sellers.access import Door, visible_or_404
from sellers.actors import Actor
from sellers.documents.matching import Document, DocumentCheck, check_document
from sellers.models import (
    ApplicationDraft,
    AuthorizationLink,
    Evidence,
    Facility,
    SellerCompany,
    Status,
)
from sellers.portal.access import seller_member_required
from sellers.portal.forms import (
    AuthorizationLinkForm,
    BrandStepForm,
    CategoriesStepForm,
    EvidenceForm,
    FacilityForm,
    OwnershipStepForm,
    TrademarkStepForm,
)
from sellers.requirements import evidence_checklist, missing_evidence
from sellers.selectors import (
    document_readings,
    documents_checked,
    documents_read,
    letter_documents,
    licence_document,
)
from sellers.services.drafts import (
    WIZARD_STEPS,
    AuthorizationLinkInput,
    draft_add_authorization_link,
    draft_add_facility,
    draft_finish_step,
    draft_remove_last_authorization_link,
    draft_save_brand,
    draft_save_categories,
    draft_save_ownership,
    draft_save_trademark,
    trademark_warnings,
    uncovered_categories,
)
from sellers.services.evidence import evidence_add
from sellers.workflow.labels import labels_for
from sellers.workflow.table import EDITABLE_STATUSES
from sellers.workflow.transition import application_transition

WIZARD_TEMPLATES = {step: f"sellers/wizard/{step}.html" for step in WIZARD_STEPS}


def _own_draft(actor: Actor, pk: int) -> ApplicationDraft:
    queryset = ApplicationDraft.objects.select_related("brand", "trademark", "application")
    return visible_or_404(queryset, actor, doors=Door.SELLER, pk=pk)


def _wizard_render(request, actor, draft, step: str, **context):
    reached = WIZARD_STEPS.index(draft.step) if draft else 0
    steps = [
        {
            "code": code,
            "label": label,
            "number": number,
            "reachable": draft is not None and number - 1 <= reached,
            "current": code == step,
        }
        for number, (code, label) in enumerate(ApplicationDraft.Step.choices, start=1)
    ]
    context.update({"draft": draft, "step": step, "steps": steps})
    if draft is not None and draft.trademark is not None:
        context.setdefault("links", list(draft.trademark.authorization_links.all()))
    if draft is not None and draft.application is not None:
        application = draft.application
        context.setdefault("checklist", evidence_checklist(application))
        context.setdefault("evidence", list(application.evidence.current()))
        context.setdefault("categories", list(application.categories.all()))
    return render(request, WIZARD_TEMPLATES[step], context)


def _next_step_redirect(draft: ApplicationDraft, done: str):
    following = WIZARD_STEPS[min(WIZARD_STEPS.index(done) + 1, len(WIZARD_STEPS) - 1)]
    return redirect("portal:wizard_step", pk=draft.pk, step=following)


@require_http_methods(["GET", "POST"])
@seller_member_required
def wizard_start(request, actor: Actor):
    form = BrandStepForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            draft = draft_save_brand(
                actor=actor,
                company_id=min(actor.company_ids),
                name=form.cleaned_data["name"],
                native_name=form.cleaned_data["native_name"],
                logo=form.cleaned_data["logo"],
            )
        except (ValidationError, ApplicationError) as exc:
            form.add_service_error(exc)
        else:
            return _next_step_redirect(draft, "brand")
    return _wizard_render(request, actor, None, "brand", form=form)


@require_GET
@seller_member_required
def wizard_resume(request, actor: Actor, pk: int):
    draft = _own_draft(actor, pk)
    return redirect("portal:wizard_step", pk=draft.pk, step=draft.step)


@require_http_methods(["GET", "POST"])
@seller_member_required
def wizard_step(request, actor: Actor, pk: int, step: str):
    draft = _own_draft(actor, pk)
    if step not in WIZARD_STEPS:
        raise Http404
    if WIZARD_STEPS.index(step) > WIZARD_STEPS.index(draft.step):
        return redirect("portal:wizard_step", pk=draft.pk, step=draft.step)
    if draft.application is not None and draft.application.status not in EDITABLE_STATUSES:
        return redirect("portal:application_detail", pk=draft.application.pk)
    handler = WIZARD_HANDLERS[step]
    try:
        return handler(request, actor, draft)
    except ApplicationError as exc:
        if exc.code == "no_draft":
            raise Http404 from None
        messages.error(request, exc.message)
        return redirect("portal:wizard_step", pk=draft.pk, step=step)


def _save_step(request, actor, draft, step, form, save):
    """Validate ``form``; on success call ``save`` and go on, else show the errors."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            draft.refresh_from_db()
            return _next_step_redirect(draft, step)
    return _wizard_render(request, actor, draft, step, form=form)


def _brand_step(request, actor, draft):
    brand = draft.brand
    form = BrandStepForm(
        request.POST or None,
        request.FILES or None,
        initial={"name": brand.name, "native_name": brand.native_name},
    )
    return _save_step(
        request,
        actor,
        draft,
        "brand",
        form,
        lambda data: draft_save_brand(
            actor=actor,
            company_id=draft.company_id,
            draft_id=draft.pk,
            name=data["name"],
            native_name=data["native_name"],
            logo=data["logo"],
        ),
    )


def _trademark_step(request, actor, draft):
    mark = draft.trademark
    initial = {"registration_status": "registered", "owner_name": draft.company.legal_name}
    if mark is not None:
        initial = {
            "office": mark.office,
            "number": mark.number,
            "registration_status": mark.registration_status,
            "mark_type": mark.mark_type,
            "nice_classes": mark.nice_classes,
            "owner_name": mark.owner_name,
            "expires_on": mark.expires_on,
        }
    form = TrademarkStepForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "GET":
        warnings = []
        if mark is not None:
            warnings = trademark_warnings(
                office=mark.office,
                number=mark.number,
                owner_name=mark.owner_name,
                expires_on=mark.expires_on,
            )
        return _wizard_render(request, actor, draft, "trademark", form=form, warnings=warnings)
    result = _save_step(
        request,
        actor,
        draft,
        "trademark",
        form,
        lambda data: draft_save_trademark(
            actor=actor,
            draft_id=draft.pk,
            trademark=form.trademark_input(),
            certificate=data["certificate"],
        ),
    )
    if result.status_code == 302:
        data = form.cleaned_data
        for warning in trademark_warnings(
            office=data["office"],
            number=data["number"],
            owner_name=data["owner_name"],
            expires_on=data["expires_on"],
        ):
            messages.warning(request, warning)
    return result


@require_GET
@seller_member_required
def trademark_check(request, actor: Actor, pk: int):
    """Warnings about the trademark as the seller types it, for the step's script."""
    _own_draft(actor, pk)
    try:
        expires_on = parse_date(request.GET.get("expires_on", ""))
    except ValueError:
        expires_on = None
    warnings = trademark_warnings(
        office=request.GET.get("office", ""),
        number=request.GET.get("number", ""),
        owner_name=request.GET.get("owner_name", ""),
        expires_on=expires_on,
    )
    return JsonResponse({"warnings": warnings})


def _ownership_step(request, actor, draft):
    link_form = AuthorizationLinkForm(prefix="link")
    if request.method == "POST" and "add_link" in request.POST:
        link_form = AuthorizationLinkForm(request.POST, request.FILES, prefix="link")
        if link_form.is_valid():
            try:
                draft_add_authorization_link(
                    actor=actor,
                    draft_id=draft.pk,
                    link=AuthorizationLinkInput(**link_form.cleaned_data),
                )
            except ValidationError as exc:
                link_form.add_service_error(exc)
            else:
                messages.success(request, gettext("The authorization link was added."))
                return redirect("portal:wizard_step", pk=draft.pk, step="ownership")
        form = OwnershipStepForm(initial={"owns": "no"})
        return _ownership_render(request, actor, draft, form=form, link_form=link_form)
    if request.method == "POST" and "remove_link" in request.POST:
        draft_remove_last_authorization_link(actor=actor, draft_id=draft.pk)
        return redirect("portal:wizard_step", pk=draft.pk, step="ownership")
    initial = {}
    if draft.owns_trademark is not None:
        initial["owns"] = "yes" if draft.owns_trademark else "no"
    form = OwnershipStepForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            draft_save_ownership(actor=actor, draft_id=draft.pk, owns=form.cleaned_data["owns"])
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            return _next_step_redirect(draft, "ownership")
    return _ownership_render(request, actor, draft, form=form, link_form=link_form)


def _ownership_render(request, actor, draft, **context):
    """The chain step, with what was read from each link's signed letter."""
    links = list(
        AuthorizationLink.objects.filter(trademark_id=draft.trademark_id).select_related(
            "trademark__brand__company"
        )
    )
    letters = documents_read(letter_documents(links), today=timezone.localdate())
    return _wizard_render(
        request, actor, draft, "ownership", links=links, letters=_panels(letters), **context
    )


def _reading_poll_url(document: Document) -> str:
    """Where a document's reading panel is fetched again while the document is being read."""
    if document.evidence is not None:
        return reverse("portal:evidence_reading", args=[document.evidence.pk])
    if document.company is not None:
        return reverse("portal:licence_reading", args=[document.company.pk])
    return reverse("portal:letter_reading", args=[document.link.pk])


def _panels(checks: list[DocumentCheck]) -> list[dict]:
    return [{"doc": check, "poll_url": _reading_poll_url(check.document)} for check in checks]


def _categories_step(request, actor, draft):
    initial = {}
    if draft.application is not None:
        initial["categories"] = list(draft.application.categories.all())
        initial["program"] = draft.application.program
    form = CategoriesStepForm(request.POST or None, initial=initial)
    if draft.application is not None:
        form.fields["program"].disabled = True
    result = _save_step(
        request,
        actor,
        draft,
        "categories",
        form,
        lambda data: draft_save_categories(
            actor=actor,
            draft_id=draft.pk,
            program_id=data["program"].pk,
            category_ids=[c.pk for c in data["categories"]],
        ),
    )
    if request.method == "POST" and result.status_code == 302 and draft.trademark is not None:
        uncovered = uncovered_categories(draft.trademark, form.cleaned_data["categories"])
        if uncovered:
            messages.warning(
                request,
                gettext(
                    "Your trademark's Nice classes do not cover %(categories)s. Reviewers will "
                    "ask why; a trademark registered in the matching class avoids that."
                )
                % {"categories": ", ".join(str(c) for c in uncovered)},
            )
    return result


def _supply_step(request, actor, draft):
    form = FacilityForm(prefix="facility")
    if request.method == "POST" and "add_facility" in request.POST:
        form = FacilityForm(request.POST, request.FILES, prefix="facility")
        if form.is_valid():
            try:
                draft_add_facility(
                    actor=actor,
                    draft_id=draft.pk,
                    facility=form.facility_input(),
                    certification=form.certification_input(),
                )
            except ValidationError as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, gettext("The facility was added."))
                return redirect("portal:wizard_step", pk=draft.pk, step="supply")
    elif request.method == "POST":
        try:
            draft_finish_step(actor=actor, draft_id=draft.pk, step="supply")
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            return _next_step_redirect(draft, "supply")
    facilities = list(
        Facility.objects.filter(company_id=draft.company_id).prefetch_related("certifications")
    )
    return _wizard_render(request, actor, draft, "supply", form=form, facilities=facilities)


def _evidence_step(request, actor, draft):
    form = EvidenceForm()
    if request.method == "POST" and "upload" in request.POST:
        form = EvidenceForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                evidence = evidence_add(
                    actor=actor,
                    application_id=draft.application.pk,
                    kind=form.cleaned_data["kind"],
                    upload=form.cleaned_data["file"],
                )
            except ValidationError as exc:
                form.add_service_error(exc)
            else:
                messages.success(
                    request, gettext("%(name)s was added.") % {"name": evidence.original_name}
                )
                return redirect("portal:wizard_step", pk=draft.pk, step="evidence")
    elif request.method == "POST":
        draft_finish_step(actor=actor, draft_id=draft.pk, step="evidence")
        return _next_step_redirect(draft, "evidence")
    documents = documents_checked(draft.application, today=timezone.localdate())
    return _wizard_render(
        request, actor, draft, "evidence", form=form, documents=_panels(documents)
    )


@require_GET
@seller_member_required
def evidence_reading(request, actor: Actor, pk: int):
    """One document's reading panel, which the evidence step fetches while it is being read."""
    evidence = visible_or_404(
        Evidence.objects.select_related("application"),
        actor,
        doors=Door.SELLER,
        company="application__company",
        pk=pk,
    )
    return _reading_panel(request, Document.of_evidence(evidence))


@require_GET
@seller_member_required
def licence_reading(request, actor: Actor, pk: int):
    """The reading panel of the business licence the company signed up with."""
    company = visible_or_404(
        SellerCompany.objects.all(), actor, doors=Door.SELLER, company=None, pk=pk
    )
    document = licence_document(company)
    if document is None:
        raise Http404
    return _reading_panel(request, document)


@require_GET
@seller_member_required
def letter_reading(request, actor: Actor, pk: int):
    """The reading panel of an authorization link's signed letter, fetched by the chain step."""
    link = visible_or_404(
        AuthorizationLink.objects.select_related("trademark__brand__company"),
        actor,
        doors=Door.SELLER,
        company="trademark__brand__company",
        pk=pk,
    )
    if not link.letter:
        raise Http404
    return _reading_panel(request, Document.of_letter(link))


def _reading_panel(request, document: Document):
    reading = document_readings([document]).get(document.key)
    doc = check_document(document, reading, today=timezone.localdate())
    return render(request, "sellers/_document_reading.html", {"doc": doc, "poll_url": request.path})


def _review_step(request, actor, draft):
    application = draft.application
    action = "resubmit" if application.status == Status.CHANGES_REQUESTED else "submit"
    if request.method == "POST":
        try:
            application_transition(application_id=application.pk, action=action, actor=actor)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, labels_for(action).seller_done)
            return redirect("portal:application_detail", pk=application.pk)
    return _wizard_render(
        request,
        actor,
        draft,
        "review",
        action=action,
        action_label=labels_for(action).seller_button,
        facilities=list(Facility.objects.filter(company_id=draft.company_id)),
        missing=[item.label for item in missing_evidence(application)],
    )


WIZARD_HANDLERS = {
    "brand": _brand_step,
    "trademark": _trademark_step,
    "ownership": _ownership_step,
    "categories": _categories_step,
    "supply": _supply_step,
    "evidence": _evidence_step,
    "review": _review_step,
}
