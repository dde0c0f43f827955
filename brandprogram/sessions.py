"""Sessions kept in the database as Django's own backend keeps them, read with a statement
compiled once: every signed-in page reads its session first, and compiling the read took
longer than running it."""

import datetime

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.utils import timezone

from brandprogram.db import CompiledOnce


def _session_data(key: str, now: datetime.datetime):
    return Session.objects.filter(session_key=key, expire_date__gt=now).values_list("session_data")


_SESSION_DATA = CompiledOnce(
    _session_data,
    key="\x00no session has this key",
    now=datetime.datetime(1901, 2, 3, 4, 5, 6, 789_013, tzinfo=datetime.UTC),
)


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        rows = _SESSION_DATA.rows(key=self.session_key, now=timezone.now())
        if not rows:
            # As Django's backend: the key names no live session, a new one gets a new key.
            self._session_key = None
            return None
        return self.model(session_key=self.session_key, session_data=rows[0][0])
