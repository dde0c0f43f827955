import json

from django.core.management.base import BaseCommand, CommandError

from reviews.checks.base import TransientCheckError
from reviews.checks.trademark_registry import Filing, judge
from sellers.models import Trademark


class Command(BaseCommand):
    help = (
        "The registry check's verdict on one trademark filing, without an application: is the "
        "mark live, owned by OWNER, for BRAND, covering the Nice classes given, valid long enough?"
    )

    def add_arguments(self, parser):
        parser.add_argument("--office", required=True, choices=Trademark.Office.values)
        parser.add_argument("--number", required=True, help="as printed on the certificate")
        parser.add_argument("--owner", required=True, help="the company claiming the mark")
        parser.add_argument("--brand", required=True, help="the brand name the mark should read")
        parser.add_argument(
            "--nice-class",
            dest="nice_classes",
            type=int,
            action="append",
            default=[],
            metavar="K",
            help="a class the registration must list (repeat for several)",
        )
        parser.add_argument("--json", action="store_true", help="print one JSON document")

    def handle(self, *args, office, number, owner, brand, nice_classes, **options):
        outside = [k for k in nice_classes if not 1 <= k <= 45]
        if outside:
            raise CommandError(f"Nice classes run from 1 to 45; {outside[0]} is not one.")
        filing = Filing(
            office=office,
            number=number,
            brand=brand,
            owners=(("the owner given", owner),),
            goods=tuple((f"the goods of class {k}", (k,)) for k in nice_classes),
        )
        try:
            finding = judge(filing)
        except TransientCheckError as exc:
            raise CommandError(f"The registry did not answer: {exc}") from None
        record = finding.evidence.get("registry_record")
        if options["json"]:
            self.stdout.write(_json_document(finding, record))
            return
        self.stdout.write(f"{finding.outcome.upper()}: {finding.explanation}")
        self.stdout.write(f"Source: {finding.source_text} (data version {finding.data_version})")
        for key, value in (record or {}).items():
            if value not in ("", None, [], ()):
                self.stdout.write(f"  {key}: {value}")


def _json_document(finding, record) -> str:
    return json.dumps(
        {"outcome": finding.outcome, "explanation": finding.explanation, "record": record},
        ensure_ascii=False,
    )
