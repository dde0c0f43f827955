"""An inbox with more entries than one page: the same walk for a seller's inbox and a
reviewer's."""

import datetime
import re

from django.utils import timezone

from sellers.models import Notification
from sellers.selectors import INBOX_PAGE
from tests.pages import logged_in, page_text

NEWEST = 'href="?">'


def inbox_paged_through(user, stranger, address: str, context_name: str) -> None:
    """Five more entries than a page, made in one instant (the newer id comes first), and one
    with the highest id but an older time (it comes last): the first page shows the newest
    page-full with a link to the older ones, the second the rest with a link back; the id of
    another person's entry gives the first page."""
    Notification.objects.bulk_create(
        Notification(user=user, topic=f"page-{number}", subject=f"Entry {number:02}", body="-")
        for number in range(INBOX_PAGE + 5)
    )
    instant = timezone.now()
    Notification.objects.filter(user=user).update(created_at=instant)
    backdated = Notification.objects.create(
        user=user, topic="backdated", subject="Backdated", body="-"
    )
    Notification.objects.filter(pk=backdated.pk).update(
        created_at=instant - datetime.timedelta(days=1)
    )
    foreign = Notification.objects.create(
        user=stranger, topic="foreign", subject="Not yours", body="-"
    )
    client = logged_in(user)

    first = client.get(address)
    older = re.search(r'rel="next" href="\?before=(\d+)"', page_text(first)).group(1)
    second = client.get(address, {"before": older})
    foreign_first = client.get(address, {"before": foreign.pk})
    garbled = client.get(address, {"before": "1 OR 1=1"})

    def subjects(response):
        return [entry.subject for entry in response.context[context_name]]

    assert subjects(first) == [f"Entry {n:02}" for n in range(INBOX_PAGE + 4, 4, -1)]
    assert NEWEST not in page_text(first)
    assert subjects(second) == ["Entry 04", "Entry 03", "Entry 02", "Entry 01", "Entry 00",
                                "Backdated"]  # fmt: skip
    assert second.context["older"] is None
    assert 'rel="next"' not in page_text(second)
    assert NEWEST in page_text(second)
    assert subjects(foreign_first) == subjects(garbled) == subjects(first)
    assert "Not yours" not in page_text(foreign_first)
