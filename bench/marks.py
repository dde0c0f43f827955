"""The similarity search against many more reference marks than the scale-1 data set holds.

`python -m bench --marks 10000000` (`make bench-marks-10m`) fills a database of its own with
generated marks, indexed as in service, and measures the screening check's search beside the
full rapidfuzz scan of every mark in the same run. The search is measured two ways, query by
query: as the service runs it, with the trigram index file (reviews.similarity.trigrams) built
in the same run, and with PostgreSQL's trigram index alone, as without the file. The marks are
kept: a second run with the same count reuses them and reports the build time recorded when
they were built; the file is built again each run, and its build time is measured.
"""

import datetime
import json
import os
import time
from pathlib import Path

from django.db import connection

from bench import measure
from bench.dataset import MARK_SOURCE, MARKS_SEED, SEED, marks_clear, marks_copy
from bench.names import query_names
from bench.report import git_commit, machine
from reviews.models import ReferenceMark
from reviews.similarity.trigrams import index_build

TABLE = ReferenceMark._meta.db_table
# The bench's trigram index files, one per size, apart from the service's.
INDEX_DIR = Path(__file__).resolve().parent.parent / "var" / "bench"
# Every query is also scanned against every mark (about 2.4 s each at 10 million), so fewer
# queries than the scale-1 run's 300.
QUERIES = 100
# figure (without its suffix): (target at 10 million, what it is)
FIGURES = {
    "similarity_p50_ms": ("", "brand-similarity search with the trigram index file, median (ms)"),
    "similarity_p95_ms": ("< 60", "the same, 95th percentile (ms)"),
    "similarity_speedup_vs_scan": (">= 10", "full rapidfuzz scan time / search time"),
    "similarity_pg_trgm_p50_ms": ("", "the search with PostgreSQL's trigram index, median (ms)"),
    "similarity_pg_trgm_p95_ms": ("", "the same, 95th percentile (ms)"),
    "similarity_pg_trgm_speedup_vs_scan": ("", "full rapidfuzz scan time / that search's time"),
    "similarity_scan_p50_ms": ("", "full rapidfuzz scan of every mark, median (ms)"),
    "similarity_same_matches": ("all queries", "queries whose matches are the same both ways"),
    "similarity_precision": ("unchanged", "flagged labelled pairs that are confusable"),
    "similarity_recall": ("unchanged", "confusable labelled pairs that are flagged"),
    "marks_build_s": ("", "COPY of the marks and their PostgreSQL indexes built (s)"),
    "marks_index_mb": ("", "all PostgreSQL indexes on the marks table (MB)"),
    "marks_table_mb": ("", "the marks table with its indexes (MB)"),
    "trigram_file_build_s": ("", "the trigram index file built from the table (s)"),
    "trigram_file_build_cpu_s": ("", "of which this process's CPU time (s)"),
    "trigram_file_mb": ("", "the trigram index file (MB)"),
    "trigram_file_skeletons": ("", "distinct skeletons in the file"),
}


def suffix(count: int) -> str:
    """10,000,000 marks -> "10m": the figures' names say the size they were measured at."""
    for unit, letter in ((1_000_000, "m"), (1_000, "k")):
        if count >= unit and count % unit == 0:
            return f"{count // unit}{letter}"
    return str(count)


def marks_ensure(count: int, log=print) -> tuple[bool, float]:
    """``count`` generated marks beside the well-known list; (built now, build seconds)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS bench_marks "
            "(id int PRIMARY KEY, marks bigint NOT NULL, build_s float NOT NULL, "
            "built_at timestamptz NOT NULL)"
        )
        cursor.execute("SELECT marks, build_s FROM bench_marks WHERE id = 1")
        row = cursor.fetchone()
    if row and row[0] == count and _generated() == count:
        log(f"marks reused: {count:,}")
        # Marks built before the covering index was: its pages are marked visible once.
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM {TABLE}")
        return False, row[1]
    log(f"building {count:,} marks")
    started = time.perf_counter()
    marks_clear()
    marks_copy(count)
    build_s = round(time.perf_counter() - started, 3)
    with connection.cursor() as cursor:
        # VACUUM too: the search reads the covering index alone only on pages it marks visible.
        cursor.execute(f"VACUUM (ANALYZE) {TABLE}")
        cursor.execute(
            "INSERT INTO bench_marks (id, marks, build_s, built_at) VALUES (1, %s, %s, now()) "
            "ON CONFLICT (id) DO UPDATE SET marks = EXCLUDED.marks, build_s = EXCLUDED.build_s, "
            "built_at = EXCLUDED.built_at",
            [count, build_s],
        )
    log(f"  {count:,} marks written and indexed in {build_s} s")
    return True, build_s


def _generated() -> int:
    return ReferenceMark.objects.filter(source=MARK_SOURCE).count()


def sizes() -> dict:
    """The marks table and each of its indexes, in bytes."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_total_relation_size(%s::regclass), pg_indexes_size(%s::regclass)",
            [TABLE, TABLE],
        )
        total, indexes = cursor.fetchone()
        cursor.execute(
            "SELECT indexrelid::regclass::text, pg_relation_size(indexrelid) FROM pg_index "
            "WHERE indrelid = %s::regclass ORDER BY 2 DESC",
            [TABLE],
        )
        each = dict(cursor.fetchall())
    return {"table": total, "indexes": indexes, "each": each}


