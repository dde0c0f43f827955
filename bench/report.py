"""var/bench/report.json (the figures, flat) and docs/benchmarks.md (a table with the machine)."""

import datetime
import json
import os
import platform
import subprocess
from pathlib import Path

# figure: (baseline figure, target, what it is)
TABLE = {
    "queue_page_queries_1": ("", "= queries with 50", "SQL queries, queue page, 1 item in queue"),
    "queue_page_queries_50": ("", "= queries with 1", "SQL queries, same page, 50 items in queue"),
    "queue_page_p50_ms": ("queue_page_sql_p50_ms", "", "biggest queue's first page, median (ms)"),
    "queue_page_p95_ms": ("", "< 50", "biggest queue's first page, 95th percentile (ms)"),
    "queue_page_ratio_to_sql": ("", "<= 5", "queue page median / raw SQL median for its rows"),
    "api_detail_rps": (
        "api_floor_rps",
        "",
        "GET /api/v1/applications/{id}/, the same application again (req/s)",
    ),
    "api_detail_cold_rps": (
        "api_floor_rps",
        "",
        "GET /api/v1/applications/{id}/, a different application each time, none cached (req/s)",
    ),
    "api_list_rps": ("api_floor_rps", "", "GET /api/v1/applications/, 20 a page (req/s)"),
    "api_submit_rps": ("api_floor_rps", "", "POST …/{id}/submit/ (req/s)"),
    "api_detail_ratio_to_floor": ("", ">= 0.5", "detail req/s / bare Django JSON view req/s"),
    "api_detail_cold_ratio_to_floor": ("", ">= 0.3", "cold detail req/s / floor req/s"),
    "api_list_ratio_to_floor": ("", ">= 0.2", "list req/s / floor req/s"),
    "api_submit_ratio_to_floor": ("", ">= 0.05", "submit req/s / floor req/s"),
    "similarity_p50_ms": (
        "similarity_scan_p50_ms",
        "",
        "brand-similarity search with the trigram index file, median (ms)",
    ),
    "similarity_p95_ms": ("", "< 60", "the same, 95th percentile (ms)"),
    "similarity_speedup_vs_scan": ("", ">= 5", "full rapidfuzz scan time / search time"),
    "similarity_pg_trgm_p50_ms": (
        "similarity_p50_ms",
        "",
        "the search with PostgreSQL's trigram index instead of the file, median (ms)",
    ),
    "similarity_pg_trgm_p95_ms": ("similarity_p95_ms", "", "the same, 95th percentile (ms)"),
    "similarity_same_matches": (
        "similarity_queries",
        "= queries",
        "queries whose matches are the same with the file and without",
    ),
    "trigram_file_build_s": ("", "", "the trigram index file built from the marks (s)"),
    "similarity_precision": ("", ">= 0.97", "flagged labelled pairs that are confusable"),
    "similarity_recall": ("", ">= 0.97", "confusable labelled pairs that are flagged"),
    "screening_per_s": (
        "celery_noop_per_s",
        "",
        "applications screened per second, one worker, without the document check",
    ),
    "screening_p95_s": ("", "", "submit to awaiting review, 95th percentile (s)"),
    "screening_single_p50_s": (
        "",
        "",
        "one application at a time on an idle worker, submit to awaiting review, median (s)",
    ),
    "screening_single_p95_s": ("", "< 2", "the same, 95th percentile (s)"),
    "screening_documents_per_s": (
        "screening_per_s",
        "",
        "applications screened per second with the document check, same evidence",
    ),
    "screening_documents_p95_s": ("screening_p95_s", "", "the same, 95th percentile (s)"),
    "screening_slowdown": ("", "<= 2", "screened per second without the check / with it"),
    "document_check_p50_s": (
        "screening_other_checks_p50_s",
        "",
        "document check, reading on the documents queue plus compare, median (s)",
    ),
    "document_check_p95_s": (
        "screening_other_checks_p95_s",
        "",
        "document check, reading on the documents queue plus compare, 95th percentile (s)",
    ),
    "ocr_field_accuracy_scans": (
        "ocr_field_accuracy_text_pdfs",
        ">= 0.95",
        "labelled fields read exactly, scanned images and image PDFs",
    ),
    "ocr_field_accuracy_photos": (
        "ocr_field_accuracy_text_pdfs",
        ">= 0.85",
        "labelled fields read exactly, phone photos at an angle",
    ),
    "ocr_unreadable_reported": (
        "ocr_unreadable_documents",
        "= unreadable documents",
        "unreadable documents the reader reported unreadable",
    ),
    "document_read_p95_s": (
        "document_read_p50_s",
        "",
        "reading one labelled document, 95th percentile (s)",
    ),
    "documents_read_per_s": (
        "",
        "",
        "documents read per second, one worker, OCR (a file read before is copied)",
    ),
    "tiering_run_s_10000": ("", "", "monthly tiering run over 10,000 active sellers (s)"),
    "tiering_run_s_100000": (
        "tiering_run_s_10000",
        "< 60",
        "monthly tiering run over 100,000 active sellers (s)",
    ),
    "monthly_check_run_s": (
        "",
        "",
        "expiry warnings, pending-trademark and stale-indicator review over every seller of "
        "the data set (s)",
    ),
    "celery_noop_per_s": ("", "", "no-op task round trips per second, same worker"),
    "web_rss_mb": ("", "", "largest gunicorn worker after the load (MB)"),
    "worker_rss_mb": ("", "", "largest Celery worker process after the load (MB)"),
    "worker_documents_rss_mb": (
        "worker_rss_mb",
        "",
        "largest Celery worker process after document checks, OCR engine loaded (MB)",
    ),
}
ERRORS = (
    "api_floor_errors",
    "api_detail_errors",
    "api_detail_cold_errors",
    "api_list_errors",
    "api_submit_errors",
)


