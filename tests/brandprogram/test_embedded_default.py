"""What `make run` does, on a throw-away data folder: SQLite, in-process tasks, demo data."""

import json
import os
import socket
import sqlite3
import subprocess
import sys
import urllib.error
import urllib.request

import pytest

from tests.conftest import PROJECT_ROOT, wait_until
from tests.sellers.webhooks.receiver import Answer, Receiver, verify


@pytest.fixture
def embedded_env(tmp_path) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "CELERY_BROKER_URL", "CACHE_URL", "SECRET_KEY"}
    }
    return {**env, "DEBUG": "true", "DATA_DIR": str(tmp_path)}


def _manage(env, *args) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


# Run in `manage.py shell` on the SQLite database: the demo's submitted application is in the
# "General" queue; it is made five days old and two days overdue, then the manager's dashboard
# page, its queue tables as CSV and the queue metrics are read.
DASHBOARD_ON_SQLITE = """
import csv, datetime, io, json
from django.contrib.auth import get_user_model
from django.test import Client
from django.test.utils import setup_test_environment
from django.utils import timezone
from reviews.metrics import review_queue_figures
from reviews.models import QueueItem

setup_test_environment()
now = timezone.now()
QueueItem.objects.update(
    entered_at=now - datetime.timedelta(days=5), due_at=now - datetime.timedelta(days=2)
)
client = Client()
client.force_login(get_user_model().objects.get(username="manager@brand-program.example"))
page = client.get("/review/dashboard/")
tables = {
    key: list(csv.reader(io.StringIO(client.get(f"/review/dashboard/{key}.csv").content.decode())))
    for key in ("queues", "sla")
}
metrics = {name: [depth, late] for name, (depth, _wait, late) in review_queue_figures().items()}
print(json.dumps({"status": page.status_code, "charts": page.content.count(b"<svg"), **tables,
                  "metrics": metrics}))
"""


