"""The workspace of one application: the whole case the reviewer reads (reviews.case: company,
trademark and registry, authorization chain, facilities, evidence pages, screening, history)
and what they do there (claim, re-run checks, decide)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from brandprogram.errors import ApplicationError
from brandprogram.phrases import explained
from reviews import queues, selectors
from reviews.case import (
    authorization_chain,
    company_profile,
    evidence_previews,
    facilities,
    readings_by_key,
    screening_in_order,
    trademark_registry_view,
)
from reviews.checks import document_contents, enabled_checks, trademark_registry
from reviews.forms import DecisionForm, RegistryVerificationForm
from reviews.models import RecertificationRun, RegistryVerification, ReviewQueue, ScreeningRun
from reviews.registry.hand import applies_to, is_stale, latest_verification, public_search
from reviews.screening.runs import screening_rerun_request
from reviews.verification import RERUN_STATUSES, VERIFIABLE_STATUSES, registry_verification_record
from reviews.views.access import reviewer_required
from reviews.views.decisions import decide, safe_next
from sellers.access import Door, visible_or_404, withheld_names, withhold
from sellers.actors import Actor
from sellers.models import (
    Application,
    AuthorizationLink,
    Certification,
    Evidence,
    ReasonCode,
    SellerCompany,
    Status,
)
from sellers.portal.files import (
    document_page_response,
    evidence_response,
    page_document_or_404,
    private_file_response,
)
from sellers.ranking import PART_LABELS
from sellers.services.evidence import stored_type
from sellers.services.record_control import trademark_control_verified
from sellers.tiering import tier_explanation
from sellers.workflow.labels import LABELS, action_readable, labels_for
from sellers.workflow.table import CARRIES_DECISION, WAITING, available_actions, seller_label


@require_POST
@reviewer_required
def claim(request, actor: Actor, pk: int):
    application = visible_or_404(
        Application.objects.select_related("brand"), actor, doors=Door.STAFF, pk=pk
    )
    try:
        queues.application_claim(application_id=application.pk, actor=actor)
    except ApplicationError as exc:
        application.refresh_from_db(fields=["status", "assignee"])
        if application.status == Status.IN_REVIEW and application.assignee_id == actor.user_id:
            return redirect("reviews:workspace", pk=application.pk)
        if application.status == Status.IN_REVIEW:
            messages.warning(
                request,
                gettext("Already claimed: another reviewer took %(brand)s first.")
                % {"brand": application.brand.name},
            )
        else:
            messages.error(request, exc.message)
        return redirect("reviews:queue")
    return redirect("reviews:workspace", pk=application.pk)


@require_POST
@reviewer_required
def rerun(request, actor: Actor, pk: int):
    """Run one check ("check" = its code) or every check ("all") of the latest screening again."""
    application = visible_or_404(
        Application.objects.select_related("brand"), actor, doors=Door.STAFF, pk=pk
    )
    check = request.POST.get("check", "")
    try:
        codes = screening_rerun_request(
            application_id=application.pk,
            actor=actor,
            check_code=None if check == "all" else check,
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            gettext("%(count)s check(s) of %(brand)s are running again; reload to see results.")
            % {"count": len(codes), "brand": application.brand.name},
        )
    return redirect("reviews:workspace", pk=application.pk)


@require_POST
@reviewer_required
def verify_by_hand(request, actor: Actor, pk: int):
    """Record what the office's public register shows for the application's trademark."""
    application = case_application(actor, pk)
    form = RegistryVerificationForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            registry_verification_record(
                actor=actor,
                application_id=application.pk,
                number=data["number"],
                mark_words=data["mark_words"],
                figurative=data["figurative"],
                owner_name=data["owner_name"],
                nice_classes=data["nice_classes"],
                status=data["status"],
                valid_until=data["valid_until"],
                search_url=data["search_url"],
                capture=data["capture"],
                note=data["note"],
                submission_key=data["submission_key"],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        except ApplicationError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            if application.status in RERUN_STATUSES:
                done = gettext("Verification recorded; the registry check runs again with it.")
            else:
                done = gettext("Verification recorded; the next re-certification reads it.")
            messages.success(request, done)
            return redirect(reverse("reviews:workspace", args=[application.pk]) + "#hand-check")
    return render_workspace(request, actor, application, DecisionForm(), verification_form=form)


@require_GET
@reviewer_required
def verification_capture(request, actor: Actor, pk: int):
    """The capture a reviewer stored with a verification: reviewers only, conflicts excepted."""
    verification = visible_or_404(
        RegistryVerification.objects.all(),
        actor,
        doors=Door.STAFF,
        company="application__company",
        pk=pk,
    )
    return private_file_response(
        verification.capture,
        name=verification.capture_name,
        content_type=verification.capture_type,
        # Images open in the browser; a PDF is saved rather than rendered on the portal's origin.
        as_attachment=verification.capture_type == "application/pdf",
    )


@require_http_methods(["GET", "POST"])
@reviewer_required
def workspace(request, actor: Actor, pk: int):
    application = case_application(actor, pk)
    form = DecisionForm()
    if request.method == "POST":
        form = DecisionForm(request.POST)
        if form.is_valid():
            response = decide(request, actor, application, form)
            if response is not None:
                return response
    return render_workspace(request, actor, application, form)


def case_application(actor: Actor, pk: int) -> Application:
    """The application a reviewer's case page is about, or 404 behind their wall."""
    return visible_or_404(
        Application.objects.select_related("company", "brand", "trademark", "program", "assignee"),
        actor,
        doors=Door.STAFF,
        pk=pk,
    )


