"""A set of documents on disk: one file per sample and ``labels.json`` describing them all."""

import json
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from bench.documents.render import field_boxes, render
from bench.documents.samples import Sample

MANIFEST = "labels.json"


def write_set(
    samples: list[Sample], directory: Path, jobs: int | None = None, seed: int | None = None
) -> Path:
    """Writes every file and the manifest; returns the manifest's path.

    Files are drawn by ``jobs`` processes (one per CPU by default); each file depends on its
    sample alone, so the bytes are the same however many draw them.
    """
    jobs = jobs or os.cpu_count() or 1
    directory.mkdir(parents=True, exist_ok=True)
    if jobs == 1 or len(samples) < 2:
        contents = map(render, samples)
        _write(samples, contents, directory)
    else:
        # Spawned, not forked: the caller may have threads (a test runner, a server).
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(jobs, mp_context=context) as pool:
            contents = pool.map(render, samples, chunksize=8)
            _write(samples, contents, directory)
    manifest = directory / MANIFEST
    documents = [{**sample.as_json(), "boxes": field_boxes(sample)} for sample in samples]
    labels = {"seed": seed, "count": len(samples), "documents": documents}
    manifest.write_text(json.dumps(labels, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return manifest


def _write(samples, contents, directory: Path) -> None:
    for sample, content in zip(samples, contents, strict=True):
        (directory / sample.name).write_bytes(content)
