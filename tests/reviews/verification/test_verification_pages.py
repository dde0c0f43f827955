"""The verification by hand on the reviewer workspace: the form, its errors, who may see it,
the capture download, the monthly re-certification and the dashboard's waiting figure."""

import datetime
import re

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from reviews.dashboard import program_dashboard
from reviews.models import (
    CheckResult,
    RecertificationCase,
    RecertificationRun,
    RegistryVerification,
)
from reviews.services import conflict_declare
from sellers.actors import actor_for_user
from sellers.models import Application, Status
from tests.catalogue import chinese_client, untranslated_on
from tests.files import png_bytes, png_upload, upload
from tests.pages import logged_in
from tests.reviews.recertification_support import THIS_MONTH
from tests.reviews.verification.support import CNIPA_NUMBER, OWNER, age, screened_cnipa, verify
from tests.sellers.factories import ApplicationFactory

CNIPA_SEARCH_LINK = (
    '<a href="https://sbj.cnipa.gov.cn/sbj/sbcx/" target="_blank" rel="noopener noreferrer">'
    "Open the CNIPA public search</a>"
)


def _form(**overrides) -> dict:
    expires = timezone.localdate() + datetime.timedelta(days=3000)
    return {
        "number": CNIPA_NUMBER,
        "mark_words": "BRIGHTLAMP",
        "owner_name": OWNER,
        "nice_classes": "11\uff0c35",
        "status": "registered",
        "valid_until": expires.isoformat(),
        "search_url": "https://sbj.cnipa.gov.cn/sbj/sbcx/",
        "note": "Looked up by registration number.",
        "submission_key": "0d6c8f5e-3f43-4b8a-9d1a-2d3c4b5a6f70",
        "capture": upload("cnipa-12345678.png", png_bytes(), "image/png"),
    } | overrides


def _card(response) -> str:
    html = response.content.decode()
    match = re.search(r'<section class="card" id="hand-check".*?</section>', html, re.S)
    return match.group(0) if match else ""


def test_the_workspace_offers_the_cnipa_search_for_a_mark_without_registry_data(seller_a, reviewer):
    application = screened_cnipa(seller_a)

    card = _card(logged_in(reviewer).get(reverse("reviews:workspace", args=[application.pk])))

    assert "Verify by hand in the CNIPA public search" in card
    assert CNIPA_SEARCH_LINK in card
    assert f'name="number" value="{CNIPA_NUMBER}"' in card
    assert '<details class="hand-check-form" open>' in card


def test_a_mark_the_registry_answered_for_gets_no_hand_check(seller_a, reviewer):
    application = ApplicationFactory(company=seller_a.company, awaiting_review=True)

    page = logged_in(reviewer).get(reverse("reviews:workspace", args=[application.pk]))

    assert (page.status_code, _card(page)) == (200, "")


def test_recording_on_the_page_turns_the_check_to_verified(
    seller_a, reviewer, django_capture_on_commit_callbacks
):
    application = screened_cnipa(seller_a)
    client = logged_in(reviewer)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reviews:verify_by_hand", args=[application.pk]), _form())

    assert response.status_code == 302
    assert (
        response["Location"] == reverse("reviews:workspace", args=[application.pk]) + "#hand-check"
    )
    verification = RegistryVerification.objects.get()
    assert (verification.nice_classes, verification.capture_type, verification.capture_name) == (
        [11, 35],
        "image/png",
        "cnipa-12345678.png",
    )
    assert verification.capture.name.startswith("reviews/verifications/")
    result = CheckResult.objects.get(run__application=application, check_code="trademark_registry")
    assert result.outcome == "pass"
    page = client.get(response["Location"]).content.decode()
    assert "Verification recorded; the registry check runs again with it." in page
    assert "Verified by hand by ana.reviewer@brand-program.example on" in page
    assert "Last verified by ana.reviewer@brand-program.example on" in page


