"""Registry data, admitted brands and suspensions for the re-certification tests."""

import datetime
import io

from django.core.management import call_command
from django.utils import timezone

from reviews.recertification import recertification_case_suspend
from sellers.actors import actor_for_user
from sellers.models import Application
from tests.sellers.factories import ApplicationFactory

TODAY = timezone.localdate()
THIS_MONTH = TODAY.replace(day=1)
NEXT_MONTH = (THIS_MONTH + datetime.timedelta(days=32)).replace(day=1)
CSV_HEADER = (
    "office,number,serial,status_code,status_state,status_date,mark_literal,drawing_type,"
    "nice_classes,owner_name,correspondent_email,correspondent_email_changed_on,filing_date,"
    "registration_date,expires_on"
)
OWNER = "Shenzhen Bright Lamp Technology Co., Ltd."


def import_registry(tmp_path, version: str, *, state="registered", expires_on=None) -> None:
    """The EUIPO record of the brand, as an office export of that day would list it."""
    expires_on = expires_on or TODAY + datetime.timedelta(days=3000)
    path = tmp_path / f"{version}.csv"
    path.write_text(
        f"{CSV_HEADER}\n"
        f"EUIPO,018500001,018500001,{state},{state},2022-03-01,BRIGHTLAMP,word,11,"
        f'"{OWNER}",ip@bright-lamp.example,2022-01-10,2021-09-01,2022-03-01,{expires_on}\n'
    )
    call_command(
        "import_registry", str(path), "--format", "csv", "--data-version", version,
        stdout=io.StringIO(),
    )  # fmt: skip


def admitted(seller, number="018500001") -> Application:
    return ApplicationFactory(
        company=seller.company,
        approved=True,
        brand__name=f"BRIGHTLAMP{number[-1]}" if number != "018500001" else "BRIGHTLAMP",
        trademark__office="EUIPO",
        trademark__number=number,
    )


def suspend(case, senior, days=14):
    recertification_case_suspend(
        case_id=case.pk,
        actor=actor_for_user(senior),
        note="Send proof of renewal.",
        deadline=TODAY + datetime.timedelta(days=days),
    )
