"""The seller's applications: the dashboard, the one-page form, the detail page with its
history and actions, evidence uploads, replacements and removals, and the notifications inbox."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from brandprogram.errors import ApplicationError
from brandprogram.phrases import explained
from sellers.access import Door, visible, visible_or_404
from sellers.actors import Actor
from sellers.conversation import written_in
from sellers.models import (
    Application,
    ApplicationDraft,
    AuthorizationLink,
    Evidence,
    Facility,
    Notification,
    Program,
    ReasonCode,
    SellerCompany,
    Status,
)
from sellers.portal.access import seller_member_required
from sellers.portal.forms import (
    SELLER_ACTIONS,
    EvidenceForm,
    EvidenceReplaceForm,
    NewApplicationForm,
    SellerActionForm,
)
from sellers.requirements import evidence_checklist
from sellers.selectors import decision_time_estimate, inbox_page, suspension_deadline
from sellers.services.applications import application_create
from sellers.services.events import written_language
from sellers.services.evidence import evidence_add, evidence_remove, evidence_replace
from sellers.services.notifications import notifications_mark_read
from sellers.services.record_control import trademark_control_verified
from sellers.workflow.labels import action_readable, labels_for
from sellers.workflow.table import (
    EDITABLE_STATUSES,
    UNDER_REVIEW,
    available_actions,
    seller_label,
    seller_status_code,
)
from sellers.workflow.transition import application_transition

# Applications a page of the seller's list: a company applying with many brands, or an agency
# acting for it, would otherwise get every one on one page.
DASHBOARD_PAGE = 50
# Keyed by sellers.workflow's seller-facing status codes, never by internal statuses.
NEXT_STEPS = {
    "draft": _(
        "Your application is saved as a draft. Add your evidence (the trademark certificate, "
        "and an authorization letter if your company is not the owner on record), then submit "
        "it for review."
    ),
    "under_review": _(
        "Our review team is checking your brand, trademark and documents. You do not need to "
        "do anything now; we will show the decision here, or ask you if we need more."
    ),
    "changes_requested": _(
        "The review team needs more from you. Read their message, add or correct your "
        "evidence, then resubmit the application."
    ),
    "admitted": _("Your brand is part of the Thousand-Class Brand Program."),
    "waitlisted": _(
        "Your brand was approved, but every place in the program is taken. It will be admitted "
        "automatically as soon as a place opens."
    ),
    "not_admitted": _(
        "Your brand was not admitted. The reason is in the history below; you can apply again "
        "once it has been addressed."
    ),
    "withdrawn": _("You withdrew this application. You can start a new one at any time."),
    "suspended": _(
        "Your brand's place in the program is suspended. The history below says why and what to do."
    ),
    "revoked": _("Your brand's place in the program was revoked."),
}


def _event_words(event) -> str:
    words = labels_for(event.action).seller_timeline
    if words is not None:
        return str(words)
    # A confirmed or released decision reads as its outcome.
    if event.to_status:
        return seller_label(event.to_status)
    return action_readable(event.action)


def own_application(actor: Actor, pk: int) -> Application:
    queryset = Application.objects.select_related("brand", "program", "trademark")
    return visible_or_404(queryset, actor, doors=Door.SELLER, pk=pk)


@require_GET
@seller_member_required
def dashboard(request, actor: Actor):
    seen = visible(Application.objects.all(), actor, doors=Door.SELLER)
    page = Paginator(
        seen.select_related("brand", "program").order_by("-updated_at", "-pk"), DASHBOARD_PAGE
    ).get_page(request.GET.get("page"))
    applications = list(page.object_list)
    for application in applications:
        application.seller_status = seller_label(application.status)
        application.seller_status_code = seller_status_code(application.status)
    company = visible(SellerCompany.objects.all(), actor, doors=Door.SELLER, company=None).first()
    unfinished = list(
        visible(ApplicationDraft.objects.filter(application__isnull=True), actor, doors=Door.SELLER)
        .select_related("brand")
        .order_by("-updated_at", "-pk")
    )
    # A seller waiting on a decision wants to know how long the wait usually is, whichever
    # page the application is on.
    waiting = seen.filter(status__in=UNDER_REVIEW).values("program_id")
    decision_times = [
        {"program": program, "estimate": decision_time_estimate(program_id=program.pk)}
        for program in Program.objects.filter(pk__in=waiting).order_by("pk")
    ]
    return render(
        request,
        "sellers/dashboard.html",
        {
            "company": company,
            "applications": applications,
            "page": page,
            "unfinished": unfinished,
            "decision_times": decision_times,
        },
    )


@require_http_methods(["GET", "POST"])
@seller_member_required
def application_new(request, actor: Actor):
    if request.method != "POST":
        return render(request, "sellers/application_new.html", {"form": NewApplicationForm()})
    form = NewApplicationForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            application = application_create(
                actor=actor, company_id=min(actor.company_ids), **form.service_arguments()
            )
        except (ValidationError, ApplicationError) as exc:
            form.add_service_error(exc)
        else:
            messages.success(
                request, gettext("Draft saved. Check it, add any other evidence, then submit it.")
            )
            return redirect("portal:application_detail", pk=application.pk)
    return render(request, "sellers/application_new.html", {"form": form})


@require_GET
@seller_member_required
def application_detail(request, actor: Actor, pk: int):
    application = own_application(actor, pk)
    return render_detail(request, actor, application, EvidenceForm())


def render_detail(request, actor: Actor, application: Application, evidence_form):
    code = seller_status_code(application.status)
    events = list(application.events.filter(seller_visible=True).order_by("created_at", "pk"))
    reason_labels = dict(ReasonCode.choices)
    reader_language = written_language()
    for event in events:
        event.words = _event_words(event)
        # A person's words are shown as written, with the language named when it is not the
        # reader's (never machine-translated).
        event.written_in = (
            written_in(event.note_language, reader_language) if event.note_language else ""
        )
        # "Application started." only repeats the headline; the service's own notes (a file
        # added or replaced) read in the reader's language.
        event.details = (
            "" if event.action == "created" else explained(event.note_phrases, event.note)
        )
        event.reason_labels = [reason_labels.get(code, code) for code in event.reasons]
    reviewer_message = None
    if application.status in (Status.CHANGES_REQUESTED, Status.SUSPENDED):
        reviewer_message = next(
            (e for e in reversed(events) if e.to_status == application.status), None
        )
    actions = [
        {"action": action, "label": labels_for(action).seller_button}
        for action in available_actions(application, actor)
        if action in SELLER_ACTIONS
    ]
    context = {
        "application": application,
        "status_code": code,
        "status_label": seller_label(application.status),
        "next_steps": NEXT_STEPS[code],
        "categories": list(application.categories.all()),
        # What the seller entered in the wizard, read-only here: the chain of authorizations
        # down to the company and the facilities that make the goods.
        "links": list(AuthorizationLink.objects.filter(trademark_id=application.trademark_id)),
        "facilities": list(
            Facility.objects.filter(company_id=application.company_id).prefetch_related(
                "certifications"
            )
        ),
        "evidence": list(application.evidence.current().select_related("replaces")),
        "can_add_evidence": application.status in EDITABLE_STATUSES,
        "wizard_draft": ApplicationDraft.objects.filter(application=application).first()
        if application.status in EDITABLE_STATUSES
        else None,
        "checklist": evidence_checklist(application)
        if application.status in EDITABLE_STATUSES
        else [],
        "evidence_form": evidence_form,
        "actions": [a for a in actions if a["action"] != "withdraw"],
        "can_withdraw": any(a["action"] == "withdraw" for a in actions),
        "reviewer_message": reviewer_message,
        "requested_evidence": list(reviewer_message.requested_evidence.all())
        if reviewer_message
        else [],
        "events": events,
        "record_control": trademark_control_verified(application.trademark),
        "under_review": code == "under_review",
        "decision_time": decision_time_estimate(program_id=application.program_id)
        if code == "under_review"
        else None,
        "suspension_deadline": suspension_deadline(application_id=application.pk)
        if application.status == Status.SUSPENDED
        else None,
    }
    return render(request, "sellers/application_detail.html", context)


@require_POST
@seller_member_required
def application_action(request, actor: Actor, pk: int):
    application = own_application(actor, pk)
    form = SellerActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("That action is not available."))
        return redirect("portal:application_detail", pk=application.pk)
    action = form.cleaned_data["action"]
    try:
        application_transition(application_id=application.pk, action=action, actor=actor)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, labels_for(action).seller_done)
    return redirect("portal:application_detail", pk=application.pk)


@require_POST
@seller_member_required
def evidence_create(request, actor: Actor, pk: int):
    application = own_application(actor, pk)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            evidence = evidence_add(
                actor=actor,
                application_id=application.pk,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
            )
        except ValidationError as exc:
            form.add_service_error(exc)
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return redirect("portal:application_detail", pk=application.pk)
        else:
            messages.success(
                request, gettext("%(name)s was added.") % {"name": evidence.original_name}
            )
            return redirect("portal:application_detail", pk=application.pk)
    return render_detail(request, actor, application, form)


def _own_evidence(actor: Actor, pk: int) -> Evidence:
    return visible_or_404(
        Evidence.objects.select_related("application"),
        actor,
        doors=Door.SELLER,
        company="application__company",
        pk=pk,
    )


def _back_to(request, evidence: Evidence) -> str:
    """The page the seller acted from when it is one of ours, else the application's page."""
    wanted = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return reverse("portal:application_detail", args=[evidence.application_id])


