"""The staff member's inbox: what was written to them (a seller's message, a proposal to
confirm, a proposal sent back), newest first, each entry opening what it is about."""

from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from reviews import selectors
from reviews.views.access import staff_required
from sellers.actors import Actor
from sellers.services.notifications import notifications_mark_read


@require_http_methods(["GET", "POST"])
@staff_required
def notifications(request, actor: Actor):
    if request.method == "POST":
        # What the page showed is marked read: ``up_to`` is its newest entry.
        up_to = request.POST.get("up_to", "")
        notifications_mark_read(user=request.user, up_to=int(up_to) if up_to.isdigit() else None)
        return redirect("reviews:notifications")
    before = request.GET.get("before", "")
    page = selectors.staff_inbox(actor=actor, before=before)
    return render(
        request,
        "reviews/notifications.html",
        {"entries": page.entries, "older": page.older, "before": before},
    )
