"""Each measurement beside its baseline, taken in the same run on the same data."""

import gc
import hashlib
import io
import random
import re
import statistics
import subprocess
import tempfile
import time
import zlib
from decimal import Decimal
from pathlib import Path

from celery.backends.redis import RedisBackend
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.models import Count, Q
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from rapidfuzz import fuzz, process

from bench.dataset import SEED, bench_category, bench_reviewer
from bench.names import NameMaker
from brandprogram.celery import app as celery_app
from reviews.checks import brand_similarity
from reviews.models import CheckResult, ReferenceMark, ReviewQueue
from reviews.pending_marks import pending_marks_review
from reviews.receivers import prepare_worker
from reviews.selectors import QUEUE_PAGE_ITEMS
from reviews.similarity import SOUND_ALIKE_RATIO, skeleton
from reviews.similarity.labelled import CONFUSABLE, DISTINCT, labelled_scores
from reviews.stale_indicators import stale_indicators_review
from sellers.actors import actor_for_api_key
from sellers.documents.reading import FIELDS_BY_KIND
from sellers.models import (
    Application,
    ApplicationEvent,
    Brand,
    DocumentReading,
    Evidence,
    PartnerGrant,
    PartnerOrganization,
    Program,
    SellerCompany,
    Status,
    Trademark,
)
from sellers.services.api_keys import api_key_issue
from sellers.services.expiry import expiry_warnings_send
from sellers.services.tiers import TIER_INDICATORS, tiering_run
from sellers.workflow.transition import application_transition

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = Path(__file__).resolve().parent / "scripts"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


# The reviewer queue page -------------------------------------------------------------------

# The items the page shows: one page of the queue, with the columns it renders.
QUEUE_SQL = """
SELECT i.id, i.priority, i.entered_at, i.due_at, a.id, a.risk_score, c.legal_name, b.name,
       u.username, u.first_name, u.last_name
  FROM reviews_queueitem i
  JOIN sellers_application a ON a.id = i.application_id
  JOIN sellers_sellercompany c ON c.id = a.company_id
  JOIN sellers_brand b ON b.id = a.brand_id
  LEFT JOIN auth_user u ON u.id = i.assignee_id
 WHERE i.queue_id = %s AND i.closed_at IS NULL
 ORDER BY i.due_at, i.priority DESC, i.entered_at, i.id
 LIMIT %s
"""


def biggest_queue() -> ReviewQueue:
    return (
        ReviewQueue.objects.annotate(
            open_items=Count("items", filter=Q(items__closed_at__isnull=True))
        )
        .order_by("-open_items", "pk")
        .first()
    )


def queue_page(samples: int, budget_s: float = 90) -> dict:
    """The page a reviewer opens all day, on the biggest queue, against the raw SQL for the
    rows it shows.

    ``samples`` requests, or fewer (at least five) when they take longer than ``budget_s``.
    """
    reviewer = bench_reviewer()
    queue = biggest_queue()
    client = Client()
    client.force_login(reviewer)
    url = f"{reverse('reviews:queue')}?queue={queue.pk}"
    figures = {
        f"queue_page_queries_{n}": _queries_with_waiting(client, url, queue, n) for n in (1, 50)
    }
    # The rolled-back set-up left dead row versions on every waiting application and open item;
    # cleared as autovacuum would, so index-only scans see the table as it is in service.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) sellers_application, reviews_queueitem")
    page, sql = [], []
    deadline = time.monotonic() + budget_s
    while len(page) < samples and (len(page) < 5 or time.monotonic() < deadline):
        started = time.perf_counter()
        response = client.get(url, secure=True)
        page.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise RuntimeError(f"the queue page answered {response.status_code}")
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(QUEUE_SQL, [queue.pk, QUEUE_PAGE_ITEMS])
            cursor.fetchall()
        sql.append(time.perf_counter() - started)
    figures.update(
        queue_page_samples=len(page),
        queue_page_items=queue.open_items,
        queue_page_shown=_rows_shown(response),
        queue_page_p50_ms=_ms(percentile(page, 0.5)),
        queue_page_p95_ms=_ms(percentile(page, 0.95)),
        queue_page_sql_p50_ms=_ms(percentile(sql, 0.5)),
        queue_page_ratio_to_sql=round(statistics.median(page) / statistics.median(sql), 1),
    )
    return figures


