"""The fault drill's webhook receiver: verifies each signature and counts what arrived."""

import base64
import collections
import hashlib
import hmac
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# The receiver answers 500 to the first attempt at every this-many-th event, so retries run
# through the faults too.
REFUSE_FIRST_ATTEMPT_EVERY = 7


class Receiver:
    """A partner's webhook receiver: checks every signature and notes every webhook-id.

    It verifies with the public format (docs/partner-guide.md), not with the service's own
    signing code, so a change on either side that breaks receivers shows here.
    """

    TOLERANCE_SECONDS = 5 * 60

    def __init__(self):
        self.secret = ""
        self.lock = threading.Lock()
        self.receipts: collections.Counter = collections.Counter()  # webhook-id: 2xx answers
        self.first_received: dict[str, float] = {}  # webhook-id: time.monotonic() of its 2xx
        self.refused: set[str] = set()  # webhook-ids whose first attempt got a 500
        self.events_seen = 0
        self.bad_signatures = 0
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/brand-program"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        if self.thread.is_alive():
            self.server.shutdown()
        self.server.server_close()

    def _handler(self):
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                self._answer(receiver.receive(self.headers, body))

            def _answer(self, status: int) -> None:
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        return Handler

    def receive(self, headers, body: bytes) -> int:
        message_id = headers.get("webhook-id", "")
        with self.lock:
            if not self._verified(headers, body):
                self.bad_signatures += 1
                return 401
            if message_id not in self.receipts and message_id not in self.refused:
                self.events_seen += 1
                if self.events_seen % REFUSE_FIRST_ATTEMPT_EVERY == 1:
                    self.refused.add(message_id)
                    return 500
            self.receipts[message_id] += 1
            self.first_received.setdefault(message_id, time.monotonic())
            return 204

    def _verified(self, headers, body: bytes) -> bool:
        message_id = headers.get("webhook-id", "")
        timestamp = headers.get("webhook-timestamp", "")
        if not (message_id and self.secret and timestamp.isdigit()):
            return False
        if abs(time.time() - int(timestamp)) > self.TOLERANCE_SECONDS:
            return False
        key = base64.b64decode(self.secret.removeprefix("whsec_"))
        digest = hmac.new(key, f"{message_id}.{timestamp}.".encode() + body, hashlib.sha256)
        expected = base64.b64encode(digest.digest()).decode()
        signatures = [part.partition(",") for part in headers.get("webhook-signature", "").split()]
        return any(
            version == "v1" and hmac.compare_digest(value, expected)
            for version, _, value in signatures
        )
