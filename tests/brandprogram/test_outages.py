"""While the database is unreachable, requests get 503 with Retry-After, not 500; a cache that
goes away in the middle of a request costs it no answer.

For the database the server is a real gunicorn process whose only road to PostgreSQL is a
relay in this test that can cut every connection and refuse new ones, as a restart does; the
server must recover by itself once the relay opens again.
"""

import contextlib
import os
import socket
import subprocess
import sys
import threading

import pytest
import requests
from django.conf import settings
from django.db import connection
from django.test import Client

from sellers.models import Application, Status
from sellers.signals import application_status_changing
from tests.conftest import PROJECT_ROOT, wait_until
from tests.sellers.api.support import (
    COLLECTION,
    PROBLEM,
    application_payload,
    client_with_key,
    detail_url,
)
from tests.sellers.factories import ApplicationFactory, CategoryFactory, ProgramFactory

SERVER_APPLICATION_NAME = "outage-test-server"


class DatabaseRelay:
    """Forwards TCP connections to PostgreSQL until cut; while cut, hangs up on every caller."""

    def __init__(self, host: str, port: int):
        self.target = (host, port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.open = True
        self.sockets: list[socket.socket] = []
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def cut(self) -> None:
        with self.lock:
            self.open = False
            for sock in self.sockets:
                _hang_up(sock)
            self.sockets.clear()

    def restore(self) -> None:
        self.open = True

    def close(self) -> None:
        self.cut()
        self.listener.close()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if not self.open:
                client.close()
                continue
            upstream = socket.create_connection(self.target)
            with self.lock:
                self.sockets += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while chunk := source.recv(65536):
                sink.sendall(chunk)
        except OSError:
            pass
        finally:
            _hang_up(source)
            _hang_up(sink)


def _hang_up(sock: socket.socket) -> None:
    # shutdown() first: close() alone neither wakes a pump blocked in recv() on the socket
    # nor tells the other end that the session is over.
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()


@pytest.fixture
def relay(transactional_db):
    database = settings.DATABASES["default"]
    relay = DatabaseRelay(database["HOST"], int(database["PORT"]))
    yield relay
    relay.close()
    # The server's sessions end a moment after their sockets close; the test database can
    # only be flushed and dropped once they have.
    wait_until(lambda: not _sessions_named(SERVER_APPLICATION_NAME))


def _sessions_named(application_name: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s",
            [application_name],
        )
        return cursor.fetchone()[0]


@pytest.fixture
def server(relay, tmp_path):
    """gunicorn on the test database, reached through the relay; tasks run in-process."""
    database = settings.DATABASES["default"]
    credentials = database["USER"] + (f":{database['PASSWORD']}" if database["PASSWORD"] else "")
    port = _free_port()
    env = {
        **{
            k: v
            for k, v in os.environ.items()
            if k not in {"CELERY_BROKER_URL", "CACHE_URL", "DEBUG"}
        },
        "DATABASE_URL": f"postgres://{credentials}@127.0.0.1:{relay.port}/{database['NAME']}"
        f"?application_name={SERVER_APPLICATION_NAME}",
        "SECRET_KEY": "test-only-secret",
        "DATA_DIR": str(tmp_path),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "brandprogram.wsgi:application",
         "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        cwd=PROJECT_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: _answers(f"{base}/healthz"), message="gunicorn did not start")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=15)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=5).status_code == 200
    except requests.RequestException:  # not listening yet, or its worker still booting
        return False


def test_api_answers_503_during_a_database_outage_and_recovers_by_itself(
    server, relay, partner, seller_a
):
    ProgramFactory()
    CategoryFactory(code="lighting-appliances", nice_classes=[11])
    api = requests.Session()
    api.headers["Authorization"] = f"Bearer {partner.raw_key}"
    before = api.get(f"{server}{COLLECTION}", timeout=10)

    relay.cut()
    listed = api.get(f"{server}{COLLECTION}", timeout=10)
    created = api.post(
        f"{server}{COLLECTION}",
        json=application_payload(seller_a.company.pk),
        headers={"Idempotency-Key": "outage-1"},
        timeout=10,
    )
    relay.restore()
    retried = api.post(
        f"{server}{COLLECTION}",
        json=application_payload(seller_a.company.pk),
        headers={"Idempotency-Key": "outage-1"},
        timeout=10,
    )
    after = api.get(f"{server}{COLLECTION}", timeout=10)

    assert (before.status_code, before.json()["results"]) == (200, [])
    for refused in (listed, created):
        assert (refused.status_code, refused.headers["Content-Type"]) == (503, PROBLEM)
        assert refused.headers["Retry-After"] == "5"
        assert refused.json()["code"] == "service_unavailable"
    # The refused create left no claim on its key: the retry ran, it was not a replay.
    assert retried.status_code == 201
    assert "Idempotent-Replayed" not in retried.headers
    assert list(Application.objects.values_list("pk", "brand__name")) == [
        (retried.json()["id"], "BRIGHTLAMP")
    ]
    assert [item["id"] for item in after.json()["results"]] == [retried.json()["id"]]


def test_portal_page_says_briefly_unavailable_during_a_database_outage(server, relay, seller_a):
    browser = Client()
    browser.force_login(seller_a.owner)
    cookies = {settings.SESSION_COOKIE_NAME: browser.cookies[settings.SESSION_COOKIE_NAME].value}

    relay.cut()
    during = requests.get(f"{server}/applications/", cookies=cookies, timeout=10)
    relay.restore()
    after = requests.get(f"{server}/applications/", cookies=cookies, timeout=10)

    assert (during.status_code, during.headers["Retry-After"]) == (503, "5")
    assert during.headers["Content-Type"].startswith("text/html")
    assert "Briefly unavailable" in during.text
    assert seller_a.owner.get_username() not in during.text
    assert after.status_code == 200
    assert seller_a.owner.get_username() in after.text


@pytest.fixture
def private_redis(tmp_path):
    """A Redis server of this test's own, which the test may shut down."""
    port = _free_port()
    process = subprocess.Popen(
        ["redis-server", "--bind", "127.0.0.1", "--port", str(port), "--save", "",  # noqa: S607
         "--appendonly", "no", "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    wait_until(lambda: _redis_cli(port, "ping") == "PONG", message="redis-server did not start")
    yield port
    process.kill()
    process.wait()


def _redis_cli(port: int, *command: str) -> str:
    result = subprocess.run(
        ["redis-cli", "-p", str(port), *command],  # noqa: S607 - Debian's redis-tools
        capture_output=True,
        text=True,
        check=False,
    )
    return result.stdout.strip()


def test_a_submit_whose_answer_cannot_be_kept_for_replay_still_succeeds(
    settings, partner, seller_a, private_redis
):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{private_redis}/0",
        }
    }
    application = ApplicationFactory(company=seller_a.company)

    def cache_goes_away(**kwargs):
        _redis_cli(private_redis, "shutdown", "nosave")

    # The key is claimed and the submit is under way when the cache disappears.
    application_status_changing.connect(cache_goes_away, dispatch_uid="test-cache-goes-away")
    try:
        response = client_with_key(partner.raw_key).post(
            detail_url(application.pk, "submit/"), HTTP_IDEMPOTENCY_KEY="submit-1"
        )
    finally:
        application_status_changing.disconnect(dispatch_uid="test-cache-goes-away")

    # The submit happened, so the client is told so rather than sent to retry it.
    assert (response.status_code, response.json()["status"]) == (200, "under_review")
    assert _redis_cli(private_redis, "ping") != "PONG"
    assert list(application.events.values_list("action", "to_status")) == [
        ("submit", Status.SUBMITTED)
    ]


@pytest.mark.django_db
def test_a_cache_connection_dropped_while_idle_is_replaced_without_an_error(
    settings, partner, private_redis
):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{private_redis}/0",
        }
    }
    client = client_with_key(partner.raw_key)
    first = client.get(COLLECTION)
    # Redis closes every client connection, as a restart or an idle timeout does.
    dropped = _redis_cli(private_redis, "client", "kill", "type", "normal")

    after = client.get(COLLECTION)

    assert (first.status_code, after.status_code) == (200, 200)
    assert int(dropped) >= 1
    # The answers came through this Redis: the API's generation token lives there.
    assert _redis_cli(private_redis, "exists", "bp:api:generation") == "1"
