"""Seller messages follow people: the reviewer the application is with (or, when nobody has
it, the one who requested the changes being answered) hears of each message from the seller's
side, in their inbox and by mail."""

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation

from reviews.languages import staff_language
from sellers.access import staff_who_may_see
from sellers.actors import REVIEWER_GROUP, SENIOR_REVIEWER_GROUP
from sellers.conversation import written_in
from sellers.mail import mail_render, portal_link
from sellers.models import ApplicationMessage
from sellers.services.notifications import staff_notification_send


def seller_message_notice_send(*, message_id: int) -> None:
    """Inside the transaction that stored the message: the inbox entry commits with it and is
    mailed after it."""
    message = ApplicationMessage.objects.select_related(
        "application__brand", "application__company", "event"
    ).get(pk=message_id)
    application = message.application
    reviewer = reviewer_concerned(application)
    if reviewer is None:
        return
    # In the language the reviewer last logged in with (reviews.languages), the message itself
    # as the seller wrote it, its language named when it is not the reviewer's.
    language = staff_language(reviewer)
    link = reverse("reviews:workspace", args=[application.pk]) + "#conversation"
    with translation.override(language):
        subject, body = mail_render(
            "reviews/email/seller_message",
            {
                "brand": application.brand.name,
                "company": application.company.legal_name,
                "reference": application.reference,
                "author": message.author_label,
                "status": application.get_status_display(),
                "body": message.body,
                "written_in": written_in(message.language, language),
                "attachments": [item.original_name for item in message.attachments.all()],
                "link": portal_link(link),
            },
        )
    staff_notification_send(
        user=reviewer, event=message.event, subject=subject, body=body.strip(), link=link
    )


def reviewer_concerned(application):
    """The assigned reviewer, else the one who last requested changes; either only while still
    an active reviewer free of conflict with the company. None when there is neither."""
    candidates = [application.assignee_id] if application.assignee_id else []
    requester = (
        application.events.filter(action="request_changes", actor__isnull=False)
        .order_by("-pk")
        .values_list("actor_id", flat=True)
        .first()
    )
    if requester is not None:
        candidates.append(requester)
    eligible = {
        user.pk: user
        for user in get_user_model()
        .objects.filter(
            pk__in=candidates,
            is_active=True,
            groups__name__in=[REVIEWER_GROUP, SENIOR_REVIEWER_GROUP],
        )
        .filter(staff_who_may_see(application.company_id))
        .distinct()
    }
    return next((eligible[pk] for pk in candidates if pk in eligible), None)