def test_a_wrong_file_keeps_what_was_typed_and_says_why(seller_a, reviewer):
    application = screened_cnipa(seller_a)
    form = _form(capture=upload("register.html", b"<html><body>CNIPA</body></html>", "image/png"))

    response = logged_in(reviewer).post(
        reverse("reviews:verify_by_hand", args=[application.pk]), form
    )

    card = _card(response)
    assert response.status_code == 200
    assert "register.html is text/html; upload the capture as a PNG, JPEG or PDF file." in card
    assert f'value="{OWNER}"' in card
    assert 'value="BRIGHTLAMP"' in card
    assert 'value="11\uff0c35"' in card
    assert 'value="0d6c8f5e-3f43-4b8a-9d1a-2d3c4b5a6f70"' in card
    assert RegistryVerification.objects.count() == 0


def test_classes_outside_the_nice_range_are_refused_on_the_page(seller_a, reviewer):
    application = screened_cnipa(seller_a)

    response = logged_in(reviewer).post(
        reverse("reviews:verify_by_hand", args=[application.pk]), _form(nice_classes="11, 46")
    )

    assert "Nice classes run from 1 to 45; 46 is not one." in _card(response)
    assert "choose the capture again" in _card(response)
    assert RegistryVerification.objects.count() == 0


def test_a_reviewer_with_a_conflict_neither_sees_nor_records_it(seller_a, reviewer, other_reviewer):
    application = screened_cnipa(seller_a)
    verification = verify(application, other_reviewer)
    conflict_declare(actor=actor_for_user(reviewer), company=seller_a.company, reason="Cousin")
    client = logged_in(reviewer)

    page = client.get(reverse("reviews:workspace", args=[application.pk]))
    post = client.post(reverse("reviews:verify_by_hand", args=[application.pk]), _form())
    capture = client.get(reverse("reviews:verification_capture", args=[verification.pk]))

    assert (page.status_code, post.status_code, capture.status_code) == (404, 404, 404)
    assert list(RegistryVerification.objects.all()) == [verification]


def test_only_reviewers_download_the_capture(seller_a, reviewer, other_reviewer, outsider):
    application = screened_cnipa(seller_a)
    verification = verify(application, reviewer)
    url = reverse("reviews:verification_capture", args=[verification.pk])

    other = logged_in(other_reviewer).get(url)
    seller = logged_in(seller_a.owner).get(url)
    stranger = logged_in(outsider).get(url)
    anonymous = Client().get(url)

    assert other.status_code == 200
    assert b"".join(other.streaming_content) == png_bytes()
    assert (other["Content-Type"], other["X-Content-Type-Options"]) == ("image/png", "nosniff")
    assert (seller.status_code, stranger.status_code) == (404, 404)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("login"))


def test_a_capture_uploaded_under_another_type_s_name_downloads_as_what_it_is(seller_a, reviewer):
    application = screened_cnipa(seller_a)
    verification = verify(application, reviewer, capture=png_upload("cnipa-12345678.pdf"))

    capture = logged_in(reviewer).get(
        reverse("reviews:verification_capture", args=[verification.pk])
    )

    assert (capture["Content-Type"], capture["Content-Disposition"]) == (
        "image/png",
        'inline; filename="cnipa-12345678.png"',
    )


def test_the_hand_check_reads_in_chinese(seller_a, reviewer):
    application = screened_cnipa(seller_a)
    # What the reviewer typed stays as typed; a Chinese note keeps this page all Chinese.
    verify(application, reviewer, note="按注册号查询。")

    page = chinese_client(reviewer).get(reverse("reviews:workspace", args=[application.pk]))

    card = _card(page)
    assert "在国家知识产权局商标查询中人工核实" in card

    class Card:
        content = card.encode()

    assert untranslated_on(Card) == []


def _approved_and_verified(seller, reviewer, *, days_ago: int) -> Application:
    application = screened_cnipa(seller)
    Application.objects.filter(pk=application.pk).update(status=Status.APPROVED)
    age(verify(application, reviewer), days=days_ago)
    return application


