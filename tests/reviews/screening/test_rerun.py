"""A reviewer re-runs one check, or all of them, from the workspace; the application stays put."""

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from brandprogram.errors import ApplicationError
from reviews.models import CheckResult, RegistryMark
from reviews.screening.runs import screening_rerun_request
from reviews.tasks import screen_application
from sellers.actors import actor_for_user
from sellers.models import Application, Status
from sellers.workflow.transition import application_transition
from tests.sellers.factories import ApplicationFactory


@pytest.fixture
def screened(seller_a):
    application = ApplicationFactory(company=seller_a.company, brand__name="BRIGHTLAMP")
    application_transition(application_id=application.pk, action="submit", actor=seller_a.actor)
    screen_application(application_id=application.pk)
    return Application.objects.get(pk=application.pk)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _outcomes(application) -> dict:
    return dict(
        CheckResult.objects.filter(run__application=application).values_list(
            "check_code", "outcome"
        )
    )


def test_rerunning_one_check_uses_data_imported_since(
    screened, reviewer, django_capture_on_commit_callbacks
):
    before = _outcomes(screened)
    RegistryMark.objects.create(
        office="USPTO",
        serial="97100001",
        number=screened.trademark.number,
        status_code="700",
        status_state="registered",
        mark_literal="BRIGHTLAMP",
        nice_classes=[11],
        owner_name=screened.company.legal_name,
        expires_on=timezone.localdate().replace(year=timezone.localdate().year + 5),
        data_version="apc261201.zip",
    )

    with django_capture_on_commit_callbacks(execute=True):
        codes = screening_rerun_request(
            application_id=screened.pk,
            actor=actor_for_user(reviewer),
            check_code="trademark_registry",
        )

    screened.refresh_from_db()
    result = CheckResult.objects.get(run__application=screened, check_code="trademark_registry")
    run = result.run
    assert codes == ["trademark_registry"]
    assert (result.outcome, result.data_version, result.rerun_by) == (
        "pass",
        "apc261201.zip",
        reviewer,
    )
    assert _outcomes(screened) == before | {"trademark_registry": "pass"}
    assert (run.risk_score, screened.risk_score, screened.status) == (
        30,
        30,
        Status.AWAITING_REVIEW,
    )
    event = screened.events.latest("pk")
    assert (event.action, event.actor, event.seller_visible, event.note, event.to_status) == (
        "rerun_checks",
        reviewer,
        False,
        f"Re-ran the check “Registry record” (trademark_registry) of screening run {run.pk}.",
        "",
    )


def test_the_workspace_reruns_every_check(screened, reviewer, django_capture_on_commit_callbacks):
    client = _client(reviewer)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reviews:rerun", args=[screened.pk]), {"check": "all"})

    assert response.status_code == 302
    assert response.url == reverse("reviews:workspace", args=[screened.pk])
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "9 check(s) of BRIGHTLAMP are running again; reload to see results."
    ]
    reruns = CheckResult.objects.filter(run__application=screened).values_list(
        "rerun_by", flat=True
    )
    assert list(reruns) == [reviewer.pk] * 9
    page = client.get(reverse("reviews:workspace", args=[screened.pk])).content.decode()
    assert page.count('name="check" value="') == 10
    assert 'value="all"' in page
    run = CheckResult.objects.filter(run__application=screened).first().run
    assert f"Re-ran all 9 checks of screening run {run.pk}." in page
    assert "Checks re-run" in page


def test_only_the_claiming_reviewer_reruns_checks(screened, reviewer, other_reviewer):
    application_transition(
        application_id=screened.pk, action="claim", actor=actor_for_user(reviewer)
    )
    client = _client(other_reviewer)

    response = client.post(reverse("reviews:rerun", args=[screened.pk]), {"check": "all"})
    page = client.get(reverse("reviews:workspace", args=[screened.pk])).content.decode()

    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Only the reviewer who claimed this application can do that."
    ]
    assert list(CheckResult.objects.filter(run__application=screened, rerun_by__isnull=False)) == []
    assert 'value="all"' not in page


def test_an_unknown_check_is_refused(screened, reviewer):
    with pytest.raises(ApplicationError) as raised:
        screening_rerun_request(
            application_id=screened.pk, actor=actor_for_user(reviewer), check_code="astrology"
        )

    assert (raised.value.code, raised.value.field) == ("unknown_check", "check")


@pytest.mark.parametrize("persona", ["outsider", "seller"])
def test_rerun_is_not_there_for_other_personas(screened, outsider, seller_a, persona):
    user = outsider if persona == "outsider" else seller_a.owner

    response = _client(user).post(reverse("reviews:rerun", args=[screened.pk]), {"check": "all"})

    assert response.status_code == 404
    assert list(CheckResult.objects.filter(run__application=screened, rerun_by__isnull=False)) == []


def test_a_refused_rerun_leaves_no_history_line(screened, reviewer, other_reviewer):
    application_transition(
        application_id=screened.pk, action="claim", actor=actor_for_user(reviewer)
    )
    before = list(screened.events.values_list("pk", flat=True))

    with pytest.raises(ApplicationError):
        screening_rerun_request(application_id=screened.pk, actor=actor_for_user(other_reviewer))

    assert list(screened.events.values_list("pk", flat=True)) == before


def test_the_seller_never_sees_who_reran_what(
    screened, reviewer, seller_a, django_capture_on_commit_callbacks
):
    notified_before = list(seller_a.owner.notifications.values_list("pk", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        screening_rerun_request(application_id=screened.pk, actor=actor_for_user(reviewer))
    seller = _client(seller_a.owner)

    page = seller.get(reverse("portal:application_detail", args=[screened.pk])).content.decode()

    assert screened.events.filter(action="rerun_checks").count() == 1
    assert "Re-ran" not in page
    assert "re-run" not in page.lower()
    assert list(seller_a.owner.notifications.values_list("pk", flat=True)) == notified_before


def test_each_result_shows_its_source_version_and_duration(screened, reviewer):
    result = CheckResult.objects.get(run__application=screened, check_code="trademark_registry")

    page = _client(reviewer).get(reverse("reviews:workspace", args=[screened.pk])).content.decode()

    assert (
        f"Source: {result.source} · data version {result.data_version} · took "
        f"{result.duration_ms} ms" in " ".join(page.split())
    )
    assert page.count('class="muted small result-meta"') == 9
