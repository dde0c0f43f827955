"""`make faults`: applications keep arriving through the API while the parts of the stack fail.

The drill starts a throw-away stack of its own under var/faults/ on free ports (PostgreSQL,
Redis with append-only persistence, gunicorn, a Celery worker and a sweeper standing in for
beat), registers a webhook endpoint for its partner pointing at a receiver of its own, submits
a stream of applications as a partner would, and meanwhile:

1. kills the Celery worker with SIGKILL and starts a new one,
2. restarts Redis,
3. restarts PostgreSQL.

Then it waits for the pipeline to settle, reconciles the database against what the client
was told and what the webhook receiver got, prints a JSON summary and exits 1 if anything was
lost or doubled, or if any request was answered with a 5xx other than 503. Everything it
started is stopped and var/faults/ removed on the way out, whether the drill passed or not.
"""

import base64
import collections
import contextlib
import hashlib
import hmac
import io
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import django
import requests
from celery import Celery
from django.core.management import call_command
from django.db import connections
from PIL import Image
from pypdf import PdfWriter

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "var" / "faults"
PYTHON = sys.executable

SUBMITTERS = 2
# Short on purpose: the drill waits for the sweeps to recover what each fault dropped.
SWEEP_EVERY_SECONDS = 3.0
STALE_SECONDS = 10
# How long each fault keeps its part of the stack down, and the quiet time between faults.
DOWN_SECONDS = 3.0
BETWEEN_FAULTS_SECONDS = 6.0
SETTLE_TIMEOUT_SECONDS = 90.0
RETRY_PAUSE_SECONDS = 0.5
# Longer than an idempotency claim lives (sellers.api.idempotency.CLAIM_SECONDS): a request
# cut off by the Redis restart leaves its claim behind, and its retries are told "in progress"
# until the claim expires.
GIVE_UP_SECONDS = 90.0
DECISION_READY = {"awaiting_review", "changes_requested"}
# The receiver answers 500 to the first attempt at every this-many-th event, so retries run
# through the faults too.
REFUSE_FIRST_ATTEMPT_EVERY = 7
# Short retries, so that every refused or lost attempt is made again within the drill; the
# claim must stay above twice the delivery timeout (settings.py checks it).
WEBHOOK_ENV = {
    "WEBHOOK_ALLOWED_NETWORKS": "127.0.0.0/8",
    "WEBHOOK_RETRY_DELAYS": "1,1,2,2,5",
    "WEBHOOK_SWEEP_SECONDS": "3",
    "WEBHOOK_TIMEOUT_SECONDS": "3",
    "WEBHOOK_CLAIM_SECONDS": "10",
}


def main() -> int:
    stack = Stack()
    # SIGTERM (a CI timeout, `kill`) unwinds like Ctrl-C, so the finally below still cleans up.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        started = time.monotonic()
        stack.start()
        key, seller_id = stack.provision()
        drill = Drill(stack, key, seller_id)
        drill.register_webhook()
        setup_s = time.monotonic() - started
        say(f"stack up in {setup_s:.0f} s at {stack.base_url}; submitting applications")
        drill.run()
        stream_s = time.monotonic() - started - setup_s
        say(f"{len(drill.submissions)} applications sent; waiting for screening, then reconciling")
        summary = reconcile(drill)
        summary["timings_s"] = {
            "setup": round(setup_s, 1),
            "stream": round(stream_s, 1),
            "settle": summary.pop("settle_s"),
            "total": round(time.monotonic() - started, 1),
        }
        print(json.dumps(summary, indent=2))
        if summary["problems"]:
            stack.print_log_tails()
        return 1 if summary["problems"] else 0
    except Exception:
        stack.print_log_tails()
        raise
    finally:
        stack.close()


