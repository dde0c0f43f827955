"""python -m bench [--scale 1.0]: build or reuse the data set, measure, write the report."""

import argparse
import json
import os
import sys
from pathlib import Path

import django
import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
# A marks run this size or larger is written to docs/; smaller ones are quick checks.
MARKS_DOCUMENTED = 10_000_000


def database_create(url: str) -> None:
    """The bench database is the bench's own: created here when missing."""
    info = psycopg.conninfo.conninfo_to_dict(url)
    name = info["dbname"]
    with psycopg.connect(**{**info, "dbname": "postgres"}, autocommit=True) as connection:
        found = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if found.fetchone() is None:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = 100,000 applications")
    parser.add_argument("--json", type=Path, default=ROOT / "var" / "bench" / "report.json")
    parser.add_argument("--markdown", type=Path, default=ROOT / "docs" / "benchmarks.md")
    parser.add_argument(
        "--dataset-only", action="store_true", help="build (or check) the data set, measure nothing"
    )
    parser.add_argument(
        "--api-seconds",
        type=int,
        help="seconds of load on each API view (default: 10 at scale 1, less at small scales); "
        "small data sets need more to be steady",
    )
    parser.add_argument(
        "--marks",
        type=int,
        help="instead of the whole run: this many generated reference marks (in a database "
        "of their own), the similarity search against them and the full scan beside it",
    )
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    database_create(os.environ["DATABASE_URL"])
    django.setup()

    from django.core.management import call_command

    from bench.report import report_write
    from bench.run import bench_run

    call_command("migrate", verbosity=0)
    if args.marks:
        from bench import marks

        figures = marks.marks_run(args.marks, log=lambda line: print(line, flush=True))
        name = f"marks-{marks.suffix(args.marks)}"
        markdown = (
            ROOT / "docs" / f"benchmarks-{name}.md" if args.marks >= MARKS_DOCUMENTED else None
        )
        marks.report_write(figures, args.json.with_name(f"{name}.json"), markdown, ROOT)
        print(json.dumps(figures, indent=2))
        return 0
    if args.dataset_only:
        from bench.dataset import Size, dataset_ensure

        dataset_ensure(Size.at(args.scale), log=lambda line: print(line, flush=True))
        return 0
    figures = bench_run(
        args.scale, log=lambda line: print(line, flush=True), api_seconds=args.api_seconds
    )
    # A quick check at a small scale must not overwrite the committed full-size table.
    report_write(figures, args.json, args.markdown if args.scale >= 1 else None, ROOT)
    print(f"report: {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
