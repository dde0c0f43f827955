"""`make soak`: a fixed mix of portal and partner traffic for ten minutes, and what it cost.

The soak starts the fault drill's throw-away stack under var/soak/ on free ports (PostgreSQL,
Redis, gunicorn, a Celery worker and the sweeper standing in for beat), loads the demo data
(`manage.py load_demo`: two seller companies, reviewers, a partner key) and lets a few threads
use the service at a fixed pace, one request after another with a short pause:

- each seller owner logs in with the form and its CSRF token, then reads the dashboard, an
  application page of its company and its notifications;
- two reviewers log in the same way and read the queue and an application's workspace;
- the partner reads its list of applications and one application's detail;
- the partner writes: creates an application, uploads its two documents and submits it, every
  POST with an Idempotency-Key, while the worker screens what was submitted.

After a warm-up (SOAK_WARMUP_SECONDS, default 60) it times every answer for SOAK_SECONDS
(default 600) and reads the memory of the gunicorn master and workers and of the Celery worker
and its pool every 5 seconds meanwhile (/proc/PID/status). It prints a JSON summary (p50 and p99
per route, errors by route and answer, each process's memory) and a short table, and exits 1 on
any error, or if any process's own memory grew by 10% or more, or if a process ended.
Everything it started is stopped and var/soak/ removed on the way out.

What is judged is a process's own memory (RssAnon + RssShmem: its heap, stacks and shared
memory) at its lowest over the first minute and over the last minute, not VmRSS read twice:

- VmRSS also counts the pages of files the process maps (RssFile: shared libraries, fonts, the
  similarity trigram index file). They grow as parts of those files are first touched, are
  shared with other processes and dropped by the kernel at will: not a leak.
- A pool process reading a document renders its pages and holds tens of MB for a few seconds,
  then hands them back (sellers.documents.ocr.release_memory); a VmRSS read in that moment
  measures the reading, not a leak (one of the two reasons a run at 8da840c saw a pool process
  at +28%; the other, a first reading after the warm-up, is what Soak.burst is for). A leak
  raises the lowest reading as well.

Both are still printed: VmRSS and its file-backed part at the start and the end, as read.

    python scripts/soak.py [--seconds N] [--warmup N]
"""

import argparse
import itertools
import os
import sys
import threading
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable

import requests
from django.db import connections
from faults_load import Drill, Submission
from faults_stack import ROOT, Stack, run_drill, say
from soak_report import (
    failures,
    memory_growth,
    process_tree,
    read_memory,
    route_latencies,
    route_name,
    table,
)

WORK = ROOT / "var" / "soak"
SECONDS = float(os.environ.get("SOAK_SECONDS", "600"))
# Long enough for every thread of gunicorn and the pool to have served and screened a few
# times over: the first requests grow a process's memory once, which is not a leak.
WARMUP_SECONDS = float(os.environ.get("SOAK_WARMUP_SECONDS", "60"))
# Each thread's pause between two requests: a fixed pace, not the most the stack can take.
PAUSE_SECONDS = 0.25
# Memory is read this often during the timed part; the growth judged compares each process's
# lowest reading over the first and over the last MEMORY_WINDOW_SECONDS.
MEMORY_EVERY_SECONDS = 5.0
# Submissions sent at once as the warm-up starts: more documents to read than the pool has
# processes (two), so that each process has read one before memory is first read.
WARMUP_BURST = 6
MEMORY_WINDOW_SECONDS = 60.0
# Reads sent at once as the warm-up starts: more than every gunicorn process's threads together
# (WEB_THREADS, 8, in each of 2), each a page of its own size, so none is answered from the
# cache. A gthread worker starts a thread only when all its others are busy, and each new
# thread brings a database connection and a malloc arena of its own, about 1.5 MB: at the
# mix's pace the last threads started only during the timed part, and showed as growth.
WEB_BURST = 64
TIMEOUT_SECONDS = 30


class Failed(Exception):
    """A request whose failure has been counted already."""


