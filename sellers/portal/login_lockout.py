"""Password login with a temporary lockout after repeated failures.

Failures are counted per username and client address (behind the load balancer, the address
it forwards) in the shared cache, so a guesser is slowed down without letting anyone lock a
real person out for good: the count expires.
"""

import hashlib
import math

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import DEFAULT_DB_ALIAS

from brandprogram.client_address import client_address
from brandprogram.db import CompiledOnce
from brandprogram.shared_cache import FAILED


def failure_key(username: str, address: str) -> str:
    digest = hashlib.sha256(f"{username.strip().lower()}|{address}".encode()).hexdigest()
    return f"login-failures:{digest}"


def _key(request, username: str) -> str:
    address = client_address(request) if request is not None else ""
    return failure_key(username, address)


def _user_fields() -> list[str]:
    return [field.attname for field in get_user_model()._meta.concrete_fields]


def _user_row(pk: int):
    return get_user_model()._default_manager.filter(pk=pk).values_list(*_user_fields())


# Every signed-in page loads its user: compiling the read took longer than running it.
_USER_ROW = CompiledOnce(_user_row, pk=-2_102_938_468)


class LockoutModelBackend(ModelBackend):
    def get_user(self, user_id):
        """As Django's backend, the user read with a statement compiled once."""
        rows = _USER_ROW.rows(pk=user_id)
        if not rows:
            return None
        user = get_user_model().from_db(DEFAULT_DB_ALIAS, _user_fields(), rows[0])
        return user if self.user_can_authenticate(user) else None

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            return None
        key = _key(request, username)
        try:
            failures = cache.get(key, 0)
        except FAILED:
            # The cache is away (a restart takes seconds): logins go on, uncounted, meanwhile.
            failures = None
        if failures is not None and failures >= settings.LOGIN_FAILURE_LIMIT:
            if request is not None:
                # The login page reads this to say why, instead of "wrong password".
                request.login_locked_out = True
                request.login_lockout_minutes = math.ceil(settings.LOGIN_LOCKOUT_SECONDS / 60)
            raise PermissionDenied
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if failures is None:
            return user
        if user is None:
            # add() starts the window on the first failure; later ones do not extend it.
            cache.add(key, 0, timeout=settings.LOGIN_LOCKOUT_SECONDS)
            try:
                cache.incr(key)
            except ValueError:
                cache.set(key, 1, timeout=settings.LOGIN_LOCKOUT_SECONDS)
        else:
            cache.delete(key)
        return user
