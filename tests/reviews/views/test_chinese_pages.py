"""Every reviewer and manager page in Simplified Chinese leaves no catalogued English text
untranslated, check explanations included."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from reviews.identity import company_verification_open
from reviews.services import conflict_declare
from sellers.actors import actor_for_user
from sellers.models import Membership, Status
from sellers.workflow.transition import application_transition
from tests.catalogue import chinese_client, untranslated_on
from tests.reviews.factories import ReviewQueueFactory
from tests.sellers.factories import ApplicationFactory, CategoryFactory, ProgramFactory


@pytest.fixture(autouse=True)
def _compiled_catalog():
    # The catalogue is compiled by `make test`; compile it here too for a bare pytest run.
    call_command("compilemessages", "--ignore=.venv", verbosity=0)


def _submitted(seller, django_capture_on_commit_callbacks, **fields):
    """Through the real submission, so screening stores every check's explanation."""
    application = ApplicationFactory(company=seller.company, **fields)
    with django_capture_on_commit_callbacks(execute=True):
        application_transition(application_id=application.pk, action="submit", actor=seller.actor)
    return application


@pytest.fixture
def desk(
    seller_a,
    seller_b,
    reviewer,
    senior_reviewer,
    manager,
    open_case,
    django_capture_on_commit_callbacks,
):
    """Something on every reviewer page: a queue with waiting and claimed applications, a
    proposal, a staged decision, a conflict, a re-certification case, a company waiting for
    verification."""
    Membership.objects.filter(user=seller_a.owner).update(language="zh-hans")
    # Staff show by name, as they would in use.
    names = (("Ana", "Lima"), ("Sam", "Okoro"), ("Mia", "Chen"))
    for user, (first, last) in zip((reviewer, senior_reviewer, manager), names, strict=True):
        user.first_name, user.last_name = first, last
        user.save(update_fields=["first_name", "last_name"])
    lighting = CategoryFactory(code="lamps", name="Lighting and household appliances")
    ReviewQueueFactory(
        name="Lighting", categories=[lighting], members=[reviewer, senior_reviewer, manager]
    )
    expiring = timezone.localdate() + datetime.timedelta(days=60)
    waiting = _submitted(
        seller_a,
        django_capture_on_commit_callbacks,
        brand__name="LUMIWAIT",
        categories=[lighting],
        trademark__expires_on=expiring,
    )
    claimed = _submitted(
        seller_a, django_capture_on_commit_callbacks, brand__name="LUMICLAIM", categories=[lighting]
    )
    application_transition(
        application_id=claimed.pk, action="claim", actor=actor_for_user(reviewer)
    )
    proposed = ApplicationFactory(
        company=seller_a.company, in_review=True, assignee=reviewer, brand__name="LUMIPROP"
    )
    application_transition(
        application_id=proposed.pk,
        action="reject",
        actor=actor_for_user(reviewer),
        note="商标与申请品牌不符。",
        reasons=["owner_mismatch"],
    )
    staged_program = ProgramFactory(stage_decisions=True)
    ApplicationFactory(
        company=seller_a.company,
        program=staged_program,
        status=Status.STAGED_APPROVED,
        brand__name="LUMISTAGE",
    )
    conflict_declare(
        actor=actor_for_user(reviewer), company=seller_b.company, reason="我曾在该公司工作。"
    )
    return {
        "waiting": waiting,
        "claimed": claimed,
        "proposed": proposed,
        "case": open_case,
        "verification": company_verification_open(company_id=seller_b.company.pk),
    }


def _pages(desk) -> dict:
    return {
        "queue": reverse("reviews:queue"),
        "workspace_waiting": reverse("reviews:workspace", args=[desk["waiting"].pk]),
        "workspace_claimed": reverse("reviews:workspace", args=[desk["claimed"].pk]),
        "workspace_proposed": reverse("reviews:workspace", args=[desk["proposed"].pk]),
        "search": reverse("reviews:search"),
        "search_results": reverse("reviews:search") + "?q=LUMI",
        "confirmations": reverse("reviews:confirmations"),
        "staged": reverse("reviews:staged"),
        "conflicts": reverse("reviews:conflicts"),
        "dashboard": reverse("reviews:dashboard"),
        "recertification_list": reverse("reviews:recertification_list"),
        "recertification_case": reverse("reviews:recertification_case", args=[desk["case"].pk]),
        "identity_queue": reverse("reviews:identity_queue"),
        "identity_case": reverse("reviews:identity_case", args=[desk["verification"].pk]),
    }


PAGES = [
    "queue",
    "workspace_waiting",
    "workspace_claimed",
    "workspace_proposed",
    "search",
    "search_results",
    "confirmations",
    "staged",
    "conflicts",
    "dashboard",
    "recertification_list",
    "recertification_case",
    "identity_queue",
    "identity_case",
]


@pytest.mark.parametrize("page", PAGES)
def test_reviewer_and_manager_pages_have_no_untranslated_catalogue_text(desk, manager, page):
    client = chinese_client(manager)

    response = client.get(_pages(desk)[page])

    assert (response.status_code, untranslated_on(response)) == (200, [])


def test_the_reviewer_deciding_reads_the_workspace_in_chinese(desk, reviewer):
    client = chinese_client(reviewer)

    response = client.get(reverse("reviews:workspace", args=[desk["claimed"].pk]))

    assert (response.status_code, untranslated_on(response)) == (200, [])
