"""Service-level deadlines counted in business days (Monday to Friday)."""

import datetime

from django.utils import timezone

SATURDAY = 5


def add_business_days(moment: datetime.datetime, days: int) -> datetime.datetime:
    """The moment ``days`` business days after ``moment``, at the same local time of day.

    Work arriving on a weekend starts its clock on Monday at midnight, so a Friday-evening
    and a Sunday arrival are not treated alike.
    """
    local = timezone.localtime(moment)
    if local.weekday() >= SATURDAY:
        local = local.replace(hour=0, minute=0, second=0, microsecond=0)
        while local.weekday() >= SATURDAY:
            local += datetime.timedelta(days=1)
    day = local.date()
    remaining = days
    while remaining:
        day += datetime.timedelta(days=1)
        if day.weekday() < SATURDAY:
            remaining -= 1
    return datetime.datetime.combine(day, local.time(), tzinfo=local.tzinfo)
