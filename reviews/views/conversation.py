"""The reviewer's door to an application's conversation: the form on the workspace."""

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from reviews.forms import DecisionForm
from reviews.views.access import reviewer_required
from reviews.views.workspace import case_application, render_workspace
from sellers.actors import Actor
from sellers.models import ApplicationMessage
from sellers.portal.conversation import post_message


@require_POST
@reviewer_required
def message_create(request, actor: Actor, pk: int):
    application = case_application(actor, pk)
    form = post_message(
        request,
        actor,
        application,
        side=ApplicationMessage.Side.REVIEWER,
        done=gettext("Your message was sent to the seller."),
    )
    if form is None:
        return redirect(reverse("reviews:workspace", args=[pk]) + "#conversation")
    # The workspace shows the form again with what was typed and why it was refused.
    request.conversation_form = form
    return render_workspace(request, actor, application, DecisionForm())
