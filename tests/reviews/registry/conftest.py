import datetime

import pytest
from django.utils import timezone


@pytest.fixture
def as_of(monkeypatch):
    """Judge as on a given day: published records are dated, and so are their terms."""
    real = timezone.localdate

    def on(day: datetime.date) -> None:
        monkeypatch.setattr(
            timezone, "localdate", lambda value=None, *a: day if value is None else real(value)
        )

    return on