@require_POST
@seller_member_required
def evidence_replace_view(request, actor: Actor, pk: int):
    old = _own_evidence(actor, pk)
    form = EvidenceReplaceForm(request.POST, request.FILES)
    if not form.is_valid():
        for error in form.errors.get("file", []):
            messages.error(request, error)
        return redirect(_back_to(request, old))
    try:
        new = evidence_replace(
            actor=actor,
            application_id=old.application_id,
            evidence_id=old.pk,
            upload=form.cleaned_data["file"],
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            gettext("“%(old)s” was replaced with “%(new)s”.")
            % {"old": old.original_name, "new": new.original_name},
        )
    return redirect(_back_to(request, old))


@require_POST
@seller_member_required
def evidence_remove_view(request, actor: Actor, pk: int):
    evidence = _own_evidence(actor, pk)
    try:
        evidence_remove(
            actor=actor, application_id=evidence.application_id, evidence_id=evidence.pk
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, gettext("“%(name)s” was removed.") % {"name": evidence.original_name}
        )
    return redirect(_back_to(request, evidence))


@require_http_methods(["GET", "POST"])
@seller_member_required
def notifications(request, actor: Actor):
    if request.method == "POST":
        notifications_mark_read(user=request.user)
        return redirect("portal:notifications")
    page = inbox_page(
        Notification.objects.filter(user=request.user).select_related("application__brand"),
        before=request.GET.get("before", ""),
    )
    return render(
        request,
        "sellers/notifications.html",
        {"notifications": page.entries, "older": page.older, "before": request.GET.get("before")},
    )
