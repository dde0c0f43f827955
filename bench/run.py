"""One benchmark run: the data set, the servers it needs, every measurement, the report."""

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.test import override_settings

from bench import measure
from bench.dataset import MARKS_SEED, SEED, Size, dataset_ensure
from bench.documents import generate, write_set
from bench.names import query_names
from bench.reading import DOCUMENT_SEED, MIME_TYPES, reader_accuracy
from brandprogram.celery import app as celery_app
from reviews.checks import document_contents
from reviews.similarity.trigrams import index_build

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# gunicorn worker processes, as the image runs them (docker/entrypoint.sh, WEB_CONCURRENCY).
WEB_CONCURRENCY = 3
# What a run does at scale 1; smaller scales shrink the sample counts with the data set.
FULL = {"queue_samples": 200, "queries": 300, "api_seconds": 10, "submit_drafts": 3000,
        "screened": 100, "single": 20, "noops": 1000, "documents": 240}  # fmt: skip
DOCUMENT_CHECK = "reviews.checks.document_contents"


def plan(scale: float) -> dict:
    low = {"queue_samples": 5, "queries": 10, "api_seconds": 1, "submit_drafts": 20,
           "screened": 4, "single": 20, "noops": 20, "documents": 6}  # fmt: skip
    return {key: max(low[key], round(value * min(1.0, scale * 10))) for key, value in FULL.items()}


def bench_run(scale: float, log=print, api_seconds: int | None = None) -> dict:
    """``api_seconds`` lengthens (or shortens) each API load from the scale's own, with as
    many drafts more to submit."""
    size, steps = Size.at(scale), plan(scale)
    if api_seconds:
        steps["submit_drafts"] = round(steps["submit_drafts"] * api_seconds / steps["api_seconds"])
        steps["api_seconds"] = api_seconds
    built = dataset_ensure(size, log=log)
    figures: dict = {"scale": scale, "applications": size.applications,
                     "sellers": size.sellers, "dataset_built": int(built),
                     "load_average_1m": round(os.getloadavg()[0], 2)}  # fmt: skip
    # As in service, where the nightly task keeps the file: every search below, the
    # screening worker's included, uses it, and PostgreSQL's trigram index is measured beside it.
    log("trigram index file")
    index = index_build(Path(settings.DATA_DIR) / "bench" / f"marks-scale-{scale:g}.trgm")
    figures |= {"trigram_file_build_s": index.seconds,
                "trigram_file_mb": round(index.bytes / 1024 / 1024, 1)}  # fmt: skip
    with override_settings(SIMILARITY_INDEX_PATH=index.path):
        figures |= _measured(steps, index.path, log)
    return figures | {"load_average_1m_end": round(os.getloadavg()[0], 2)}


