"""The queue rows' "waiting for" reads exactly as Django's timesince, in both languages, for
times remembered by the minute and for longer ones worked out each time."""

import datetime
import random
import zoneinfo

import pytest
from django.utils import translation
from django.utils.timesince import timesince

from reviews.templatetags.reviews_display import _time_waited

NOW = datetime.datetime(2026, 3, 1, 0, 0, 0, 250_000, tzinfo=datetime.UTC)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize(
    "waited",
    [
        datetime.timedelta(seconds=-90),
        datetime.timedelta(0),
        datetime.timedelta(seconds=59, microseconds=999_999),
        datetime.timedelta(minutes=1),
        datetime.timedelta(hours=5, minutes=59, seconds=59),
        datetime.timedelta(days=6, hours=23, minutes=59, seconds=30),
        datetime.timedelta(days=26, hours=23, minutes=59, seconds=59, microseconds=999_999),
        datetime.timedelta(days=27),
        datetime.timedelta(days=28),
        datetime.timedelta(days=400, hours=3),
    ],
)
def test_time_waited_reads_as_timesince(language, waited):
    with translation.override(language):
        assert str(_time_waited(NOW - waited, NOW)) == str(timesince(NOW - waited, NOW))


def test_time_waited_reads_as_timesince_across_time_zones_and_months():
    zones = [
        datetime.UTC,
        zoneinfo.ZoneInfo("America/New_York"),
        zoneinfo.ZoneInfo("Asia/Shanghai"),
        datetime.timezone(datetime.timedelta(hours=-3)),
    ]
    # Seeded, for the same times on every run; nothing secret is drawn.
    pick = random.Random(18)  # noqa: S311
    pairs = []
    for _ in range(3000):
        now = NOW + datetime.timedelta(seconds=pick.uniform(0, 366 * 86400))
        waited = datetime.timedelta(seconds=pick.uniform(-3600, 800 * 86400))
        start = (now - waited).astimezone(pick.choice(zones))
        pairs.append((start, now.astimezone(pick.choice(zones))))

    for language in ("en", "zh-hans"):
        with translation.override(language):
            assert [str(_time_waited(start, end)) for start, end in pairs] == [
                str(timesince(start, end)) for start, end in pairs
            ]
