"""While Redis is away the API and the portal keep answering, and nothing stale follows it.

Rate limits fall back to a count in each process, cached answers to the database, idempotency
claims to the database's one record per key, and login lockout to no count. The outage is a
closed port, or a redis-server of the test's own that it stops and starts again with its data,
as a restart with persistence does.
"""

import socket
import subprocess
from pathlib import Path

import pytest
from django.test import Client

from brandprogram import shared_cache, throttling
from sellers.models import Status
from sellers.services.api_keys import api_key_issue
from tests.conftest import wait_until
from tests.sellers.api.support import COLLECTION, application_payload, client_with_key, detail_url
from tests.sellers.factories import ApplicationFactory, CategoryFactory, ProgramFactory

CLOSED = "redis://127.0.0.1:1/0"


def _use_redis(settings, location: str) -> None:
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": location}
    }


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    """A redis-server of the test's own that keeps its data across a stop and a start."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.port = _free_port()
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port),  # noqa: S607
             "--save", "", "--appendonly", "no", "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        wait_until(lambda: self.cli("ping") == "PONG", message="redis-server did not start")

    def stop(self) -> None:
        # Written to disk first, so the restart finds what was cached before the outage.
        self.cli("shutdown", "save")
        self.process.wait(timeout=10)

    def cli(self, *command: str) -> str:
        result = subprocess.run(
            ["redis-cli", "-p", str(self.port), *command],  # noqa: S607 - Debian's redis-tools
            capture_output=True,
            text=True,
            check=False,
        )
        return result.stdout.strip()


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path)
    server.start()
    yield server
    if server.process.poll() is None:
        server.process.kill()
        server.process.wait()


@pytest.mark.django_db
def test_list_detail_and_writes_answer_while_the_cache_is_unreachable(
    settings, partner, seller_a, caplog
):
    ProgramFactory()
    CategoryFactory(code="lighting-appliances", nice_classes=[11])
    _use_redis(settings, CLOSED)
    api = client_with_key(partner.raw_key)

    created = api.post(
        COLLECTION,
        application_payload(seller_a.company.pk),
        format="json",
        HTTP_IDEMPOTENCY_KEY="outage-create",
    )
    complete = ApplicationFactory(company=seller_a.company, brand__name="EVERGLOW")
    listed = api.get(COLLECTION)
    detail = api.get(detail_url(created.json()["id"]))
    submitted = api.post(detail_url(complete.pk, "submit/"), HTTP_IDEMPOTENCY_KEY="outage-1")
    # A retry of the same write gets its answer back from the database, not a second write.
    retried = api.post(detail_url(complete.pk, "submit/"), HTTP_IDEMPOTENCY_KEY="outage-1")
    after = api.get(detail_url(complete.pk))

    assert created.status_code == 201, created.content
    assert sorted(item["brand"]["name"] for item in listed.json()["results"]) == [
        "BRIGHTLAMP",
        "EVERGLOW",
    ]
    assert (detail.status_code, detail.json()["brand"]["name"]) == (200, "BRIGHTLAMP")
    assert (submitted.status_code, submitted.json()["status"]) == (200, "under_review")
    assert (retried.status_code, retried["Idempotent-Replayed"]) == (200, "true")
    assert (after.status_code, after.json()["status"]) == (200, "under_review")
    assert list(complete.events.values_list("action", "to_status")) == [
        ("submit", Status.SUBMITTED)
    ]
    # Said once for the outage, not once per request.
    assert caplog.text.count("shared cache failed") == 1


@pytest.mark.django_db
def test_the_rate_limit_still_applies_in_each_process_while_the_cache_is_unreachable(
    settings, monkeypatch, partner
):
    # 30 seconds into a minute, so no request crosses into the next window.
    monkeypatch.setattr(throttling, "clock", lambda: 1_800_000_030.0)
    settings.API_RATE_LIMIT = "3/minute"
    _, other_raw = api_key_issue(
        name="other", scopes=["applications:read"], partner=partner.organization
    )
    _use_redis(settings, CLOSED)
    api = client_with_key(partner.raw_key)

    answers = [api.get(COLLECTION) for _ in range(4)]
    other_key = client_with_key(other_raw).get(COLLECTION)

    assert [answer.status_code for answer in answers] == [200, 200, 200, 429]
    assert (answers[-1]["Retry-After"], answers[-1].json()["code"]) == ("30", "throttled")
    # Each key has a budget of its own, as when the count is shared.
    assert other_key.status_code == 200


@pytest.mark.django_db
def test_a_login_works_while_the_cache_is_unreachable(settings, seller_a):
    seller_a.owner.set_password("correct horse battery")
    seller_a.owner.save()
    _use_redis(settings, CLOSED)
    browser = Client()

    response = browser.post(
        "/login/",
        {"username": seller_a.owner.get_username(), "password": "correct horse battery"},
    )

    assert response.status_code == 302, response.content
    assert browser.get("/").wsgi_request.user == seller_a.owner


@pytest.mark.django_db
def test_a_write_during_an_outage_shows_on_the_first_read_after_it(
    settings, monkeypatch, partner, seller_a, redis_server
):
    # Redis is tried on every request, so the first read after the restart goes through it.
    monkeypatch.setattr(shared_cache, "RETRY_SECONDS", 0)
    _use_redis(settings, redis_server.url)
    application = ApplicationFactory(company=seller_a.company)
    api = client_with_key(partner.raw_key)
    answer_key = f"bp:api:application:{application.pk}:answer:*"
    # The first read sets the application's token; the second stores its answer against it.
    for _ in range(2):
        assert api.get(detail_url(application.pk)).json()["status"] == "draft"
    assert redis_server.cli("keys", answer_key)
    generation_before = redis_server.cli("get", "bp:api:generation")

    redis_server.stop()
    during = api.post(detail_url(application.pk, "submit/"), HTTP_IDEMPOTENCY_KEY="outage-2")
    redis_server.start()
    # The answer from before the outage is back with the rest of the data, still unexpired.
    assert redis_server.cli("keys", answer_key)
    after = api.get(detail_url(application.pk))

    assert (during.status_code, during.json()["status"]) == (200, "under_review")
    assert (after.status_code, after.json()["status"]) == (200, "under_review")
    # The read went through Redis again, which voided every answer stored before the outage.
    assert redis_server.cli("get", "bp:api:generation") not in ("", generation_before)
