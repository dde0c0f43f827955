"""The reviewer workspace: the queue, claiming, and deciding through the workflow.

Only members of the reviewer group get in; everybody else receives 404 so that the section
does not even admit to existing.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import OuterRef, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from brandprogram.errors import ApplicationError
from reviews import queues, selectors
from reviews.checks import enabled_checks
from reviews.forms import INTERNAL_ACTIONS, AssignForm, ConflictForm, DecisionForm, ReleaseForm
from reviews.models import ReviewQueue, ScreeningRun
from reviews.screening import screening_rerun_request
from reviews.services import conflict_declare, conflict_withdraw
from sellers.actors import Actor, actor_for_user
from sellers.models import (
    Application,
    ApplicationEvent,
    ConflictOfInterest,
    Evidence,
    ReasonCode,
    SellerCompany,
    Status,
)
from sellers.portal.files import evidence_response
from sellers.ranking import PART_LABELS
from sellers.services.decisions import changes_request, decisions_release
from sellers.services.record_control import trademark_control_verified
from sellers.workflow.labels import LABELS, action_readable, labels_for
from sellers.workflow.table import (
    CARRIES_DECISION,
    STAGED,
    WAITING,
    available_actions,
    seller_label,
)
from sellers.workflow.transition import application_transition

# After these the application is no longer on this reviewer's desk.
LEAVES_THE_DESK = {
    "approve", "request_changes", "reject", "release", "rescreen", "confirm", "send_back",
    "escalate",
}  # fmt: skip


def reviewer_required(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        actor = actor_for_user(request.user)
        if not actor.is_reviewer:
            raise Http404
        # As the API's authentication does: the page's templates read the roles from here.
        request.user.actor = actor
        return view(request, actor, *args, **kwargs)

    return wrapper


def manager_required(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        actor = actor_for_user(request.user)
        if not actor.is_manager:
            raise Http404
        request.user.actor = actor
        return view(request, actor, *args, **kwargs)

    return wrapper


def _visible_application(actor: Actor, queryset=None, **lookup) -> Application:
    """The application, unless the reviewer declared a conflict with its company: then 404."""
    queryset = Application.objects.all() if queryset is None else queryset
    return get_object_or_404(
        queryset.exclude(company_id__in=actor.conflicted_company_ids), **lookup
    )


@require_GET
@reviewer_required
def queue(request, actor: Actor):
    queues = list(selectors.queues_with_counts(actor=actor))
    selected = next((q for q in queues if str(q.pk) == request.GET.get("queue")), None)
    selected = selected or (queues[0] if queues else None)
    context = {
        "queues": queues,
        "selected": selected,
        "waiting": list(selectors.unqueued_waiting(actor=actor)),
        "waiting_shown": selectors.UNQUEUED_SHOWN,
        "mine": selectors.assigned_to(actor=actor),
    }
    if selected is not None:
        member, lead = selectors.queue_roles(queue=selected, actor=actor)
        page = selectors.queue_items_page(
            queue=selected, actor=actor, number=request.GET.get("page")
        )
        context |= {
            "page": page,
            "items": list(page.object_list),
            "is_member": member,
            "is_lead": lead,
            "members": list(selectors.queue_members(queue=selected)) if lead else [],
            "now": timezone.now(),
        }
    return render(request, "reviews/queue.html", context)


@require_POST
@reviewer_required
def claim_next(request, actor: Actor, queue_id: int):
    queue = get_object_or_404(ReviewQueue, pk=queue_id)
    try:
        application = queues.queue_item_claim_next(queue_id=queue.pk, actor=actor)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect(_queue_url(queue))
    if application is None:
        messages.info(request, gettext("Nothing is waiting in %(queue)s.") % {"queue": queue.name})
        return redirect(_queue_url(queue))
    return redirect("reviews:workspace", pk=application.pk)


@require_POST
@reviewer_required
def assign(request, actor: Actor, queue_id: int):
    """A lead assigns (or reassigns) the ticked items of the queue to one member."""
    queue = get_object_or_404(ReviewQueue, pk=queue_id)
    form = AssignForm(request.POST, queue=queue)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(_queue_url(queue))
    item_ids = [item.pk for item in form.cleaned_data["items"]]
    assignee = form.cleaned_data["assignee"]
    refused = queues.queue_items_assign(item_ids=item_ids, assignee=assignee, actor=actor)
    done = len(item_ids) - len(refused)
    if done:
        messages.success(
            request,
            ngettext(
                "%(count)s item assigned to %(name)s.",
                "%(count)s items assigned to %(name)s.",
                done,
            )
            % {"count": done, "name": assignee.get_full_name() or assignee.get_username()},
        )
    for message in dict.fromkeys(refused.values()):
        messages.error(request, message)
    return redirect(_queue_url(queue))


def _queue_url(queue: ReviewQueue) -> str:
    return f"{reverse('reviews:queue')}?queue={queue.pk}"


@require_http_methods(["GET", "POST"])
@reviewer_required
def conflicts(request, actor: Actor):
    """The reviewer's declared links to seller companies, and a form to declare another."""
    form = ConflictForm()
    if request.method == "POST":
        form = ConflictForm(request.POST)
        if form.is_valid():
            try:
                conflict = conflict_declare(
                    actor=actor,
                    company=form.cleaned_data["company"],
                    reason=form.cleaned_data["reason"],
                )
            except ApplicationError as exc:
                form.add_error("company", exc.message)
            else:
                messages.success(
                    request,
                    gettext("Declared: you will not see applications of %(company)s.")
                    % {"company": conflict.company.legal_name},
                )
                return redirect("reviews:conflicts")
    declared = ConflictOfInterest.objects.filter(
        reviewer=request.user, withdrawn_at__isnull=True
    ).select_related("company")
    return render(request, "reviews/conflicts.html", {"form": form, "declared": declared})


