"""Every link a message carries starts at PORTAL_URL, and `make run` sets it from its port."""

import datetime
import os
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import Client
from django.urls import resolve, reverse
from django.utils import timezone

from reviews import tasks
from reviews.models import QueueItem
from sellers.actors import actor_for_user
from sellers.workflow.transition import application_transition
from tests.reviews.factories import ReviewQueueFactory
from tests.reviews.queues.queue_support import screened
from tests.sellers.factories import ApplicationFactory, ReviewerFactory
from tests.sellers.portal.test_accounts import _sign_up_data

MAKE = shutil.which("make")
ROOT = Path(__file__).resolve().parents[2]
PORTAL = "http://127.0.0.1:8123"
LINK = re.compile(r"https?://\S+")


@pytest.fixture(autouse=True)
def _portal(settings):
    # With the trailing slash an operator may well type.
    settings.PORTAL_URL = PORTAL + "/"


def _links(message) -> list[str]:
    return LINK.findall(message.body)


def _run_command(**environment) -> str:
    """The command `make run` would serve with, without running anything."""
    env = {key: value for key, value in os.environ.items() if key != "PORTAL_URL"}
    result = subprocess.run(
        [MAKE, "--dry-run", "--always-make", "run", *(f"{k}={v}" for k, v in environment.items())],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return next(line for line in result.stdout.splitlines() if "runserver" in line)


def test_make_run_points_the_links_at_its_own_port():
    assert "PORTAL_URL=http://127.0.0.1:8123 " in _run_command(PORT="8123")
    assert "runserver 127.0.0.1:8123" in _run_command(PORT="8123")
    assert "PORTAL_URL=http://127.0.0.1:8000 " in _run_command()
    chosen = _run_command(PORT="8123", PORTAL_URL="https://portal.example")
    assert "PORTAL_URL=https://portal.example " in chosen


def test_status_mails_link_to_the_portal_url(
    seller_a, reviewer, django_capture_on_commit_callbacks
):
    application = ApplicationFactory(company=seller_a.company, in_review=True, assignee=reviewer)

    with django_capture_on_commit_callbacks(execute=True):
        application_transition(
            application_id=application.pk,
            action="request_changes",
            actor=actor_for_user(reviewer),
            note="Upload a sharper scan.",
        )

    assert _links(mail.outbox[0]) == [f"{PORTAL}/applications/{application.pk}/"]


def test_queue_mails_link_to_the_portal_url(db, reviewer, django_capture_on_commit_callbacks):
    lead = ReviewerFactory(username="lea.lead@brand-program.example")
    ReviewQueueFactory(name="Lighting", members=[reviewer], leads=[lead])
    application = screened(brand__name="LATELAMP")
    QueueItem.objects.filter(application=application).update(
        due_at=timezone.now() - datetime.timedelta(hours=1)
    )

    with django_capture_on_commit_callbacks(execute=True):
        tasks.queue_sla_sweep.delay()

    assert _links(mail.outbox[0]) == [PORTAL + reverse("reviews:workspace", args=[application.pk])]


def test_sign_up_mails_link_to_the_portal_url(seller_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(reverse("sign_up"), _sign_up_data())
        Client().post(reverse("sign_up"), _sign_up_data(owner_email=seller_a.owner.email))

    confirm, attempt = mail.outbox
    [confirm_link] = _links(confirm)
    assert confirm_link.startswith(PORTAL + "/")
    assert resolve(urlsplit(confirm_link).path).url_name == "account_confirm"
    assert _links(attempt) == [PORTAL + reverse("login"), PORTAL + reverse("password_reset")]
