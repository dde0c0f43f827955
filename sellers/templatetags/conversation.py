"""The conversation section of the seller's application page and of the reviewer workspace,
drawn from the application alone, so that each page includes it with one line."""

from django import template
from django.utils import translation

from sellers.conversation import conversation_thread
from sellers.models import ApplicationMessage, Status
from sellers.portal.conversation import MessageForm

register = template.Library()


@register.simple_tag(takes_context=True)
def application_conversation(context, application, reader_side: str) -> dict:
    """The thread as ``reader_side`` ("seller" or "reviewer") reads it, the form to write with
    (the one just refused, with its errors, when there is one) and whether writing is open."""
    refused = getattr(context.get("request"), "conversation_form", None)
    return {
        "messages": conversation_thread(
            application_id=application.pk,
            reader_side=reader_side,
            reader_language=translation.get_language(),
        ),
        "form": refused or MessageForm(side=reader_side),
        "open": application.status != Status.DRAFT,
        "seller": ApplicationMessage.Side.SELLER,
    }
