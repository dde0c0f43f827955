"""Several reads, counters and writes against the shared cache in one round trip.

The partner API's hot path needs a rate-limit counter, a validity token and a cached answer on
every request. Django's cache API would make that three or four round trips to Redis, which
cost more than the rest of the request; a pipeline makes it one. With the embedded default
(no ``CACHE_URL``) the same calls go to Django's "shared" cache, files that every process on
the machine sees (a management command voids the web process's cached answers at once).

Values are bytes; keys live in a namespace of their own, apart from Django's cache keys. Each
thread talks to Redis over a connection of its own, without the client's pool: on a request
that does nothing else, the pool's bookkeeping would cost several times the round trip.

While Redis is away (a restart, a fail-over, full or read-only) nothing here fails a request:
a round trip finds no stored values and each request budget is counted in this process alone,
with the same limits. Redis is tried again at most every ``RETRY_SECONDS``; the first round
trip that reaches it again first renews the tokens registered with ``renew_on_return``, so no
answer stored before the outage is served after a write that could not void it.
"""

import logging
import os
import secrets
import threading
import time
from dataclasses import dataclass, field

import redis
from django.conf import settings
from django.core.cache import caches

NAMESPACE = "bp:"
UNREACHABLE = (redis.ConnectionError, redis.TimeoutError)
# Unreachable, or answering with an error (out of memory under noeviction, a read-only replica).
FAILED = (redis.RedisError,)
# A healthy cache answers in well under a millisecond; one that does not answer soon is treated
# as away rather than left to hold a request (and a writer's locks) for long.
CONNECT_TIMEOUT_SECONDS = 1
REPLY_TIMEOUT_SECONDS = 2
# While Redis is away a request does not wait on it: it is tried again this often per process.
RETRY_SECONDS = 1
COUNTERS_IN_PROCESS_MAX = 10_000
_local = threading.local()
logger = logging.getLogger(__name__)


class Away(redis.ConnectionError):
    """Redis failed a moment ago and is not tried again yet."""


@dataclass
class _Outage:
    lock: threading.Lock = field(default_factory=threading.Lock)
    # time.monotonic() of the last failed round trip; None while Redis answers.
    failed_at: float | None = None
    # Counters of this process while it cannot share them: key -> (count, expires at).
    counts: dict[str, tuple[int, float]] = field(default_factory=dict)
    # Tokens given new values when Redis is reached again: key -> seconds they live.
    renew_on_return: dict[str, int] = field(default_factory=dict)


_outage = _Outage()


def renew_on_return(key: str, seconds: int) -> None:
    """Give the key a new token on the first round trip that reaches Redis after it failed:
    a write during the outage could not void what was stored against the old one."""
    _outage.renew_on_return[key] = seconds


def away() -> bool:
    """Whether Redis failed in this process and has not answered since (already logged)."""
    return _outage.failed_at is not None


def _count_in_process(key: str, seconds: int) -> int:
    now = time.monotonic()
    with _outage.lock:
        count, expires_at = _outage.counts.get(key, (0, now + seconds))
        if expires_at <= now:
            count, expires_at = 0, now + seconds
        _outage.counts[key] = (count + 1, expires_at)
        if len(_outage.counts) > COUNTERS_IN_PROCESS_MAX:
            # Windows that are over; the keys name their window, so these are never read again.
            for old in [k for k, (_, until) in _outage.counts.items() if until <= now]:
                del _outage.counts[old]
        return count + 1


@dataclass
class Exchange:
    """What one round trip asks for; ``run()`` fills ``values`` and ``counts``."""

    reads: list[str] = field(default_factory=list)
    # (key, seconds it lives after its first count)
    counters: list[tuple[str, int]] = field(default_factory=list)
    values: dict[str, bytes | None] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    # False when Redis was away: values are all None and counts are this process's alone.
    reached: bool = True

    def run(self) -> "Exchange":
        if not _is_redis():
            self._run_in_process()
            return self
        commands = [("MGET", *(NAMESPACE + key for key in self.reads))] if self.reads else []
        for key, seconds in self.counters:
            commands += [("INCR", NAMESPACE + key), ("EXPIRE", NAMESPACE + key, seconds, "NX")]
        try:
            answers = _execute(commands)
        except FAILED:
            self.reached = False
            self.values = dict.fromkeys(self.reads)
            self.counts = {key: _count_in_process(key, sec) for key, sec in self.counters}
            return self
        if self.reads:
            self.values = dict(zip(self.reads, answers.pop(0), strict=True))
        self.counts = {key: answers[2 * i] for i, (key, _) in enumerate(self.counters)}
        return self

    def _run_in_process(self) -> None:
        found = caches["shared"].get_many([NAMESPACE + key for key in self.reads])
        self.values = {key: found.get(NAMESPACE + key) for key in self.reads}
        for key, seconds in self.counters:
            caches["shared"].add(NAMESPACE + key, 0, timeout=seconds)
            self.counts[key] = caches["shared"].incr(NAMESPACE + key)


