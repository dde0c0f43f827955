"""The fault drill's own stack: PostgreSQL, Redis, gunicorn, a worker and the sweeps."""

import contextlib
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
from collections.abc import Callable
from pathlib import Path

import django
import requests
from celery import Celery
from django.core.management import call_command
from django.db import connections
from faults_receiver import Receiver

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
# Short retries, so that every refused or lost attempt is made again within the drill; the
# claim must stay above twice the delivery timeout (settings.py checks it).
WEBHOOK_ENV = {
    "WEBHOOK_ALLOWED_NETWORKS": "127.0.0.0/8",
    "WEBHOOK_RETRY_DELAYS": "1,1,2,2,5",
    "WEBHOOK_SWEEP_SECONDS": "3",
    "WEBHOOK_TIMEOUT_SECONDS": "3",
    "WEBHOOK_CLAIM_SECONDS": "10",
}


def say(message: str) -> None:
    # Named for the drill that runs (faults, restore_drill): both share this stack.
    print(f"{Path(sys.argv[0]).stem}: {message}", file=sys.stderr, flush=True)


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

    def __init__(self, work: Path = WORK):
        self.work = work
        self.pg_bin = postgres_bin()
        self.pg_data = work / "pg"
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
            "DATABASE_URL": self.database_url("brandprogram"),
            "CELERY_BROKER_URL": f"{self.redis_url}/0",
            "CACHE_URL": f"{self.redis_url}/1",
            "DATA_DIR": str(work / "data"),
            "MEDIA_ROOT": str(work / "media"),
            "SCREENING_STALE_SECONDS": str(STALE_SECONDS),
            "NOTIFICATION_STALE_SECONDS": str(STALE_SECONDS),
            # The drill is the only client; the per-key budget is not what it tests.
            "API_RATE_LIMIT": "100000/minute",
            **WEBHOOK_ENV,
        }

    def start(self) -> None:
        self._remove_leftovers()
        for folder in ("pg", "redis", "data", "media", "logs"):
            (self.work / folder).mkdir(parents=True)
        if os.geteuid() == 0:
            if not self._postgres_user_reaches(self.work):
                # A checkout under a private home (/root is 0700): the cluster lives in /tmp.
                self.pg_data = Path(tempfile.mkdtemp(prefix="brandprogram-faults-pg-"))
            shutil.chown(self.pg_data, "postgres", "postgres")
        self._as_postgres(
            "initdb", "-D", self.pg_data, "-U", "postgres", "--auth=trust", "--no-sync"
        )
        self.start_postgres()
        self.create_database("brandprogram")
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

    def database_url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.pg_port}/{name}"

    def pg_client(self, program: str, *args) -> None:
        """A client program of the cluster's own version (createdb, pg_dump, pg_restore)."""
        subprocess.run(
            [self.pg_bin / program, "-h", "127.0.0.1", "-p", str(self.pg_port), "-U", "postgres",
             *map(str, args)],
            check=True,
        )  # fmt: skip

    def create_database(self, name: str) -> None:
        self.pg_client("createdb", name)

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
             "--dir", str(self.work / "redis"), "--appendonly", "yes", "--save", "",
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
             "--config", "python:brandprogram.gunicorn_config",
             "--bind", f"127.0.0.1:{self.web_port}", "--workers", "2", "--timeout", "30"],
            # As docker/entrypoint.sh starts the web role.
            env={"MALLOC_ARENA_MAX": "2"},
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

    def _spawn(self, name: str, command: list[str], env: dict | None = None) -> None:
        log = (self.work / "logs" / f"{name}.log").open("a")
        # A session of its own: a signal meant for one part (or for the drill) hits only it.
        self.processes[name] = subprocess.Popen(
            command, cwd=ROOT, env={**self.env, **(env or {})}, stdout=log,
            stderr=subprocess.STDOUT,
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
        logs = [*sorted((self.work / "logs").glob("*.log")), self.pg_data / "server.log"]
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
        shutil.rmtree(self.work, ignore_errors=True)

    def _remove_leftovers(self) -> None:
        """A drill killed outright (SIGKILL) leaves its folder, maybe with PostgreSQL running."""
        if (self.pg_data / "postmaster.pid").exists():
            self._as_postgres("pg_ctl", "stop", "-D", self.pg_data, "-m", "immediate", check=False)
        shutil.rmtree(self.work, ignore_errors=True)


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


def run_drill(stack: Stack, drill: Callable[[], dict], failures: str) -> int:
    """Run a drill on its stack, print its JSON summary, and tear the stack down whatever happens.

    The summary's list under `failures` decides the exit status; the stack's log tails are
    printed when it is not empty or when the drill raises.
    """
    # SIGTERM (a CI timeout, `kill`) unwinds like Ctrl-C, so the finally below still cleans up.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        summary = drill()
        print(json.dumps(summary, indent=2))
        if summary[failures]:
            stack.print_log_tails()
            # Last, so a CI log cut to its tail still shows why the drill failed.
            print(f"{failures}:", *summary[failures], sep="\n- ", file=sys.stderr)
        return 1 if summary[failures] else 0
    except Exception:
        stack.print_log_tails()
        raise
    finally:
        stack.close()
