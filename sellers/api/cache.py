"""What the partner API keeps in the shared cache, and how every write voids it.

Partners poll applications far more often than applications change, so a read of one is
answered from the cache when nothing it shows has changed since it was rendered:

- the **generation** token covers what many answers share: API keys, partners, grants, seller
  companies, programs and categories. Any change to one of them renews it, which voids every
  cached answer and every process's remembered keys at once.
- each application has a **token** of its own, renewed whenever the application, its
  categories, its brand or its trademark is saved.

- each seller company has a **list token**, renewed with the token of any of its applications.

A page of the application list is stored for the set of companies its reader acts for (two
keys acting for the same sellers see the same rows), with the generation and a digest of those
companies' list tokens: a change to any application a reader sees voids that reader's pages, and
a change to another company's never reaches them. Which companies a key acts for is read for
every request as authentication decides it, so a withdrawn grant or a revoked key changes the
set (or refuses the request) before any page is looked up.

An answer or a page is stored with the tokens that were current *before* its rows were read.
Tokens are renewed when a write happens and again once it commits, so an answer rendered from
rows a concurrent write was replacing carries a token that is already gone and is never served.
"""

import hashlib
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


def answer_keep(
    request,
    *,
    application_id: int,
    company_id: int,
    body: bytes,
    etag: str,
    tokens: tuple[bytes, bytes] | None,
) -> None:
    """Store the answer just rendered (its JSON ``body``), against the tokens read before its
    rows."""
    if _cached_exchange(request) is None:
        return
    try:
        if tokens is None:
            # The application's first read (or its token expired). Its token is set now, for
            # an application this caller may see, so no one can make tokens for ids at will;
            # the answer is stored from the next read, whose rows are read after the token.
            shared_cache.token_ensure(_token_key(application_id), TOKEN_SECONDS)
            return
        token, current_generation = tokens
        header = b" ".join([token, current_generation, str(company_id).encode(), etag.encode()])
        shared_cache.store(
            _answer_key(application_id, partner_call(request).answer_variant),
            header + b"\n" + body,
            ANSWER_SECONDS,
        )
    except shared_cache.FAILED as error:
        # The read itself succeeded; only its copy for the next reads is lost. An outage was
        # reported once when it began.
        if not shared_cache.away():
            logger.warning("API answer not cached (%r)", error)


# The application list ---------------------------------------------------------------------


def _list_token_key(company_id: int) -> str:
    return f"api:company:{company_id}:lists"


@dataclass(frozen=True)
class ListRead:
    """What a list request found in the cache: the stored page if it is current, else what a
    page rendered now is stored against (or why it is not)."""

    page_key: str
    body: bytes | None
    # The generation and the digest of the companies' list tokens, read before the rows;
    # None when a token is missing and the page is not stored this time.
    version: bytes | None
    missing_tokens: tuple[str, ...]


def _list_keys(request, actor) -> tuple[str, list[str]] | None:
    """The key of the page this request asks for and those of its companies' list tokens;
    None for an actor that sees no company."""
    companies = sorted(actor.company_ids)
    if not companies:
        return None
    reader = hashlib.sha256(",".join(map(str, companies)).encode()).hexdigest()[:32]
    query = hashlib.sha256(request.META.get("QUERY_STRING", "").encode()).hexdigest()[:32]
    page_key = f"api:list:{reader}:{answer_variant(request)}:{query}"
    return page_key, [_list_token_key(pk) for pk in companies]


def list_prefetch_reads(request, actor) -> list[str]:
    """What a list read by ``actor`` needs from the cache, fetched with the request's first
    round trip when authentication expects that actor (a key this process remembers)."""
    keys = _list_keys(request, actor)
    return [] if keys is None else [keys[0], *keys[1]]


def list_read(request) -> ListRead | None:
    """The stored page of the list this request asks for, if it is current; None when pages
    are not cached for it (another format, the cache away, a key that sees no company)."""
    exchange = _cached_exchange(request)
    if exchange is None:
        return None
    keys = _list_keys(request, partner_call(request).actor)
    current_generation = exchange.values.get(GENERATION)
    if keys is None or not current_generation:
        return None
    page_key, token_keys = keys
    values = exchange.values
    if page_key not in values:
        # Authentication expected another actor (or none): read them now, still before the rows.
        found = shared_cache.Exchange(reads=[page_key, *token_keys]).run()
        if not found.reached:
            return None
        values = found.values
    tokens = [values[key] for key in token_keys]
    missing = tuple(key for key, token in zip(token_keys, tokens, strict=True) if not token)
    if missing:
        return ListRead(page_key=page_key, body=None, version=None, missing_tokens=missing)
    version = current_generation + b" " + hashlib.sha256(b" ".join(tokens)).hexdigest().encode()
    stored = values[page_key]
    if stored:
        stored_version, body = stored.split(b"\n", 1)
        if stored_version == version:
            return ListRead(page_key=page_key, body=body, version=version, missing_tokens=())
    return ListRead(page_key=page_key, body=None, version=version, missing_tokens=())


def list_keep(read: ListRead | None, response) -> None:
    """Store the page just rendered against the version read before its rows."""
    if read is None or response.status_code != 200:
        return
    try:
        if read.missing_tokens:
            # The companies' first list (or their tokens expired): tokens are set now, for
            # companies this caller acts for, and pages are stored from the next read.
            shared_cache.tokens_ensure(list(read.missing_tokens), TOKEN_SECONDS)
            return
        body = JSONRenderer().render(response.data)
        shared_cache.store(read.page_key, read.version + b"\n" + body, ANSWER_SECONDS)
    except shared_cache.FAILED as error:
        if not shared_cache.away():
            logger.warning("API list page not cached (%r)", error)


# Voiding -----------------------------------------------------------------------------------


def applications_changed(application_ids, company_ids) -> None:
    """The applications changed; ``company_ids`` are their sellers, whose lists show them."""
    _renew(
        [_token_key(pk) for pk in application_ids]
        + [_list_token_key(pk) for pk in set(company_ids)]
    )


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