def say(message: str) -> None:
    print(f"faults: {message}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(predicate, what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise RuntimeError(f"faults: {what} not ready within {timeout:.0f} s")
        time.sleep(0.2)


def postgres_bin() -> Path:
    """Debian keeps the server programs out of PATH, in /usr/lib/postgresql/<version>/bin."""
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
    if versions:
        return versions[-1]
    if found := shutil.which("pg_ctl"):
        return Path(found).parent
    raise SystemExit("faults: PostgreSQL is not installed (apt-get install postgresql)")


class Stack:
    """The drill's own PostgreSQL, Redis, gunicorn, Celery worker and sweeper."""

    def __init__(self):
        self.pg_bin = postgres_bin()
        self.pg_data = WORK / "pg"
        self.pg_port, self.redis_port, self.web_port = free_port(), free_port(), free_port()
        self.base_url = f"http://127.0.0.1:{self.web_port}"
        self.redis_url = f"redis://127.0.0.1:{self.redis_port}"
        self.processes: dict[str, subprocess.Popen] = {}
        # The drill stands in for the process manager too: a worker that exits by itself is
        # started again, and counted.
        self.worker_lock = threading.Lock()
        self.worker_restarts: list[str] = []
        self.watching = threading.Event()
        self.watcher = threading.Thread(target=self._watch_worker, daemon=True)
        self.sweeper = Sweeper(f"{self.redis_url}/0")
        self.receiver = Receiver()
        self.env = {
            **os.environ,
            "DEBUG": "false",
            "SECRET_KEY": "faults-drill-only",
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{self.pg_port}/brandprogram",
            "CELERY_BROKER_URL": f"{self.redis_url}/0",
            "CACHE_URL": f"{self.redis_url}/1",
            "DATA_DIR": str(WORK / "data"),
            "MEDIA_ROOT": str(WORK / "media"),
            "SCREENING_STALE_SECONDS": str(STALE_SECONDS),
            "NOTIFICATION_STALE_SECONDS": str(STALE_SECONDS),
            # The drill is the only client; the per-key budget is not what it tests.
            "API_RATE_LIMIT": "100000/minute",
            **WEBHOOK_ENV,
        }

    def start(self) -> None:
        self._remove_leftovers()
        for folder in ("pg", "redis", "data", "media", "logs"):
            (WORK / folder).mkdir(parents=True)
        if os.geteuid() == 0:
            if not self._postgres_user_reaches(WORK):
                # A checkout under a private home (/root is 0700): the cluster lives in /tmp.
                self.pg_data = Path(tempfile.mkdtemp(prefix="brandprogram-faults-pg-"))
            shutil.chown(self.pg_data, "postgres", "postgres")
        self._as_postgres(
            "initdb", "-D", self.pg_data, "-U", "postgres", "--auth=trust", "--no-sync"
        )
        self.start_postgres()
        subprocess.run(
            [self.pg_bin / "createdb", "-h", "127.0.0.1", "-p", str(self.pg_port),
             "-U", "postgres", "brandprogram"],
            check=True,
        )  # fmt: skip
        self.start_redis()
        # The drill's own process uses Django too: to migrate, provision and reconcile.
        os.environ.update(self.env, DJANGO_SETTINGS_MODULE="brandprogram.settings")
        sys.path.insert(0, str(ROOT))
        django.setup()
        self.manage("migrate", "--verbosity", "0")
        self.start_web()
        self.start_worker()
        self.watcher.start()
        self.sweeper.start()
        self.receiver.start()

    def provision(self) -> tuple[str, int]:
        seller = self.manage(
            "provision_seller", "--legal-name", "Shenzhen Fault Drill Lighting Co., Ltd.",
            "--country", "CN", "--registration-number", "91440300MA5FABCD1Q",
            "--owner-email", "owner@fault-drill.example", "--owner-password", uuid.uuid4().hex,
            "--category", "lighting-appliances", "--verified",
        )  # fmt: skip
        partner = self.manage(
            "provision_partner", "--name", "Fault Drill Agency",
            "--contact-email", "api@fault-drill.example",
            "--scope", "applications:read", "--scope", "applications:write",
            "--scope", "evidence:write", "--scope", "webhooks:manage",
        )  # fmt: skip
        self.manage(
            "grant_partner",
            "--partner-id", str(partner["partner_id"]),
            "--company-id", str(seller["company_id"]),
        )  # fmt: skip
        # Nothing of the drill's own may hang on to PostgreSQL through its restart.
        connections.close_all()
        return partner["api_key"], seller["company_id"]

    def manage(self, *args: str) -> dict | None:
        """A management command run in this process, on the drill's database."""
        output = io.StringIO()
        call_command(*args, stdout=output)
        return json.loads(output.getvalue()) if output.getvalue().strip() else None

    # --- PostgreSQL: the server refuses to run as root, so it runs as the postgres user.

    def _as_postgres(self, program: str, *args, check: bool = True) -> None:
        command = [str(self.pg_bin / program), *map(str, args)]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=check, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    @staticmethod
    def _postgres_user_reaches(folder: Path) -> bool:
        reach = ["runuser", "-u", "postgres", "--", "test", "-x", str(folder)]
        return subprocess.run(reach, check=False).returncode == 0

    def start_postgres(self) -> None:
        options = (
            f"-p {self.pg_port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' "
            # A throw-away cluster: durability against power loss is not what the drill tests.
            "-c max_connections=50 -c fsync=off"
        )
        self._as_postgres(
            "pg_ctl", "start", "-D", self.pg_data, "-w", "-o", options,
            "-l", self.pg_data / "server.log",
        )  # fmt: skip

    def stop_postgres(self, mode: str = "fast") -> None:
        self._as_postgres("pg_ctl", "stop", "-D", self.pg_data, "-m", mode, "-w")

    # --- Redis: appendonly, like production, so queued messages survive its restart.

    def start_redis(self) -> None:
        self._spawn(
            "redis",
            ["redis-server", "--bind", "127.0.0.1", "--port", str(self.redis_port),
             "--dir", str(WORK / "redis"), "--appendonly", "yes", "--save", "",
             "--maxmemory-policy", "noeviction"],
        )  # fmt: skip
        wait_for(self._redis_answers, "Redis")

    def _redis_answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.redis_port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop_redis(self) -> None:
        self._stop("redis")

    # --- The application's processes.

    def start_web(self) -> None:
        self._spawn(
            "web",
            [PYTHON, "-m", "gunicorn", "brandprogram.wsgi:application",
             "--bind", f"127.0.0.1:{self.web_port}", "--workers", "2", "--timeout", "30"],
        )  # fmt: skip
        wait_for(self._web_answers, "gunicorn")

    def _web_answers(self) -> bool:
        try:
            return requests.get(f"{self.base_url}/healthz", timeout=5).status_code == 200
        except requests.RequestException:
            return False

    def start_worker(self) -> None:
        with self.worker_lock:
            self._spawn(
                "worker",
                [PYTHON, "-m", "celery", "-A", "brandprogram", "worker", "--concurrency", "2",
                 "--loglevel", "INFO", "--without-gossip", "--without-mingle",
                 "--without-heartbeat"],
            )  # fmt: skip

    def kill_worker(self) -> None:
        """SIGKILL to the worker and its pool: no clean shutdown, nothing acknowledged."""
        with self.worker_lock:
            worker = self.processes.pop("worker")
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()

    def _watch_worker(self) -> None:
        # Celery 5.7 with kombu 5.7 can exit with "Unrecoverable error" when Redis goes away
        # while a task is unacknowledged; a deployment's process manager starts it again.
        while not self.watching.wait(1.0):
            with self.worker_lock:
                worker = self.processes.get("worker")
                if worker is None or worker.poll() is None:
                    continue
                del self.processes["worker"]
                self.worker_restarts.append(f"exit code {worker.returncode}")
            say(f"the worker exited by itself (code {worker.returncode}); starting it again")
            self.start_worker()

    def _spawn(self, name: str, command: list[str]) -> None:
        log = (WORK / "logs" / f"{name}.log").open("a")
        # A session of its own: a signal meant for one part (or for the drill) hits only it.
        self.processes[name] = subprocess.Popen(
            command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        log.close()

    def _stop(self, name: str) -> None:
        process = self.processes.pop(name)
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()

    def print_log_tails(self, lines: int = 25) -> None:
        logs = [*sorted((WORK / "logs").glob("*.log")), self.pg_data / "server.log"]
        for path in logs:
            if path.exists():
                tail = path.read_text(errors="replace").splitlines()[-lines:]
                print(f"--- {path.name} (last {len(tail)} lines)", *tail, sep="\n", file=sys.stderr)

    def close(self) -> None:
        self.watching.set()
        if self.watcher.is_alive():
            self.watcher.join(timeout=10)
        self.sweeper.stop()
        self.receiver.stop()
        # Clients of Redis first: a worker or web process losing its broker waits to reconnect.
        for name in ("worker", "web", "redis"):
            if name in self.processes:
                self._stop(name)
        if (self.pg_data / "postmaster.pid").exists():
            self.stop_postgres("immediate")
        shutil.rmtree(self.pg_data, ignore_errors=True)
        shutil.rmtree(WORK, ignore_errors=True)

    def _remove_leftovers(self) -> None:
        """A drill killed outright (SIGKILL) leaves its folder, maybe with PostgreSQL running."""
        if (self.pg_data / "postmaster.pid").exists():
            self._as_postgres("pg_ctl", "stop", "-D", self.pg_data, "-m", "immediate", check=False)
        shutil.rmtree(WORK, ignore_errors=True)


# Each sweep and the queue the project's task routes send it to (CELERY_TASK_ROUTES); this
# bare Celery app does not load the project's settings.
SWEEPS = (
    ("reviews.tasks.screening_sweep", "screening"),
    ("sellers.tasks.notifications_sweep", "notifications"),
    ("sellers.tasks.webhook_deliveries_due", "webhooks"),
)


class Sweeper:
    """Beat's job in the drill: send the sweeps every few seconds, not every few minutes."""

    def __init__(self, broker_url: str):
        self.app = Celery(broker=broker_url)
        self.app.conf.broker_connection_timeout = 1
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._loop, daemon=True)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.stopping.set()
        if self.thread.is_alive():
            self.thread.join(timeout=10)

    def _loop(self) -> None:
        while not self.stopping.wait(SWEEP_EVERY_SECONDS):
            for task, queue in SWEEPS:
                # Redis may be down on purpose; the next round sends again.
                with contextlib.suppress(Exception):
                    self.app.send_task(task, queue=queue, retry=False)


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


@dataclass
class Submission:
    number: int
    application_id: int | None = None
    submitted: bool = False

    @property
    def brand(self) -> str:
        return f"DRILL{self.number:04d}"


@dataclass
class Answer:
    at: float
    status: int  # 0: no answer at all (connection refused or reset, timeout)
    code: str  # the problem's code for 4xx and 5xx answers
    retry_after: bool

    @property
    def kind(self) -> str:
        if self.status == 0:
            return "no answer"
        return f"{self.status} {self.code}".strip()


@dataclass
class Fault:
    name: str
    started: float
    ended: float = 0.0
    answers: collections.Counter = field(default_factory=collections.Counter)
    recovered_after_s: float | None = None


class Drill:
    """Partners submitting applications while the faults happen one after the other."""

    def __init__(self, stack: Stack, api_key: str, seller_id: int):
        self.stack, self.seller_id = stack, seller_id
        self.headers = {"Authorization": f"Bearer {api_key}"}
        self.submissions: list[Submission] = []
        self.errors: list[str] = []
        self.answers: list[Answer] = []
        self.faults: list[Fault] = []
        self.stopping = threading.Event()
        self.lock = threading.Lock()
        self.started = time.monotonic()
        self.pdf, self.png = _pdf_bytes(), _png_bytes()
        self.webhook_endpoint_id: int | None = None

    def register_webhook(self) -> None:
        """The partner registers its receiver for every application event, through the API."""
        from sellers.webhooks.endpoints import APPLICATION_EVENT_TYPES

        receiver = self.stack.receiver
        created = self._call(
            "post",
            "/api/v1/webhooks/",
            json={
                "url": receiver.url,
                "event_types": list(APPLICATION_EVENT_TYPES),
                "description": "fault drill receiver",
            },
        )
        if created.status_code != 201:
            raise RuntimeError(f"faults: webhook registration answered {created.status_code}: "
                               f"{created.text}")  # fmt: skip
        self.webhook_endpoint_id = created.json()["id"]
        receiver.secret = created.json()["secret"]

    def run(self) -> None:
        threads = [threading.Thread(target=self._submit_loop) for _ in range(SUBMITTERS)]
        for thread in threads:
            thread.start()
        try:
            time.sleep(BETWEEN_FAULTS_SECONDS)
            self._fault("worker_sigkill", self.stack.kill_worker, self.stack.start_worker)
            self._fault("redis_restart", self.stack.stop_redis, self.stack.start_redis)
            self._fault("postgres_restart", self.stack.stop_postgres, self.stack.start_postgres)
        finally:
            self.stopping.set()
            for thread in threads:
                thread.join()

    def _fault(self, name: str, stop, start) -> None:
        fault = Fault(name, time.monotonic() - self.started)
        say(name.replace("_", " "))
        stop()
        time.sleep(DOWN_SECONDS)
        start()
        fault.ended = time.monotonic() - self.started
        self.faults.append(fault)
        time.sleep(BETWEEN_FAULTS_SECONDS)

    def _submit_loop(self) -> None:
        while not self.stopping.is_set():
            with self.lock:
                submission = Submission(number=len(self.submissions) + 1)
                self.submissions.append(submission)
            try:
                self._submit(submission)
            except Exception as exc:  # reported as a problem; the other submitters go on
                self.errors.append(f"{submission.brand}: {exc}")

    def _submit(self, submission: Submission) -> None:
        """Create, attach the two required documents and submit, retrying like a partner."""
        created = self._call(
            "post", "/api/v1/applications/", json=_payload(self.seller_id, submission)
        )
        if created.json().get("code") == "duplicate_application":
            # Counted as a problem by the reconciliation; the submission still goes on.
            submission.application_id = self._find(submission.brand)
        elif created.status_code == 201:
            submission.application_id = created.json()["id"]
        else:
            raise RuntimeError(f"faults: create answered {created.status_code}: {created.text}")
        detail = f"/api/v1/applications/{submission.application_id}/"
        for kind, name, content in (
            ("trademark_certificate", "certificate.pdf", self.pdf),
            ("product_photo", "photo.png", self.png),
        ):
            uploaded = self._call("post", f"{detail}evidence/", data={"kind": kind},
                                  files={"file": (name, content)})  # fmt: skip
            if uploaded.status_code != 201:
                raise RuntimeError(f"faults: upload answered {uploaded.status_code}")
        submitted = self._call("post", f"{detail}submit/")
        if submitted.status_code == 409:
            # As above: counted as a problem, and the application says whether it was submitted.
            submitted = self._call("get", detail)
            submission.submitted = submitted.json()["status"] == "under_review"
        else:
            submission.submitted = submitted.status_code == 200

    def _find(self, brand: str) -> int:
        url = "/api/v1/applications/?page_size=100"
        while url:
            page = self._call("get", url).json()
            for item in page["results"]:
                if item["brand"]["name"] == brand:
                    return item["id"]
            url = page["next"]
        raise RuntimeError(f"faults: {brand} answered duplicate but is not listed")

    def _call(self, method: str, path: str, **kwargs) -> requests.Response:
        """Retry until a final answer: 503s and lost connections are what the drill causes."""
        headers = dict(self.headers)
        if method == "post":
            headers["Idempotency-Key"] = uuid.uuid4().hex
        url = path if path.startswith("http") else self.stack.base_url + path
        give_up = time.monotonic() + GIVE_UP_SECONDS
        while time.monotonic() < give_up:
            try:
                response = requests.request(method, url, headers=headers, timeout=30, **kwargs)
            except requests.RequestException:
                self._record(0, None)
            else:
                answer = self._record(response.status_code, response)
                if answer.kind not in ("503 service_unavailable", "409 idempotency_in_progress"):
                    return response
            time.sleep(RETRY_PAUSE_SECONDS)
        raise RuntimeError(f"{method.upper()} {path}: no final answer in {GIVE_UP_SECONDS} s")

    def _record(self, status: int, response: requests.Response | None) -> Answer:
        problem = (
            response is not None
            and response.headers.get("Content-Type") == "application/problem+json"
        )
        answer = Answer(
            at=time.monotonic() - self.started,
            status=status,
            code=response.json().get("code", "") if problem else "",
            retry_after=response is not None and "Retry-After" in response.headers,
        )
        self.answers.append(answer)
        return answer


def _payload(seller_id: int, submission: Submission) -> dict:
    return {
        "seller": seller_id,
        "brand": {"name": submission.brand, "native_name": ""},
        "trademark": {
            "office": "USPTO",
            "number": str(7_000_000 + submission.number),
            "registration_status": "registered",
            "mark_type": "word",
            "nice_classes": [11],
            "owner_name": "Shenzhen Fault Drill Lighting Co., Ltd.",
            "expires_on": "2036-06-30",
        },
        "categories": ["lighting-appliances"],
    }


def _pdf_bytes() -> bytes:
    writer, buffer = PdfWriter(), io.BytesIO()
    writer.add_blank_page(width=612, height=792)
    writer.write(buffer)
    return buffer.getvalue()


def _png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 40, 40)).save(buffer, format="PNG")
    return buffer.getvalue()


