"""The path through the pages with screening on the real worker: submit, screen, claim, admit."""

import pytest
from django.test import Client
from django.urls import reverse

from sellers.models import Application, Status
from tests.conftest import wait_until
from tests.sellers.factories import ApplicationFactory

pytestmark = pytest.mark.worker
PASSWORD = "correct-horse-battery"


def _client(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _status(pk: int) -> str:
    return Application.objects.values_list("status", flat=True).get(pk=pk)


def test_pages_and_worker_take_an_application_from_draft_to_admitted(
    celery_worker, settings, seller_a, reviewer, senior_reviewer
):
    # Every approval counts as high-risk here, so the path includes the second reviewer.
    settings.SCREENING_SENIOR_RISK = 0
    application = ApplicationFactory(company=seller_a.company)
    seller, desk = _client(seller_a.owner), _client(reviewer)
    detail = reverse("portal:application_detail", args=[application.pk])

    seller.post(reverse("portal:application_action", args=[application.pk]), {"action": "submit"})
    wait_until(lambda: _status(application.pk) == Status.AWAITING_REVIEW)

    queue = desk.get(reverse("reviews:queue")).content.decode()
    assert application.brand.name in queue
    desk.post(reverse("reviews:claim", args=[application.pk]))
    workspace = desk.get(reverse("reviews:workspace", args=[application.pk])).content.decode()
    # The reviewer reads the worker's verdicts, with their explanations.
    assert "Registration numbers" in workspace
    assert "Class coverage and validity" in workspace
    assert "cover every category applied for" in workspace
    desk.post(
        reverse("reviews:workspace", args=[application.pk]),
        {"action": "approve", "message": ""},
    )
    assert _status(application.pk) == Status.PROPOSED
    assert "Under review" in seller.get(detail).content.decode()
    _client(senior_reviewer).post(
        reverse("reviews:workspace", args=[application.pk]), {"action": "confirm"}
    )

    assert _status(application.pk) == Status.APPROVED
    page = seller.get(detail).content.decode()
    assert "Admitted" in page
    assert "screening" not in page.lower()
