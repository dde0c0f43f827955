"""Requesting changes names the documents to look at again; the seller sees them listed."""

from django.core.management import call_command
from django.urls import reverse

from sellers.models import RequestedEvidence, Status
from tests.pages import logged_in, page_text
from tests.sellers.factories import ApplicationFactory

MESSAGE = "The audit report is older than a year; the stock record does not name the brand."


def test_requested_evidence_is_stored_and_listed_under_the_reviewers_message(seller_a, reviewer):
    application = ApplicationFactory(company=seller_a.company, in_review=True, assignee=reviewer)
    reviewer_client = logged_in(reviewer)
    workspace = reviewer_client.get(reverse("reviews:workspace", args=[application.pk]))

    reviewer_client.post(
        reverse("reviews:workspace", args=[application.pk]),
        {
            "action": "request_changes",
            "message": MESSAGE,
            "requested_evidence": ["warehouse_stock", "social_compliance_audit"],
        },
    )
    # The catalogue is compiled by `make test`; compile it here too for a bare pytest run.
    call_command("compilemessages", "--ignore=.venv", verbosity=0)
    seller_client = logged_in(seller_a.owner)
    detail = seller_client.get(reverse("portal:application_detail", args=[application.pk]))
    seller_client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    chinese = seller_client.get(reverse("portal:application_detail", args=[application.pk]))

    application.refresh_from_db()
    event = application.events.get(action="request_changes")
    assert application.status == Status.CHANGES_REQUESTED
    assert event.note == MESSAGE
    assert list(RequestedEvidence.objects.values_list("event_id", "kind")) == [
        (event.pk, "social_compliance_audit"),
        (event.pk, "warehouse_stock"),
    ]
    assert 'name="requested_evidence" value="warehouse_stock"' in page_text(workspace)
    assert (
        '<ul class="requested-evidence">'
        "<li>Social-compliance audit (e.g. amfori BSCI or SMETA)</li>"
        "<li>Overseas warehouse stock record</li>"
        "</ul>"
    ) in page_text(detail)
    assert "<h3>需要重新检查的文件</h3>" in page_text(chinese)
    assert (
        '<ul class="requested-evidence">'
        "<li>社会责任审核报告（例如 amfori BSCI 或 SMETA）</li>"  # noqa: RUF001
        "<li>海外仓库存记录</li>"
        "</ul>"
    ) in page_text(chinese)


def test_request_without_ticked_evidence_lists_nothing(seller_a, reviewer):
    application = ApplicationFactory(company=seller_a.company, in_review=True, assignee=reviewer)

    logged_in(reviewer).post(
        reverse("reviews:workspace", args=[application.pk]),
        {"action": "request_changes", "message": MESSAGE},
    )
    detail = logged_in(seller_a.owner).get(
        reverse("portal:application_detail", args=[application.pk])
    )

    application.refresh_from_db()
    assert application.status == Status.CHANGES_REQUESTED
    assert RequestedEvidence.objects.count() == 0
    assert detail.context["requested_evidence"] == []
    assert "requested-evidence" not in page_text(detail)


def test_unknown_evidence_kind_is_refused_and_nothing_changes(reviewer):
    application = ApplicationFactory(in_review=True, assignee=reviewer)

    response = logged_in(reviewer).post(
        reverse("reviews:workspace", args=[application.pk]),
        {"action": "request_changes", "message": MESSAGE, "requested_evidence": ["passport"]},
    )

    application.refresh_from_db()
    assert application.status == Status.IN_REVIEW
    assert response.context["form"].errors == {
        "requested_evidence": [
            "Select a valid choice. passport is not one of the available choices."
        ]
    }
    assert RequestedEvidence.objects.count() == 0