@require_POST
@reviewer_required
def conflict_withdraw_view(request, actor: Actor, pk: int):
    conflict = get_object_or_404(
        ConflictOfInterest.objects.select_related("company"),
        pk=pk,
        reviewer=request.user,
        withdrawn_at__isnull=True,
    )
    conflict_withdraw(conflict=conflict, actor=actor)
    messages.success(
        request,
        gettext("Withdrawn: applications of %(company)s are visible to you again.")
        % {"company": conflict.company.legal_name},
    )
    return redirect("reviews:conflicts")


@require_POST
@reviewer_required
def claim(request, actor: Actor, pk: int):
    application = _visible_application(actor, Application.objects.select_related("brand"), pk=pk)
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
    application = _visible_application(actor, Application.objects.select_related("brand"), pk=pk)
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


@require_http_methods(["GET", "POST"])
@reviewer_required
def workspace(request, actor: Actor, pk: int):
    application = _visible_application(
        actor,
        Application.objects.select_related("company", "brand", "trademark", "program", "assignee"),
        pk=pk,
    )
    form = DecisionForm()
    if request.method == "POST":
        form = DecisionForm(request.POST)
        if form.is_valid():
            response = _decide(request, actor, application, form)
            if response is not None:
                return response
    return _render_workspace(request, actor, application, form)


def _decide(request, actor: Actor, application: Application, form: DecisionForm):
    """Apply the decision; a response on success or refusal, None to show the form's errors."""
    action = form.cleaned_data["action"]
    arguments = form.transition_arguments()
    try:
        if action == "request_changes":
            result = changes_request(
                actor=actor,
                application_id=application.pk,
                evidence_kinds=form.cleaned_data["requested_evidence"],
                **arguments,
            )
        else:
            result = application_transition(
                application_id=application.pk, action=action, actor=actor, **arguments
            )
    except ApplicationError as exc:
        if exc.field == "note":
            form.add_error(
                "internal_note" if action in INTERNAL_ACTIONS else "message", exc.message
            )
            return None
        messages.error(request, exc.message)
        return redirect("reviews:workspace", pk=application.pk)
    done = result.events.filter(actor=request.user).latest("pk").action
    messages.success(
        request,
        labels_for(done).reviewer_done
        % {"brand": application.brand.name, "status": result.get_status_display()},
    )
    if action in LEAVES_THE_DESK:
        return redirect("reviews:queue")
    return redirect("reviews:workspace", pk=application.pk)


