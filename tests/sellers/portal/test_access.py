"""Who may open which page: every wrong persona gets the same 404 and learns nothing."""

import pytest
from django.urls import reverse

from reviews.services import conflict_declare
from sellers.actors import actor_for_user
from sellers.models import ApplicationEvent, Evidence, Status
from tests.files import png_bytes, png_upload
from tests.pages import logged_in, page_text, without_csrf_tokens
from tests.sellers.factories import ApplicationFactory

SECRET_BRAND = "NIGHTOWLSECRET"


@pytest.fixture
def application_a(seller_a):
    return ApplicationFactory(
        company=seller_a.company, brand__name=SECRET_BRAND, status=Status.DRAFT
    )


@pytest.fixture
def waiting_application(seller_a):
    return ApplicationFactory(
        company=seller_a.company, brand__name=SECRET_BRAND, awaiting_review=True
    )


def _assert_leaks_nothing(response, seller_a):
    text = page_text(response)
    assert response.status_code == 404
    assert "Page not found" in text
    assert SECRET_BRAND not in text
    assert seller_a.company.legal_name not in text
    assert png_bytes() not in response.content


@pytest.mark.parametrize("persona", ["seller_b", "outsider", "reviewer"])
def test_seller_pages_of_another_company_answer_404(persona, request, seller_a, application_a):
    user = request.getfixturevalue(persona)
    client = logged_in(getattr(user, "owner", user))

    detail = client.get(reverse("portal:application_detail", args=[application_a.pk]))

    _assert_leaks_nothing(detail, seller_a)


@pytest.mark.parametrize("persona", ["seller_b", "outsider"])
def test_evidence_download_by_a_stranger_answers_404(persona, request, seller_a, application_a):
    user = request.getfixturevalue(persona)
    client = logged_in(getattr(user, "owner", user))
    evidence = application_a.evidence.get()

    response = client.get(reverse("portal:evidence_download", args=[evidence.pk]))

    _assert_leaks_nothing(response, seller_a)


@pytest.mark.parametrize("persona", ["seller_b", "outsider", "reviewer"])
def test_seller_writes_by_a_stranger_answer_404_and_change_nothing(
    persona, request, seller_a, application_a, django_capture_on_commit_callbacks
):
    user = request.getfixturevalue(persona)
    client = logged_in(getattr(user, "owner", user))

    with django_capture_on_commit_callbacks(execute=True):
        submit = client.post(
            reverse("portal:application_action", args=[application_a.pk]), {"action": "submit"}
        )
    add = client.post(
        reverse("portal:evidence_create", args=[application_a.pk]),
        {"kind": "other", "file": png_upload()},
    )

    _assert_leaks_nothing(submit, seller_a)
    _assert_leaks_nothing(add, seller_a)
    application_a.refresh_from_db()
    assert application_a.status == Status.DRAFT
    assert Evidence.objects.filter(application=application_a).count() == 1
    assert not ApplicationEvent.objects.filter(application=application_a).exists()


def test_another_company_application_looks_exactly_like_a_missing_one(seller_b, application_a):
    client = logged_in(seller_b.owner)

    foreign = client.get(reverse("portal:application_detail", args=[application_a.pk]))
    missing = client.get(reverse("portal:application_detail", args=[application_a.pk + 1000]))

    assert (foreign.status_code, missing.status_code) == (404, 404)
    assert without_csrf_tokens(page_text(foreign)) == without_csrf_tokens(page_text(missing))


@pytest.mark.parametrize("page", ["portal:dashboard", "portal:application_new"])
@pytest.mark.parametrize("persona", ["outsider", "reviewer"])
def test_seller_portal_is_404_for_people_without_a_company(persona, page, request):
    client = logged_in(request.getfixturevalue(persona))

    response = client.get(reverse(page))

    assert response.status_code == 404
    assert "Page not found" in page_text(response)


@pytest.mark.parametrize("persona", ["seller_a", "seller_b", "outsider"])
def test_reviewer_pages_answer_404_to_non_reviewers(
    persona, request, seller_a, waiting_application
):
    user = request.getfixturevalue(persona)
    client = logged_in(getattr(user, "owner", user))
    evidence = waiting_application.evidence.get()

    responses = [
        client.get(reverse("reviews:queue")),
        client.get(reverse("reviews:workspace", args=[waiting_application.pk])),
        client.get(reverse("reviews:evidence_preview", args=[evidence.pk])),
        client.post(reverse("reviews:claim", args=[waiting_application.pk])),
        client.post(
            reverse("reviews:workspace", args=[waiting_application.pk]),
            {"action": "approve", "message": ""},
        ),
    ]

    for response in responses:
        _assert_leaks_nothing(response, seller_a)
    waiting_application.refresh_from_db()
    assert (waiting_application.status, waiting_application.assignee) == (
        Status.AWAITING_REVIEW,
        None,
    )


def test_evidence_download_streams_the_file_to_the_owner_and_to_reviewers(
    seller_a, reviewer, application_a
):
    evidence = application_a.evidence.get()
    url = reverse("portal:evidence_download", args=[evidence.pk])

    for user in (seller_a.owner, reviewer):
        response = logged_in(user).get(url)

        assert response.status_code == 200
        assert b"".join(response.streaming_content) == png_bytes()
        assert response["Content-Type"] == "image/png"
        assert response["Content-Disposition"] == 'attachment; filename="photo.png"'
        assert response["Cache-Control"] == "private, no-store"


def test_evidence_download_by_a_reviewer_with_a_declared_conflict_answers_404(
    seller_a, reviewer, application_a
):
    conflict_declare(
        actor=actor_for_user(reviewer), company=seller_a.company, reason="Worked there until 2025"
    )
    evidence = application_a.evidence.get()

    response = logged_in(reviewer).get(reverse("portal:evidence_download", args=[evidence.pk]))

    _assert_leaks_nothing(response, seller_a)


def test_reviewer_preview_shows_the_file_inline(reviewer, waiting_application):
    evidence = waiting_application.evidence.get()

    response = logged_in(reviewer).get(reverse("reviews:evidence_preview", args=[evidence.pk]))

    assert b"".join(response.streaming_content) == png_bytes()
    assert response["Content-Disposition"] == 'inline; filename="photo.png"'
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("name", ["portal:dashboard", "portal:application_new", "reviews:queue"])
def test_anonymous_visitors_are_sent_to_the_login_page(client, name):
    url = reverse(name)

    response = client.get(url)

    assert (response.status_code, response["Location"]) == (302, f"/login/?next={url}")


def test_home_sends_each_persona_to_their_start_page(seller_a, reviewer, outsider):
    seller_home = logged_in(seller_a.owner).get(reverse("home"))
    reviewer_home = logged_in(reviewer).get(reverse("home"))
    outsider_home = logged_in(outsider).get(reverse("home"))

    assert seller_home["Location"] == reverse("portal:dashboard")
    assert reviewer_home["Location"] == reverse("reviews:queue")
    assert outsider_home.status_code == 403
    assert "Your account has no access yet" in page_text(outsider_home)
    assert "Signed in as <strong>outsider@example.com</strong>" in page_text(outsider_home)


def test_logout_form_in_the_header_ends_the_session(seller_a):
    client = logged_in(seller_a.owner)
    dashboard = client.get(reverse("portal:dashboard"))
    assert f'action="{reverse("logout")}"' in page_text(dashboard)

    logout = client.post(reverse("logout"))
    after = client.get(reverse("portal:dashboard"))

    assert logout["Location"] == reverse("login")
    assert after["Location"] == f"/login/?next={reverse('portal:dashboard')}"