def findings(figures: dict) -> list[str]:
    """What limits each figure, as found with EXPLAIN ANALYZE and cProfile on this data set."""
    return [
        "## What limits the figures",
        "",
        (
            f"- **Queue page**: the biggest queue has {figures['queue_page_items']:,} open "
            f"items and the page shows {figures['queue_page_shown']} of them, with page links. "
            "The page's item ids come from the partial index `queue_item_open_order` (open items "
            "of a queue by due time, priority, arrival) and only those rows are joined to their "
            "application, company and brand, so a page deep in the queue costs what the first "
            "does (an OFFSET over the joined rows made PostgreSQL join the whole queue: about "
            "150 ms for a late page). The same rows by raw SQL take "
            f"{figures['queue_page_sql_p50_ms']} ms. The page makes "
            f"{figures['queue_page_queries_1']} queries: the session, the user, their roles, "
            "and one statement that returns the queues, their counts (one aggregate over the "
            "open items, by queue, before they meet the reviewer's queues), the applications "
            "in no queue (from the partial index on those alone, `application_unqueued_order`), "
            "the page's items, the queue's members, the other lists beside them and the header's "
            "unread count, each as a JSON array of rows. Each of the four is compiled once per "
            "process (for the page, once for each shape of reviewer), with the values that "
            "change from one request to the next put in place of stand-ins, because compiling "
            "the querysets took longer than running them; the values that never change (a "
            "status, a page size) are written into the statement, where PostgreSQL's plan can "
            "use the partial indexes they name, and the statements are prepared on the server, "
            "so each connection plans them once. The raw SQL beside it runs through Django's "
            "usual cursor, planned at every run, as any query is. Each item's row is formatted "
            "once and remembered; only its overdue tag and the time it has waited (remembered "
            "for each language and count) are added at each request."
        ),
        "- **API**: both views run on the same gunicorn, with as many sync workers as the "
        "image starts (`WEB_CONCURRENCY`, 3). The floor view touches neither PostgreSQL nor "
        "Redis. The detail view makes one round trip to Redis (the key's rate counter, the "
        "API generation and the stored answer) and no query while the application, its key and "
        "its grants are unchanged, which is what the load generator's repeated read measures; "
        "on this virtual machine that one round trip costs about as much processor time as the "
        "whole floor request (mostly the kernel waking Redis), and it is what keeps the ratio "
        "near one half. The cold read (`api_detail_cold_*`) goes round "
        f"{figures['api_detail_cold_ids']:,} applications, so none is answered from the cache: "
        "one query for the application with its seller, program, brand, trademark, categories "
        "and record control, checked against the key's sellers by id, and a second round trip "
        "to Redis to keep the answer. The list is one query too: the page's ids come from the "
        "index in a subquery and only those rows are joined. Applications are rendered "
        "field by field rather than by DRF's generic walk over nested serializers, which cost "
        "more than the query. A submission is one transaction that reads the application once, "
        "under the lock on its row (not its program's), checked there against the key's "
        "sellers, and writes the status, event, snapshot, webhook deliveries and screening "
        "request (the categories with their evidence requirements read once for the check and "
        "the snapshot); the screening request is published after the commit and its attempt "
        "recorded in one write. The load generator sends no Idempotency-Key; a keyed request "
        "adds one Redis claim and one database read for a key not seen before. No request "
        "sends Django's health check (`SELECT 1`) before its first query while its connection "
        "answered less than a second ago and shows nothing from the server "
        "(brandprogram/postgresql): it was a round trip of its own in every request.",
        "- **Similarity**: the well-known list is compared whole; program brands come from the "
        "trigram index file (built from the marks at the start of the run in "
        f"{figures['trigram_file_build_s']} s, {figures['trigram_file_mb']} MB, as the nightly "
        "task keeps it in service; the screening worker below searches with it too) plus B-tree "
        "lookups for names that read the same or sound the same, and for the few skeletons a "
        "short name is one edit of; a cheap test on the stored skeleton (an edit distance with "
        "a cutoff, rapidfuzz's ratio on it and on its sound-alike letters folded) skips most "
        "candidates before the full comparison. Each query is also searched with PostgreSQL's "
        "trigram index (similarity 0.45) in place of the file, in alternating order, and both "
        "must find the same marks. The slowest searches are Chinese and pinyin names: common "
        "syllables give long posting lists and hundreds of true matches among a million marks. "
        f"Precision and recall are compare() on the {figures['similarity_labelled_pairs']} "
        "labelled pairs of reviews/similarity/labelled.py.",
        "- **Tiering**: the run reads every seller's indicators in one query, scores and ranks "
        "them in Python, and writes the month's scores with a few bulk upserts and the tier "
        f"changes with one update per tier; {figures['tiering_ranked_100000']:,} sellers take "
        f"{figures['tiering_run_s_100000']} s, mostly the upsert of the scores with their "
        "parts.",
        "- **Screening**: each application is one task: it opens the run, loads the "
        "application once, runs the quick checks in process, stores their results in one "
        "insert and scores the run; a check that may be slow (a live registry, a document still "
        "to be read) would get a task of its own. The brand-name search (with the trigram index "
        "file) and the document forensics are the longest checks; the forensics read a PNG's "
        "chunks without decoding its pixels. Most of an application's time is some 35 round "
        "trips to PostgreSQL: opening the run, the checks' reads, and the scoring, which moves "
        "the application (its row read and locked once for each move) and opens its queue "
        "item. The worker keeps "
        "its database connection from one task to the next (Celery's Django fixup closed it "
        "around every task, so each task began with a new PostgreSQL backend and cold caches), "
        "and sets the objects loaded at its start aside from the garbage collector, whose full "
        "collections otherwise walked them in the middle of a search. The drafts have invented "
        "names, distinct from each other and from earlier runs' brands. Throughput is one "
        "worker with two processes.",
        "- **Documents**: each upload is read on the `documents` queue as soon as it is "
        "stored, so by the time an application is submitted its documents have been read and "
        "the document check only compares them; the bench reads the screened applications' "
        f"documents first ({figures['documents_read_per_s']} a second on the same worker; "
        f"{figures['documents_read_reused']} of the {figures['documents_read']} files had been "
        "read in an earlier run on this data set, and a file's reading is copied rather than "
        "read again) and then submits. The document check's time (median "
        f"{figures['document_check_p50_s']} s) is that reading, as the worker recorded it, plus "
        f"the comparison, against {figures['screening_other_checks_p50_s']} s for the median "
        "other check. The labelled set (`document_read_*`, a median of "
        f"{figures['document_read_p50_s']} s) is read by one plain process. Each process reads "
        "one page at a time with one onnxruntime thread and gives the memory back after each "
        "document (`malloc_trim`); text PDFs are not OCR'd.",
        "",
    ]