def store(key: str, value: bytes, seconds: int) -> None:
    if _is_redis():
        _execute([("SET", NAMESPACE + key, value, "EX", seconds)])
    else:
        caches["shared"].set(NAMESPACE + key, value, timeout=seconds)


def token_renew(keys: list[str], seconds: int) -> None:
    """Give each key a new random token: whatever was stored against the old one is void.

    A random token rather than a counter, so a key that was lost (a Redis restart, its expiry)
    and set again can never repeat a token that something stale was stored against.
    """
    if not keys:
        return
    if _is_redis():
        _execute([("SET", NAMESPACE + key, _token(), "EX", seconds) for key in keys])
    else:
        caches["shared"].set_many({NAMESPACE + key: _token() for key in keys}, timeout=seconds)


def token_ensure(key: str, seconds: int) -> bytes:
    """The key's token, set first if it has none."""
    if _is_redis():
        return _execute(
            [("SET", NAMESPACE + key, _token(), "EX", seconds, "NX"), ("GET", NAMESPACE + key)]
        )[1]
    caches["shared"].add(NAMESPACE + key, _token(), timeout=seconds)
    return caches["shared"].get(NAMESPACE + key)


def tokens_ensure(keys: list[str], seconds: int) -> None:
    """Give each key that has no token one, in one round trip."""
    if _is_redis():
        _execute([("SET", NAMESPACE + key, _token(), "EX", seconds, "NX") for key in keys])
        return
    for key in keys:
        caches["shared"].add(NAMESPACE + key, _token(), timeout=seconds)


def _token() -> bytes:
    return secrets.token_hex(8).encode()


def _is_redis() -> bool:
    return settings.CACHES["default"]["BACKEND"].endswith(".RedisCache")


def _execute(commands: list[tuple]) -> list:
    """Send the commands at once and read their replies, on this thread's connection.

    A connection that Redis dropped while it sat idle (a restart, a timeout) fails once; the
    commands are then sent again on a fresh one. A repeated count is the worst a resend does.
    """
    failed_at = _outage.failed_at
    if failed_at is not None and time.monotonic() - failed_at < RETRY_SECONDS:
        raise Away("the shared cache failed less than a second ago")
    renewals = []
    if failed_at is not None:
        renewals = [
            ("SET", NAMESPACE + key, _token(), "EX", seconds)
            for key, seconds in _outage.renew_on_return.items()
        ]
    connection = _connection()
    try:
        try:
            answers = _send(connection, renewals + commands)
        except redis.ConnectionError:
            answers = _send(connection, renewals + commands)
    except FAILED as error:
        if failed_at is None:
            logger.warning(
                "shared cache failed (%r): request budgets are counted in each process and "
                "cached API answers skipped until it answers again",
                error,
            )
        _outage.failed_at = time.monotonic()
        raise
    if failed_at is not None:
        _outage.failed_at = None
        logger.warning("shared cache answers again; API answers cached before are void")
    return answers[len(renewals) :]


def _send(connection: redis.Connection, commands: list[tuple]) -> list:
    try:
        connection.send_packed_command(connection.pack_commands(commands))
        return [connection.read_response() for _ in commands]
    except BaseException:
        # Replies may be left unread; the next command starts on a fresh connection.
        connection.disconnect()
        raise


def _connection() -> redis.Connection:
    location = settings.CACHES["default"]["LOCATION"]
    # A process forked from this one (gunicorn, Celery) must not share its socket.
    owner = (location, os.getpid())
    if getattr(_local, "owner", None) != owner:
        pool = redis.ConnectionPool.from_url(
            location,
            socket_connect_timeout=CONNECT_TIMEOUT_SECONDS,
            socket_timeout=REPLY_TIMEOUT_SECONDS,
        )
        _local.connection = pool.connection_class(**pool.connection_kwargs)
        _local.owner = owner
    return _local.connection
