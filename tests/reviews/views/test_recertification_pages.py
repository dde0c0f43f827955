"""The re-certification pages: the list of cases for reviewers, settling a case on its page,
what the seller then reads, and the admin's read-only lists."""

import datetime

from django.test import Client
from django.urls import reverse

from reviews.models import RecertificationCase
from reviews.recertification import recertification_case_suspend
from sellers.actors import actor_for_user
from sellers.models import Application, Membership, Status
from tests.catalogue import chinese_client, untranslated_on
from tests.pages import PASSWORD, messages_on, page_text
from tests.reviews.recertification_support import THIS_MONTH, TODAY, suspend


def _client(user) -> Client:
    client = Client()
    client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    return client


def test_the_list_shows_open_cases_to_reviewers_only(open_case, reviewer, seller_a, manager):
    url = reverse("reviews:recertification_list")

    listing = _client(reviewer).get(url)

    assert f'data-case="{open_case.pk}"' in page_text(listing)
    assert "BRIGHTLAMP" in page_text(listing)
    assert _client(seller_a.owner).get(url).status_code == 404
    assert Client().get(url).status_code == 302


def test_suspending_on_the_page_needs_a_deadline(open_case, senior_reviewer):
    client = _client(senior_reviewer)
    url = reverse("reviews:recertification_case", args=[open_case.pk])

    refused = client.post(url, {"action": "suspend", "note": "Dead mark.", "deadline": ""})

    assert refused.status_code == 200
    assert "Give the seller a deadline." in page_text(refused)
    assert Application.objects.get(pk=open_case.application_id).status == Status.APPROVED

    deadline = TODAY + datetime.timedelta(days=30)
    done = client.post(
        url,
        {"action": "suspend", "note": "Dead mark.", "deadline": deadline.isoformat()},
        follow=True,
    )

    assert messages_on(done) == [
        f"BRIGHTLAMP was suspended; the seller has until {deadline:%Y-%m-%d}."
    ]
    open_case.refresh_from_db()
    assert (open_case.state, open_case.deadline) == (RecertificationCase.State.SUSPENDED, deadline)


def test_a_reviewer_who_is_not_senior_is_refused_on_the_page(open_case, reviewer):
    url = reverse("reviews:recertification_case", args=[open_case.pk])
    deadline = (TODAY + datetime.timedelta(days=30)).isoformat()

    response = _client(reviewer).post(
        url, {"action": "suspend", "note": "Dead.", "deadline": deadline}, follow=True
    )

    assert messages_on(response) == ["You may not suspend this application."]
    open_case.refresh_from_db()
    assert open_case.state == RecertificationCase.State.OPEN


def test_the_seller_sees_the_suspension_and_deadline_in_chinese(
    open_case, senior_reviewer, seller_a
):
    Membership.objects.filter(user=seller_a.owner).update(language="zh-hans")
    deadline = TODAY + datetime.timedelta(days=21)
    recertification_case_suspend(
        case_id=open_case.pk,
        actor=actor_for_user(senior_reviewer),
        note="请提供商标续展证明。",
        deadline=deadline,
    )
    client = chinese_client(seller_a.owner)

    page = client.get(reverse("portal:application_detail", args=[open_case.application_id]))

    text = page_text(page)
    assert f'data-deadline="{deadline:%Y-%m-%d}"' in text
    assert "如届时仍未解决，您的品牌在计划中的资格将被撤销。" in text  # noqa: RUF001
    assert f"请在 {deadline:%Y-%m-%d} 之前解决此问题" in text  # the note, in the owner's language
    assert "请提供商标续展证明。" in text
    assert untranslated_on(page) == []


def test_the_seller_sees_the_deadline_in_english(open_case, senior_reviewer, seller_a):
    deadline = TODAY + datetime.timedelta(days=21)
    suspend(open_case, senior_reviewer, days=21)
    client = _client(seller_a.owner)

    text = page_text(
        client.get(reverse("portal:application_detail", args=[open_case.application_id]))
    )

    assert "Resolve the problem by" in text
    assert f'data-deadline="{deadline:%Y-%m-%d}"' in text
    assert "Send proof of renewal." in text


def test_the_admin_lists_runs_and_cases_read_only(open_case, django_user_model):
    admin_user = django_user_model.objects.create_superuser("root@example.com", password=PASSWORD)
    client = _client(admin_user)

    cases = client.get(reverse("admin:reviews_recertificationcase_changelist"))
    runs = client.get(reverse("admin:reviews_recertificationrun_changelist"))
    adding = client.get(reverse("admin:reviews_recertificationcase_add"))

    assert f"Re-certification case {open_case.pk} of application" in page_text(cases)
    assert f"Re-certification {THIS_MONTH:%Y-%m} of application {open_case.application_id}" in (
        page_text(runs)
    )
    assert adding.status_code == 403
