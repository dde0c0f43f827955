"""Webhook settings: bad values stop the process naming the variable; operator commands."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from sellers.models import ApiKey, PartnerOrganization
from tests.conftest import manage_check


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("WEBHOOK_RETRY_DELAYS", "5,soon,60", "WEBHOOK_RETRY_DELAYS: expected comma-separated"),
        ("WEBHOOK_RETRY_DELAYS", ",", "WEBHOOK_RETRY_DELAYS: expected comma-separated"),
        ("WEBHOOK_ALLOWED_NETWORKS", "10.0.0.0/33", "WEBHOOK_ALLOWED_NETWORKS: '10.0.0.0/33'"),
        ("WEBHOOK_TIMEOUT_SECONDS", "0", "WEBHOOK_TIMEOUT_SECONDS: must be at least 1"),
        ("WEBHOOK_CLAIM_SECONDS", "30", "WEBHOOK_CLAIM_SECONDS: must be more than twice"),
    ],
)
def test_bad_webhook_setting_stops_the_process_naming_the_variable(variable, value, message):
    result = manage_check(**{variable: value})

    assert result.returncode == 1
    assert message in result.stderr


def test_a_marketplace_system_is_provisioned_with_the_indicators_scope(db):
    out = StringIO()

    call_command(
        "provision_partner",
        "--name",
        "Marketplace scoring",
        "--contact-email",
        "scoring@marketplace.example",
        "--marketplace-system",
        "--scope",
        "indicators:write",
        stdout=out,
    )

    printed = json.loads(out.getvalue())
    assert printed["scopes"] == ["indicators:write"]
    assert PartnerOrganization.objects.get(pk=printed["partner_id"]).is_marketplace_system
    assert ApiKey.objects.get(prefix=printed["key_prefix"]).scopes == ["indicators:write"]


def test_an_agency_is_refused_the_indicators_scope(db):
    with pytest.raises(CommandError, match="marketplace systems"):
        call_command(
            "provision_partner",
            "--name",
            "Agency Three",
            "--contact-email",
            "api@three.example",
            "--scope",
            "indicators:write",
            stdout=StringIO(),
        )

    assert ApiKey.objects.count() == 0
