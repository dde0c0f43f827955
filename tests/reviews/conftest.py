"""Fixtures for the reviews tests: a local stand-in for a trademark registry's HTTP API, and
re-certification started in-process."""

import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from reviews.models import RecertificationCase
from reviews.recertification import recertification_start
from tests.reviews.recertification_support import TODAY, admitted, import_registry


@dataclass
class FakeRegistry:
    """Answers queued (status, body) pairs in order, the last one repeatedly; records requests."""

    url: str
    answers: list[tuple[int, bytes]] = field(default_factory=list)
    requests: list[dict] = field(default_factory=list)


@pytest.fixture
def registry_server():
    state = FakeRegistry(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            headers = {name.lower(): value for name, value in self.headers.items()}
            state.requests.append({"path": self.path, "headers": headers})
            status, body = state.answers.pop(0) if len(state.answers) > 1 else state.answers[0]
            self.send_response(status)
            self.send_header("Content-Type", "application/xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}/ts/cd/casestatus"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture
def run_now(django_capture_on_commit_callbacks):
    """Start a month's re-certification; the check tasks (in-process here) run after commit."""

    def start(today=TODAY):
        with django_capture_on_commit_callbacks(execute=True):
            return recertification_start(today=today)

    return start


@pytest.fixture
def open_case(seller_a, tmp_path, run_now) -> RecertificationCase:
    """The case a registry mark gone dead opens at this month's re-certification."""
    import_registry(tmp_path, "euipo-2026-11", state="dead")
    admitted(seller_a)
    run_now()
    return RecertificationCase.objects.get()
