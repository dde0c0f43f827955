"""Several reads, counters and writes against the shared cache in one round trip.

The partner API's hot path needs a rate-limit counter, a validity token and a cached answer on
every request. Django's cache API would make that three or four round trips to Redis, which
cost more than the rest of the request; a pipeline makes it one. With the embedded default
(no ``CACHE_URL``, one process) the same calls go to Django's in-memory cache.

Values are bytes; keys live in a namespace of their own, apart from Django's cache keys. Each
thread talks to Redis over a connection of its own, without the client's pool: on a request
that does nothing else, the pool's bookkeeping would cost several times the round trip.
"""

import os
import secrets
import threading
from dataclasses import dataclass, field

import redis
from django.conf import settings
from django.core.cache import cache

NAMESPACE = "bp:"
UNREACHABLE = (redis.ConnectionError, redis.TimeoutError)
# Unreachable, or answering with an error (out of memory under noeviction, a read-only replica).
FAILED = (redis.RedisError,)
# A healthy cache answers in well under a millisecond; one that does not answer soon is treated
# as away rather than left to hold a request (and a writer's locks) for long.
CONNECT_TIMEOUT_SECONDS = 1
REPLY_TIMEOUT_SECONDS = 2
_local = threading.local()


@dataclass
class Exchange:
    """What one round trip asks for; ``run()`` fills ``values`` and ``counts``."""

    reads: list[str] = field(default_factory=list)
    # (key, seconds it lives after its first count)
    counters: list[tuple[str, int]] = field(default_factory=list)
    values: dict[str, bytes | None] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    def run(self) -> "Exchange":
        if not _is_redis():
            self._run_in_process()
            return self
        commands = [("MGET", *(NAMESPACE + key for key in self.reads))] if self.reads else []
        for key, seconds in self.counters:
            commands += [("INCR", NAMESPACE + key), ("EXPIRE", NAMESPACE + key, seconds, "NX")]
        answers = _execute(commands)
        if self.reads:
            self.values = dict(zip(self.reads, answers.pop(0), strict=True))
        self.counts = {key: answers[2 * i] for i, (key, _) in enumerate(self.counters)}
        return self

    def _run_in_process(self) -> None:
        found = cache.get_many([NAMESPACE + key for key in self.reads])
        self.values = {key: found.get(NAMESPACE + key) for key in self.reads}
        for key, seconds in self.counters:
            cache.add(NAMESPACE + key, 0, timeout=seconds)
            self.counts[key] = cache.incr(NAMESPACE + key)


def store(key: str, value: bytes, seconds: int) -> None:
    if _is_redis():
        _execute([("SET", NAMESPACE + key, value, "EX", seconds)])
    else:
        cache.set(NAMESPACE + key, value, timeout=seconds)


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
        cache.set_many({NAMESPACE + key: _token() for key in keys}, timeout=seconds)


def token_ensure(key: str, seconds: int) -> bytes:
    """The key's token, set first if it has none."""
    if _is_redis():
        return _execute(
            [("SET", NAMESPACE + key, _token(), "EX", seconds, "NX"), ("GET", NAMESPACE + key)]
        )[1]
    cache.add(NAMESPACE + key, _token(), timeout=seconds)
    return cache.get(NAMESPACE + key)


def _token() -> bytes:
    return secrets.token_hex(8).encode()


def _is_redis() -> bool:
    return settings.CACHES["default"]["BACKEND"].endswith(".RedisCache")


def _execute(commands: list[tuple]) -> list:
    """Send the commands at once and read their replies, on this thread's connection.

    A connection that Redis dropped while it sat idle (a restart, a timeout) fails once; the
    commands are then sent again on a fresh one. A repeated count is the worst a resend does.
    """
    connection = _connection()
    try:
        return _send(connection, commands)
    except redis.ConnectionError:
        return _send(connection, commands)


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
