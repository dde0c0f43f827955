"""Four-eyes proposals follow people: the senior reviewers who may confirm a proposal hear of
it when it is made, and its proposer hears (with the note) when it is sent back."""

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation

from reviews.languages import staff_language
from sellers.access import staff_who_may_see
from sellers.actors import SENIOR_REVIEWER_GROUP
from sellers.conversation import written_in
from sellers.mail import mail_render, portal_link
from sellers.models import Application, ApplicationEvent, Status
from sellers.services.notifications import staff_notification_send


def proposal_notices_send(*, application_id: int, action: str, to_status: str) -> None:
    """Inside the transaction of the change just recorded, whose event is the application's
    latest: the inbox entries commit with it and are mailed after it."""
    if to_status == Status.PROPOSED:
        template = "reviews/email/proposal_waiting"
    elif action == "send_back":
        template = "reviews/email/proposal_sent_back"
    else:
        return
    application = Application.objects.select_related("brand", "proposed_by").get(pk=application_id)
    event = application.events.order_by("-pk").first()
    if template == "reviews/email/proposal_waiting":
        proposer = application.proposed_by
        recipients = who_may_confirm(application)
        link = (
            f"{reverse('reviews:workspace', args=[application.pk])}"
            f"?next={reverse('reviews:confirmations')}"
        )
    else:
        proposal = (
            ApplicationEvent.objects.filter(
                application=application, to_status=Status.PROPOSED, pk__lt=event.pk
            )
            .select_related("actor")
            .order_by("-pk")
            .first()
        )
        proposer = proposal.actor if proposal else None
        recipients = [proposer] if proposer and proposer.is_active else []
        link = reverse("reviews:workspace", args=[application.pk])
    for user in recipients:
        # Written in each recipient's language, whoever made the change.
        language = staff_language(user)
        with translation.override(language):
            subject, body = mail_render(
                template,
                {
                    "brand": application.brand.name,
                    "application_id": application.pk,
                    "proposer": _name(proposer) if proposer else "",
                    "by": event.actor_label,
                    "decision": application.get_proposed_decision_display(),
                    "note": event.note,
                    "written_in": written_in(event.note_language, language)
                    if event.note and event.note_language
                    else "",
                    "link": portal_link(link),
                },
            )
        staff_notification_send(
            user=user, event=event, subject=subject, body=body.strip(), link=link
        )


def who_may_confirm(application: Application):
    """The active senior reviewers free of conflict with the company, except the proposer."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=SENIOR_REVIEWER_GROUP)
        .filter(staff_who_may_see(application.company_id))
        .exclude(pk=application.proposed_by_id)
        .distinct()
        .order_by("pk")
    )


def _name(user) -> str:
    return user.get_full_name() or user.get_username()