def render_workspace(
    request,
    actor: Actor,
    application: Application,
    form: DecisionForm,
    verification_form: RegistryVerificationForm | None = None,
):
    actions = available_actions(application, actor)
    queue_item = selectors.open_queue_item(application_id=application.pk)
    latest_run = (
        ScreeningRun.objects.filter(application=application).prefetch_related("results").first()
    )
    events = list(application.events.all())
    reason_labels = dict(ReasonCode.choices)
    for event in events:
        event.words = str(labels_for(event.action).staff_timeline or action_readable(event.action))
        if event.actor_id is None:
            # The service's own actors ("Screening service") are message ids.
            event.actor_label = gettext(event.actor_label)
        # "Application started." only repeats the headline.
        event.details = (
            "" if event.action == "created" else explained(event.note_phrases, event.note)
        )
        # A proposal or staged decision carries the message the seller will read later.
        event.details_for_seller = event.seller_visible or event.action in CARRIES_DECISION
        event.reason_labels = [reason_labels.get(code, code) for code in event.reasons]
    proposal = None
    if application.status == Status.PROPOSED:
        proposal = next((e for e in reversed(events) if e.action in CARRIES_DECISION), None)
    buttons = [
        {"action": action, "label": labels.reviewer_button, "style": labels.reviewer_style}
        for action, labels in LABELS.items()
        if labels.reviewer_button and action in actions
    ]
    check_titles = {check.CODE: check.TITLE for check in enabled_checks()}
    results = list(latest_run.results.all()) if latest_run else []
    withheld = withheld_names(actor)
    for result in results:
        result.title = check_titles.get(result.check_code, result.check_code)
        # Read in the reviewer's language. A check may have found the same file or logo at a
        # company behind the reviewer's wall.
        result.explanation = withhold(
            explained(result.explanation_phrases, result.explanation), withheld
        )
        result.source = explained(result.source_phrase, result.source)
    today = timezone.localdate()
    # What was read from every document (evidence, the sign-up licence, the chain's letters),
    # shown with the part of the case each belongs to.
    readings = readings_by_key(
        document_contents.check_documents(application, today=today, read_missing=False)
    )
    evidence = list(application.evidence.current().select_related("replaces"))
    context = {
        "application": application,
        "company": application.company,
        "profile": company_profile(application.company, readings),
        "indicators": _indicators(application.company),
        "explanation": tier_explanation(application.company),
        "seller_status": seller_label(application.status),
        "categories": list(application.categories.all()),
        "registry": trademark_registry_view(application, results),
        "chain": authorization_chain(application, readings, today=today),
        "facilities": facilities(application.company, today=today),
        "evidence": evidence,
        "withdrawn_evidence": list(application.evidence.withdrawn().select_related("replaced_by")),
        "previews": evidence_previews(evidence, readings),
        "latest_run": latest_run,
        "results": results,
        "screening": screening_in_order(results),
        "record_control": trademark_control_verified(application.trademark),
        "record_code_latest": application.trademark.verification_codes.first(),
        "events": events,
        "can_claim": "claim" in actions and _claimable_here(queue_item, actor),
        "can_rerun": latest_run is not None
        and latest_run.state == ScreeningRun.State.COMPLETED
        and (
            application.status == Status.AWAITING_REVIEW
            or (application.status == Status.IN_REVIEW and application.assignee_id == actor.user_id)
        ),
        "buttons": buttons,
        "can_request_changes": "request_changes" in actions,
        "is_assignee": application.assignee_id == actor.user_id,
        "proposal": proposal,
        "score_parts": _score_parts(application) if application.status in WAITING else [],
        "form": form,
        "next": safe_next(request),
        "queue_item": queue_item,
        "hand_check": _hand_check(application, actor, results, verification_form),
    }
    return render(request, "reviews/workspace.html", context)


