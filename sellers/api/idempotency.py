"""``Idempotency-Key`` on POST: a retried request gets the first answer instead of a second write.

The first request with a key claims it atomically in the shared cache (``cache.add`` is SET NX
on Redis) and runs; its answer is kept for 24 hours. A repeat with the same body gets that
answer again, a repeat with another body is refused, and a repeat that arrives while the first
is still running is told to try again shortly. Keys belong to the API key that sent them, so two
partners can never read each other's answers.

The answer is written to PostgreSQL in the same transaction as the write it answers, and copied
to the cache once that commits. So a client whose answer was lost (the connection dropped, the
cache restarted or was away) gets it on retry instead of a second write, and a write that did
not commit leaves no answer behind.
"""

import hashlib
import json
import logging
from dataclasses import asdict, dataclass
from datetime import timedelta
from functools import partial

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.response import Response

from brandprogram import shared_cache
from brandprogram.shared_cache import FAILED
from sellers.api.context import partner_call
from sellers.models import IdempotencyRecord

logger = logging.getLogger(__name__)

HEADER = "Idempotency-Key"
REPLAY_HEADER = "Idempotent-Replayed"
STORE_SECONDS = 24 * 60 * 60
# How long a claim survives a process that died before answering; a retry after that runs anew.
CLAIM_SECONDS = 60
MAX_KEY_LENGTH = 255
# Headers that belong to the answer and so are replayed with it.
REPLAYED_HEADERS = ("Location", "ETag")