def _rows_shown(response) -> int:
    """Item rows on the page, by their tick boxes (the bench reviewer leads every queue)."""
    return response.content.decode().count('name="items"')


def _queries_with_waiting(client: Client, url: str, queue: ReviewQueue, waiting: int) -> int:
    """The page's query count while exactly ``waiting`` applications wait, all in ``queue``;
    rolled back after."""
    with transaction.atomic():
        chosen = list(
            Application.objects.filter(submitted_at__isnull=False)
            .order_by("pk")
            .values_list("pk", flat=True)[:waiting]
        )
        with connection.cursor() as cursor:
            # Measurement scaffolding, undone below: not a workflow move.
            cursor.execute(
                "UPDATE sellers_application SET status = CASE WHEN id = ANY(%s) THEN %s ELSE %s "
                "END WHERE status = %s OR id = ANY(%s)",
                [chosen, Status.AWAITING_REVIEW, Status.WITHDRAWN, Status.AWAITING_REVIEW, chosen],
            )
            cursor.execute("UPDATE reviews_queueitem SET closed_at = now() WHERE closed_at IS NULL")
            cursor.execute(
                "UPDATE sellers_application SET in_queue = id = ANY(%s) "
                "WHERE in_queue OR id = ANY(%s)",
                [chosen, chosen],
            )
            cursor.execute(
                "INSERT INTO reviews_queueitem "
                "(queue_id, application_id, priority, entered_at, due_at) "
                "SELECT %s, a.id, 0, a.submitted_at, a.submitted_at + interval '5 days' "
                "FROM sellers_application a WHERE a.id = ANY(%s)",
                [queue.pk, chosen],
            )
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, secure=True)
        if response.status_code != 200:
            raise RuntimeError(f"the queue page answered {response.status_code}")
        if _rows_shown(response) != waiting:
            raise RuntimeError(f"the queue page showed {_rows_shown(response)} items")
        transaction.set_rollback(True)
    return len(queries)


# Brand-name similarity ----------------------------------------------------------------------


def _scan(queries: list[str]) -> tuple[int, list[float]]:
    """How many marks there are, and the seconds a rapidfuzz scan of them all takes a query."""
    marks = ReferenceMark.objects.values_list("skeleton", flat=True)
    keys = list(marks.iterator(chunk_size=50_000))
    scanned = []
    for name in queries:
        started = time.perf_counter()
        process.extract(
            skeleton(name), keys, scorer=fuzz.ratio, score_cutoff=SOUND_ALIKE_RATIO, limit=None
        )
        scanned.append(time.perf_counter() - started)
    return len(keys), scanned


def _labelled() -> dict:
    scores = labelled_scores()
    return {
        "similarity_labelled_pairs": len(CONFUSABLE) + len(DISTINCT),
        "similarity_precision": scores.precision,
        "similarity_recall": scores.recall,
    }


def similarity_side_by_side(queries: list[str], index_path: Path) -> dict:
    """The check's search with the trigram index file at ``index_path`` and with PostgreSQL's
    trigram index, query by query in alternating order (the machine is shared), whether both
    find the same marks, the full rapidfuzz scan of every mark, and the scoring's precision and
    recall on the labelled pairs."""
    company = SellerCompany(legal_name="Bench Query Trading Co., Ltd.")
    ways = {"file": index_path, "pg_trgm": index_path.with_name(f"{index_path.name}.absent")}
    timed = {way: [] for way in ways}
    same = 0
    for path in ways.values():
        with override_settings(SIMILARITY_INDEX_PATH=path):
            for name in ("Warmup", "暖机", "Warm Up Home"):
                brand_similarity.run(Application(company=company, brand=Brand(name=name)))
    # Measured in a process prepared as a screening worker is when it starts; given back
    # after, for what this process measures next.
    prepare_worker()
    try:
        for number, name in enumerate(queries):
            application = Application(company=company, brand=Brand(name=name, native_name=""))
            found = {}
            for way in list(ways)[:: 1 if number % 2 else -1]:
                with override_settings(SIMILARITY_INDEX_PATH=ways[way]):
                    started = time.perf_counter()
                    brand_similarity.run(application)
                    timed[way].append(time.perf_counter() - started)
                    found[way] = brand_similarity.similar_marks_find(
                        [name], applicant=company.legal_name
                    )
            same += found["file"] == found["pg_trgm"]
    finally:
        gc.unfreeze()
    marks, scanned = _scan(queries)
    figures = {
        "similarity_marks": marks,
        "similarity_queries": len(queries),
        "similarity_same_matches": same,
        "similarity_scan_p50_ms": _ms(percentile(scanned, 0.5)),
    } | _labelled()
    for way, prefix in (("file", "similarity"), ("pg_trgm", "similarity_pg_trgm")):
        figures |= {
            f"{prefix}_p50_ms": _ms(percentile(timed[way], 0.5)),
            f"{prefix}_p95_ms": _ms(percentile(timed[way], 0.95)),
            f"{prefix}_speedup_vs_scan": round(sum(scanned) / sum(timed[way]), 2),
        }
    return figures


