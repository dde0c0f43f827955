"""gunicorn as the image runs it (brandprogram.gunicorn_config), on the test database."""

import os
import subprocess
import sys
import time
from contextlib import contextmanager

import pytest
import requests

from tests.conftest import PROJECT_ROOT, free_port


@contextmanager
def project_gunicorn(tmp_path, settings, *, env: dict, args: tuple[str, ...] = ()):
    """Start gunicorn on a free port and yield the port once /healthz answers; the test fails
    with gunicorn's log if it never does."""
    database = settings.DATABASES["default"]
    if "postgresql" not in database["ENGINE"]:
        pytest.skip("needs the PostgreSQL test database (make test)")
    port = free_port()
    environment = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": "gunicorn-test-secret",
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:"
        f"{database['PORT']}/{database['NAME']}",
        **env,
    }
    log_path = tmp_path / "gunicorn.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "brandprogram.wsgi:application",
             "--config", "python:brandprogram.gunicorn_config", "--bind", f"127.0.0.1:{port}",
             *args],
            cwd=PROJECT_ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 30
            while not healthy(port):
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(log_path.read_text())
                time.sleep(0.2)
            yield port
        finally:
            process.terminate()
            process.wait(timeout=15)


def healthy(port: int, timeout: float = 5) -> bool:
    try:
        return requests.get(f"http://127.0.0.1:{port}/healthz", timeout=timeout).ok
    except requests.RequestException:
        return False