def test_recertification_asks_again_for_a_stale_verification(seller_a, reviewer, settings, run_now):
    settings.MANUAL_VERIFICATION_MAX_AGE_DAYS = 90
    application = _approved_and_verified(seller_a, reviewer, days_ago=120)

    run_now()

    case = RecertificationCase.objects.get()
    assert (case.application_id, case.state, case.run.state) == (
        application.pk,
        RecertificationCase.State.OPEN,
        RecertificationRun.State.FAILED,
    )
    assert list(case.findings) == ["trademark_registry"]
    finding = case.findings["trademark_registry"]
    assert (finding["outcome"], finding["flags"]) == ("unverifiable", ["reverify_due"])
    page = logged_in(reviewer).get(reverse("reviews:recertification_case", args=[case.pk]))
    assert (
        f'<a href="{reverse("reviews:workspace", args=[application.pk])}#hand-check">'
        "Verify it again in the workspace</a>"
    ) in page.content.decode()
    workspace = logged_in(reviewer).get(reverse("reviews:workspace", args=[application.pk]))
    assert "too old to count; verify again" in _card(workspace)


def test_recertification_passes_a_current_verification(seller_a, reviewer, run_now):
    _approved_and_verified(seller_a, reviewer, days_ago=10)

    run_now()

    run = RecertificationRun.objects.get(period=THIS_MONTH)
    assert run.findings["trademark_registry"]["outcome"] == "pass"
    assert RecertificationCase.objects.count() == 0


def test_the_dashboard_counts_applications_waiting_for_a_hand_check(seller_a, seller_b, reviewer):
    now = timezone.now()
    waiting = [screened_cnipa(seller_a, brand=f"BRIGHTLAMP{n}") for n in range(3)]
    for application, days in zip(waiting, (2, 6, 9), strict=True):
        CheckResult.objects.filter(run__application=application).update(
            created_at=now - datetime.timedelta(days=days)
        )
    verify(waiting[2], reviewer)
    CheckResult.objects.filter(run__application=waiting[2], check_code="trademark_registry").update(
        outcome="pass"
    )
    decided = screened_cnipa(seller_b, brand="HARBOR")
    Application.objects.filter(pk=decided.pk).update(status=Status.REJECTED)

    table = program_dashboard(program=waiting[0].program, now=now).tables["hand_checks"]

    assert table.columns == ["Applications", "Oldest wait (days)", "Median wait (days)"]
    assert table.rows == [[2, 6.0, 4.0]]


def test_a_reviewer_with_a_conflict_does_not_see_the_recertification_case(
    seller_a, reviewer, other_reviewer, settings, run_now
):
    settings.MANUAL_VERIFICATION_MAX_AGE_DAYS = 90
    application = _approved_and_verified(seller_a, other_reviewer, days_ago=120)
    run_now()
    case = RecertificationCase.objects.get()
    conflict_declare(actor=actor_for_user(reviewer), company=seller_a.company, reason="Cousin")
    client = logged_in(reviewer)

    listing = client.get(reverse("reviews:recertification_list")).content.decode()
    page = client.get(reverse("reviews:recertification_case", args=[case.pk]))

    assert application.brand.name not in listing
    assert page.status_code == 404
    assert (
        logged_in(other_reviewer)
        .get(reverse("reviews:recertification_case", args=[case.pk]))
        .status_code
        == 200
    )


def test_the_admin_shows_verifications_read_only_without_the_capture(
    seller_a, reviewer, django_user_model
):
    verification = verify(screened_cnipa(seller_a), reviewer)
    admin_user = django_user_model.objects.create_superuser("root@example.com", password="x-Pass-1")
    client = Client()
    client.force_login(admin_user)

    listing = client.get(reverse("admin:reviews_registryverification_changelist"))
    detail = client.get(
        reverse("admin:reviews_registryverification_change", args=[verification.pk])
    )
    adding = client.get(reverse("admin:reviews_registryverification_add"))

    assert f"CNIPA {CNIPA_NUMBER} verified" in listing.content.decode()
    assert OWNER in detail.content.decode()
    assert verification.capture.name not in detail.content.decode()
    assert adding.status_code == 403


def test_an_admitted_brand_is_verified_for_its_next_recertification(seller_a, reviewer):
    application = screened_cnipa(seller_a)
    Application.objects.filter(pk=application.pk).update(status=Status.APPROVED)
    client = logged_in(reviewer)

    response = client.post(reverse("reviews:verify_by_hand", args=[application.pk]), _form())

    page = client.get(response["Location"]).content.decode()
    assert "Verification recorded; the next re-certification reads it." in page
    assert RegistryVerification.objects.get().application_id == application.pk