class Recorder:
    """Times every answer by route, and counts every wrong or missing one."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.lock = threading.Lock()
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.errors: Counter = Counter()

    def call(self, session, method: str, path: str, expect: set[int], **kwargs):
        route = route_name(method, path)
        started = time.perf_counter()
        try:
            response = session.request(
                method,
                self.base_url + path,
                timeout=TIMEOUT_SECONDS,
                allow_redirects=False,
                **kwargs,
            )
        except requests.RequestException as exc:
            self.error(route, type(exc).__name__)
            raise Failed from exc
        elapsed = time.perf_counter() - started
        with self.lock:
            self.latencies[route].append(elapsed)
        if response.status_code not in expect:
            self.error(route, str(response.status_code))
            raise Failed
        return response

    def error(self, route: str, answer: str) -> None:
        with self.lock:
            self.errors[route, answer] += 1

    def restart_timing(self) -> None:
        """Forget the warm-up's timings; its errors still count."""
        with self.lock:
            self.latencies.clear()


class Partner(Drill):
    """The fault drill's partner, asking once: in a soak a refused request is an error."""

    def __init__(
        self,
        stack: Stack,
        api_key: str,
        seller_id: int,
        recorder: Recorder,
        session: requests.Session | None = None,
    ):
        super().__init__(stack, api_key, seller_id)
        self.recorder = recorder
        self.session = session or requests.Session()

    def _call(self, method: str, path: str, **kwargs) -> requests.Response:
        headers = dict(self.headers)
        if method == "post":
            headers["Idempotency-Key"] = uuid.uuid4().hex
        # Creating an application or a document answers 201; submitting and reading, 200.
        expect = {201} if method == "post" and not path.endswith("/submit/") else {200}
        return self.recorder.call(self.session, method, path, expect, headers=headers, **kwargs)


class PortalUser:
    """Someone signed in to the portal through the login form, as a browser would."""

    def __init__(self, recorder: Recorder, email: str, password: str):
        self.recorder, self.email, self.password = recorder, email, password
        self.session = requests.Session()

    def log_in(self) -> None:
        self.get("/login/")
        signed_in = self.recorder.call(
            self.session,
            "post",
            "/login/",
            {302},
            data={
                "username": self.email,
                "password": self.password,
                "csrfmiddlewaretoken": self.session.cookies["csrftoken"],
            },
        )
        if "sessionid" not in self.session.cookies:
            self.recorder.error("POST /login/", f"no session ({signed_in.headers['Location']})")
            raise Failed

    def get(self, path: str) -> requests.Response:
        # A page that redirects (to the login form) instead of answering is an error too.
        return self.recorder.call(self.session, "get", path, {200})