def reconcile(drill: Drill) -> dict:
    """Compare the database with what the client was told, once the pipeline has settled."""
    from django.db.models import Count

    from reviews.models import CheckResult, ScreeningRequest, ScreeningRun
    from sellers.models import (
        Application,
        ApplicationEvent,
        Evidence,
        Notification,
        WebhookDelivery,
    )

    submitted = {s.application_id for s in drill.submissions if s.submitted}
    problems = []

    def statuses() -> dict[int, str]:
        return dict(Application.objects.filter(pk__in=submitted).values_list("pk", "status"))

    settle_started = time.monotonic()
    deadline = settle_started + SETTLE_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        pending = [pk for pk, status in statuses().items() if status not in DECISION_READY]
        unmailed = Notification.objects.filter(mailed_at__isnull=True).exists()
        unsent = WebhookDelivery.objects.filter(status=WebhookDelivery.Status.PENDING).exists()
        if not pending and not unmailed and not unsent:
            break
        time.sleep(0.5)
    settle_s = round(time.monotonic() - settle_started, 1)

    not_ready = sorted(pk for pk, status in statuses().items() if status not in DECISION_READY)
    unknown = sorted(submitted - statuses().keys())
    # Submitters finish the application in hand when the stream stops, so each one counts.
    never_submitted = [s.brand for s in drill.submissions if not s.submitted]
    if never_submitted:
        problems.append(f"never submitted: {never_submitted}")
    problems += [f"submitter failed: {error}" for error in drill.errors]
    if not_ready:
        problems.append(f"not decision-ready: applications {not_ready}")
    if unknown:
        problems.append(f"acknowledged but missing from the database: {unknown}")

    runs = ScreeningRun.objects.filter(application_id__in=submitted)
    runs_per_application = collections.Counter(runs.values_list("application_id", flat=True))
    if doubled := sorted(pk for pk, n in runs_per_application.items() if n > 1):
        problems.append(f"screened more than once: applications {doubled}")
    results = collections.Counter(
        CheckResult.objects.filter(run__in=runs).values_list("run_id", "check_code")
    )
    incomplete_runs = []
    for run_id, codes in runs.values_list("pk", "check_codes"):
        counts = [results[(run_id, code)] for code in codes]
        if counts != [1] * len(codes):
            incomplete_runs.append(run_id)
    if incomplete_runs:
        problems.append(f"runs without exactly one result per check: {incomplete_runs}")

    events = collections.defaultdict(collections.Counter)
    for application_id, action in ApplicationEvent.objects.filter(
        application_id__in=submitted
    ).values_list("application_id", "action"):
        events[application_id][action] += 1
    evidence = dict(
        Evidence.objects.filter(application_id__in=submitted)
        .values("application_id")
        .annotate(n=Count("pk"))
        .values_list("application_id", "n")
    )
    # The client uploaded two files to each application and was told of each exactly once.
    if wrong_evidence := sorted(pk for pk in submitted if evidence.get(pk, 0) != 2):
        problems.append(f"evidence files missing or doubled: applications {wrong_evidence}")
    wrong_events = []
    for pk in submitted:
        seen = events[pk]
        finished = seen["finish_screening"] + seen["return_incomplete"]
        expected = (1, 1, 1, 1, evidence.get(pk, 0))
        actual = (
            seen["created"],
            seen["submit"],
            seen["start_screening"],
            finished,
            seen["evidence_added"],
        )
        if actual != expected:
            wrong_events.append({"application": pk, "events": dict(seen)})
    if wrong_events:
        problems.append(f"events missing or doubled: {wrong_events}")

    unhandled = ScreeningRequest.objects.filter(handled_at__isnull=True).count()
    if unhandled:
        problems.append(f"{unhandled} screening requests never handled")
    notifications = Notification.objects.filter(application_id__in=submitted)
    unmailed = notifications.filter(mailed_at__isnull=True).count()
    if unmailed:
        problems.append(f"{unmailed} notifications never mailed")
    # The file backend appends messages sent in the same second to one file: count headers.
    mails = sum(
        line.startswith("Message-ID:")
        for path in (WORK / "data" / "mail").glob("*")
        for line in path.read_text(errors="replace").splitlines()
    )
    if mails < notifications.count():
        problems.append(f"{mails} mails for {notifications.count()} notifications")

    webhooks = _reconcile_webhooks(drill, problems)

    answers = collections.Counter(a.kind for a in drill.answers)
    for fault in drill.faults:
        window = [a for a in drill.answers if fault.started <= a.at]
        during = [a for a in window if a.at <= fault.ended + 1]
        fault.answers = collections.Counter(a.kind for a in during)
        first_success = next((a.at for a in window if 200 <= a.status < 300), None)
        if first_success is not None:
            fault.recovered_after_s = round(max(0.0, first_success - fault.ended), 2)
    bad = [a for a in drill.answers if a.status >= 500 and a.status != 503]
    if bad:
        problems.append(f"{len(bad)} answers were 5xx other than 503")
    # Each write is sent once with its own Idempotency-Key and retried with it, so a retry after
    # a write that committed gets that write's answer back, never a refusal of a second write.
    second_writes = answers["409 duplicate_application"] + answers["409 transition_not_allowed"]
    if second_writes:
        problems.append(f"{second_writes} retries were refused as second writes, not replayed")
    # gunicorn itself never stops in the drill: a dropped connection is a crashed request.
    if dropped := answers["no answer"]:
        problems.append(f"{dropped} requests got no answer at all")
    unannounced = [a for a in drill.answers if a.status == 503 and not (a.retry_after and a.code)]
    if unannounced:
        problems.append(f"{len(unannounced)} 503 answers without Retry-After or problem details")
    postgres = next(f for f in drill.faults if f.name == "postgres_restart")
    if not postgres.answers["503 service_unavailable"]:
        problems.append("no request met the PostgreSQL restart: the drill proved nothing there")
    if postgres.recovered_after_s is None:
        problems.append("the API did not recover after the PostgreSQL restart")

    return {
        "ok": not problems,
        "problems": problems,
        "applications": {
            "started": len(drill.submissions),
            "submitted": len(submitted),
            "decision_ready": len(submitted) - len(not_ready) - len(unknown),
        },
        "screening": {
            "runs": runs.count(),
            "check_results": sum(results.values()),
            "runs_without_one_result_per_check": len(incomplete_runs),
            "unhandled_requests": unhandled,
        },
        "events": {
            "applications_checked": len(submitted),
            "missing_or_doubled": len(wrong_events),
        },
        "evidence_files": {"stored": sum(evidence.values()), "uploaded": 2 * len(submitted)},
        "notifications": {
            "created": notifications.count(),
            "marked_mailed": notifications.count() - unmailed,
            # At least once: a worker killed between sending and marking sends again.
            "mails_sent": mails,
        },
        "webhooks": webhooks,
        # Not a loss in itself; what the exit left unfinished is reconciled like the rest.
        "worker_exits_restarted": drill.stack.worker_restarts,
        "requests": dict(sorted(answers.items())),
        "faults": [
            {
                "fault": f.name,
                "at_s": round(f.started, 1),
                "down_s": round(f.ended - f.started, 1),
                "answers_until_1s_after": dict(sorted(f.answers.items())),
                "api_first_2xx_after_back_s": f.recovered_after_s,
            }
            for f in drill.faults
        ],
        "settle_s": settle_s,
    }