# Drafts, for the submit and screening measurements --------------------------------------------


class Desk:
    """A partner agency with its key, acting for a few generated sellers."""

    def __init__(self, companies: int, name: str = "Bench Agency") -> None:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        self.partner = PartnerOrganization.objects.create(
            name=f"{name} {stamp}", contact_email="bench@agency.example"
        )
        self.company_ids = list(
            SellerCompany.objects.order_by("pk").values_list("pk", flat=True)[:companies]
        )
        PartnerGrant.objects.bulk_create(
            PartnerGrant(partner=self.partner, company_id=pk) for pk in self.company_ids
        )
        self.api_key, self.raw_key = api_key_issue(
            name="bench",
            scopes=["applications:read", "applications:write", "evidence:write"],
            partner=self.partner,
        )
        self.actor = actor_for_api_key(self.api_key)
        self.stamp = stamp

    def brand_names(self, count: int, label: str) -> list[str]:
        """Invented brand names, different from each other and from one run to the next.

        Names sharing a prefix ("Bench screen 20261205 17") were all confusable with each
        other and with every earlier run's, so each screening compared the name with
        thousands of program brands and flagged it: not what a seller's application meets.
        """
        maker = NameMaker(zlib.crc32(f"{self.stamp} {label}".encode()))
        names: dict[str, None] = {}
        while len(names) < count:
            names[maker.invented()] = None
        return list(names)

    def drafts(
        self, count: int, label: str, documents: list[tuple[str, str, bytes]] = ()
    ) -> list[int]:
        """Complete drafts: brand, trademark covering the category, one real image, and one of
        ``documents`` (kind, MIME type, bytes: a labelled document's file) each, in turn."""
        program = Program.objects.get(slug="thousand-class")
        category = bench_category()
        names = self.brand_names(count, label)
        made = []
        for i in range(count):
            company_id = self.company_ids[i % len(self.company_ids)]
            brand = Brand.objects.create(company_id=company_id, name=names[i])
            # The number starts with the label: the bench's own test finds each set by it.
            mark = Trademark.objects.create(
                brand=brand, office="USPTO", number=f"{label}{self.stamp}{i}"[-32:],
                registration_status="registered", mark_type="word", nice_classes=[11, 21],
                owner_name=f"Owner of {brand.name}",
            )  # fmt: skip
            application = Application.objects.create(
                company_id=company_id, program=program, brand=brand, trademark=mark
            )
            application.categories.add(category)
            files = [(Evidence.Kind.PRODUCT_PHOTO, "image/png", _png(i))]
            if documents:
                files.append(documents[i % len(documents)])
            for number, (kind, detected_type, content) in enumerate(files):
                _evidence(application, kind, detected_type, content,
                          f"{self.stamp}-{label}-{i}-{number}")  # fmt: skip
            made.append(application.pk)
        return made


EXTENSIONS = {"image/png": "png", "image/jpeg": "jpg", "application/pdf": "pdf"}


