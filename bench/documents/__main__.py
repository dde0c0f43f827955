"""python -m bench.documents --seed 1 --count 240 --out DIR: write a labelled document set."""

import argparse
import sys
from pathlib import Path

from bench.documents import generate, write_set


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.documents", description=__doc__)
    parser.add_argument("--seed", type=int, default=1, help="the same seed, the same files")
    parser.add_argument("--count", type=int, default=240, help="how many documents")
    parser.add_argument("--out", type=Path, required=True, help="directory for files and labels")
    parser.add_argument("--jobs", type=int, default=None, help="processes (default: one per CPU)")
    args = parser.parse_args(argv)
    manifest = write_set(generate(args.seed, args.count), args.out, args.jobs, args.seed)
    print(f"{args.count} documents and {manifest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
