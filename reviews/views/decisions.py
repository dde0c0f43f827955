"""Deciding: applying a reviewer's decision from the workspace, the proposals waiting for a
second senior reviewer, and the staged decisions a manager releases."""

from django.contrib import messages
from django.db.models import OuterRef, Subquery
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods

from brandprogram.errors import ApplicationError
from reviews.forms import INTERNAL_ACTIONS, DecisionForm, ReleaseForm
from reviews.models import QueueItem
from reviews.views.access import manager_required, reviewer_required
from sellers.access import Door, visible
from sellers.actors import Actor
from sellers.models import Application, ApplicationEvent, Status
from sellers.services.decisions import changes_request, decisions_release
from sellers.workflow.labels import labels_for
from sellers.workflow.transition import application_transition

# After these the application is no longer on this reviewer's desk.
LEAVES_THE_DESK = {
    "approve", "request_changes", "reject", "release", "rescreen", "confirm", "send_back",
    "escalate",
}  # fmt: skip


def decide(request, actor: Actor, application: Application, form: DecisionForm):
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
        return redirect(back_to(request, application))
    return redirect("reviews:workspace", pk=application.pk)


def safe_next(request) -> str:
    """The ``next`` page the request carries, if it is a page of this site; else ""."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return ""


def back_to(request, application: Application) -> str:
    """Where the reviewer came from: the page named by ``next`` when it is one of ours,
    otherwise the queue the application was last in (the queue page's first queue if none)."""
    if wanted := safe_next(request):
        return wanted
    queue_id = (
        QueueItem.objects.filter(application_id=application.pk)
        .order_by("-entered_at", "-pk")
        .values_list("queue_id", flat=True)
        .first()
    )
    queue_page = reverse("reviews:queue")
    return f"{queue_page}?queue={queue_id}" if queue_id else queue_page


@require_GET
@reviewer_required
def confirmations(request, actor: Actor):
    """Proposed decisions waiting for a second senior reviewer; the workflow decides who
    may confirm, so every reviewer may look."""
    proposals = (
        visible(Application.objects.filter(status=Status.PROPOSED), actor, doors=Door.STAFF)
        .select_related("company", "brand", "proposed_by")
        .order_by("updated_at", "pk")
    )
    return render(request, "reviews/confirmations.html", {"proposals": proposals})


@require_http_methods(["GET", "POST"])
@manager_required
def staged_decisions(request, actor: Actor):
    """Decisions in effect that sellers do not know of yet; released here in bulk."""
    form = ReleaseForm(request.POST if request.method == "POST" else None, actor=actor)
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
        form.fields["applications"]
        .queryset.select_related("company", "brand", "program")
        .annotate(
            staged_by=Subquery(staging.values("actor_label")[:1]),
            staged_at=Subquery(staging.values("created_at")[:1]),
        )
        .order_by("staged_at", "pk")
    )
    return render(request, "reviews/staged.html", {"staged": staged, "form": form})
