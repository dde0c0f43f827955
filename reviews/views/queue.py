"""The reviewer's queue page: the queues with their items, claiming the next item, and a
lead's assignment of ticked items."""

from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_GET, require_POST

from brandprogram.errors import ApplicationError
from reviews import queues, selectors
from reviews.forms import AssignForm
from reviews.models import ReviewQueue
from reviews.queue_page import queue_page_read
from reviews.views.access import reviewer_required
from sellers.actors import Actor


@require_GET
@reviewer_required
def queue(request, actor: Actor):
    now = timezone.now()
    read = queue_page_read(
        actor=actor, queue=request.GET.get("queue"), number=request.GET.get("page"), now=now
    )
    context = {
        "queues": read.queues,
        "selected": read.selected,
        "waiting": read.waiting,
        "waiting_shown": selectors.UNQUEUED_SHOWN,
        "mine": read.mine,
        "replies": read.replies,
        "to_confirm": read.to_confirm,
        "sent_back": read.sent_back,
        "back": request.get_full_path(),
        "staff_unread": read.unread,
    }
    if read.selected is not None:
        member, lead = selectors.queue_roles(queue=read.selected, actor=actor)
        context |= {
            "page": read.page,
            "items": read.items,
            "is_member": member,
            "is_lead": lead,
            "members": read.members if lead else [],
            "now": now,
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
    # Deciding brings the reviewer back to this queue.
    workspace = reverse("reviews:workspace", args=[application.pk])
    return redirect(f"{workspace}?{urlencode({'next': _queue_url(queue)})}")


@require_POST
@reviewer_required
def assign(request, actor: Actor, queue_id: int):
    """A lead assigns (or reassigns) the ticked items of the queue to one member."""
    queue = get_object_or_404(ReviewQueue, pk=queue_id)
    form = AssignForm(request.POST, queue=queue, actor=actor)
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
