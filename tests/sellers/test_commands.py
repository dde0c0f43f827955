"""Operator commands provision every role from a shell and print JSON."""

import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import CommandError, call_command

from sellers.actors import Role, actor_for_user
from sellers.models import ApiKey, Application, Membership, PartnerGrant, SellerCompany, Status
from sellers.services.api_keys import api_key_hash
from sellers.services.record_control import trademark_code_send
from tests.sellers.factories import valid_uscc

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

    assert SellerCompany.objects.count() == 2
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


def test_the_demo_seller_can_prove_control_of_its_eu_trademark(django_capture_on_commit_callbacks):
    logins = _run("load_demo")
    owner = get_user_model().objects.get(username=logins["seller_owner"]["login"])
    mark = Application.objects.get(brand__name="BRIGHTLAMP").trademark

    with django_capture_on_commit_callbacks(execute=True):
        code = trademark_code_send(actor=actor_for_user(owner), trademark_id=mark.pk)

    # The registry record's correspondent, imported from the sample CSV, not the seller's typing.
    assert (mark.office, code.sent_to) == ("EUIPO", "ip@bright-lamp.example")
    assert [message.to for message in mail.outbox] == [["ip@bright-lamp.example"]]
