"""What the partner API keeps in the shared cache, and how every write voids it.

Partners poll applications far more often than applications change, so a read of one is
answered from the cache when nothing it shows has changed since it was rendered:

- the **generation** token covers what many answers share: API keys, partners, grants, seller
  companies, programs and categories. Any change to one of them renews it, which voids every
  cached answer and every process's remembered keys at once.
- each application has a **token** of its own, renewed whenever the application, its
  categories, its brand or its trademark is saved.

An answer is stored with the two tokens that were current *before* its rows were read. Tokens
are renewed when a write happens and again once it commits, so an answer rendered from rows a
concurrent write was replacing carries a token that is already gone and is never served.
"""

import logging
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import get_language
from rest_framework.renderers import JSONRenderer

from brandprogram import shared_cache
from sellers.access import Door, may_see
from sellers.api.context import partner_call

logger = logging.getLogger(__name__)

GENERATION = "api:generation"
# Tokens outlive answers; a token that expired is set afresh and matches no stored answer.
TOKEN_SECONDS = 7 * 24 * 3600
# Also bounds how long an answer could be served stale if both renewals of a write were lost
# to a cache outage that the cache itself survived and that no web process noticed (each one
# that did renews the generation once the cache answers again).
ANSWER_SECONDS = 60


def _token_key(application_id: int) -> str:
    return f"api:application:{application_id}:token"


def _answer_key(application_id: int, variant: str) -> str:
    return f"api:application:{application_id}:answer:{variant}"


def answer_variant(request) -> str:
    """Answers differ by the host their links name and the language of their labels."""
    # get_host() refuses a malformed or unknown host, so the key holds no spaces or controls.
    return f"{request.scheme}://{request.get_host()}|{get_language()}"


def prefetch_reads(application_id: int | None, variant: str) -> list[str]:
    reads = [GENERATION]
    if application_id is not None:
        reads += [_token_key(application_id), _answer_key(application_id, variant)]
    return reads


# Answers stored before an outage may predate a write that could not void them.
shared_cache.renew_on_return(GENERATION, TOKEN_SECONDS)


def generation(exchange: shared_cache.Exchange) -> bytes | None:
    """The current generation, as fetched with the request or else read now; None while the
    cache is away, when nothing may be trusted to be current."""
    if not exchange.reached:
        return None
    try:
        return exchange.values.get(GENERATION) or shared_cache.token_ensure(
            GENERATION, TOKEN_SECONDS
        )
    except shared_cache.FAILED:
        return None


@dataclass(frozen=True)
class Answer:
    company_id: int
    etag: str
    body: bytes


def _cached_exchange(request) -> shared_cache.Exchange | None:
    """What the request fetched from the cache, if its answer is one the cache may hold:
    plain JSON, not one the client asked to be formatted otherwise."""
    if request.accepted_media_type != JSONRenderer.media_type:
        return None
    exchange = partner_call(request).shared
    # While the cache is away, answers are read from the database and not kept.
    return exchange if exchange.reached else None


def answer_for(request, application_id: int) -> Answer | None:
    """The stored answer, if both its tokens are current and the caller acts for its seller."""
    exchange = _cached_exchange(request)
    if exchange is None:
        return None
    call = partner_call(request)
    stored = exchange.values.get(_answer_key(application_id, call.answer_variant))
    token = exchange.values.get(_token_key(application_id))
    if not stored or not token:
        return None
    header, body = stored.split(b"\n", 1)
    answer_token, answer_generation, company_id, etag = header.split(b" ")
    if answer_token != token or answer_generation != exchange.values.get(GENERATION):
        return None
    if not may_see(call.actor, int(company_id), doors=Door.SELLER):
        return None
    return Answer(company_id=int(company_id), etag=etag.decode(), body=body)


def tokens_before_read(request, application_id: int) -> tuple[bytes, bytes] | None:
    """The tokens a fresh answer is stored with, as they were before its rows are read; None
    when there is nothing yet to store it against."""
    exchange = _cached_exchange(request)
    if exchange is None:
        return None
    token = exchange.values.get(_token_key(application_id))
    current_generation = exchange.values.get(GENERATION)
    return (token, current_generation) if token and current_generation else None


def answer_keep(request, *, application, response, tokens: tuple[bytes, bytes] | None) -> None:
    """Store the answer just rendered, against the tokens read before its rows."""
    if _cached_exchange(request) is None:
        return
    try:
        if tokens is None:
            # The application's first read (or its token expired). Its token is set now, for
            # an application this caller may see, so no one can make tokens for ids at will;
            # the answer is stored from the next read, whose rows are read after the token.
            shared_cache.token_ensure(_token_key(application.pk), TOKEN_SECONDS)
            return
        token, current_generation = tokens
        header = b" ".join(
            [token, current_generation, str(application.company_id).encode(),
             response["ETag"].encode()]
        )  # fmt: skip
        body = JSONRenderer().render(response.data)
        shared_cache.store(
            _answer_key(application.pk, partner_call(request).answer_variant),
            header + b"\n" + body,
            ANSWER_SECONDS,
        )
    except shared_cache.FAILED as error:
        # The read itself succeeded; only its copy for the next reads is lost. An outage was
        # reported once when it began.
        if not shared_cache.away():
            logger.warning("API answer not cached (%r)", error)


def applications_changed(application_ids) -> None:
    _renew([_token_key(pk) for pk in application_ids])


def references_changed() -> None:
    _renew([GENERATION])


def _renew(keys: list[str]) -> None:
    if not keys:
        return
    _renew_now(keys)
    transaction.on_commit(lambda: _renew_now(keys), robust=True)


def _renew_now(keys: list[str]) -> None:
    # A write must not fail because the cache is away, full or read-only: stored answers
    # expire within ANSWER_SECONDS, a cache that lost its data has lost them with it, and one
    # that kept them through an outage has its generation renewed when it answers again.
    try:
        shared_cache.token_renew(keys, TOKEN_SECONDS)
    except shared_cache.FAILED as error:
        if not shared_cache.away():
            logger.warning("cached API answers not voided (%r); they expire by themselves", error)