def machine() -> dict:
    model = next(
        (line.split(":", 1)[1].strip()
         for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")),
        platform.processor(),
    )  # fmt: skip
    memory_kb = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal:")
    )
    return {"cores": os.cpu_count(), "ram_gb": round(memory_kb / 1024 / 1024, 1), "cpu": model}


def git_commit(root: Path) -> str:
    done = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True
    )
    return done.stdout.strip() or "unknown"


def report_write(figures: dict, json_path: Path, markdown_path: Path | None, root: Path) -> None:
    json_path.parent.mkdir(parents=True, exist_ok=True)
    json_path.write_text(json.dumps(figures, indent=2, sort_keys=True) + "\n")
    if markdown_path is None:
        return
    box = machine()
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    errors = ", ".join(
        f"{name.removeprefix('api_').removesuffix('_errors')} {figures[name]}" for name in ERRORS
    )
    where = f"{box['cores']} cores, {box['ram_gb']} GB RAM, {box['cpu']}"
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (see the README); every figure is measured beside its "
        "baseline in the same run.",
        "",
        f"- data set: {figures['applications']:,} applications, {figures['sellers']:,} sellers, "
        f"{figures['similarity_marks']:,} reference marks (scale {figures['scale']})",
        f"- machine: {where}",
        f"- date: {stamp}; git commit: {git_commit(root)}; load average when it started: "
        f"{figures['load_average_1m']}, when it ended: {figures['load_average_1m_end']} (the "
        "machine is shared)",
        "- API errors (non-2xx and socket errors): " + errors,
        "",
        "| figure | value | baseline | target | what | machine | date | commit |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, (baseline, target, what) in TABLE.items():
        base = f"{figures[baseline]} ({baseline})" if baseline else ""
        lines.append(
            f"| `{name}` | {figures[name]} | {base} | {target} | {what} | {where} | {stamp} | "
            f"{git_commit(root)} |"
        )
    lines += ["", *findings(figures)]
    markdown_path.write_text("\n".join(lines) + "\n")
