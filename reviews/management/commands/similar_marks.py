import json

from django.core.management.base import BaseCommand

from brandprogram.phrases import in_english
from reviews.checks.brand_similarity import similar_marks_find


class Command(BaseCommand):
    help = (
        "The reference marks the brand-name check would flag for each NAME, on the marks "
        "loaded now (well-known list and program brands), closest first."
    )

    def add_arguments(self, parser):
        parser.add_argument("names", nargs="+", metavar="NAME")
        parser.add_argument("--json", action="store_true", help="One JSON document.")

    def handle(self, *args, names: list[str], **options):
        found = [
            {
                "name": name,
                "matches": [
                    {
                        "mark": mark.name,
                        "owner": mark.owner,
                        "kind": mark.kind,
                        "score": match.score,
                        "reasons": [in_english([reason]) for reason in match.reasons],
                    }
                    for match, mark in similar_marks_find([name]).matches
                ],
            }
            for name in names
        ]
        self.stdout.write(_as_json(found) if options["json"] else _as_table(found))


def _as_json(found: list[dict]) -> str:
    return json.dumps(found, ensure_ascii=False, indent=2)


def _as_table(found: list[dict]) -> str:
    lines = []
    for entry in found:
        lines.append(f"{entry['name']!r}: {len(entry['matches'])} match(es)")
        lines += [
            f"  {item['score']:>3}  {item['mark']}  ({item['kind']}, {item['owner']})  "
            + "; ".join(item["reasons"])
            for item in entry["matches"]
        ]
    return "\n".join(lines)