def _evidence(application, kind: str, detected_type: str, content: bytes, stem: str) -> None:
    """Attached without the upload service, which would read it at once: the bench reads the
    documents itself (documents_read) to time the reading apart from screening."""
    name = f"{kind}.{EXTENSIONS[detected_type]}"
    Evidence.objects.create(
        application=application,
        kind=kind,
        file=default_storage.save(f"evidence/bench/{stem}-{name}", ContentFile(content)),
        original_name=name,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        detected_type=detected_type,
    )


def _png(i: int) -> bytes:
    picture = Image.new("RGB", (64, 64), (i % 256, (i // 256) % 256, 90))
    stream = io.BytesIO()
    picture.save(stream, "PNG")
    return stream.getvalue()


# The partner API under load ---------------------------------------------------------------

WRK_RATE = re.compile(r"Requests/sec:\s+([\d.]+)")
WRK_REQUESTS = re.compile(r"(\d+) requests in ")
WRK_NON_2XX = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)")
WRK_SOCKET = re.compile(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")


def wrk(url: str, seconds: int, headers: dict, script: Path | None = None, args=()) -> dict:
    command = ["wrk", "-t1", "-c4", f"-d{seconds}s"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    if script:
        command += ["-s", str(script)]
    command.append(url)
    if args:
        command += ["--", *args]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    errors = int(m.group(1)) if (m := WRK_NON_2XX.search(out)) else 0
    if m := WRK_SOCKET.search(out):
        errors += sum(int(n) for n in m.groups())
    return {
        "rps": float(WRK_RATE.search(out).group(1)),
        "requests": int(WRK_REQUESTS.search(out).group(1)),
        "errors": errors,
    }


def _headers(desk: Desk) -> dict:
    return {"Authorization": f"Bearer {desk.raw_key}", "Accept": "application/json"}


def _wrk_over(base: str, seconds: int, desk: Desk, script: str, ids: list[int]) -> dict:
    """wrk with a Lua script that takes the ids in turn, from a file."""
    with tempfile.NamedTemporaryFile("w", suffix=".txt") as listed:
        listed.write("\n".join(str(pk) for pk in ids) + "\n")
        listed.flush()
        return wrk(
            f"{base}/api/v1/applications/", seconds, _headers(desk), SCRIPTS / script,
            [listed.name],
        )  # fmt: skip


# Six variants of an answer (three hosts, two languages), each stored on its second read.
COLD_READS_PER_ID = 12


def cold_ids(reader: Desk) -> list[int]:
    """The reader's applications in a fixed shuffled order, so consecutive reads do not walk
    the table in its stored order."""
    ids = list(
        Application.objects.filter(company_id__in=reader.company_ids)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    random.Random(SEED).shuffle(ids)
    return ids


def api(base: str, desk: Desk, reader: Desk, seconds: int, submit_drafts: list[int]) -> dict:
    """Each view's requests per second beside the floor's. The warm detail reads one
    application again and again (its answer comes from the cache); the cold one reads the
    reader's applications in turn, each pass asking for another of the answer's six cached
    variants, so none is served from the cache while no application is read more than
    COLD_READS_PER_ID times (scripts/detail.lua)."""
    detail_id = (
        Application.objects.filter(company_id__in=desk.company_ids).order_by("pk").first().pk
    )
    rotation = cold_ids(reader)
    runs = {
        "floor": wrk(f"{base}/bench/floor/", seconds, {}),
        "detail": wrk(f"{base}/api/v1/applications/{detail_id}/", seconds, _headers(desk)),
        "detail_cold": _wrk_over(base, seconds, reader, "detail.lua", rotation),
        "list": wrk(f"{base}/api/v1/applications/", seconds, _headers(desk)),
        "submit": _wrk_over(base, seconds, desk, "submit.lua", submit_drafts),
    }
    figures = {"api_detail_cold_ids": len(rotation)}
    for name, run in runs.items():
        figures[f"api_{name}_rps"] = run["rps"]
        figures[f"api_{name}_errors"] = run["errors"]
        if name != "floor":
            figures[f"api_{name}_ratio_to_floor"] = round(run["rps"] / runs["floor"]["rps"], 3)
    figures["api_detail_cold_reads_per_id"] = round(
        runs["detail_cold"]["requests"] / len(rotation), 2
    )
    return figures


def submitted(drafts: list[int]) -> int:
    """How many of the drafts were submitted; counted once the server has stopped."""
    return Application.objects.filter(pk__in=drafts).exclude(status=Status.DRAFT).count()


# Screening on a real worker ----------------------------------------------------------------


def screening(desk: Desk, drafts: list[int], timeout: float, name: str = "screening") -> dict:
    """Submit a batch; each is timed from its submission to its arrival in the reviewers' queue.
    The figures are named ``name``_…"""
    for pk in drafts:
        application_transition(application_id=pk, action="submit", actor=desk.actor)
    done: dict[int, float] = {}
    deadline = time.monotonic() + timeout
    while len(done) < len(drafts) and time.monotonic() < deadline:
        time.sleep(0.5)
        done = dict(
            ApplicationEvent.objects.filter(
                application_id__in=drafts, action__in=["finish_screening", "return_incomplete"]
            ).values_list("application_id", "created_at")
        )
    if len(done) < len(drafts):
        raise RuntimeError(f"screening finished {len(done)} of {len(drafts)} in {timeout} s")
    submitted = dict(Application.objects.filter(pk__in=drafts).values_list("pk", "submitted_at"))
    latency = [(done[pk] - submitted[pk]).total_seconds() for pk in drafts]
    span = (max(done.values()) - min(submitted.values())).total_seconds()
    return {
        f"{name}_batch": len(drafts),
        f"{name}_per_s": round(len(drafts) / span, 2),
        f"{name}_p50_s": round(percentile(latency, 0.5), 2),
        f"{name}_p95_s": round(percentile(latency, 0.95), 2),
    }


def screening_single(desk: Desk, drafts: list[int], timeout: float) -> dict:
    """Submit one application at a time and wait for it before the next: the latency a
    seller sees when the worker has nothing else to do."""
    latency = []
    for pk in drafts:
        application_transition(application_id=pk, action="submit", actor=desk.actor)
        finished = ApplicationEvent.objects.filter(
            application_id=pk, action__in=["finish_screening", "return_incomplete"]
        ).values_list("created_at", flat=True)
        deadline = time.monotonic() + timeout
        while not (done := finished.first()) and time.monotonic() < deadline:
            time.sleep(0.02)
        if not done:
            raise RuntimeError(f"application {pk} was not screened within {timeout} s")
        submitted = Application.objects.values_list("submitted_at", flat=True).get(pk=pk)
        latency.append((done - submitted).total_seconds())
    return {
        "screening_single_samples": len(drafts),
        "screening_single_p50_s": round(percentile(latency, 0.5), 2),
        "screening_single_p95_s": round(percentile(latency, 0.95), 2),
    }


def documents_read(drafts: list[int], timeout: float) -> dict:
    """Read the drafts' documents on the worker's documents queue, as their upload does, and
    wait for every reading: in service they are read long before anyone submits."""
    from sellers.tasks import evidence_read

    files = dict(
        Evidence.objects.filter(application_id__in=drafts, kind__in=FIELDS_BY_KIND).values_list(
            "pk", "sha256"
        )
    )
    evidence = list(files)
    # A file read before (an earlier run's drafts carry the same documents) is not read again:
    # its reading is copied, in milliseconds.
    known = set(
        DocumentReading.objects.filter(sha256__in=set(files.values())).values_list(
            "sha256", flat=True
        )
    )
    reused = sum(1 for sha256 in files.values() if sha256 in known)
    started = time.monotonic()
    for pk in evidence:
        evidence_read.delay(evidence_id=pk)
    readings = DocumentReading.objects.filter(evidence_id__in=evidence)
    while readings.count() < len(evidence) and time.monotonic() - started < timeout:
        time.sleep(0.5)
    span = time.monotonic() - started
    if readings.count() < len(evidence):
        raise RuntimeError(f"{readings.count()} of {len(evidence)} documents read in {timeout} s")
    return {
        "documents_read": len(evidence),
        "documents_read_reused": reused,
        "documents_read_per_s": round(len(evidence) / span, 2),
    }


def check_durations(drafts: list[int], code: str) -> dict:
    """How long the check ``code`` took on each of the drafts' screening runs, as the worker
    recorded it, plus the reading of the application's document on the documents queue,
    beside every other check of the same runs."""
    results = CheckResult.objects.filter(run__application_id__in=drafts)
    reading_ms = dict(
        DocumentReading.objects.filter(evidence__application_id__in=drafts).values_list(
            "evidence__application_id", "duration_ms"
        )
    )
    checked = [
        (ms + reading_ms.get(application, 0)) / 1000
        for application, ms in results.filter(check_code=code).values_list(
            "run__application_id", "duration_ms"
        )
    ]
    others = [
        ms / 1000 for ms in results.exclude(check_code=code).values_list("duration_ms", flat=True)
    ]
    if len(checked) < len(drafts):
        raise RuntimeError(f"the {code} check ran on {len(checked)} of {len(drafts)} applications")
    return {
        "document_check_p50_s": round(percentile(checked, 0.5), 2),
        "document_check_p95_s": round(percentile(checked, 0.95), 2),
        "screening_other_checks_p50_s": round(percentile(others, 0.5), 2),
        "screening_other_checks_p95_s": round(percentile(others, 0.95), 2),
    }


def celery_noop(count: int) -> dict:
    from bench.tasks import noop

    backend = RedisBackend(app=celery_app, url=settings.BROKER_URL)
    started = time.perf_counter()
    sent = [noop.apply_async(queue="bench") for _ in range(count)]
    received = dict(backend.get_many({result.id for result in sent}, timeout=60, interval=0.005))
    if len(received) < count:
        raise RuntimeError(f"{count - len(received)} no-op tasks did not come back")
    return {"celery_noop_per_s": round(count / (time.perf_counter() - started), 1)}


# Seller tiers ------------------------------------------------------------------------------

TIERING_SELLERS = (10_000, 100_000)


class _RolledBack(Exception):
    pass


def _tiering_seller(number: int, measured_on: str) -> SellerCompany:
    """A seller with indicators spread over their ranges, all measured on the run's day."""
    return SellerCompany(
        legal_name=f"Bench tiering seller {number}",
        country="DE",
        registration_number=f"TIER{number:09d}",
        identity_status=SellerCompany.IdentityStatus.VERIFIED,
        quality_dispute_rate=Decimal(number * 7 % 150) / 10000,
        nps=number % 151 - 50,
        infringement_complaints=number % 3,
        on_time_delivery_rate=Decimal(850 + number * 13 % 150) / 1000,
        overseas_stock_days=number % 45,
        indicators_measured_on=dict.fromkeys(TIER_INDICATORS, measured_on),
    )


def tiering(counts: tuple[int, ...] = TIERING_SELLERS) -> dict:
    """The monthly tiering run over this many sellers, in a transaction rolled back after,
    so the bench's data set is the same before and after."""
    figures = {}
    today = timezone.localdate()
    for count in counts:
        try:
            with transaction.atomic():
                SellerCompany.objects.bulk_create(
                    (_tiering_seller(n, today.isoformat()) for n in range(count)), batch_size=5000
                )
                started = time.perf_counter()
                run = tiering_run(today=today)
                figures[f"tiering_run_s_{count}"] = round(time.perf_counter() - started, 2)
                figures[f"tiering_ranked_{count}"] = run.active_sellers
                raise _RolledBack
        except _RolledBack:
            pass
    return figures


def monthly_check() -> dict:
    """The checks every seller gets beside re-certification (expiry warnings, pending
    trademarks, stale indicators) over the bench's data set, in a transaction rolled back
    after: nothing is mailed (mail leaves after commit) and the data set stays as it was."""
    figures = {}
    try:
        with transaction.atomic():
            started = time.perf_counter()
            warned = expiry_warnings_send()
            done = pending_marks_review()
            stale = stale_indicators_review()
            figures["monthly_check_run_s"] = round(time.perf_counter() - started, 3)
            figures["monthly_check_warned"] = len(warned)
            figures["monthly_check_pending_acted"] = sum(len(ids) for ids in done.values())
            figures["monthly_check_stale_told"] = len(stale["told"])
            raise _RolledBack
    except _RolledBack:
        pass
    return figures


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found
