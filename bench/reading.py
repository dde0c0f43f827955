"""The document reader on the labelled set from bench.documents: how many fields it reads exactly,
whether it owns up to the pages nobody can read, and how long a document takes."""

import multiprocessing
import os
import time
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from bench.documents import Sample
from sellers.documents import read_document
from sellers.documents.reading import Reading, Status

# The seed the README's example set uses; the same seed gives the same files every run.
DOCUMENT_SEED = 1
MIME_TYPES = {
    "pdf_text": "application/pdf",
    "pdf_scan": "application/pdf",
    "png": "image/png",
    "jpeg": "image/jpeg",
}
# Scans and photos go through OCR; PDFs that carry their own text do not, so the field parser
# alone decides what is read from them: the baseline the OCR'd groups are measured against.
TEXT_PDFS = "text_pdfs"


def group_of(sample: Sample) -> str:
    if sample.file_type == "pdf_text":
        return TEXT_PDFS
    return f"{sample.variant}s"


def reader_accuracy(samples: list[Sample], folder: Path, jobs: int | None = None) -> dict:
    """Read every file of ``folder`` (written by ``write_set``) and score it against its labels.

    Files are read by ``jobs`` processes (one per CPU by default), as many as a Celery worker
    runs, so each file's time is what it takes on a worker sharing the machine's cores.
    """
    jobs = jobs or os.cpu_count() or 1
    paths = [folder / sample.name for sample in samples]
    kinds = [sample.kind for sample in samples]
    types = [MIME_TYPES[sample.file_type] for sample in samples]
    # Spawned, not forked: the caller has threads (a test runner, Celery's control client).
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(jobs, mp_context=context) as pool:
        results = list(pool.map(_timed_read, paths, kinds, types))
    return score(samples, [reading for reading, _ in results], [seconds for _, seconds in results])


def _timed_read(path: Path, kind: str, detected_type: str) -> tuple[Reading, float]:
    started = time.perf_counter()
    reading = read_document(path, kind=kind, detected_type=detected_type)
    return reading, time.perf_counter() - started


def score(samples: list[Sample], readings: list[Reading], seconds: list[float]) -> dict:
    """The share of labelled fields read exactly, overall per group and per group and kind or
    language; unreadable pages count apart, by whether the reader said so."""
    # Imported here: the reading processes import this module, and bench.measure loads Django's
    # models, which they neither need nor have set up.
    from bench.measure import percentile

    exact: dict[str, int] = defaultdict(int)
    total: dict[str, int] = defaultdict(int)
    unreadable = reported = refused = 0
    for sample, reading in zip(samples, readings, strict=True):
        if sample.defect == "unreadable":
            unreadable += 1
            reported += reading.status == Status.UNREADABLE
            continue
        refused += reading.status == Status.UNREADABLE
        group = group_of(sample)
        for name, value in sample.fields.items():
            read = reading.field(name)
            hit = read is not None and read.value == value
            for key in (group, f"{group}_{sample.kind}", f"{group}_{sample.language}"):
                exact[key] += hit
                total[key] += 1
    figures = {
        f"ocr_field_accuracy_{key}": round(exact[key] / total[key], 4) for key in sorted(total)
    }
    for group in (TEXT_PDFS, "scans", "photos"):
        figures.setdefault(f"ocr_field_accuracy_{group}", None)
        figures[f"ocr_fields_{group}"] = total[group]
    return figures | {
        "ocr_documents": len(samples),
        "ocr_unreadable_documents": unreadable,
        "ocr_unreadable_reported": reported,
        "ocr_readable_reported_unreadable": refused,
        "document_read_p50_s": round(percentile(seconds, 0.5), 2),
        "document_read_p95_s": round(percentile(seconds, 0.95), 2),
    }
