"""The seller portal. Views parse input with forms and hand every write to services/workflow.

Objects of other companies answer 404, exactly like objects that do not exist, so that nobody
can learn which applications or files exist by trying numbers.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sellers.actors import Actor, actor_for_user
from sellers.errors import ApplicationError
from sellers.forms import SELLER_ACTIONS, EvidenceForm, NewApplicationForm, SellerActionForm
from sellers.models import Application, Evidence, SellerCompany, Status
from sellers.services import EDITABLE_STATUSES, application_create, evidence_add
from sellers.workflow import (
    application_transition,
    available_actions,
    seller_label,
    seller_status_code,
)

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

# How each seller-visible event reads in the timeline.
EVENT_WORDS = {
    "created": _("Application started"),
    "evidence_added": _("Evidence added"),
    "submit": _("Submitted for review"),
    "resubmit": _("Resubmitted for review"),
    "return_incomplete": _("Returned: information is missing"),
    "request_changes": _("Changes requested by the review team"),
    "approve": _("Admitted to the program"),
    "waitlist": _("Approved, waiting for a place"),
    "admit_from_waitlist": _("Admitted from the waiting list"),
    "reject": _("Not admitted"),
    "withdraw": _("Withdrawn"),
    "suspend": _("Place suspended"),
    "reinstate": _("Place reinstated"),
    "revoke": _("Place revoked"),
}

ACTION_BUTTONS = {
    "submit": _("Submit for review"),
    "resubmit": _("Resubmit for review"),
    "withdraw": _("Withdraw application"),
}

ACTION_DONE = {
    "submit": _("Your application was submitted. We will let you know the decision here."),
    "resubmit": _("Your application was resubmitted. We will let you know the decision here."),
    "withdraw": _("Your application was withdrawn."),
}


def seller_member_required(view):
    """Let in logged-in members of a seller company; everybody else gets 404."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        actor = actor_for_user(request.user)
        if not actor.company_ids:
            raise Http404
        return view(request, actor, *args, **kwargs)

    return wrapper


def _own_application(actor: Actor, pk: int) -> Application:
    queryset = Application.objects.select_related("brand", "program", "trademark")
    return get_object_or_404(queryset, pk=pk, company_id__in=actor.company_ids)


@login_required
@require_GET
def home(request):
    actor = actor_for_user(request.user)
    if actor.is_reviewer:
        return redirect("reviews:queue")
    if actor.company_ids:
        return redirect("portal:dashboard")
    return render(request, "sellers/no_access.html", status=403)


@require_GET
@seller_member_required
def dashboard(request, actor: Actor):
    applications = list(
        Application.objects.filter(company_id__in=actor.company_ids)
        .select_related("brand", "program")
        .order_by("-updated_at", "-pk")
    )
    for application in applications:
        application.seller_status = seller_label(application.status)
        application.seller_status_code = seller_status_code(application.status)
    company = SellerCompany.objects.filter(pk__in=actor.company_ids).first()
    return render(
        request, "sellers/dashboard.html", {"company": company, "applications": applications}
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
    application = _own_application(actor, pk)
    return _render_detail(request, actor, application, EvidenceForm())


def _render_detail(request, actor: Actor, application: Application, evidence_form):
    code = seller_status_code(application.status)
    events = list(application.events.filter(seller_visible=True).order_by("created_at", "pk"))
    for event in events:
        event.words = EVENT_WORDS.get(event.action, event.action.replace("_", " ").capitalize())
        # "Application started." only repeats the headline.
        event.details = "" if event.action == "created" else event.note
    reviewer_message = None
    if application.status == Status.CHANGES_REQUESTED:
        reviewer_message = next(
            (e for e in reversed(events) if e.to_status == Status.CHANGES_REQUESTED), None
        )
    actions = [
        {"action": action, "label": ACTION_BUTTONS[action]}
        for action in available_actions(application, actor)
        if action in SELLER_ACTIONS
    ]
    context = {
        "application": application,
        "status_code": code,
        "status_label": seller_label(application.status),
        "next_steps": NEXT_STEPS[code],
        "categories": list(application.categories.all()),
        "evidence": list(application.evidence.all()),
        "can_add_evidence": application.status in EDITABLE_STATUSES,
        "evidence_form": evidence_form,
        "actions": [a for a in actions if a["action"] != "withdraw"],
        "can_withdraw": any(a["action"] == "withdraw" for a in actions),
        "reviewer_message": reviewer_message,
        "events": events,
    }
    return render(request, "sellers/application_detail.html", context)


@require_POST
@seller_member_required
def application_action(request, actor: Actor, pk: int):
    application = _own_application(actor, pk)
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
        messages.success(request, ACTION_DONE[action])
    return redirect("portal:application_detail", pk=application.pk)


@require_POST
@seller_member_required
def evidence_create(request, actor: Actor, pk: int):
    application = _own_application(actor, pk)
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
    return _render_detail(request, actor, application, form)


@require_GET
@login_required
def evidence_download(request, pk: int):
    """The file, as an attachment, for the owning company's members and for reviewers."""
    evidence = get_object_or_404(Evidence.objects.select_related("application"), pk=pk)
    actor = actor_for_user(request.user)
    if not (actor.acts_for(evidence.application.company_id) or actor.is_reviewer):
        raise Http404
    return evidence_file_response(evidence, as_attachment=True)


def evidence_file_response(evidence: Evidence, *, as_attachment: bool) -> FileResponse:
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=as_attachment,
        filename=evidence.original_name,
        content_type=evidence.detected_type,
    )
    # Private documents: never kept by shared caches or the browser's disk cache.
    response["Cache-Control"] = "private, no-store"
    return response
