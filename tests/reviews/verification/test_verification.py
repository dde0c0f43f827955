"""A reviewer verifies a CNIPA trademark by hand in the public search: the registry check reads
the verification like a registry record while it is current and about the same number."""

import datetime
import io
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from PIL import Image

from brandprogram.errors import ApplicationError
from reviews.checks import trademark_registry
from reviews.checks.trademark_registry import Filing, judge
from reviews.models import CheckResult, RegistryVerification
from reviews.services import conflict_declare
from reviews.tasks import screen_application
from reviews.verification import registry_verification_record
from sellers.actors import actor_for_user
from sellers.models import Application, Status, Trademark
from sellers.workflow.transition import application_transition
from tests.files import html_disguised_as_pdf, truncated_png, upload
from tests.reviews.verification.support import (
    CNIPA_NUMBER,
    OWNER,
    age,
    screened_cnipa,
    verification_fields,
    verify,
)
from tests.sellers.factories import ApplicationFactory

TODAY = timezone.localdate()


def shown(day: datetime.date) -> str:
    """A day as findings and history write it in English."""
    return date_format(day, "DATE_FORMAT")


def webp_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 20, 30)).save(buffer, format="WEBP")
    return buffer.getvalue()


def _registry_result(application) -> CheckResult:
    return CheckResult.objects.get(run__application=application, check_code=trademark_registry.CODE)


def test_a_screened_cnipa_mark_waits_for_a_verification_by_hand(seller_a):
    application = screened_cnipa(seller_a)

    result = _registry_result(application)

    assert (result.outcome, result.flags) == ("unverifiable", [])
    assert result.evidence == {
        "office": "CNIPA",
        "number": CNIPA_NUMBER,
        "hand_verification": None,
    }


def test_a_current_verification_passes_the_check_at_once(
    seller_a, reviewer, django_capture_on_commit_callbacks
):
    application = screened_cnipa(seller_a)
    valid_until = TODAY + datetime.timedelta(days=3000)

    with django_capture_on_commit_callbacks(execute=True):
        verification = verify(application, reviewer, valid_until=valid_until)

    result = _registry_result(application)
    assert (verification.office, verification.number, verification.nice_classes) == (
        "CNIPA",
        CNIPA_NUMBER,
        [11],
    )
    assert (result.outcome, result.rerun_by, result.score) == ("pass", reviewer, 0)
    assert result.explanation == (
        f"Verified by hand by ana.reviewer@brand-program.example on {shown(TODAY)} in the "
        f"CNIPA public search: CNIPA {CNIPA_NUMBER} is registered (as read on the register). The "
        f"registered owner {OWNER} is the seller. The mark reads “BRIGHTLAMP”, exactly the "
        f"brand name. It is valid until {shown(valid_until)}."
    )
    assert result.evidence["hand_verification"] == verification.pk
    assert result.evidence["registry_record"]["owner_name"] == OWNER
    assert (result.source, result.data_version) == (
        f"CNIPA public search, verified by hand by ana.reviewer@brand-program.example on "
        f"{shown(TODAY)}",
        f"verification {verification.pk}",
    )
    application.refresh_from_db()
    assert (application.status, application.risk_score) == (
        Status.AWAITING_REVIEW,
        result.run.risk_score,
    )
    actions = list(application.events.values_list("action", "seller_visible"))
    assert actions[-2:] == [("registry_verified_by_hand", False), ("rerun_checks", False)]
    assert application.events.get(action="registry_verified_by_hand").note == (
        f"CNIPA {CNIPA_NUMBER} looked up in https://sbj.cnipa.gov.cn/sbj/sbcx/: “BRIGHTLAMP”, "
        f"owner {OWNER}, classes 11, Registered, live, valid until {shown(valid_until)}."
    )


@pytest.mark.parametrize(
    ("overrides", "outcome", "words"),
    [
        (
            {"owner_name": "Yiwu Copycat Trading Co., Ltd."},
            "fail",
            f"The registered owner is Yiwu Copycat Trading Co., Ltd., not the seller ({OWNER}).",
        ),
        (
            {"nice_classes": ["9", "35"]},
            "fail",
            "The registry lists classes 9, 35, which do not cover Lighting and household "
            "appliances (class 11).",
        ),
        ({"mark_words": "BRIGHT LAMP"}, "warn", "The mark reads “BRIGHT LAMP”, close to"),
        ({"figurative": True}, "fail", "The registration is a figurative mark"),
        ({"status": "pending", "valid_until": None}, "warn", "is still pending"),
        ({"status": "dead", "valid_until": None}, "fail", "is dead (as read on the register)"),
        (
            {"valid_until": TODAY + datetime.timedelta(days=30)},
            "fail",
            "less than six months from today",
        ),
    ],
)
def test_what_the_register_showed_is_compared_like_a_registry_record(
    seller_a, reviewer, django_capture_on_commit_callbacks, overrides, outcome, words
):
    application = screened_cnipa(seller_a)

    with django_capture_on_commit_callbacks(execute=True):
        verify(application, reviewer, **overrides)

    result = _registry_result(application)
    assert result.outcome == outcome
    assert result.explanation.startswith("Verified by hand by ana.reviewer@")
    assert words in result.explanation