def _render_workspace(request, actor: Actor, application: Application, form: DecisionForm):
    actions = available_actions(application, actor)
    queue_item = selectors.open_queue_item(application_id=application.pk)
    latest_run = (
        ScreeningRun.objects.filter(application=application).prefetch_related("results").first()
    )
    events = list(application.events.all())
    reason_labels = dict(ReasonCode.choices)
    for event in events:
        event.words = str(labels_for(event.action).staff_timeline or action_readable(event.action))
        # "Application started." only repeats the headline.
        event.details = "" if event.action == "created" else event.note
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
    for result in results:
        result.title = check_titles.get(result.check_code, result.check_code)
    context = {
        "application": application,
        "company": application.company,
        "indicators": _indicators(application.company),
        "seller_status": seller_label(application.status),
        "categories": list(application.categories.all()),
        "evidence": list(application.evidence.all()),
        "latest_run": latest_run,
        "results": results,
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
        "queue_item": queue_item,
    }
    return render(request, "reviews/workspace.html", context)


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

    categories = ", ".join(category.name for category in company.main_categories.all())
    return [
        (gettext("Quality-dispute rate"), percent(company.quality_dispute_rate)),
        (gettext("On-time delivery rate"), percent(company.on_time_delivery_rate)),
        (gettext("Buyer NPS"), "—" if company.nps is None else str(company.nps)),
        (gettext("Open infringement complaints"), str(company.infringement_complaints)),
        (gettext("Main categories"), categories or "—"),
    ]


@require_GET
@reviewer_required
def evidence_preview(request, actor: Actor, pk: int):
    """Shown in the browser, for reviewers reading the documents next to the application."""
    evidence = get_object_or_404(
        Evidence.objects.exclude(application__company_id__in=actor.conflicted_company_ids), pk=pk
    )
    return evidence_response(evidence, as_attachment=False)


@require_GET
@reviewer_required
def confirmations(request, actor: Actor):
    """Proposed decisions waiting for a second senior reviewer; the workflow decides who
    may confirm, so every reviewer may look."""
    proposals = (
        Application.objects.filter(status=Status.PROPOSED)
        .exclude(company_id__in=actor.conflicted_company_ids)
        .select_related("company", "brand", "proposed_by")
        .order_by("updated_at", "pk")
    )
    return render(request, "reviews/confirmations.html", {"proposals": proposals})


@require_http_methods(["GET", "POST"])
@manager_required
def staged_decisions(request, actor: Actor):
    """Decisions in effect that sellers do not know of yet; released here in bulk."""
    form = ReleaseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        chosen = [application.pk for application in form.cleaned_data["applications"]]
        released = decisions_release(actor=actor, application_ids=chosen)
        messages.success(
            request,
            gettext("%(count)s decision(s) released; the sellers were notified.")
            % {"count": len(released)},
        )
        if len(released) < len(chosen):
            messages.warning(
                request,
                gettext("%(count)s decision(s) had changed meanwhile and were not released.")
                % {"count": len(chosen) - len(released)},
            )
        return redirect("reviews:staged")
    staging = ApplicationEvent.objects.filter(
        application=OuterRef("pk"), action="stage_decision"
    ).order_by("-pk")
    staged = (
        Application.objects.filter(status__in=STAGED)
        .select_related("company", "brand", "program")
        .annotate(
            staged_by=Subquery(staging.values("actor_label")[:1]),
            staged_at=Subquery(staging.values("created_at")[:1]),
        )
        .order_by("staged_at", "pk")
    )
    return render(request, "reviews/staged.html", {"staged": staged, "form": form})