def _hand_check(application: Application, actor: Actor, results, form) -> dict | None:
    """The verification by hand, for a trademark whose registry finding comes from an office
    we hold no data for: the latest one, and the form to record a new one."""
    findings = [
        (result.checked_at.isoformat(), result.outcome, result.evidence)
        for result in results
        if result.check_code == trademark_registry.CODE
    ]
    recertification = (
        RecertificationRun.objects.filter(application=application).order_by("-period").first()
    )
    if recertification and trademark_registry.CODE in recertification.findings:
        finding = recertification.findings[trademark_registry.CODE]
        findings.append((finding["checked_at"], finding["outcome"], finding["evidence"]))
    if not findings:
        return None
    _when, outcome, evidence = max(findings, key=lambda finding: finding[0])
    if "hand_verification" not in evidence:
        return None
    mark = application.trademark
    search = public_search(mark.office)
    verification = latest_verification(trademark_id=mark.pk)
    current = verification is not None and applies_to(
        verification, office=mark.office, number=evidence.get("number", "")
    )
    can_record = application.status in VERIFIABLE_STATUSES and (
        application.status != Status.IN_REVIEW or application.assignee_id == actor.user_id
    )
    if form is None and can_record:
        form = RegistryVerificationForm(initial={"number": mark.number, "search_url": search.url})
    return {
        "search": search,
        "verification": verification,
        "applies": current,
        "stale": current and is_stale(verification),
        "due": outcome == "unverifiable",
        "form": form if can_record else None,
    }


def _score_parts(application: Application) -> list[tuple[str, str, int]]:
    tiers = dict(SellerCompany.Tier.choices)
    return [
        (
            str(PART_LABELS.get(part["part"], part["part"])),
            str(tiers.get(part["value"], part["value"]))
            if part["part"] == "tier"
            else part["value"],
            part["points"],
        )
        for part in application.brand_score_parts
    ]


def _claimable_here(queue_item, actor: Actor) -> bool:
    """Outside queues anyone may claim; in a queue, members of a claim-next queue only."""
    if queue_item is None:
        return True
    member, _lead = selectors.queue_roles(queue=queue_item.queue, actor=actor)
    return member and queue_item.queue.assignment_mode == ReviewQueue.AssignmentMode.CLAIM_NEXT


def _indicators(company) -> list[tuple[str, str]]:
    def percent(value) -> str:
        return "—" if value is None else f"{number_format(value * 100, 1)} %"

    categories = ", ".join(str(category) for category in company.main_categories.all())
    return [
        (gettext("Quality-dispute rate"), percent(company.quality_dispute_rate)),
        (gettext("On-time delivery rate"), percent(company.on_time_delivery_rate)),
        (gettext("Buyer NPS"), "—" if company.nps is None else str(company.nps)),
        (gettext("Open infringement complaints"), str(company.infringement_complaints)),
        (
            gettext("Overseas warehouse stock (days of sales)"),
            "—" if company.overseas_stock_days is None else str(company.overseas_stock_days),
        ),
        (gettext("Main categories"), categories or "—"),
    ]


@require_GET
@reviewer_required
def document_page(request, actor: Actor, owner: str, pk: int, page: int):
    """A page of a document as a picture rendered here, for the outline of where each field
    was read; behind the same wall as the document itself."""
    document = page_document_or_404(actor, owner, pk)
    return document_page_response(document, page, actor=actor)


@require_GET
@reviewer_required
def evidence_preview(request, actor: Actor, pk: int):
    """Shown in the browser, for reviewers reading the documents next to the application."""
    evidence = visible_or_404(
        Evidence.objects.all(), actor, doors=Door.STAFF, company="application__company", pk=pk
    )
    return evidence_response(evidence, actor=actor, as_attachment=False)


@require_GET
@reviewer_required
def letter_file(request, actor: Actor, pk: int):
    """A link's signed letter as the seller uploaded it, as an attachment, for the reviewers
    who may see the company: the pages shown in the case are pictures of it, and a signature
    or a seal is examined in the original."""
    link = visible_or_404(
        AuthorizationLink.objects.exclude(letter=""),
        actor,
        doors=Door.STAFF,
        company="trademark__brand__company",
        pk=pk,
    )
    content_type = link.letter_type or stored_type(link.letter.name)
    if content_type is None:
        raise Http404
    return private_file_response(
        link.letter,
        name=link.letter_name or f"{link.grantor_name} to {link.grantee_name}",
        content_type=content_type,
        as_attachment=True,
    )


@require_GET
@reviewer_required
def certification_file(request, actor: Actor, pk: int):
    """A facility's certificate as the seller uploaded it, as an attachment, for the reviewers
    who may see the company."""
    certification = visible_or_404(
        Certification.objects.exclude(file=""),
        actor,
        doors=Door.STAFF,
        company="facility__company",
        pk=pk,
    )
    content_type = stored_type(certification.file.name)
    if content_type is None:
        raise Http404
    return private_file_response(
        certification.file,
        name=f"{certification.standard} {certification.number}",
        content_type=content_type,
        as_attachment=True,
    )