class IdempotencyKeyInvalid(APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "idempotency_key_invalid"
    default_detail = "Invalid Idempotency-Key."


class IdempotencyKeyReused(APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_code = "idempotency_key_reused"
    default_detail = "Idempotency-Key reused with a different request."


class IdempotencyInProgress(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "idempotency_in_progress"
    default_detail = "Request with this Idempotency-Key in progress."


@dataclass(frozen=True)
class Stored:
    fingerprint: str
    status_code: int | None = None
    data: object = None
    content_type: str | None = None
    headers: tuple[tuple[str, str], ...] = ()

    @property
    def finished(self) -> bool:
        return self.status_code is not None


# Not an error: it carries a stored answer from initial() out to handle_exception().
class _Replay(Exception):
    def __init__(self, stored: Stored) -> None:
        self.stored = stored


class IdempotentMixin:
    """For DRF views: honours ``Idempotency-Key`` on every POST once the caller is known."""

    # (cache key, digest of the caller's key, fingerprint) while this request holds a claim.
    _claim: tuple[str, str, str] | None = None

    def dispatch(self, request, *args, **kwargs):
        try:
            response = super().dispatch(request, *args, **kwargs)
        except BaseException as exc:
            self._write_end(exc)
            raise
        self._write_end(None)
        return response

    def initial(self, request, *args, **kwargs) -> None:
        # Authentication, permissions and throttling first: a refused caller claims nothing.
        super().initial(request, *args, **kwargs)
        raw_key = request.headers.get(HEADER)
        if request.method != "POST" or raw_key is None:
            return
        if not 1 <= len(raw_key) <= MAX_KEY_LENGTH or not raw_key.isprintable():
            raise IdempotencyKeyInvalid(
                f"{HEADER} must be 1 to {MAX_KEY_LENGTH} printable characters."
            )
        api_key = partner_call(request).api_key
        cache_key = record_key(api_key.prefix, raw_key)
        digest = hashlib.sha256(raw_key.encode()).hexdigest()
        fingerprint = _fingerprint(request)
        claim = Stored(fingerprint=fingerprint)
        if _claim(cache_key, claim):
            # Held from here, so a failure from now on (the database away) releases it.
            self._claim = (cache_key, digest, fingerprint)
            # The cache may have lost a committed answer (a restart, or it was away when the
            # answer was made): the database has it then.
            earlier = _committed(api_key, digest)
            if earlier is None:
                # The write and the record of its answer commit together, or neither does.
                # Opened only now, so the key's check and the body's upload stay outside it.
                self._write = transaction.atomic()
                self._write.__enter__()
                return
            self._claim = None
            _keep(cache_key, earlier)
        else:
            earlier = _from_cache(cache.get(cache_key)) or claim
            if not earlier.finished:
                # Committed but not yet copied to the cache, or still running.
                earlier = _committed(api_key, digest) or earlier
        _check_same_request(earlier, fingerprint)
        if not earlier.finished:
            exc = IdempotencyInProgress(
                f"A request with this {HEADER} is still being processed; retry shortly."
            )
            exc.wait = 1
            raise exc
        raise _Replay(earlier)

    def handle_exception(self, exc):
        if isinstance(exc, _Replay):
            return _replay(exc.stored)
        try:
            return super().handle_exception(exc)
        except Exception:
            # An unexpected failure stores nothing: the client may retry with the same key.
            self._release_claim()
            raise

    def finalize_response(self, request, response, *args, **kwargs):
        held = self._claim
        if held is not None:
            response = self._answer_record(request, response, held)
        return super().finalize_response(request, response, *args, **kwargs)

    def _answer_record(self, request, response, held):
        """Write the answer's record in the request's transaction; the answer to send."""
        cache_key, digest, fingerprint = held
        if response.status_code >= 500:
            # A failed request leaves nothing behind, its writes included: a retry runs anew.
            transaction.set_rollback(True)
            self._release_claim()
            return response
        stored = Stored(
            fingerprint=fingerprint,
            status_code=response.status_code,
            data=_plain(response.data),
            content_type=response.content_type,
            headers=tuple((name, response[name]) for name in REPLAYED_HEADERS if name in response),
        )
        try:
            with transaction.atomic():
                IdempotencyRecord.objects.create(
                    api_key=partner_call(request).api_key,
                    key_digest=digest,
                    fingerprint=fingerprint,
                    status_code=stored.status_code,
                    body=stored.data,
                    content_type=stored.content_type or "",
                    headers=[list(pair) for pair in stored.headers],
                )
        except IntegrityError:
            # This request outlived its claim and another with the same key ran and committed
            # first: that one's answer stands and this one's writes roll back.
            earlier = _committed(partner_call(request).api_key, digest)
            transaction.set_rollback(True)
            self._claim = None
            try:
                _check_same_request(earlier, fingerprint)
            except IdempotencyKeyReused as exc:
                return super().handle_exception(exc)
            return _replay(earlier)
        # Until the write commits, a retry is told to wait; once it has, it gets this answer.
        transaction.on_commit(partial(_keep, cache_key, stored), robust=True)
        return response

    def _write_end(self, exc: BaseException | None) -> None:
        """Commit (or roll back) the transaction initial() opened for the write, if it did."""
        write = getattr(self, "_write", None)
        if write is None:
            return
        self._write = None
        try:
            if exc is None:
                write.__exit__(None, None, None)
            else:
                write.__exit__(type(exc), exc, exc.__traceback__)
        except BaseException:
            # The commit failed, so nothing is known to have been written: a retry runs anew.
            self._release_claim()
            raise
        if exc is not None:
            self._release_claim()
        else:
            # Committed (or rolled back on purpose above): the claim, if still held, stands
            # in the cache until the answer replaces it after the commit.
            self._claim = None

    def _release_claim(self) -> None:
        held = self._claim
        if held is not None:
            self._claim = None
            try:
                cache.delete(held[0])
            except FAILED:
                # A claim the cache still holds expires after CLAIM_SECONDS.
                logger.info("idempotency claim %s not released: cache failed", held[0])


def _claim(cache_key: str, claim: Stored) -> bool:
    """Whether this request may run: it claimed the key, or the cache is away.

    Without the cache a repeat that arrives while the first is running runs too; the
    database's one record per key then lets only one of them commit, and the other's client
    gets that one's answer.
    """
    try:
        return cache.add(cache_key, _cached(claim), timeout=CLAIM_SECONDS)
    except FAILED:
        return True


def _check_same_request(earlier: Stored, fingerprint: str) -> None:
    if earlier.fingerprint != fingerprint:
        raise IdempotencyKeyReused(
            f"This {HEADER} was already used for a different request; "
            "use a new key for a new request."
        )


def idempotency_records_purge(*, now=None) -> int:
    """Forget answers older than their 24 hours; returns how many were removed."""
    cutoff = (now or timezone.now()) - timedelta(seconds=STORE_SECONDS)
    removed, _ = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    return removed


def _committed(api_key, digest: str) -> Stored | None:
    """The committed answer to this key, if it is younger than 24 hours."""
    # One record per key at most (the constraint idempotency_once): read, and removed only
    # when it turns out expired, so a key without an answer costs one query.
    record = IdempotencyRecord.objects.filter(api_key=api_key, key_digest=digest).first()
    if record is None:
        return None
    if record.created_at < timezone.now() - timedelta(seconds=STORE_SECONDS):
        # An expired answer makes way for the new request, whose record takes its place.
        IdempotencyRecord.objects.filter(pk=record.pk).delete()
        return None
    return Stored(
        fingerprint=record.fingerprint,
        status_code=record.status_code,
        data=record.body,
        content_type=record.content_type or None,
        headers=tuple((name, value) for name, value in record.headers),
    )


def _cached(stored: Stored) -> dict:
    # Plain values, not the class: a cached answer must outlive a move of this module.
    return asdict(stored)


def _from_cache(value: dict | None) -> Stored | None:
    if value is None:
        return None
    return Stored(**value | {"headers": tuple(map(tuple, value["headers"]))})


def _keep(cache_key: str, stored: Stored) -> None:
    try:
        cache.set(cache_key, _cached(stored), timeout=STORE_SECONDS)
    except FAILED:
        # The database keeps the answer; a retry finds it there once the claim has expired.
        # An outage was reported once when it began.
        if not shared_cache.away():
            logger.warning("idempotency answer for %s not cached: cache unavailable", cache_key)


def record_key(key_prefix: str, raw_key: str) -> str:
    # "v2": entries are plain values since this version; older ones are never read.
    return f"idempotency:v2:{key_prefix}:{hashlib.sha256(raw_key.encode()).hexdigest()}"


def _fingerprint(request) -> str:
    """A digest of what the request asks for: path, form fields and every uploaded file's bytes.

    Built from the parsed body rather than the raw bytes, so JSON spacing or multipart
    boundaries do not make a faithful retry look like a different request.
    """
    digest = hashlib.sha256(f"{request.method} {request.path}\n".encode())
    data = request.data
    if hasattr(data, "getlist"):
        # A form body: every value of every field, the files apart (hashed by content below).
        values = {name: data.getlist(name) for name in data if name not in request.FILES}
    else:
        values = data
    digest.update(json.dumps(values, sort_keys=True, default=str).encode())
    for name in sorted(request.FILES.keys()):
        for upload in request.FILES.getlist(name):
            digest.update(f"\n{name}:{upload.name}:{upload.size}\n".encode())
            for chunk in upload.chunks():
                digest.update(chunk)
            upload.seek(0)
    return digest.hexdigest()


def _plain(data):
    # Serializer output types (ReturnDict, lazy strings) become plain JSON values for the cache.
    return json.loads(json.dumps(data, default=str)) if data is not None else None


def _replay(stored: Stored) -> Response:
    response = Response(stored.data, status=stored.status_code, content_type=stored.content_type)
    for name, value in stored.headers:
        response[name] = value
    response[REPLAY_HEADER] = "true"
    return response
