"""Operator commands provision every role from a shell and print JSON."""

import datetime
import io
import json
import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from sellers.actors import Role, actor_for_user
from sellers.models import (
    ApiKey,
    Application,
    IndicatorUpdate,
    Membership,
    PartnerGrant,
    SellerCompany,
    Status,
    TierAssessment,
    TierChange,
    TieringRun,
)
from sellers.services.api_keys import api_key_hash
from sellers.services.record_control import trademark_code_send
from sellers.services.tiers import TIER_INDICATORS
from tests.sellers.factories import CompanyFactory, valid_uscc

pytestmark = pytest.mark.django_db


def _run(*args) -> dict:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return json.loads(out.getvalue())


def test_provision_seller_creates_company_and_owner():
    number = valid_uscc()

    output = _run(
        "provision_seller", "--legal-name", "Guangzhou Pearl Apparel Co., Ltd.", "--country", "cn",
        "--registration-number", number.lower(), "--owner-email", "Boss@Pearl.example",
        "--owner-password", "long-enough-pass", "--category", "apparel", "--verified",
    )  # fmt: skip

    company = SellerCompany.objects.get(pk=output["company_id"])
    assert output == {
        "company_id": company.pk,
        "legal_name": "Guangzhou Pearl Apparel Co., Ltd.",
        "country": "CN",
        "registration_number": number,
        "owner": "boss@pearl.example",
        "tier": "standard",
        "tier_reason": "Tiers have not been computed yet.",
    }
    assert company.identity_status == "verified"
    # Clothing stands for the main category it belongs to.
    assert list(company.main_categories.values_list("code", flat=True)) == ["fashion"]
    owner = Membership.objects.get(company=company)
    assert (owner.role, owner.user.username) == ("owner", "boss@pearl.example")
    assert owner.user.check_password("long-enough-pass")


def test_provision_seller_with_a_bad_credit_code_names_the_field():
    with pytest.raises(
        CommandError, match="registration_number: 91440300MA5FABCD1X is not a valid"
    ):
        call_command(
            "provision_seller", "--legal-name", "X", "--country", "CN",
            "--registration-number", "91440300MA5FABCD1X", "--owner-email", "x@x.example",
            "--owner-password", "long-enough-pass",
        )  # fmt: skip

    assert SellerCompany.objects.count() == 0
    assert get_user_model().objects.count() == 0


def _ranked_sellers(count: int) -> None:
    """Other sellers the tiering ranks a new one against, all measured today."""
    measured = dict.fromkeys(TIER_INDICATORS, timezone.localdate().isoformat())
    for _ in range(count):
        CompanyFactory(nps=20, overseas_stock_days=10, indicators_measured_on=measured)


def test_provision_seller_with_indicators_gets_its_tier_from_the_tiering_run():
    _ranked_sellers(19)
    number = valid_uscc()

    output = _run(
        "provision_seller", "--legal-name", "Hangzhou Silk Lamp Co., Ltd.", "--country", "CN",
        "--registration-number", number, "--owner-email", "boss@silk-lamp.example",
        "--owner-password", "long-enough-pass", "--verified", "--quality-dispute-rate", "0.002",
        "--nps", "70", "--infringement-complaints", "0", "--on-time-delivery-rate", "0.98",
        "--overseas-stock-days", "40",
    )  # fmt: skip

    company = SellerCompany.objects.get(pk=output["company_id"])
    assessment = TierAssessment.objects.get(company=company)
    # Twenty active sellers leave one place within the top 5 %: the best score takes it.
    assert (company.tier, assessment.tier, assessment.rank) == ("silver", "silver", 1)
    assert assessment.score == sum(Decimal(p["points"]) for p in assessment.parts.values())
    assert output["tier"] == "silver"
    assert output["tier_reason"].startswith("Ranked 1 of 20 active sellers with ")
    assert list(TierChange.objects.filter(company=company).values_list("to_tier", flat=True)) == [
        "silver"
    ]
    update = IndicatorUpdate.objects.get(company=company)
    assert (update.actor_label, update.changes["nps"]) == (
        "Operator (provision_seller)",
        {"from": None, "to": 70},
    )


def test_provision_seller_with_stale_indicators_is_not_ranked():
    old = timezone.localdate() - datetime.timedelta(days=100)

    output = _run(
        "provision_seller", "--legal-name", "Hangzhou Old Lamp Co., Ltd.", "--country", "CN",
        "--registration-number", valid_uscc(), "--owner-email", "boss@old-lamp.example",
        "--owner-password", "long-enough-pass", "--verified", "--nps", "90",
        "--measured-on", old.isoformat(),
    )  # fmt: skip

    assert output["tier"] == "standard"
    assert output["tier_reason"].startswith("Not ranked in ")
    assert TieringRun.objects.get().active_sellers == 0


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--tier", "gold", "--tier: the tier is computed by the monthly tiering run"),
        ("--nps", "lots", "nps: 'lots' is not a number"),
        ("--nps", "300", "nps: Ensure this value is less than or equal to 100."),
    ],
)
def test_provision_seller_refuses_a_tier_or_bad_indicators_and_creates_nothing(
    option, value, message
):
    with pytest.raises(CommandError, match=re.escape(message)):
        call_command(
            "provision_seller", "--legal-name", "X Co., Ltd.", "--country", "CN",
            "--registration-number", valid_uscc(), "--owner-email", "x@x.example",
            "--owner-password", "long-enough-pass", option, value,
        )  # fmt: skip

    assert SellerCompany.objects.count() == 0
    assert get_user_model().objects.count() == 0
    assert not TieringRun.objects.exists()