# Run in `manage.py shell` on the SQLite database: the reviewer's search, which matches names
# by substring there (no pg_trgm), and identifiers typed whole as it does on PostgreSQL.
SEARCH_ON_SQLITE = """
import json
from django.contrib.auth import get_user_model
from django.test import Client
from django.test.utils import setup_test_environment
from sellers.models import Application

setup_test_environment()
client = Client()
client.force_login(get_user_model().objects.get(username="reviewer@brand-program.example"))
draft = Application.objects.get(brand__name="BRIGHTLAMP")
lumibright = Application.objects.get(brand__name="LUMIBRIGHT")
asked = {
    "lamp": {"q": "bright lamp"},
    "brand": {"q": "lumi"},
    "waiting": {"q": "bright", "status": "awaiting_review"},
    "uscc": {"q": "91440300ma5fabcd1q"},
    "nothing": {"q": "harbor"},
    "trademark": {"q": "78123456"},
    "reference": {"q": draft.reference},
}
answers = {}
for name, query in asked.items():
    page = client.get("/review/search/", query)
    found = page.context and [a.brand.name for a in page.context["page"].object_list]
    answers[name] = [page.status_code, page.get("Location"), found]
print(json.dumps({"answers": answers, "draft": draft.pk, "lumibright": lumibright.pk,
                  "reference": draft.reference, "started": draft.created_at.year}))
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_embedded_default_migrates_loads_demo_and_serves(embedded_env, tmp_path):
    _manage(embedded_env, "migrate", "--verbosity", "0")
    logins = json.loads(_manage(embedded_env, "load_demo"))

    database = sqlite3.connect(tmp_path / "brandprogram.sqlite3")
    rows = database.execute(
        "SELECT b.name, a.status, a.risk_score FROM sellers_application a "
        "JOIN sellers_brand b ON b.id = a.brand_id ORDER BY b.name"
    ).fetchall()
    database.close()
    # The demo's submitted application was screened in-process, with no broker anywhere, and
    # is clean: its registry record is in the sample data, its factory and certificate in date.
    assert rows == [("BRIGHTLAMP", "draft", None), ("LUMIBRIGHT", "awaiting_review", 0)]
    assert logins["seller_owner"]["login"] == "owner@bright-lamp.example"
    assert logins["partner_api_key"]["key"].startswith("bpk_")

    shell_output = _manage(embedded_env, "shell", "--no-imports", "-c", DASHBOARD_ON_SQLITE)
    dashboard = json.loads(shell_output)
    # The seven tables' charts, the waiting time for trademarks verified by hand among them, and
    # the three weekly trend lines, on SQLite.
    assert (dashboard["status"], dashboard["charts"]) == (200, 10)
    assert dashboard["queues"][1:] == [
        ["General", "1", "0", "5.0"],
        ["Senior review", "0", "0", ""],
    ]
    assert dashboard["sla"][1:] == [["General", "1", "0", "2.0"], ["Senior review", "0", "0", ""]]
    assert dashboard["metrics"] == {"General": [1, 1], "Senior review": [0, 0]}

    search = json.loads(_manage(embedded_env, "shell", "--no-imports", "-c", SEARCH_ON_SQLITE))
    workspace = "/review/applications/{}/".format
    # Newest first among names that match equally (substring matches are not ranked).
    assert search["answers"] == {
        "lamp": [200, None, ["BRIGHTLAMP", "LUMIBRIGHT"]],
        "brand": [200, None, ["LUMIBRIGHT"]],
        "waiting": [200, None, ["LUMIBRIGHT"]],
        "uscc": [200, None, ["BRIGHTLAMP", "LUMIBRIGHT"]],
        "nothing": [200, None, []],
        "trademark": [302, workspace(search["lumibright"]), None],
        "reference": [302, workspace(search["draft"]), None],
    }
    assert search["reference"] == f"TCB-{search['started']}-{search['draft']:06d}"

    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=PROJECT_ROOT,
        env=embedded_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        body = wait_until(lambda: _get(f"http://127.0.0.1:{port}/readyz"), timeout=30)
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert json.loads(body) == {"status": "ok", "database": "ok", "broker": "in-process"}


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback only
            return response.read().decode()
    except OSError:
        return None


@pytest.fixture
def demo_server(embedded_env, tmp_path):
    """`make run` on a throw-away folder: migrated, demo data loaded, runserver started; its
    schedule made short (retries after a second, the due-sweep every second) and the loopback
    receiver allowed."""
    env = {
        **embedded_env,
        "WEBHOOK_ALLOWED_NETWORKS": "127.0.0.0/8",
        "WEBHOOK_RETRY_DELAYS": "1,1",
        "WEBHOOK_SWEEP_SECONDS": "1",
    }
    _manage(env, "migrate", "--verbosity", "0")
    logins = json.loads(_manage(env, "load_demo"))
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: _get(f"{base}/readyz"), timeout=30)
        yield base, env, logins
    finally:
        server.terminate()
        server.wait(timeout=10)


def _call(base: str, key: str, method: str, path: str, body: dict | None = None):
    request = urllib.request.Request(  # noqa: S310 - loopback only
        f"{base}/api/v1/{path}",
        method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def test_embedded_default_retries_a_failed_delivery_without_another_process(demo_server):
    base, _env, logins = demo_server
    key = logins["partner_api_key"]["key"]
    with Receiver() as receiver:
        receiver.answer_with(Answer(500, b"try later"))
        status, endpoint = _call(
            base, key, "POST", "webhooks/",
            {"url": receiver.url, "event_types": ["application.withdrawn"]},
        )  # fmt: skip
        assert status == 201, endpoint
        _status, drafts = _call(base, key, "GET", "applications/?status=draft")
        draft = drafts["results"][0]["id"]

        status, withdrawn = _call(base, key, "POST", f"applications/{draft}/withdraw/", {})
        assert (status, withdrawn["status"]) == (200, "withdrawn")
        # The first attempt fails; beat, run by the web process itself, sends the retry.
        wait_until(lambda: len(receiver.requests) == 2, timeout=30)

    _status, log = _call(base, key, "GET", f"webhook-deliveries/?endpoint={endpoint['id']}")
    (delivery,) = log["results"]
    assert (delivery["status"], delivery["attempts"], delivery["last_response_code"]) == (
        "succeeded",
        2,
        200,
    )
    first, second = receiver.requests
    assert first.headers["webhook-id"] == second.headers["webhook-id"] == delivery["event_id"]
    assert verify(endpoint["secret"], second.headers, second.body)
    assert second.payload["data"]["application"]["id"] == draft


def test_embedded_default_sees_a_grant_made_by_a_command_at_once(demo_server):
    base, env, logins = demo_server
    created = json.loads(
        _manage(env, "provision_partner", "--name", "Second Agency",
                "--contact-email", "api@second.example")
    )  # fmt: skip
    key, company_id = created["api_key"], logins["partner_api_key"]["acts_for_company_id"]
    _status, before = _call(base, key, "GET", "applications/")
    _status, grants_before = _call(base, key, "GET", "grants/")

    json.loads(
        _manage(env, "grant_partner", "--partner-id", str(created["partner_id"]),
                "--company-id", str(company_id))
    )  # fmt: skip
    _status, after = _call(base, key, "GET", "applications/")
    _status, grants_after = _call(base, key, "GET", "grants/")

    assert (before["results"], grants_before["results"]) == ([], [])
    assert {a["seller"]["id"] for a in after["results"]} == {company_id}
    assert len(after["results"]) == 2
    assert [g["seller"]["id"] for g in grants_after["results"]] == [company_id]
