"""The seller's inbox: one entry per member for each change they see, mailed in the member's
language, and marked as mailed and read; and notices to the owner about the company as a whole
(documents expiring, operating indicators gone stale), in the owner's language.
"""

from django.urls import reverse
from django.utils import timezone, translation

from brandprogram.db import CompiledOnce
from brandprogram.queueing import enqueue_after_commit
from sellers.conversation import written_in
from sellers.mail import mail_render, portal_link
from sellers.models import ApplicationEvent, Membership, Notification, ReasonCode
from sellers.models.message import MESSAGE_ACTIONS
from sellers.workflow.table import seller_label


def notifications_create(*, event_id: int) -> list[Notification]:
    """One inbox entry per member for a seller-visible event; none twice for the same event."""
    return _notifications_for(
        ApplicationEvent.objects.select_related("application__brand").get(pk=event_id)
    )


def _members(company_id: int):
    return Membership.objects.filter(company_id=company_id).values_list("user_id", "language")


# Read with every change a seller sees: compiling the read took longer than running it.
_MEMBERS = CompiledOnce(_members, company_id=-2_102_938_474)


def _notifications_for(event: ApplicationEvent) -> list[Notification]:
    if not event.seller_visible:
        return []
    application = event.application
    created = []
    for user_id, language in _MEMBERS.rows(company_id=application.company_id):
        with translation.override(language):
            subject, body = render_notification(event)
        notification, is_new = Notification.objects.get_or_create(
            user_id=user_id,
            event=event,
            defaults={"application": application, "subject": subject, "body": body},
        )
        if is_new:
            created.append(notification)
    return created


def render_notification(event: ApplicationEvent) -> tuple[str, str]:
    application = event.application
    if event.action == MESSAGE_ACTIONS["reviewer"]:
        return _render_message(event)
    subject, body = mail_render(
        "sellers/email/status_changed",
        {
            "brand": application.brand.name,
            "reference": application.reference,
            "status": seller_label(event.to_status or application.status),
            "event": event,
            # A reviewer's words, as written: named when the reader uses another language.
            "written_in": written_in(event.note_language, translation.get_language())
            if event.note and event.note_language
            else "",
            "reasons": [dict(ReasonCode.choices).get(code, code) for code in event.reasons],
            "link": portal_link(reverse("portal:application_detail", args=[application.pk])),
        },
    )
    # The inbox shows the body as a block of its own, without the template's last newline.
    return subject, body.strip()


def _render_message(event: ApplicationEvent) -> tuple[str, str]:
    """A reviewer's message, as written, with a word on its language when the reader uses
    another one: nothing is machine-translated."""
    application, message = event.application, event.message
    subject, body = mail_render(
        "sellers/email/message_received",
        {
            "brand": application.brand.name,
            "reference": application.reference,
            "body": message.body,
            "written_in": written_in(message.language, translation.get_language()),
            "attachments": [item.original_name for item in message.attachments.all()],
            "link": portal_link(
                reverse("portal:application_detail", args=[application.pk]) + "#conversation"
            ),
        },
    )
    return subject, body.strip()


def notifications_send(*, event: ApplicationEvent) -> None:
    """Inside the transaction of the event, just recorded with its application (and the
    application's brand): the inbox entries commit with it, and each is mailed only after the
    commit, so a rolled-back change tells nobody."""
    for notification in _notifications_for(event):
        enqueue_after_commit("sellers.tasks.notification_mail", notification_id=notification.pk)


def notification_mark_mailed(*, notification_id: int) -> None:
    Notification.objects.filter(pk=notification_id, mailed_at__isnull=True).update(
        mailed_at=timezone.now()
    )


def notifications_mark_read(*, user, up_to: int | None = None) -> int:
    """Mark the person's unread entries read; with ``up_to`` (the newest entry they were
    shown), only those up to it, so one that arrived since the page was drawn stays unread."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if up_to is not None:
        unread = unread.filter(pk__lte=up_to)
    return unread.update(read_at=timezone.now())


def company_notice_send(
    *, company_id: int, topic: str, template: str, context: dict, link: str
) -> Notification | None:
    """An entry in the inbox of the company's owner about ``topic``, rendered from the message
    ``template`` in the owner's language with ``link`` (a portal path) and mailed once the
    change commits. None when the owner was told of ``topic`` already, or there is no owner."""
    owner = (
        Membership.objects.filter(company_id=company_id, role=Membership.Role.OWNER)
        .select_related("user")
        .first()
    )
    if owner is None:
        return None
    with translation.override(owner.language):
        subject, body = mail_render(template, context | {"link": portal_link(link)})
    notification, is_new = Notification.objects.get_or_create(
        user=owner.user,
        topic=topic,
        defaults={"subject": subject, "body": body.strip(), "link": link},
    )
    if not is_new:
        return None
    enqueue_after_commit("sellers.tasks.notification_mail", notification_id=notification.pk)
    return notification


def staff_notification_send(
    *, user, event: ApplicationEvent, subject: str, body: str, link: str = ""
) -> None:
    """An entry in a staff member's inbox about ``event``, opening ``link`` (a path in the
    reviewer workspace), mailed once the change commits; none twice for the same event."""
    notification, is_new = Notification.objects.get_or_create(
        user=user,
        event=event,
        defaults={
            "application_id": event.application_id,
            "subject": subject,
            "body": body,
            "link": link,
        },
    )
    if is_new:
        enqueue_after_commit("sellers.tasks.notification_mail", notification_id=notification.pk)
