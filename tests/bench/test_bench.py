"""`make bench` end to end on a tiny data set: the real servers, worker and load generator.

No figure is judged by its speed here; the run must produce every named figure, and the load
it generates must do what it claims (drafts really submitted and screened, no failed requests).
"""

import json
import math
import os
from pathlib import Path

import pytest

from bench.dataset import MARK_SOURCE
from bench.measure import COLD_READS_PER_ID
from bench.report import TABLE, report_write
from bench.run import bench_run
from brandprogram.celery import app as celery_app
from brandprogram.settings import TASK_QUEUES
from reviews.models import CheckResult, ReferenceMark
from reviews.selectors import QUEUE_PAGE_ITEMS
from sellers.models import (
    Application,
    DocumentReading,
    ExpiryWarning,
    Notification,
    SellerCompany,
    Status,
)

ROOT = Path(__file__).resolve().parents[2]
NAMED = [
    "queue_page_queries_1", "queue_page_queries_50", "queue_page_p50_ms", "queue_page_p95_ms",
    "queue_page_ratio_to_sql", "api_detail_rps", "api_list_rps", "api_submit_rps",
    "api_detail_ratio_to_floor", "api_detail_cold_rps", "api_detail_cold_ratio_to_floor",
    "api_list_ratio_to_floor", "api_submit_ratio_to_floor", "similarity_p50_ms",
    "similarity_p95_ms", "similarity_speedup_vs_scan", "similarity_precision", "similarity_recall",
    "screening_per_s", "screening_p95_s", "celery_noop_per_s",
    "screening_single_p50_s", "screening_single_p95_s",
    "web_rss_mb", "worker_rss_mb", "screening_documents_per_s", "screening_documents_p95_s",
    "screening_slowdown", "document_check_p50_s", "document_check_p95_s",
    "screening_other_checks_p95_s", "ocr_field_accuracy_scans", "ocr_field_accuracy_photos",
    "ocr_field_accuracy_text_pdfs", "ocr_unreadable_reported", "document_read_p50_s",
    "document_read_p95_s", "worker_documents_rss_mb", "documents_read_per_s",
    "tiering_run_s_10000", "tiering_run_s_100000", "monthly_check_run_s",
    "similarity_pg_trgm_p50_ms", "similarity_pg_trgm_p95_ms", "trigram_file_build_s",
]  # fmt: skip


@pytest.fixture
def broker_to_itself():
    """The suite's own worker, when it runs, takes no task while the bench runs: the bench
    starts workers of its own with other checks enabled on the same broker, and a screening
    the suite's worker started ran checks the bench's worker did not have."""
    mine = f"test-worker-{os.getpid()}@"
    workers = [
        name
        for reply in celery_app.control.ping(timeout=1)
        for name in reply
        if name.startswith(mine)
    ]
    for queue in TASK_QUEUES if workers else ():
        celery_app.control.cancel_consumer(queue, destination=workers, reply=True, timeout=5)
    yield
    for queue in TASK_QUEUES if workers else ():
        celery_app.control.add_consumer(queue, destination=workers, reply=True, timeout=5)


