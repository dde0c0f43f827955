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

from brandprogram import shared_cache

logger = logging.getLogger(__name__)

GENERATION = "api:generation"
# Tokens outlive answers; a token that expired is set afresh and matches no stored answer.
TOKEN_SECONDS = 7 * 24 * 3600
# Also bounds how long an answer could be served stale if both renewals of a write were lost
# to a cache outage that the cache itself survived.
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


def generation(exchange: shared_cache.Exchange | None) -> bytes:
    """The current generation, as fetched with the request or else read now."""
    current = exchange.values.get(GENERATION) if exchange is not None else None
    return current or shared_cache.token_ensure(GENERATION, TOKEN_SECONDS)


@dataclass(frozen=True)
class Answer:
    company_id: int
    etag: str
    body: bytes


def answer_cached(exchange: shared_cache.Exchange, application_id: int, variant: str):
    """The stored answer if both its tokens are still current, else None."""
    stored = exchange.values.get(_answer_key(application_id, variant))
    token = exchange.values.get(_token_key(application_id))
    if not stored or not token:
        return None
    header, body = stored.split(b"\n", 1)
    answer_token, answer_generation, company_id, etag = header.split(b" ")
    if answer_token != token or answer_generation != exchange.values.get(GENERATION):
        return None
    return Answer(company_id=int(company_id), etag=etag.decode(), body=body)


def application_token(exchange: shared_cache.Exchange, application_id: int) -> bytes:
    """The application's token before its rows are read; set now if it had none."""
    return exchange.values.get(_token_key(application_id)) or shared_cache.token_ensure(
        _token_key(application_id), TOKEN_SECONDS
    )


def answer_store(*, application_id: int, variant: str, tokens: tuple[bytes, bytes],
                 answer: Answer) -> None:  # fmt: skip
    token, current_generation = tokens
    header = b" ".join(
        [token, current_generation, str(answer.company_id).encode(), answer.etag.encode()]
    )
    shared_cache.store(
        _answer_key(application_id, variant), header + b"\n" + answer.body, ANSWER_SECONDS
    )


def applications_changed(application_ids) -> None:
    _renew([_token_key(pk) for pk in application_ids])


def references_changed() -> None:
    _renew([GENERATION])


def _renew(keys: list[str]) -> None:
    if not keys:
        return
    _renew_now(keys)
    transaction.on_commit(lambda: _renew_now(keys))


def _renew_now(keys: list[str]) -> None:
    # A write must not fail because the cache is away: stored answers expire within
    # ANSWER_SECONDS, and a cache that lost its data has lost them with it.
    try:
        shared_cache.token_renew(keys, TOKEN_SECONDS)
    except shared_cache.UNREACHABLE as error:
        logger.warning("cached API answers not voided (%r); they expire by themselves", error)