def test_a_stale_verification_no_longer_counts(seller_a, reviewer, settings):
    settings.MANUAL_VERIFICATION_MAX_AGE_DAYS = 90
    application = screened_cnipa(seller_a)
    verification = verify(application, reviewer)
    age(verification, days=91)
    verified_on = timezone.localdate(timezone.now() - datetime.timedelta(days=91))

    finding = trademark_registry.run(Application.objects.get(pk=application.pk))

    assert (finding.outcome, finding.flags) == ("unverifiable", ("reverify_due",))
    assert finding.explanation == (
        f"CNIPA {CNIPA_NUMBER} was verified by hand by ana.reviewer@brand-program.example on "
        f"{shown(verified_on)}, more than 90 days ago, so it no longer counts; look it up in "
        "the CNIPA public search and record what the register shows."
    )
    assert finding.evidence["hand_verification"] == verification.pk


def test_a_verification_just_inside_the_age_limit_still_counts(seller_a, reviewer, settings):
    settings.MANUAL_VERIFICATION_MAX_AGE_DAYS = 90
    application = screened_cnipa(seller_a)
    age(verify(application, reviewer), days=89)

    finding = trademark_registry.run(Application.objects.get(pk=application.pk))

    assert finding.outcome == "pass"


def test_a_changed_number_makes_the_verification_not_apply(seller_a, reviewer):
    application = screened_cnipa(seller_a)
    verify(application, reviewer)
    Trademark.objects.filter(pk=application.trademark_id).update(number="87654321")

    finding = trademark_registry.run(Application.objects.get(pk=application.pk))

    assert (finding.outcome, finding.flags) == ("unverifiable", ("reverify_due",))
    assert finding.explanation.startswith(
        f"CNIPA {CNIPA_NUMBER} was verified by hand by ana.reviewer@brand-program.example on "
        f"{shown(TODAY)}, but the trademark is now CNIPA 87654321; look it up"
    )


def test_check_trademark_without_a_trademark_still_judges_a_filing(db):
    finding = judge(
        Filing(
            office="CNIPA", number="12345678", brand="BRIGHTLAMP", owners=(("the seller", OWNER),)
        )
    )

    assert (finding.outcome, finding.evidence["hand_verification"]) == ("unverifiable", None)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"nice_classes": ["11", "46"]},
            "nice_classes",
            "Nice classes run from 1 to 45; 46 is not one.",
        ),
        ({"nice_classes": ["eleven"]}, "nice_classes", "Nice classes are numbers from 1 to 45."),
        (
            {"capture": html_disguised_as_pdf()},
            "capture",
            "certificate.pdf is text/html; upload the capture as a PNG, JPEG or PDF file.",
        ),
        (
            {"capture": upload("register.txt", b"CNIPA 12345678 registered")},
            "capture",
            "register.txt is text/plain; upload the capture as a PNG, JPEG or PDF file.",
        ),
        (
            {"valid_until": TODAY - datetime.timedelta(days=1)},
            "valid_until",
            f"A registration valid until {TODAY - datetime.timedelta(days=1):%Y-%m-%d} has run "
            "out: record it as dead, or correct the date.",
        ),
        (
            {"valid_until": None},
            "valid_until",
            "Give the date the registration is valid until, as the register shows.",
        ),
        (
            {"mark_words": " "},
            "mark_words",
            "Copy the words of the mark, or tick that it is a logo without words.",
        ),
        (
            {"capture": upload("page.webp", webp_bytes())},
            "capture",
            "page.webp is image/webp; upload the capture as a PNG, JPEG or PDF file.",
        ),
        (
            {"capture": truncated_png()},
            "capture",
            "photo.png is not a readable image.",
        ),
        ({"owner_name": ""}, "owner_name", "Copy the owner's name as the register shows it."),
        ({"number": "ABC"}, "number", "ABC is not a CNIPA number: expected up to 9 digits."),
    ],
)
def test_bad_input_is_refused_on_its_field_and_nothing_is_stored(
    seller_a, reviewer, overrides, field, message
):
    application = screened_cnipa(seller_a)

    with pytest.raises(ValidationError) as refused:
        verify(application, reviewer, **overrides)

    assert refused.value.message_dict == {field: [message]}
    assert RegistryVerification.objects.count() == 0
    assert not application.events.filter(action="registry_verified_by_hand").exists()


