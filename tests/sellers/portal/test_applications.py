"""The seller's dashboard and detail page in every status: one label, no internal states."""

import pytest
from django.urls import reverse

from sellers.models import ApplicationEvent, CategoryRequirement, Status
from sellers.portal.applications import NEXT_STEPS
from sellers.workflow.table import seller_label, seller_status_code
from tests.pages import internal_words_in, logged_in, messages_on, page_text
from tests.sellers.factories import ApplicationFactory


@pytest.mark.parametrize("status", Status.values)
def test_detail_and_dashboard_speak_the_sellers_language_in_every_status(
    status, seller_a, reviewer
):
    application = ApplicationFactory(
        company=seller_a.company, status=status, assignee=reviewer, risk_score=42
    )
    client = logged_in(seller_a.owner)

    detail = client.get(reverse("portal:application_detail", args=[application.pk]))
    dashboard = client.get(reverse("portal:dashboard"))

    label = seller_label(status)
    assert detail.context["status_label"] == label
    assert detail.context["next_steps"] == NEXT_STEPS[seller_status_code(status)]
    assert f'badge-large badge-{seller_status_code(status)}">{label}</span>' in page_text(detail)
    assert [a.seller_status for a in dashboard.context["applications"]] == [label]
    assert internal_words_in(detail) == []
    assert internal_words_in(dashboard) == []
    assert reviewer.username not in page_text(detail)


def test_dashboard_lists_only_the_companys_own_applications(seller_a, seller_b):
    own = ApplicationFactory(company=seller_a.company, brand__name="OWNBRAND")
    ApplicationFactory(company=seller_b.company, brand__name="THEIRBRAND")

    response = logged_in(seller_a.owner).get(reverse("portal:dashboard"))

    assert [a.pk for a in response.context["applications"]] == [own.pk]
    assert "OWNBRAND" in page_text(response)
    assert "THEIRBRAND" not in page_text(response)
    assert reverse("portal:application_detail", args=[own.pk]) in page_text(response)


def test_buttons_follow_the_actions_the_workflow_allows(seller_a):
    draft = ApplicationFactory(company=seller_a.company, status=Status.DRAFT)
    returned = ApplicationFactory(company=seller_a.company, changes_requested=True)
    admitted = ApplicationFactory(company=seller_a.company, approved=True)
    client = logged_in(seller_a.owner)

    pages = {
        application.status: client.get(reverse("portal:application_detail", args=[application.pk]))
        for application in (draft, returned, admitted)
    }

    buttons = {
        status: ([a["action"] for a in page.context["actions"]], page.context["can_withdraw"])
        for status, page in pages.items()
    }
    assert buttons == {
        Status.DRAFT: (["submit"], True),
        Status.CHANGES_REQUESTED: (["resubmit"], True),
        Status.APPROVED: ([], False),
    }
    assert "Add evidence" in page_text(pages[Status.DRAFT])
    assert "Add evidence" in page_text(pages[Status.CHANGES_REQUESTED])
    assert "Add evidence" not in page_text(pages[Status.APPROVED])


def test_withdraw_ends_the_application_and_says_so(seller_a):
    application = ApplicationFactory(company=seller_a.company, status=Status.DRAFT)
    client = logged_in(seller_a.owner)

    response = client.post(
        reverse("portal:application_action", args=[application.pk]),
        {"action": "withdraw"},
        follow=True,
    )

    application.refresh_from_db()
    assert application.status == Status.WITHDRAWN
    assert messages_on(response) == ["Your application was withdrawn."]
    assert response.context["status_label"] == "Withdrawn"
    assert [e.words for e in response.context["events"]] == ["Withdrawn"]
    assert ApplicationEvent.objects.get(application=application).action == "withdraw"


def test_the_new_form_offers_the_open_program_by_default(seller_a, program, lighting):
    response = logged_in(seller_a.owner).get(reverse("portal:application_new"))

    form = response.context["form"]
    assert form["program"].value() == program.pk
    assert list(form.fields["program"].queryset) == [program]
    assert f'<option value="{program.pk}" selected>{program.name}</option>' in page_text(response)
    assert 'enctype="multipart/form-data"' in page_text(response)


def test_login_with_a_wrong_password_says_so(client, seller_a):
    response = client.post(
        reverse("login"), {"username": seller_a.owner.username, "password": "wrong"}
    )

    assert response.status_code == 200
    assert response.context["user"].is_authenticated is False
    assert "Please enter a correct username and password." in page_text(response)


def test_draft_page_shows_the_checklist_and_submit_names_what_is_missing(seller_a, lighting):
    for kind, required in (("trademark_certificate", True), ("product_photo", True)):
        CategoryRequirement.objects.create(category=lighting, kind=kind, required=required)
    application = ApplicationFactory(company=seller_a.company, categories=[lighting])
    client = logged_in(seller_a.owner)

    page = client.get(reverse("portal:application_detail", args=[application.pk]))
    refused = client.post(
        reverse("portal:application_action", args=[application.pk]),
        {"action": "submit"},
        follow=True,
    )

    assert [(i.label, i.met) for i in page.context["checklist"]] == [
        ("Trademark certificate", False),
        ("Photo of the brand on product or packaging", True),
    ]
    assert 'class="checklist-missing" data-kind="trademark_certificate"' in page_text(page)
    assert messages_on(refused) == [
        "Attach these documents before submitting: Trademark certificate."
    ]
    application.refresh_from_db()
    assert application.status == Status.DRAFT
