"""The fault drill's load: applications submitted as a partner would, while faults happen."""

import collections
import io
import threading
import time
import uuid
from dataclasses import dataclass, field

import requests
from faults_stack import (
    BETWEEN_FAULTS_SECONDS,
    DOWN_SECONDS,
    GIVE_UP_SECONDS,
    RETRY_PAUSE_SECONDS,
    SUBMITTERS,
    Stack,
    say,
)
from PIL import Image
from pypdf import PdfWriter


@dataclass
class Submission:
    number: int
    application_id: int | None = None
    submitted: bool = False
    # When the client was told (time.monotonic()), for drills that ask what had been
    # acknowledged by a given moment: the creation, each stored file (id, sha256), the submit.
    created_at: float | None = None
    evidence: list[tuple[int, str, float]] = field(default_factory=list)
    submitted_at: float | None = None

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

    def run(self, scenario=None) -> None:
        """Submit applications until the scenario (by default, the three faults) is over."""
        threads = [threading.Thread(target=self._submit_loop) for _ in range(SUBMITTERS)]
        for thread in threads:
            thread.start()
        try:
            (scenario or self._faults)()
        finally:
            self.stopping.set()
            for thread in threads:
                thread.join()

    def _faults(self) -> None:
        time.sleep(BETWEEN_FAULTS_SECONDS)
        self._fault("worker_sigkill", self.stack.kill_worker, self.stack.start_worker)
        self._fault("redis_restart", self.stack.stop_redis, self.stack.start_redis)
        self._fault("postgres_restart", self.stack.stop_postgres, self.stack.start_postgres)

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
            submission.created_at = time.monotonic()
        else:
            raise RuntimeError(f"faults: create answered {created.status_code}: {created.text}")
        detail = f"/api/v1/applications/{submission.application_id}/"
        # Files of their own per application, so that no two stored files have the same bytes.
        for kind, name, content in (
            ("trademark_certificate", "certificate.pdf", pdf_bytes(submission.brand)),
            ("product_photo", "photo.png", png_bytes(submission.number)),
        ):
            uploaded = self._call("post", f"{detail}evidence/", data={"kind": kind},
                                  files={"file": (name, content)})  # fmt: skip
            if uploaded.status_code != 201:
                raise RuntimeError(f"faults: upload answered {uploaded.status_code}")
            stored = uploaded.json()
            submission.evidence.append((stored["id"], stored["sha256"], time.monotonic()))
        submitted = self._call("post", f"{detail}submit/")
        if submitted.status_code == 409:
            # As above: counted as a problem, and the application says whether it was submitted.
            submitted = self._call("get", detail)
            submission.submitted = submitted.json()["status"] == "under_review"
        else:
            submission.submitted = submitted.status_code == 200
        if submission.submitted:
            submission.submitted_at = time.monotonic()

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


def pdf_bytes(title: str) -> bytes:
    writer, buffer = PdfWriter(), io.BytesIO()
    writer.add_blank_page(width=612, height=792)
    writer.add_metadata({"/Title": title})
    writer.write(buffer)
    return buffer.getvalue()


def png_bytes(number: int) -> bytes:
    buffer = io.BytesIO()
    colour = (200, number % 256, number // 256 % 256)
    Image.new("RGB", (40, 30), colour).save(buffer, format="PNG")
    return buffer.getvalue()
