"""What `make run` does, on a throw-away data folder: SQLite, in-process tasks, demo data."""

import json
import os
import socket
import sqlite3
import subprocess
import sys
import urllib.request

import pytest

from tests.conftest import PROJECT_ROOT, wait_until


@pytest.fixture
def embedded_env(tmp_path) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "CELERY_BROKER_URL", "SECRET_KEY"}
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
    # The seven tables, the waiting time for trademarks verified by hand among them, on SQLite.
    assert (dashboard["status"], dashboard["charts"]) == (200, 7)
    assert dashboard["queues"][1:] == [
        ["General", "1", "0", "5.0"],
        ["Senior review", "0", "0", ""],
    ]
    assert dashboard["sla"][1:] == [["General", "1", "0", "2.0"], ["Senior review", "0", "0", ""]]
    assert dashboard["metrics"] == {"General": [1, 1], "Senior review": [0, 0]}

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