def test_provision_reviewer_grants_the_role():
    output = _run(
        "provision_reviewer",
        "--email",
        "Lead@Brand.example",
        "--password",
        "pw-12345678",
        "--senior",
    )

    user = get_user_model().objects.get(pk=output["user_id"])
    assert output == {
        "user_id": user.pk,
        "email": "lead@brand.example",
        "roles": ["senior_reviewer"],
    }
    assert actor_for_user(user).staff_roles == {Role.REVIEWER, Role.SENIOR_REVIEWER}


def test_provision_reviewer_makes_a_program_manager():
    output = _run(
        "provision_reviewer", "--email", "mia@brand.example", "--password", "pw-12345678",
        "--manager",
    )  # fmt: skip

    user = get_user_model().objects.get(pk=output["user_id"])
    assert output["roles"] == ["reviewer", "manager"]
    assert actor_for_user(user).staff_roles == {Role.REVIEWER, Role.MANAGER}
    assert actor_for_user(user).is_manager


def test_provision_partner_prints_a_working_key_once_and_grant_links_it(seller_a):
    output = _run("provision_partner", "--name", "Agency One", "--contact-email", "api@one.example")
    grant = _run(
        "grant_partner",
        "--partner-id",
        str(output["partner_id"]),
        "--company-id",
        str(seller_a.company.pk),
    )

    key = ApiKey.objects.get(prefix=output["key_prefix"])
    assert key.key_hash == api_key_hash(output["api_key"])
    assert output["api_key"] not in {key.key_hash, key.prefix}
    assert output["scopes"] == ["applications:read", "applications:write", "evidence:write"]
    assert PartnerGrant.objects.get(pk=grant["grant_id"]).company == seller_a.company


def test_grant_partner_for_an_unknown_company_names_the_option():
    output = _run("provision_partner", "--name", "Agency Two", "--contact-email", "api@two.example")

    with pytest.raises(CommandError, match="company-id: no company 999999"):
        call_command(
            "grant_partner", "--partner-id", str(output["partner_id"]), "--company-id", "999999"
        )


def test_load_demo_twice_keeps_data_and_rotates_the_partner_key(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = _run("load_demo")
    second = _run("load_demo")

    # The two demo sellers and the marketplace's other sellers they are ranked against.
    assert SellerCompany.objects.count() == 20
    assert sorted(Application.objects.values_list("brand__name", "status")) == [
        ("BRIGHTLAMP", Status.DRAFT),
        ("LUMIBRIGHT", Status.AWAITING_REVIEW),
    ]
    old_key = ApiKey.objects.get(key_hash=api_key_hash(first["partner_api_key"]["key"]))
    new_key = ApiKey.objects.get(key_hash=api_key_hash(second["partner_api_key"]["key"]))
    assert (old_key.is_active, new_key.is_active) == (False, True)
    for persona in ("seller_owner", "reviewer", "senior_reviewer", "admin"):
        user = get_user_model().objects.get(username=second[persona]["login"])
        assert user.check_password(second[persona]["password"]), persona


def test_the_demo_tiers_come_from_reported_indicators_and_the_tiering_run():
    logins = _run("load_demo")

    run = TieringRun.objects.get()
    bright = SellerCompany.objects.get(legal_name=logins["seller_owner"]["company"])
    harbor = SellerCompany.objects.get(
        memberships__user__username=logins["second_seller_owner"]["login"]
    )
    ranked = TierAssessment.objects.get(run=run, company=bright)
    assert (run.active_sellers, run.gold, run.silver) == (20, 0, 1)
    assert (bright.tier, ranked.rank, ranked.tier) == ("silver", 1, "silver")
    assert list(bright.tier_changes.values_list("from_tier", "to_tier")) == [("standard", "silver")]
    # The second seller's overseas stock was reported ten weeks ago: it counts as missing.
    parts = TierAssessment.objects.get(run=run, company=harbor).parts
    assert (harbor.tier, parts["overseas_stock_days"]["missing"]) == ("standard", True)
    assert parts["overseas_stock_days"]["points"] == "0.00"
    # Every tier came from indicators the marketplace reported, none was set by hand.
    assert set(IndicatorUpdate.objects.values_list("actor_label", flat=True)) == {
        "Marketplace indicators (demo)"
    }
    assert not SellerCompany.objects.exclude(pk=bright.pk).exclude(tier="standard").exists()
    # The other sellers' owners have no password: nobody logs in as them.
    others = get_user_model().objects.filter(username__endswith=".demo.example")
    assert others.count() == 18
    assert not any(user.has_usable_password() for user in others)


def test_the_demo_seller_can_prove_control_of_its_eu_trademark(django_capture_on_commit_callbacks):
    logins = _run("load_demo")
    owner = get_user_model().objects.get(username=logins["seller_owner"]["login"])
    mark = Application.objects.get(brand__name="BRIGHTLAMP").trademark

    with django_capture_on_commit_callbacks(execute=True):
        code = trademark_code_send(actor=actor_for_user(owner), trademark_id=mark.pk)

    # The registry record's correspondent, imported from the sample CSV, not the seller's typing.
    assert (mark.office, code.sent_to) == ("EUIPO", "ip@bright-lamp.example")
    assert [message.to for message in mail.outbox] == [["ip@bright-lamp.example"]]
