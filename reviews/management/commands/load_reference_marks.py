import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from reviews.models import ReferenceMark
from reviews.similarity.marks import WELL_KNOWN_CSV, well_known_load


class Command(BaseCommand):
    help = (
        "Replace the well-known marks with a version of the list (mark, owner, source; a "
        "'# version:' line). Prints a JSON summary."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, nargs="?", default=WELL_KNOWN_CSV)

    def handle(self, *args, path: Path, **options):
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        try:
            with transaction.atomic():
                version, count = well_known_load(ReferenceMark, path)
        except (ValueError, UnicodeDecodeError) as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(json.dumps({"loaded": count, "version": version}))
