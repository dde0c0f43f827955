"""Reviewer pages of the monthly re-certification: the list of cases and one case."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from brandprogram.errors import ApplicationError
from brandprogram.phrases import explained
from reviews.checks import enabled_checks
from reviews.checks.base import REVERIFY_DUE
from reviews.forms import RecertificationDecisionForm
from reviews.models import CheckResult, RecertificationCase
from reviews.pending_marks import PENDING_MARK, PENDING_MARK_TITLE
from reviews.recertification import (
    recertification_case_clear,
    recertification_case_revoke,
    recertification_case_suspend,
)
from reviews.stale_indicators import STALE_INDICATORS, STALE_INDICATORS_TITLE
from reviews.views.access import reviewer_required
from sellers.access import Door, visible, visible_or_404, withheld_names, withhold
from sellers.actors import Actor, Role

CASE_DONE = {
    "clear": _("The re-certification case of %(brand)s was cleared."),
    "suspend": _("%(brand)s was suspended; the seller has until %(deadline)s."),
    "revoke": _("%(brand)s was revoked."),
}


@require_GET
@reviewer_required
def recertification_list(request, actor: Actor):
    cases = visible(
        RecertificationCase.objects.select_related(
            "application__brand", "application__company", "run"
        ),
        actor,
        doors=Door.STAFF,
        company="application__company",
    )
    open_states = (RecertificationCase.State.OPEN, RecertificationCase.State.SUSPENDED)
    titles = _finding_titles()
    open_cases = list(cases.filter(state__in=open_states).order_by("opened_at", "pk"))
    for case in open_cases:
        case.failed_titles = [titles.get(code, code) for code in case.findings]
    context = {
        "open_cases": open_cases,
        "closed_cases": cases.exclude(state__in=open_states).order_by("-resolved_at", "-pk")[:50],
        "today": timezone.localdate(),
    }
    return render(request, "reviews/recertification_list.html", context)


@require_http_methods(["GET", "POST"])
@reviewer_required
def recertification_case(request, actor: Actor, pk: int):
    case = visible_or_404(
        RecertificationCase.objects.select_related(
            "application__brand",
            "application__company",
            "application__trademark",
            "run",
            "resolved_by",
        ),
        actor,
        doors=Door.STAFF,
        company="application__company",
        pk=pk,
    )
    deadline = timezone.localdate() + datetime.timedelta(
        days=settings.RECERTIFICATION_DEADLINE_DAYS
    )
    form = RecertificationDecisionForm(initial={"deadline": deadline})
    if request.method == "POST":
        form = RecertificationDecisionForm(request.POST)
        if form.is_valid():
            response = _settle(request, actor, case, form)
            if response is not None:
                return response
    titles = _finding_titles()
    outcome_labels = dict(CheckResult.Outcome.choices)
    withheld = withheld_names(actor)
    findings = [
        {
            "code": code,
            "title": titles.get(code, code),
            **finding,
            "outcome_label": outcome_labels.get(finding["outcome"], finding["outcome"]),
            # Read in the reviewer's language. A check may have found the same logo at a
            # company behind the reviewer's wall.
            "explanation": withhold(
                explained(finding.get("explanation_phrases"), finding.get("explanation", "")),
                withheld,
            ),
            "source": explained(finding.get("source_phrase"), finding.get("source", "")),
        }
        for code, finding in case.run.findings.items()
    ]
    context = {
        "case": case,
        "application": case.application,
        "findings": findings,
        "reverify_due": any(REVERIFY_DUE in finding.get("flags", ()) for finding in findings),
        "form": form,
        "is_open": case.state
        in (RecertificationCase.State.OPEN, RecertificationCase.State.SUSPENDED),
        "is_senior": Role.SENIOR_REVIEWER in actor.staff_roles,
    }
    return render(request, "reviews/recertification_case.html", context)


def _settle(request, actor: Actor, case: RecertificationCase, form):
    action, note = form.cleaned_data["action"], form.cleaned_data["note"]
    deadline = form.cleaned_data.get("deadline")
    try:
        if action == "clear":
            recertification_case_clear(case_id=case.pk, actor=actor, note=note)
        elif action == "suspend":
            recertification_case_suspend(case_id=case.pk, actor=actor, note=note, deadline=deadline)
        else:
            recertification_case_revoke(case_id=case.pk, actor=actor, note=note)
    except ApplicationError as exc:
        if exc.field in ("note", "deadline"):
            form.add_error(exc.field, exc.message)
            return None
        messages.error(request, exc.message)
        return redirect("reviews:recertification_case", pk=case.pk)
    messages.success(
        request,
        CASE_DONE[action] % {"brand": case.application.brand.name, "deadline": deadline},
    )
    return redirect("reviews:recertification_list")


def _finding_titles() -> dict:
    """Check code -> title, with the findings that no check module makes."""
    return {check.CODE: check.TITLE for check in enabled_checks()} | {
        PENDING_MARK: PENDING_MARK_TITLE,
        STALE_INDICATORS: STALE_INDICATORS_TITLE,
    }