def test_another_number_than_the_sellers_is_refused(seller_a, reviewer):
    application = screened_cnipa(seller_a)

    with pytest.raises(ApplicationError) as refused:
        verify(application, reviewer, number="87654321")

    assert (refused.value.code, refused.value.field) == ("other_number", "number")
    assert refused.value.message == (
        "The seller's trademark is CNIPA 12345678; verify that number (87654321 was typed)."
    )
    assert RegistryVerification.objects.count() == 0


def test_the_refusal_names_the_sellers_number_as_the_office_prints_it(seller_a, reviewer):
    application = ApplicationFactory(
        company=seller_a.company, trademark__office="USPTO", trademark__number="123456"
    )
    application_transition(application_id=application.pk, action="submit", actor=seller_a.actor)
    screen_application(application_id=application.pk)

    with pytest.raises(ApplicationError) as refused:
        verify(application, reviewer, number="7654321")

    assert refused.value.message == (
        "The seller's trademark is USPTO 0123456; verify that number (7654321 was typed)."
    )
    assert RegistryVerification.objects.count() == 0


def test_the_same_form_sent_twice_records_one_verification(
    seller_a, reviewer, django_capture_on_commit_callbacks
):
    application = screened_cnipa(seller_a)
    key = uuid.uuid4()

    with django_capture_on_commit_callbacks(execute=True):
        first = verify(application, reviewer, submission_key=key)
    with django_capture_on_commit_callbacks(execute=True):
        second = verify(application, reviewer, submission_key=key)

    assert second.pk == first.pk
    assert RegistryVerification.objects.count() == 1
    assert application.events.filter(action="registry_verified_by_hand").count() == 1
    assert application.events.filter(action="rerun_checks").count() == 1


def test_only_the_reviewer_holding_the_application_verifies_it(seller_a, reviewer, other_reviewer):
    application = screened_cnipa(seller_a)
    Application.objects.filter(pk=application.pk).update(
        status=Status.IN_REVIEW, assignee=other_reviewer
    )

    with pytest.raises(ApplicationError) as refused:
        verify(application, reviewer)

    assert refused.value.code == "not_assignee"
    assert RegistryVerification.objects.count() == 0


def test_a_seller_cannot_record_a_verification(seller_a):
    application = screened_cnipa(seller_a)

    with pytest.raises(ApplicationError) as refused:
        registry_verification_record(
            actor=seller_a.actor, application_id=application.pk, **verification_fields()
        )

    assert refused.value.code == "role_not_allowed"
    assert RegistryVerification.objects.count() == 0


def test_a_reviewer_with_a_conflict_cannot_record_one(seller_a, reviewer):
    application = screened_cnipa(seller_a)
    conflict_declare(actor=actor_for_user(reviewer), company=seller_a.company, reason="Cousin")

    with pytest.raises(ApplicationError) as refused:
        verify(application, reviewer)

    assert refused.value.code == "conflict_of_interest"
    assert RegistryVerification.objects.count() == 0


def test_an_admitted_brand_is_verified_without_touching_its_screening(seller_a, reviewer):
    application = screened_cnipa(seller_a)
    Application.objects.filter(pk=application.pk).update(status=Status.APPROVED)
    before = _registry_result(application)

    verification = verify(application, reviewer)

    after = _registry_result(application)
    assert (after.outcome, after.explanation) == (before.outcome, before.explanation)
    assert RegistryVerification.objects.get() == verification
    assert not application.events.filter(action="rerun_checks").exists()


def test_an_office_without_a_known_search_is_looked_up_in_its_public_register(seller_a):
    application = ApplicationFactory(
        company=seller_a.company, trademark__office="OTHER", trademark__number="TM-2024-1234"
    )

    finding = trademark_registry.run(application)

    assert (finding.outcome, finding.evidence["hand_verification"]) == ("unverifiable", None)
    assert finding.explanation == (
        "We hold no OTHER registry data, so the mark must be checked by hand: look it up in the "
        "office's public register and record what the register shows."
    )