def _measured(steps: dict, index_path: Path, log) -> dict:
    figures: dict = {}
    log("similarity search, with the file and with PostgreSQL's trigram index")
    figures |= measure.similarity_side_by_side(
        query_names(steps["queries"], SEED + 7, MARKS_SEED), index_path
    )
    log("queue page")
    figures |= measure.queue_page(steps["queue_samples"])
    log("seller tiering")
    figures |= measure.tiering()
    log("monthly seller check")
    figures |= measure.monthly_check()
    log("document reader on the labelled set")
    with tempfile.TemporaryDirectory() as folder:
        samples = generate(DOCUMENT_SEED, steps["documents"])
        write_set(samples, Path(folder), seed=DOCUMENT_SEED)
        figures |= reader_accuracy(samples, Path(folder))
        # The screened applications carry these files as their evidence, in turn.
        documents = [
            (sample.kind, MIME_TYPES[sample.file_type], (Path(folder) / sample.name).read_bytes())
            for sample in samples[: steps["screened"]]
        ]
    desk = measure.Desk(companies=50)
    # Ten applications a seller: at scale 1 the cold reads rotate over ten thousand of them.
    reader = measure.Desk(companies=1000, name="Bench Readers")
    env = _subprocess_env()
    log("partner API on gunicorn")
    submit_drafts = desk.drafts(steps["submit_drafts"], "api")
    with _gunicorn(env) as (base, master):
        figures |= measure.api(base, desk, reader, steps["api_seconds"], submit_drafts)
        workers = measure.children(master)
        figures["web_rss_mb"] = max(measure.rss_mb(pid) for pid in workers)
    figures["api_submitted"] = measure.submitted(submit_drafts)
    # The submissions above queued screening that nobody consumed; they are not measured.
    celery_app.control.purge()
    log("screening on a Celery worker, without the document check and with it")
    # The same evidence both times; only the list of checks differs.
    screen_drafts = desk.drafts(steps["screened"], "screen", documents)
    single_drafts = desk.drafts(steps["single"], "single", documents)
    document_drafts = desk.drafts(steps["screened"], "documents", documents)
    checks = [path for path in settings.SCREENING_CHECKS if path != DOCUMENT_CHECK]
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    try:
        with _worker({**env, "SCREENING_CHECKS": ",".join(checks)}) as worker:
            figures |= measure.screening(desk, screen_drafts, timeout=600)
            # After the batch, so the worker's processes are warm and idle.
            figures |= measure.screening_single(desk, single_drafts, timeout=120)
            figures |= measure.celery_noop(steps["noops"])
            figures["worker_rss_mb"] = _largest_rss(worker)
        with _worker({**env, "SCREENING_CHECKS": ",".join([*checks, DOCUMENT_CHECK])}) as worker:
            figures |= measure.documents_read(document_drafts, timeout=1800)
            figures |= measure.screening(
                desk, document_drafts, timeout=1800, name="screening_documents"
            )
            figures |= measure.check_durations(document_drafts, document_contents.CODE)
            figures["worker_documents_rss_mb"] = _largest_rss(worker)
    finally:
        celery_app.conf.task_always_eager = eager
        celery_app.control.purge()
    figures["screening_slowdown"] = round(
        figures["screening_per_s"] / figures["screening_documents_per_s"], 2
    )
    return figures


def _largest_rss(worker: int) -> float:
    """The largest of the worker's processes: its pool children run the checks."""
    return max(measure.rss_mb(pid) for pid in [worker, *measure.children(worker)])


def _subprocess_env() -> dict:
    """The servers talk to this run's database, broker and files, with the bench settings."""
    database = settings.DATABASES["default"]
    password = f":{database['PASSWORD']}" if database.get("PASSWORD") else ""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": f"postgres://{database['USER']}{password}@{database['HOST']}:"
        f"{database['PORT']}/{database['NAME']}",
        "CELERY_BROKER_URL": settings.BROKER_URL,
        "CACHE_URL": settings.CACHE_URL or settings.BROKER_URL,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "DEBUG": "false",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or "bench-only-secret",
        # The load generator is one client; the per-key limit would measure the limiter.
        "API_RATE_LIMIT": "1000000000/second",
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "LOG_LEVEL": "WARNING",
        "SIMILARITY_INDEX_PATH": str(settings.SIMILARITY_INDEX_PATH),
    }


def _log(name: str):
    """Server output goes to var/bench/, out of the report's way."""
    folder = Path(settings.DATA_DIR) / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    return (folder / name).open("a")


@contextmanager
def _gunicorn(env: dict):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "brandprogram.wsgi:application",
         "--workers", str(WEB_CONCURRENCY),
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=PROJECT_ROOT, env=env, stdout=_log("gunicorn.log"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(lambda: urllib.request.urlopen(f"{base}/healthz", timeout=1).status == 200, server)
        yield base, server.pid
    finally:
        server.terminate()
        server.wait(timeout=30)


@contextmanager
def _worker(env: dict):
    queues = sorted({*celery_app.amqp.queues.keys(), "bench"})
    name = f"bench-{os.getpid()}@{socket.gethostname()}"
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "brandprogram", "worker", "--concurrency", "2",
         "--queues", ",".join(queues), "--loglevel", "WARNING", "--without-gossip",
         "--without-mingle", "--hostname", name],
        cwd=PROJECT_ROOT, env=env, stdout=_log("worker.log"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        _wait(lambda: celery_app.control.ping(destination=[name], timeout=0.5), worker)
        yield worker.pid
    finally:
        worker.terminate()
        worker.wait(timeout=60)


def _wait(ready, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[2]} exited with {process.returncode}")
        try:
            if ready():
                return
        except OSError:
            pass
        time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"{process.args[2]} did not start within {timeout} s")
