"""A set of documents on disk: one file per sample and ``labels.json`` describing them all."""

import json
from pathlib import Path

from bench.documents.render import render
from bench.documents.samples import Sample

MANIFEST = "labels.json"


def write_set(samples: list[Sample], directory: Path) -> Path:
    """Writes every file and the manifest; returns the manifest's path."""
    directory.mkdir(parents=True, exist_ok=True)
    for sample in samples:
        (directory / sample.name).write_bytes(render(sample))
    manifest = directory / MANIFEST
    labels = {"documents": [sample.as_json() for sample in samples]}
    manifest.write_text(json.dumps(labels, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return manifest
