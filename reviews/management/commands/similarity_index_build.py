import json

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from reviews.similarity.trigrams import index_build


class Command(BaseCommand):
    help = (
        "Write the reference marks' trigram index file (SIMILARITY_INDEX_PATH) that the "
        "brand-name check searches; run it on each machine that runs checks, and again as "
        "marks are added (those added since are searched without it). Prints a JSON summary."
    )

    def handle(self, *args, **options):
        # The file stands in for PostgreSQL's trigram index; SQLite reads every mark anyway.
        if connection.vendor != "postgresql":
            raise CommandError("the trigram index file is built from PostgreSQL only")
        built = index_build()
        self.stdout.write(
            json.dumps(
                {
                    "path": str(built.path),
                    "skeletons": built.skeletons,
                    "trigrams": built.trigrams,
                    "through_id": built.through_id,
                    "bytes": built.bytes,
                    "seconds": built.seconds,
                }
            )
        )