class Soak:
    """The threads of the mix, and the applications they take turns reading."""

    def __init__(self, stack: Stack, demo: dict, companies: dict[str, int]):
        self.stack, self.demo, self.companies = stack, demo, companies
        self.recorder = Recorder(stack.base_url)
        self.stopping = threading.Event()
        self.lock = threading.Lock()
        self.numbers = itertools.count(1)
        self.turns = itertools.count()
        # Application ids by company, for its owner's pages; the submitted ones, for the
        # reviewers and the partner's reads. Both grow as the partner writes.
        self.applications: dict[int, list[int]] = defaultdict(list)
        self.submitted: list[int] = []
        self.written = 0
        self.threads: list[threading.Thread] = []

    def seed(self) -> None:
        """The demo's own applications, so that every page has one to show from the start."""
        # The project's code loads only once the stack has set Django up (Stack.start).
        from sellers.models import Application, Status

        demo = Application.objects.filter(company_id__in=self.companies.values())
        for pk, company_id, status in demo.values_list("pk", "company_id", "status"):
            self.applications[company_id].append(pk)
            if status != Status.DRAFT:
                self.submitted.append(pk)
        # The stack's processes are what is measured; the soak's own connection is let go.
        connections.close_all()

    def start(self) -> None:
        logins, key = self.demo, self.demo["partner_api_key"]["key"]
        mixes = [
            self._seller(logins["seller_owner"], self.companies["seller_owner"]),
            self._seller(logins["second_seller_owner"], self.companies["second_seller_owner"]),
            self._reviewer(logins["reviewer"]),
            self._reviewer(logins["senior_reviewer"]),
            self._partner_reads(key),
            self._partner_writes(key),
        ]
        for name, (begin, steps) in mixes:
            thread = threading.Thread(target=self._loop, args=(begin, steps), name=name)
            thread.start()
            self.threads.append(thread)

    def stop(self) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join()

    def _loop(self, begin: Callable[[], None], steps: list[Callable[[], None]]) -> None:
        for step in itertools.chain([begin], itertools.cycle(steps)):
            try:
                step()
            except Failed:
                pass
            except Exception as exc:  # counted as an error; the thread goes on with the mix
                self.recorder.error(f"({threading.current_thread().name})", repr(exc))
            if self.stopping.wait(PAUSE_SECONDS):
                return

    def _pick(self, ids: list[int]) -> int | None:
        with self.lock:
            return ids[next(self.turns) % len(ids)] if ids else None

    def _seller(self, login: dict, company_id: int):
        user = PortalUser(self.recorder, login["login"], login["password"])

        def application_page() -> None:
            if (pk := self._pick(self.applications[company_id])) is not None:
                user.get(f"/applications/{pk}/")

        steps = [
            lambda: user.get("/applications/"),
            application_page,
            lambda: user.get("/notifications/"),
        ]
        return f"seller {login['login']}", (user.log_in, steps)

    def _reviewer(self, login: dict):
        user = PortalUser(self.recorder, login["login"], login["password"])

        def workspace() -> None:
            if (pk := self._pick(self.submitted)) is not None:
                user.get(f"/review/applications/{pk}/")

        steps = [lambda: user.get("/review/"), workspace]
        return f"reviewer {login['login']}", (user.log_in, steps)

    def _partner_reads(self, key: str):
        # It only reads: no company to write for.
        partner = Partner(self.stack, key, 0, self.recorder)

        def detail() -> None:
            if (pk := self._pick(self.submitted)) is not None:
                partner._call("get", f"/api/v1/applications/{pk}/")

        def listing() -> None:
            partner._call("get", "/api/v1/applications/?page_size=20")

        return "partner reads", (listing, [listing, detail])

    def _partner_writes(self, key: str):
        # One client connection for the thread, as one partner system keeps: a connection of
        # each company's own would sit idle through the other company's whole submission,
        # about as long as gunicorn keeps an idle connection open (2 s), and a POST sent on it
        # just as gunicorn closes it gets no answer (requests does not send a POST again).
        session = requests.Session()
        writers = [
            Partner(self.stack, key, company_id, self.recorder, session)
            for company_id in self.companies.values()
        ]

        steps = [lambda partner=partner: self._write(partner) for partner in writers]
        return "partner writes", (steps[0], steps[1:] + steps[:1])

    def _write(self, partner: Partner) -> None:
        submission = Submission(number=next(self.numbers))
        try:
            partner._submit(submission)
        finally:
            with self.lock:
                if submission.application_id is not None:
                    self.applications[partner.seller_id].append(submission.application_id)
                if submission.submitted:
                    self.submitted.append(submission.application_id)
                    self.written += 1

    def burst(self) -> None:
        """WARMUP_BURST submissions at once, for the two companies in turn, and WEB_BURST
        reads at once.

        A pool process's first reading of a document leaves it about 15 MB larger for good
        (the memory glibc keeps after rendering a page, and pages of the PDF and image
        libraries touched); a process that happened to read nothing in the warm-up would show
        that once as growth in the timed part.
        """
        key = self.demo["partner_api_key"]["key"]
        companies = itertools.islice(itertools.cycle(self.companies.values()), WARMUP_BURST)
        partners = [Partner(self.stack, key, company, self.recorder) for company in companies]
        # Each sends its one submission through the mix's loop, which counts its errors.
        writers = [
            threading.Thread(
                target=self._loop, args=(lambda partner=partner: self._write(partner), [])
            )
            for partner in partners
        ]
        # A connection for each read sent at once: requests' pool keeps ten and warns of each
        # one it discards.
        session = requests.Session()
        session.mount(self.stack.base_url, requests.adapters.HTTPAdapter(pool_maxsize=WEB_BURST))
        reader = Partner(self.stack, key, 0, self.recorder, session)
        together = threading.Barrier(WEB_BURST)

        def read(size: int) -> None:
            together.wait()
            reader._call("get", f"/api/v1/applications/?page_size={size}")

        # Each counts its errors through the mix's loop, as the submissions do.
        readers = [
            threading.Thread(target=self._loop, args=(lambda size=size: read(size), []))
            for size in range(1, WEB_BURST + 1)
        ]
        for thread in [*writers, *readers]:
            thread.start()
        for thread in [*writers, *readers]:
            thread.join()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--seconds", type=float, default=SECONDS, help="timed part of the run")
    parser.add_argument("--warmup", type=float, default=WARMUP_SECONDS, help="untimed start")
    options = parser.parse_args()
    stack = Stack(WORK)
    # Plain HTTP on 127.0.0.1: the portal's cookies must not be marked for HTTPS only.
    stack.env["SECURE_COOKIES"] = "false"
    return run_drill(stack, lambda: exercise(stack, options.seconds, options.warmup), "failures")


