"""The conversation on the seller's application page: the form both sides write with, and the
seller's door to it. The reviewers' door is reviews.views.conversation; the thread itself is
drawn by the ``application_conversation`` template tag on either page."""

import uuid

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from brandprogram.errors import ApplicationError
from sellers.actors import Actor
from sellers.models import ApplicationMessage
from sellers.portal.access import seller_member_required
from sellers.portal.applications import own_application, render_detail
from sellers.portal.forms import EvidenceForm, ServiceErrorsMixin
from sellers.services.messages import MAX_ATTACHMENTS, MAX_BODY_CHARACTERS, application_message_post

BODY_LABELS = {
    ApplicationMessage.Side.SELLER: _("Write to the review team"),
    ApplicationMessage.Side.REVIEWER: _("Write to the seller"),
}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Any number of files under one name; the service decides how many are too many."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.webp"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None) -> list:
        files = data if isinstance(data, (list, tuple)) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in files if item]


class MessageForm(ServiceErrorsMixin, forms.Form):
    body = forms.CharField(
        max_length=MAX_BODY_CHARACTERS,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write a message: it cannot be empty.")},
    )
    attachments = MultipleFileField(
        label=_("Attach files"),
        required=False,
    )
    # Rendered once per form: sending the same form twice (a double click) stores one message.
    submission_key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)

    def __init__(self, *args, side: str, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        # Its own prefix: the reviewer's page holds other forms with a note and a key.
        kwargs.setdefault("prefix", "message")
        super().__init__(*args, **kwargs)
        self.fields["body"].label = BODY_LABELS[side]
        self.fields["attachments"].help_text = gettext(
            "Optional: up to %(count)s files, each a PDF, JPEG, PNG or WebP."
        ) % {"count": MAX_ATTACHMENTS}

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "body": data["body"],
            "attachments": data["attachments"],
            "submission_key": data["submission_key"],
        }


def post_message(request, actor: Actor, application, *, side: str, done: str):
    """Post the form to the application's conversation. Returns the form when it must be shown
    again with its errors, or None once the message is stored (or refused by a rule, which
    is told as a flash message)."""
    form = MessageForm(request.POST, request.FILES, side=side)
    if form.is_valid():
        try:
            application_message_post(
                actor=actor, application_id=application.pk, **form.service_arguments()
            )
        except ValidationError as exc:
            form.add_service_error(exc)
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return None
        else:
            messages.success(request, done)
            return None
    return form


@require_POST
@seller_member_required
def message_create(request, actor: Actor, pk: int):
    application = own_application(actor, pk)
    form = post_message(
        request,
        actor,
        application,
        side=ApplicationMessage.Side.SELLER,
        done=gettext("Your message was sent to the review team."),
    )
    if form is None:
        return redirect(reverse("portal:application_detail", args=[pk]) + "#conversation")
    # The page shows the form again with what was typed and why it was refused.
    request.conversation_form = form
    return render_detail(request, actor, application, EvidenceForm())
