"""Several reads, counters and writes against the shared cache in one round trip.

The partner API's hot path needs a rate-limit counter, a validity token and a cached answer on
every request. Django's cache API would make that three or four round trips to Redis, which
cost more than the rest of the request; a pipeline makes it one. With the embedded default
(no ``CACHE_URL``, one process) the same calls go to Django's in-memory cache.

Values are bytes; keys live in a namespace of their own, apart from Django's cache keys.
"""

import secrets
from dataclasses import dataclass, field

import redis
from django.conf import settings
from django.core.cache import cache

NAMESPACE = "bp:"
UNREACHABLE = (redis.ConnectionError, redis.TimeoutError)
_clients: dict[str, redis.Redis] = {}


@dataclass
class Exchange:
    """What one round trip asks for; ``run()`` fills ``values`` and ``counts``."""

    reads: list[str] = field(default_factory=list)
    # (key, seconds it lives after its first count)
    counters: list[tuple[str, int]] = field(default_factory=list)
    values: dict[str, bytes | None] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    def run(self) -> "Exchange":
        client = _redis()
        if client is None:
            self._run_in_process()
            return self
        pipe = client.pipeline(transaction=False)
        if self.reads:
            pipe.mget([NAMESPACE + key for key in self.reads])
        for key, seconds in self.counters:
            pipe.incr(NAMESPACE + key)
            pipe.expire(NAMESPACE + key, seconds, nx=True)
        answers = pipe.execute()
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
    client = _redis()
    if client is None:
        cache.set(NAMESPACE + key, value, timeout=seconds)
    else:
        client.set(NAMESPACE + key, value, ex=seconds)


def token_renew(keys: list[str], seconds: int) -> None:
    """Give each key a new random token: whatever was stored against the old one is void.

    A random token rather than a counter, so a key that was lost (a Redis restart, its expiry)
    and set again can never repeat a token that something stale was stored against.
    """
    if not keys:
        return
    client = _redis()
    if client is None:
        cache.set_many({NAMESPACE + key: _token() for key in keys}, timeout=seconds)
        return
    pipe = client.pipeline(transaction=False)
    for key in keys:
        pipe.set(NAMESPACE + key, _token(), ex=seconds)
    pipe.execute()


def token_ensure(key: str, seconds: int) -> bytes:
    """The key's token, set first if it has none."""
    client = _redis()
    if client is None:
        cache.add(NAMESPACE + key, _token(), timeout=seconds)
        return cache.get(NAMESPACE + key)
    pipe = client.pipeline(transaction=False)
    pipe.set(NAMESPACE + key, _token(), ex=seconds, nx=True)
    pipe.get(NAMESPACE + key)
    return pipe.execute()[1]


def _token() -> bytes:
    return secrets.token_hex(8).encode()


def _redis() -> redis.Redis | None:
    """A client for the Redis behind Django's default cache, or None when it is not Redis."""
    config = settings.CACHES["default"]
    if not config["BACKEND"].endswith(".RedisCache"):
        return None
    location = config["LOCATION"]
    client = _clients.get(location)
    if client is None:
        client = _clients[location] = redis.Redis.from_url(
            location, socket_connect_timeout=2, socket_timeout=5
        )
    return client
