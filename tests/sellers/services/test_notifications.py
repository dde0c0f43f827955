"""Seller members hear about every change they can see, by mail and in the portal inbox."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from sellers.actors import actor_for_user
from sellers.models import Brand, Membership, Notification, Status
from sellers.services.notifications import notifications_create
from sellers.tasks import notifications_sweep
from sellers.workflow.transition import application_transition
from tests.inbox_pages import inbox_paged_through
from tests.pages import PASSWORD, logged_in, page_text
from tests.sellers.factories import ApplicationFactory

NOTE = "The certificate is unreadable; upload a sharper scan."


def _staff_of(seller):
    user = get_user_model().objects.create_user(
        "staff@bright-lamp.example", email="staff@bright-lamp.example", password=PASSWORD
    )
    Membership.objects.create(company=seller.company, user=user)
    return user


def test_a_reviewer_request_mails_and_notifies_every_member_once(
    seller_a, reviewer, django_capture_on_commit_callbacks
):
    staff = _staff_of(seller_a)
    application = ApplicationFactory(
        company=seller_a.company, in_review=True, assignee=reviewer, brand__name="LUMI"
    )

    with django_capture_on_commit_callbacks(execute=True):
        application_transition(
            application_id=application.pk,
            action="request_changes",
            actor=actor_for_user(reviewer),
            note=NOTE,
        )

    assert sorted(m.to[0] for m in mail.outbox) == sorted([seller_a.owner.email, staff.email])
    assert {m.subject for m in mail.outbox} == {"LUMI: Changes requested"}
    body = mail.outbox[0].body
    reference = f"TCB-{application.created_at.year}-{application.pk:06d}"
    assert f"Your application for LUMI is now: Changes requested.\nReference: {reference}\n" in body
    assert NOTE in body
    assert f"http://127.0.0.1:8000/applications/{application.pk}/" in body
    assert sorted(
        Notification.objects.filter(application=application).values_list(
            "user__username", flat=True
        )
    ) == sorted([seller_a.owner.username, staff.username])


def test_internal_moves_send_nothing(seller_a, reviewer, django_capture_on_commit_callbacks):
    application = ApplicationFactory(company=seller_a.company, awaiting_review=True)

    with django_capture_on_commit_callbacks(execute=True):
        application_transition(
            application_id=application.pk, action="claim", actor=actor_for_user(reviewer)
        )

    assert mail.outbox == []
    assert Notification.objects.count() == 0


def test_notifying_the_same_event_twice_creates_nothing_new(
    seller_a, django_capture_on_commit_callbacks
):
    application = ApplicationFactory(company=seller_a.company)
    with django_capture_on_commit_callbacks(execute=True):
        application_transition(
            application_id=application.pk, action="withdraw", actor=seller_a.actor
        )
    event = application.events.get(action="withdraw")

    again = notifications_create(event_id=event.pk)

    assert again == []
    assert Notification.objects.filter(event=event).count() == 1
    assert len(mail.outbox) == 1


def test_header_counts_unread_and_the_inbox_marks_them_read(
    seller_a, seller_b, django_capture_on_commit_callbacks
):
    application = ApplicationFactory(company=seller_a.company, brand__name="LUMI")
    with django_capture_on_commit_callbacks(execute=True):
        application_transition(
            application_id=application.pk, action="withdraw", actor=seller_a.actor
        )
    client = logged_in(seller_a.owner)

    before = client.get(reverse("portal:dashboard"))
    inbox = client.get(reverse("portal:notifications"))
    client.post(reverse("portal:notifications"))
    after = client.get(reverse("portal:dashboard"))
    stranger = logged_in(seller_b.owner).get(reverse("portal:notifications"))

    assert 'aria-label="1 unread">1</span>' in page_text(before)
    assert [n.subject for n in inbox.context["notifications"]] == ["LUMI: Withdrawn"]
    assert 'class="count"' not in page_text(after)
    assert Notification.objects.get().read_at is not None
    assert stranger.context["notifications"] == []
    assert "LUMI" not in page_text(stranger)


def test_the_sweep_mails_what_never_reached_the_broker_and_only_once(seller_a):
    application = ApplicationFactory(company=seller_a.company, brand__name="LUMI")
    # No commit callbacks run here: as if the broker was down when the change committed.
    application_transition(application_id=application.pk, action="withdraw", actor=seller_a.actor)
    notification = Notification.objects.get(application=application)
    assert (notification.mailed_at, mail.outbox) == (None, [])
    Notification.objects.update(created_at=timezone.now() - datetime.timedelta(hours=1))

    notifications_sweep()
    notifications_sweep()

    notification.refresh_from_db()
    assert notification.mailed_at is not None
    assert [(m.subject, m.to) for m in mail.outbox] == [("LUMI: Withdrawn", [seller_a.owner.email])]


def test_the_sweep_mails_an_entry_stored_with_a_line_break_in_its_subject(seller_a):
    application = ApplicationFactory(company=seller_a.company, brand__name="LUMI")
    application_transition(application_id=application.pk, action="withdraw", actor=seller_a.actor)
    # Written before subjects were made one line, from a brand name holding a line break.
    Notification.objects.update(
        subject="LUMI\r\nBcc: everyone@example.com: Withdrawn",
        created_at=timezone.now() - datetime.timedelta(hours=1),
    )

    notifications_sweep()
    notifications_sweep()

    assert Notification.objects.get().mailed_at is not None
    assert [(m.subject, m.to) for m in mail.outbox] == [
        ("LUMI Bcc: everyone@example.com: Withdrawn", [seller_a.owner.email])
    ]
    assert mail.outbox[0].bcc == []


def test_a_brand_stored_with_a_line_break_gets_a_one_line_subject(
    seller_a, django_capture_on_commit_callbacks
):
    application = ApplicationFactory(company=seller_a.company, brand__name="LUMI")
    Brand.objects.filter(pk=application.brand_id).update(name="LUMI\nLAMP")

    with django_capture_on_commit_callbacks(execute=True):
        application_transition(
            application_id=application.pk, action="withdraw", actor=seller_a.actor
        )

    assert [m.subject for m in mail.outbox] == ["LUMI LAMP: Withdrawn"]
    assert Notification.objects.get().subject == "LUMI LAMP: Withdrawn"


def test_a_rolled_back_change_notifies_nobody(seller_a):
    application = ApplicationFactory(company=seller_a.company)

    def withdraw_then_fail():
        with transaction.atomic():
            application_transition(
                application_id=application.pk, action="withdraw", actor=seller_a.actor
            )
            raise RuntimeError("the request failed after the transition")

    with pytest.raises(RuntimeError):
        withdraw_then_fail()

    assert Notification.objects.count() == 0
    application.refresh_from_db()
    assert application.status == Status.DRAFT


def test_the_inbox_pages_through_every_entry_newest_first(seller_a, seller_b):
    inbox_paged_through(
        seller_a.owner, seller_b.owner, reverse("portal:notifications"), "notifications"
    )
