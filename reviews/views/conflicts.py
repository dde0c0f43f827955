"""A reviewer's declared conflicts of interest: declaring one, withdrawing one."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from brandprogram.errors import ApplicationError
from reviews.forms import ConflictForm
from reviews.services import conflict_declare, conflict_withdraw
from reviews.views.access import reviewer_required
from sellers.actors import Actor
from sellers.models import ConflictOfInterest


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