def exercise(stack: Stack, seconds: float, warmup: float) -> dict:
    """The mix runs, timed after its warm-up; the summary lists every error and memory leak."""
    started = time.monotonic()
    stack.start()
    demo, companies = provision(stack)
    soak = Soak(stack, demo, companies)
    soak.seed()
    setup_s = time.monotonic() - started
    say(f"stack up in {setup_s:.0f} s at {stack.base_url}; warming up for {warmup:.0f} s")
    soak.start()
    try:
        soak.burst()
        time.sleep(warmup)
        processes = process_tree(
            {
                "gunicorn master": stack.processes["web"].pid,
                "celery worker": stack.processes["worker"].pid,
            }
        )
        soak.recorder.restart_timing()
        say(f"memory read; soaking for {seconds:.0f} s")
        readings = read_memory_until(processes, time.monotonic() + seconds)
        window = max(
            1, min(len(readings) // 2, round(MEMORY_WINDOW_SECONDS / MEMORY_EVERY_SECONDS))
        )
        memory = memory_growth(processes, readings, window)
    finally:
        soak.stop()
    routes = route_latencies(soak.recorder.latencies)
    summary = {
        "seconds": seconds,
        "warmup_seconds": warmup,
        "routes": routes,
        "requests": sum(route["requests"] for route in routes.values()),
        "errors": {
            f"{route} -> {answer}": count
            for (route, answer), count in sorted(soak.recorder.errors.items())
        },
        "applications_submitted": soak.written,
        "worker_restarts": stack.worker_restarts,
        "memory": memory,
        "failures": failures(soak.recorder.errors, memory)
        + [f"the worker exited by itself: {exit}" for exit in stack.worker_restarts],
        "timings_s": {"setup": round(setup_s, 1), "total": round(time.monotonic() - started, 1)},
    }
    print(table(routes, memory), file=sys.stderr, flush=True)
    return summary


def read_memory_until(processes: list[dict], deadline: float) -> list[dict]:
    """Every process's memory read at a steady pace until the deadline, and once more then."""
    readings = [read_memory(processes)]
    while (left := deadline - time.monotonic()) > 0:
        time.sleep(min(MEMORY_EVERY_SECONDS, left))
        readings.append(read_memory(processes))
    return readings


def provision(stack: Stack) -> tuple[dict, dict[str, int]]:
    """The demo's people and partner key, the partner acting for both demo companies."""
    # As in Soak.seed: the project's code loads only once the stack has set Django up.
    from reviews.management.commands.load_demo import PARTNER, SELLER_A, SELLER_B
    from sellers.models import PartnerOrganization, SellerCompany

    demo = stack.manage("load_demo")
    companies = {
        login: SellerCompany.objects.get(memberships__user__username=email).pk
        for login, email in (("seller_owner", SELLER_A), ("second_seller_owner", SELLER_B))
    }
    partner = PartnerOrganization.objects.get(name=PARTNER)
    stack.manage(
        "grant_partner",
        "--partner-id",
        str(partner.pk),
        "--company-id",
        str(companies["second_seller_owner"]),
    )
    return demo, companies


if __name__ == "__main__":
    sys.exit(main())
