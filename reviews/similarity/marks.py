"""The reference marks table: the well-known list loaded from its CSV, and program brands."""

import csv
import re
from pathlib import Path

from reviews.similarity import skeleton, sound_key

WELL_KNOWN_CSV = Path(__file__).resolve().parent.parent / "data" / "well_known_marks.csv"
VERSION_LINE = re.compile(r"^#\s*version:\s*(\S+)")


def read_well_known(path: Path = WELL_KNOWN_CSV) -> tuple[str, list[dict]]:
    """The list's version (from its "# version:" line) and its rows."""
    version, data_lines = "", []
    with path.open(encoding="utf-8", newline="") as stream:
        for line in stream:
            if line.startswith("#"):
                match = VERSION_LINE.match(line)
                version = match.group(1) if match else version
            else:
                data_lines.append(line)
    if not version:
        raise ValueError(f"{path}: no '# version:' line")
    rows = list(csv.DictReader(data_lines))
    for number, row in enumerate(rows, start=1):
        if not all((row.get(column) or "").strip() for column in ("mark", "owner", "source")):
            raise ValueError(f"{path}: row {number} needs mark, owner and source")
    return version, rows


def well_known_load(model, path: Path = WELL_KNOWN_CSV) -> tuple[str, int]:
    """Make the well-known rows of ``model`` (ReferenceMark, or its migration-time twin) equal
    the list in the file; returns the version and the number of marks."""
    version, rows = read_well_known(path)
    kind = "well_known"
    model.objects.filter(kind=kind).delete()
    model.objects.bulk_create(
        model(
            kind=kind,
            name=row["mark"].strip(),
            owner=row["owner"].strip(),
            source=row["source"].strip(),
            list_version=version,
            skeleton=skeleton(row["mark"]),
            sound_key=sound_key(row["mark"]),
        )
        for row in rows
    )
    return version, len(rows)