@pytest.mark.timeout(600)
def test_bench_reports_every_figure_from_real_load(
    transactional_db, settings, tmp_path, broker_to_itself
):
    if not settings.BROKER_URL.startswith("redis"):
        pytest.skip("the bench needs CELERY_BROKER_URL=redis://… (make test sets it)")
    searched_with = settings.SIMILARITY_INDEX_PATH
    figures = bench_run(0, log=lambda line: None)
    report_write(figures, tmp_path / "report.json", tmp_path / "benchmarks.md", ROOT)

    report = json.loads((tmp_path / "report.json").read_text())
    for name in NAMED:
        value = report[name]
        assert isinstance(value, int | float), name
        assert not isinstance(value, bool), name
        assert math.isfinite(value), name
        assert value >= 0, name
    # Every synthetic seller was ranked, and rolled back after: the data set is as it was.
    assert (report["tiering_ranked_10000"], report["tiering_ranked_100000"]) == (10_000, 100_000)
    assert not SellerCompany.objects.filter(legal_name__startswith="Bench tiering").exists()
    # The monthly seller check over the data set was rolled back too: no warning or notice
    # about the company is stored.
    assert not ExpiryWarning.objects.exists()
    assert not Notification.objects.exclude(topic="").exists()
    assert report["monthly_check_stale_told"] <= report["sellers"]
    # The data set is there at the size the report names.
    assert SellerCompany.objects.count() == report["sellers"] == 30
    assert Application.objects.count() >= report["applications"] == 300
    assert ReferenceMark.objects.filter(source=MARK_SOURCE).count() == 3000
    assert report["similarity_marks"] > 3000
    # Searched with the trigram index file built in the run, as in service, and with
    # PostgreSQL's trigram index beside it: both found the same marks for every query.
    assert report["similarity_same_matches"] == report["similarity_queries"] > 0
    assert report["trigram_file_mb"] > 0
    assert searched_with == settings.SIMILARITY_INDEX_PATH
    # Every waiting application is in a queue; the page shows one page of the biggest.
    waiting = Application.objects.filter(status__in=[Status.AWAITING_REVIEW, Status.IN_REVIEW])
    assert waiting.exists()
    assert not waiting.exclude(queue_items__closed_at__isnull=True).exists()
    assert report["queue_page_shown"] == min(report["queue_page_items"], QUEUE_PAGE_ITEMS) > 0
    # The same queries for one waiting item as for fifty: no query per row.
    assert report["queue_page_queries_1"] == report["queue_page_queries_50"]
    # The load really reached the views: drafts submitted, nothing refused or failed.
    assert report["api_submitted"] > 0
    assert (
        Application.objects.exclude(status=Status.DRAFT)
        .filter(trademark__number__startswith="api")
        .count()
        == report["api_submitted"]
    )
    for kind in ("floor", "detail", "detail_cold", "list"):
        assert report[f"api_{kind}_errors"] == 0, kind
    # The cold reads went round every application of the tiny set's sellers, each read no more
    # often than its answer's variants allow cold reads, so none was answered from the cache.
    assert report["api_detail_cold_ids"] >= 300
    assert 0 < report["api_detail_cold_reads_per_id"] <= COLD_READS_PER_ID
    # The scoring's figures on the labelled pairs hold their targets.
    assert report["similarity_labelled_pairs"] >= 400
    assert (report["similarity_precision"] >= 0.97, report["similarity_recall"] >= 0.97) == (
        True,
        True,
    )
    # Every screened draft reached the reviewers, once without the document check and once with
    # it; the run fails otherwise. Only the second run read the documents, each once.
    assert report["screening_batch"] == report["screening_documents_batch"] == 4
    documents_run = Application.objects.filter(trademark__number__startswith="documents")
    screened = CheckResult.objects.filter(run__application__in=documents_run)
    assert screened.filter(check_code="document_contents").count() == 4
    assert not CheckResult.objects.filter(
        run__application__trademark__number__startswith="screen", check_code="document_contents"
    ).exists()
    # They were read on the documents queue before their submission, each once.
    assert report["documents_read"] == 4
    # On a new data set every file is read afresh, none copied from an earlier reading.
    assert report["documents_read_reused"] == 0
    assert DocumentReading.objects.filter(evidence__application__in=documents_run).count() == 4
    assert report["screening_slowdown"] == round(
        report["screening_per_s"] / report["screening_documents_per_s"], 2
    )
    assert report["document_check_p50_s"] <= report["document_check_p95_s"]
    # The labelled documents were read: scans, photos and text PDFs (seed 1, six documents).
    assert report["ocr_documents"] == 6
    assert report["ocr_fields_scans"] > 0
    assert report["ocr_fields_photos"] > 0
    assert report["ocr_fields_text_pdfs"] > 0
    for name in ("scans", "photos", "text_pdfs"):
        assert 0 <= report[f"ocr_field_accuracy_{name}"] <= 1, name
    # A PDF's own text leaves only the field parser to err: its fields are read exactly.
    assert report["ocr_field_accuracy_text_pdfs"] == 1
    assert report["ocr_unreadable_reported"] <= report["ocr_unreadable_documents"]
    assert report["document_read_p50_s"] <= report["document_read_p95_s"]
    assert report["worker_documents_rss_mb"] > 0
    markdown = (tmp_path / "benchmarks.md").read_text()
    for name in TABLE:
        assert f"| `{name}` | {report[name]} |" in markdown
    assert "cores" in markdown
