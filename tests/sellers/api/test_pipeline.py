"""The whole partner path against the real Celery worker: create, upload, submit, screened."""

import pytest

from reviews.models import ScreeningRun
from sellers.models import Application, Status
from tests.conftest import wait_until
from tests.files import png_upload
from tests.sellers.api.support import COLLECTION, application_payload, detail_url


@pytest.mark.worker
def test_application_made_through_the_api_is_screened_by_the_worker(
    celery_worker, partner_client, seller_a
):
    created = partner_client.post(
        COLLECTION, application_payload(seller_a.company.pk), format="json"
    )
    application_id = created.json()["id"]
    uploaded = partner_client.post(
        detail_url(application_id, "evidence/"),
        {"kind": "product_photo", "file": png_upload("lamp.png")},
        format="multipart",
    )
    submitted = partner_client.post(detail_url(application_id, "submit/"))

    run = wait_until(
        lambda: ScreeningRun.objects.filter(
            application_id=application_id, state=ScreeningRun.State.COMPLETED
        ).first(),
        message="the worker did not complete a screening run",
    )
    wait_until(
        lambda: Application.objects.get(pk=application_id).status == Status.AWAITING_REVIEW,
        message="the application did not reach awaiting_review",
    )

    assert (created.status_code, uploaded.status_code, submitted.status_code) == (201, 201, 200)
    assert submitted.json()["status"] == "under_review"
    # The set of checks is configuration (SCREENING_CHECKS); every one the run owed reported.
    assert sorted(run.results.values_list("check_code", flat=True)) == sorted(run.check_codes)
    assert {"registration_numbers", "trademark_coverage"} <= set(run.check_codes)
    events = partner_client.get(detail_url(application_id, "events/")).json()
    assert [(event["action"], event["status"]) for event in events] == [
        ("created", None),
        ("evidence_added", None),
        ("submit", "under_review"),
    ]
    assert partner_client.get(detail_url(application_id)).json()["status"] == "under_review"
    internal = Application.objects.get(pk=application_id).events.exclude(seller_visible=True)
    assert list(internal.values_list("action", flat=True)) == [
        "start_screening",
        "finish_screening",
    ]
