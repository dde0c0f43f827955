"""Deciding: applying a reviewer's decision from the workspace, the proposals waiting for a
second senior reviewer, and the staged decisions a manager releases."""

from django.contrib import messages
from django.db.models import OuterRef, Subquery
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from brandprogram.errors import ApplicationError
from reviews.forms import INTERNAL_ACTIONS, DecisionForm, ReleaseForm
from reviews.views.access import manager_required, reviewer_required
from sellers.actors import Actor
from sellers.models import Application, ApplicationEvent, Status
from sellers.services import changes_request, decisions_release
from sellers.workflow import STAGED, application_transition

# Keyed by the action the workflow recorded, which may differ from the button pressed.
DECISION_DONE = {
    "approve": _("%(brand)s was approved and admitted."),
    "waitlist": _("%(brand)s was approved; the program is full, so it is on the waiting list."),
    "request_changes": _("Changes were requested from the seller of %(brand)s."),
    "reject": _(
        "The rejection of %(brand)s is proposed; it takes effect when a second senior reviewer "
        "confirms it."
    ),
    "propose_approval": _(
        "%(brand)s is high-risk: the approval takes effect when a second senior reviewer "
        "confirms it."
    ),
    "confirm": _("Decision confirmed: %(brand)s is now “%(status)s”."),
    "send_back": _("The proposal on %(brand)s went back to its reviewer."),
    "escalate": _("%(brand)s was escalated to the senior reviewers."),
    "stage_decision": _(
        "The decision on %(brand)s (“%(status)s”) is staged; the seller learns of it when a "
        "program manager releases it."
    ),
    "release": _("%(brand)s is back in the queue."),
    "rescreen": _("%(brand)s is being screened again."),
    "suspend": _("%(brand)s was suspended."),
    "reinstate": _("%(brand)s was reinstated."),
    "revoke": _("%(brand)s was revoked."),
}

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
        DECISION_DONE[done]
        % {"brand": application.brand.name, "status": result.get_status_display()},
    )
    if action in LEAVES_THE_DESK:
        return redirect("reviews:queue")
    return redirect("reviews:workspace", pk=application.pk)


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
