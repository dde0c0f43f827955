"""Personas, the real Celery worker, and defaults shared by every test."""

import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.utils import translation

os.environ.setdefault("DEBUG", "true")

from brandprogram import shared_cache
from brandprogram.celery import app as celery_app
from sellers.actors import Actor, actor_for_user
from sellers.services.api_keys import api_key_issue
from sellers.services.partners import partner_grant_issue
from tests.sellers.factories import (
    CategoryFactory,
    OwnerFactory,
    PartnerFactory,
    ProgramFactory,
    ReviewerFactory,
    UserFactory,
)

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Seller:
    company: object
    owner: object

    @property
    def actor(self) -> Actor:
        return actor_for_user(self.owner)


@dataclass
class Partner:
    organization: object
    api_key: object
    raw_key: str

    @property
    def headers(self) -> dict:
        return {"HTTP_AUTHORIZATION": f"Bearer {self.raw_key}"}


@pytest.fixture(autouse=True)
def _media_and_eager(settings, tmp_path):
    """Files land in a per-test folder; tasks run in-process unless a test asks for the worker."""
    settings.MEDIA_ROOT = tmp_path / "media"
    # The marks' trigram index file is the test's own: one built for another database is
    # refused anyway, but none should be found unless the test builds it.
    settings.SIMILARITY_INDEX_PATH = tmp_path / "marks.trgm"
    # The production hasher is slow on purpose; tests log people in by the hundred.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous
    # A page requested in Chinese leaves the language active in this thread (the locale
    # middleware sets it and nothing resets it between tests); the next test starts afresh.
    translation.deactivate()


@pytest.fixture(autouse=True)
def _cache_reachable(monkeypatch):
    """Each test starts with the shared cache believed reachable: a test that stopped Redis
    leaves no outage behind for the next one to count and cache around."""
    registered = dict(shared_cache._outage.renew_on_return)
    monkeypatch.setattr(shared_cache, "_outage", shared_cache._Outage(renew_on_return=registered))


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Remove the seeded evidence requirements once; tests that rely on some create them.

    Transactional tests flush the seeded rows anyway, so without this the rules a test sees
    would depend on which tests ran before it.
    """
    from sellers.models import CategoryRequirement

    with django_db_blocker.unblock():
        CategoryRequirement.objects.all().delete()


@pytest.fixture
def program(db):
    return ProgramFactory()


@pytest.fixture
def lighting(db):
    return CategoryFactory()


@pytest.fixture
def seller_a(db) -> Seller:
    membership = OwnerFactory(
        company__legal_name="Shenzhen Bright Lamp Technology Co., Ltd.",
        user__username="owner-a@bright-lamp.example",
    )
    return Seller(membership.company, membership.user)


@pytest.fixture
def seller_b(db) -> Seller:
    membership = OwnerFactory(
        company__legal_name="Ningbo Harbor Housewares Co., Ltd.",
        user__username="owner-b@harbor.example",
    )
    return Seller(membership.company, membership.user)


@pytest.fixture
def reviewer(db):
    return ReviewerFactory(username="ana.reviewer@brand-program.example")


@pytest.fixture
def other_reviewer(db):
    return ReviewerFactory(username="omar.reviewer@brand-program.example")


@pytest.fixture
def senior_reviewer(db):
    return ReviewerFactory(username="sam.senior@brand-program.example", senior=True)


@pytest.fixture
def manager(db):
    return ReviewerFactory(username="mia.manager@brand-program.example", senior=True, manager=True)


@pytest.fixture
def outsider(db):
    return UserFactory(username="outsider@example.com")


@pytest.fixture
def partner(db, seller_a) -> Partner:
    """An agency key granted access to seller A only."""
    organization = PartnerFactory(name="Silk Road Brand Services")
    partner_grant_issue(partner=organization, company=seller_a.company, actor=seller_a.actor)
    api_key, raw = api_key_issue(
        name="test",
        scopes=["applications:read", "applications:write", "evidence:write"],
        partner=organization,
    )
    return Partner(organization, api_key, raw)


@pytest.fixture(scope="session")
def _celery_worker_process(django_db_setup, django_db_blocker, tmp_path_factory):
    """A real `celery worker` process on the test database and the Redis broker."""
    from django.conf import settings

    if not settings.BROKER_URL.startswith("redis"):
        pytest.skip("the pipeline tests need CELERY_BROKER_URL=redis://… (make test sets it)")
    database = settings.DATABASES["default"]
    database_url = (
        f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
    )
    log_path = tmp_path_factory.mktemp("worker") / "worker.log"
    celery_app.control.purge()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SCREENING_STALE_SECONDS": "2",
        "NOTIFICATION_STALE_SECONDS": "1",
        "MEDIA_ROOT": str(tmp_path_factory.mktemp("worker-media")),
        # Its task metrics on a port of its own, and its log lines as JSON, for the tests.
        "WORKER_METRICS_PORT": str(free_port()),
        "WORKER_METRICS_ADDR": "127.0.0.1",
        "LOG_FORMAT": "json",
        # Webhook tests receive on 127.0.0.1, which production refuses as a target.
        "WEBHOOK_ALLOWED_NETWORKS": "127.0.0.0/8",
    }
    worker = WorkerProcess(env, log_path)
    worker.start()
    yield worker
    worker.stop()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class WorkerProcess:
    """The worker subprocess; a test may kill it and start it again with extra environment."""

    def __init__(self, env: dict, log_path: Path):
        self.env, self.log_path, self.process = env, log_path, None

    def start(self, **extra_env: str) -> None:
        with self.log_path.open("a") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "brandprogram", "worker", "--pool", "solo",
                 "--loglevel", "INFO", "--without-gossip", "--without-mingle",
                 "--without-heartbeat", "--hostname", f"test-worker-{os.getpid()}@%h"],
                cwd=PROJECT_ROOT, env={**self.env, **extra_env}, stdout=log,
                stderr=subprocess.STDOUT,
            )  # fmt: skip
        deadline = time.monotonic() + 60
        while not celery_app.control.ping(timeout=0.5):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.process.kill()
                pytest.fail(f"the Celery worker did not start:\n{self.log_path.read_text()}")

    def kill(self) -> None:
        """SIGKILL: no clean shutdown, messages in flight stay unacknowledged."""
        self.process.kill()
        self.process.wait()

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()


@pytest.fixture
def celery_worker(_celery_worker_process, transactional_db, settings):
    """Send tasks to the real worker for this test; the data it reads must be committed."""
    celery_app.conf.task_always_eager = False
    # Files the test stores must be where the worker looks (evidence forensics reads them).
    settings.MEDIA_ROOT = _celery_worker_process.env["MEDIA_ROOT"]
    return _celery_worker_process


def wait_until(predicate, *, timeout: float = 30.0, interval: float = 0.1, message: str = ""):
    """Poll until ``predicate()`` is truthy; the worker runs in another process."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(interval)
    pytest.fail(message or f"condition not met within {timeout} s")


def manage_check(*args: str, **env) -> subprocess.CompletedProcess:
    """`manage.py check [args]` in a fresh process: settings are read once, at start-up.

    The real-stack variables are dropped so each test states the environment it means.
    """
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "CELERY_BROKER_URL", "CACHE_URL"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check", *args],
        cwd=PROJECT_ROOT,
        env={**clean, "DEBUG": "true", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