def _reconcile_webhooks(drill: Drill, problems: list[str]) -> dict:
    """One delivery per seller-visible change, each delivered, each id seen by the receiver."""
    from sellers.models import ApplicationEvent, WebhookDelivery, WebhookEndpoint
    from sellers.workflow import TRANSITIONS, seller_status_code

    receiver = drill.stack.receiver
    visible = [action for action, transition in TRANSITIONS.items() if transition.seller_visible]
    changes = collections.Counter(
        (application_id, f"application.{seller_status_code(to_status)}")
        for application_id, to_status in ApplicationEvent.objects.filter(
            application__company_id=drill.seller_id, action__in=visible
        ).values_list("application_id", "to_status")
    )
    # Redeliveries are asked for by people; the drill asks for none, so every row is an event's.
    deliveries = WebhookDelivery.objects.filter(endpoint_id=drill.webhook_endpoint_id)
    per_change = collections.Counter(deliveries.values_list("application_id", "event_type"))
    wrong = sorted(
        key for key in changes.keys() | per_change.keys() if changes[key] != per_change[key]
    )
    if wrong:
        problems.append(
            "webhook deliveries missing or doubled (application, event, changes, deliveries): "
            f"{[(pk, event, changes[pk, event], per_change[pk, event]) for pk, event in wrong]}"
        )
    statuses = collections.Counter(deliveries.values_list("status", flat=True))
    if unsent := deliveries.exclude(status=WebhookDelivery.Status.SUCCEEDED).count():
        problems.append(f"{unsent} webhook deliveries did not succeed: {dict(statuses)}")
    endpoint = WebhookEndpoint.objects.get(pk=drill.webhook_endpoint_id)
    if not endpoint.is_active:
        problems.append(f"the webhook endpoint was disabled: {endpoint.disabled_reason}")
    event_ids = set(deliveries.values_list("event_id", flat=True))
    if missing := sorted(event_ids - receiver.receipts.keys()):
        problems.append(f"{len(missing)} webhook events never reached the receiver: {missing}")
    if strays := sorted(receiver.receipts.keys() - event_ids):
        problems.append(f"the receiver got {len(strays)} events with no delivery row: {strays}")
    if receiver.bad_signatures:
        problems.append(f"{receiver.bad_signatures} webhook messages failed the signature check")
    attempts = list(deliveries.values_list("attempts", flat=True))
    return {
        "seller_visible_changes": sum(changes.values()),
        "deliveries": len(attempts),
        "missing_or_doubled": len(wrong),
        "succeeded": statuses[WebhookDelivery.Status.SUCCEEDED],
        "attempts": sum(attempts),
        "retried": sum(n > 1 for n in attempts),
        "endpoint_active": endpoint.is_active,
        "receiver": {
            "events_received": len(receiver.receipts),
            "missing": len(missing),
            # At least once: an answer lost with a killed worker or the database is sent again.
            "duplicate_receipts": sum(n - 1 for n in receiver.receipts.values()),
            "refused_on_purpose": len(receiver.refused),
            "bad_signatures": receiver.bad_signatures,
        },
    }


if __name__ == "__main__":
    sys.exit(main())
