import json
import zipfile
from contextlib import contextmanager
from pathlib import Path
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from reviews.registry.importers import (
    ImportFormatError,
    csv_records,
    registry_import,
    uspto_case_files,
)
from reviews.registry.st96 import St96FormatError, st96_records
from sellers.models import Trademark


@contextmanager
def _open_xml(path: Path):
    # USPTO publishes its daily files zipped, and offices their ST.96 files; the member is
    # streamed, never unpacked to disk.
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            members = [name for name in archive.namelist() if name.lower().endswith(".xml")]
            if len(members) != 1:
                raise CommandError(f"{path}: expected one XML file in the archive")
            with archive.open(members[0]) as stream:
                yield stream
    else:
        with path.open("rb") as stream:
            yield stream


class Command(BaseCommand):
    help = (
        "Import trademark registry bulk data: USPTO case-file XML (DTD v2.0), WIPO ST.96 "
        "trademark XML of any office (TSDR answers, office and WIPO bulk files), both plain or "
        "zipped, or the registry CSV format. Prints a JSON summary."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--format", choices=["uspto-xml", "st96", "csv"], required=True)
        parser.add_argument(
            "--office",
            default="",
            choices=[office for office in Trademark.Office.values if office != "OTHER"],
            help="st96: the office of records whose office code is missing or not one we know.",
        )
        parser.add_argument(
            "--data-version",
            default="",
            help="Cited by every finding that uses these rows; defaults to the file name.",
        )

    def handle(self, *args, path: Path, format: str, data_version: str, office: str, **options):
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        version = data_version or path.name
        try:
            with transaction.atomic():
                if format == "uspto-xml":
                    with _open_xml(path) as stream:
                        count = registry_import(uspto_case_files(stream, data_version=version))
                elif format == "st96":
                    with _open_xml(path) as stream:
                        records = st96_records(stream, data_version=version, office=office)
                        count = registry_import(records)
                else:
                    with path.open(encoding="utf-8-sig", newline="") as stream:
                        count = registry_import(csv_records(stream, data_version=version))
        except (ImportFormatError, St96FormatError, UnicodeDecodeError) as exc:
            raise CommandError(f"{path}: {exc}") from None
        except ParseError as exc:
            raise CommandError(f"{path}: not well-formed XML: {exc}") from None
        except DefusedXmlException as exc:
            raise CommandError(f"{path}: refused unsafe XML: {exc}") from None
        self.stdout.write(json.dumps({"imported": count, "data_version": version}))