def marks_run(count: int, log=print, queries: int = QUERIES, index_dir: Path | None = None) -> dict:
    """Build (or reuse) the marks, build the trigram index file, then measure; figure names end
    in the size's suffix."""
    load = round(os.getloadavg()[0], 2)
    built, build_s = marks_ensure(count, log=log)
    end = suffix(count)
    log("trigram index file")
    index = index_build((index_dir or INDEX_DIR) / f"marks-{end}.trgm")
    log(f"  {index.skeletons:,} skeletons, {index.bytes:,} bytes in {index.seconds} s")
    log("similarity search both ways and full scan")
    found = measure.similarity_side_by_side(query_names(queries, SEED + 7, MARKS_SEED), index.path)
    measured = sizes()
    mb = 1024 * 1024
    figures = {name: found[name] for name in FIGURES if name in found} | {
        "similarity_marks": found["similarity_marks"],
        "similarity_queries": found["similarity_queries"],
        "marks_build_s": build_s,
        "marks_index_mb": round(measured["indexes"] / mb, 1),
        "marks_table_mb": round(measured["table"] / mb, 1),
        "trigram_file_build_s": index.seconds,
        "trigram_file_build_cpu_s": index.cpu_seconds,
        "trigram_file_mb": round(index.bytes / mb, 1),
        "trigram_file_skeletons": index.skeletons,
    }
    result = {f"{name}_{end}": value for name, value in figures.items()}
    result |= {f"marks_index_mb_{end}_{name}": round(size / mb, 1)
               for name, size in measured["each"].items()}  # fmt: skip
    return result | {"marks": count, "marks_built": int(built), "load_average_1m": load,
                      "load_average_1m_end": round(os.getloadavg()[0], 2)}  # fmt: skip


def report_write(figures: dict, json_path: Path, markdown_path: Path | None, root: Path) -> None:
    """The figures as JSON; at full size also a table beside docs/benchmarks.md."""
    json_path.parent.mkdir(parents=True, exist_ok=True)
    json_path.write_text(json.dumps(figures, indent=2, sort_keys=True) + "\n")
    if markdown_path is None:
        return
    end = suffix(figures["marks"])
    box = machine()
    date = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"# Similarity search at {figures['marks']:,} reference marks",
        "",
        "Written by `make bench-marks-10m`; the search with the trigram index file, the search "
        "with PostgreSQL's trigram index and the full scan measured in the same run, query by "
        "query.",
        "",
        f"- machine: {box['cores']} cores, {box['ram_gb']} GB RAM, {box['cpu']}",
        f"- date: {date}; git commit: {git_commit(root)}; load average when it started: "
        f"{figures['load_average_1m']}, when it ended: {figures['load_average_1m_end']} (the "
        "machine is shared)",
        f"- {figures['similarity_queries_' + end]} queries, each searched and scanned; "
        f"{figures['similarity_marks_' + end]:,} marks with the well-known list",
        "",
        "| figure | value | target | what |",
        "| --- | --- | --- | --- |",
    ]
    for name, (target, what) in FIGURES.items():
        key = f"{name}_{end}"
        lines.append(f"| `{key}` | {figures[key]} | {target} | {what} |")
    lines += ["", "| index | MB |", "| --- | --- |"]
    prefix = f"marks_index_mb_{end}_"
    lines += [f"| `{key.removeprefix(prefix)}` | {value} |"
              for key, value in figures.items() if key.startswith(prefix)]  # fmt: skip
    markdown_path.write_text("\n".join(lines) + "\n")
