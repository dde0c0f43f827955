"""Each evidence file is what it claims and carries nothing hostile: PDFs without scripts,
automatic actions, launches or attachments; images of sane size with no web page hidden
inside; no malware; and no file that another company has already submitted."""

import hashlib
import io
from datetime import datetime

import pypdf
from django.conf import settings
from django.utils import timezone
from PIL import Image, UnidentifiedImageError
from pypdf.errors import PdfReadError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

from reviews.checks.base import Finding
from reviews.checks.scanners import scanner_from_settings
from sellers.models import Evidence

CODE = "evidence_forensics"
TITLE = "Document forensics"

# PDF keys and values that run something or carry other files.
ACTIVE_KEYS = {
    "/JavaScript": "JavaScript",
    "/JS": "JavaScript",
    "/OpenAction": "an action run on opening",
    "/AA": "automatic actions",
    "/EmbeddedFiles": "embedded files",
}
ACTIVE_VALUES = {
    ("/S", "/Launch"): "a program launch",
    ("/S", "/JavaScript"): "JavaScript",
    ("/Type", "/EmbeddedFile"): "embedded files",
}
# Enough for any real certificate; stops a crafted file from walking us in circles.
PDF_OBJECT_BUDGET = 20_000
MARKUP = (b"<html", b"<!doctype html", b"<script", b"<svg", b"<iframe", b"<?php")
EXIF_IFD, EXIF_DATE_ORIGINAL, EXIF_DATE = 0x8769, 36867, 306


def run(application):
    scanner = scanner_from_settings()
    failures, warnings, files = [], [], []
    for evidence in application.evidence.all():
        name = evidence.original_name
        try:
            with evidence.file.open("rb") as stream:
                data = stream.read()
        except FileNotFoundError:
            failures.append(f"{name} is missing from file storage; it cannot be inspected.")
            continue
        facts = {
            "file": name,
            "kind": evidence.kind,
            "type": evidence.detected_type,
            "size": len(data),
            "sha256": hashlib.sha256(data).hexdigest(),
        }
        files.append(facts)
        if data.startswith(b"%PDF"):
            _inspect_pdf(data, name, facts, failures, warnings)
        elif evidence.detected_type.startswith("image/"):
            _inspect_image(data, name, facts, failures, warnings)
        if scanner is not None:
            found = scanner.scan(data)
            facts["scan"] = found or "clean"
            if found:
                failures.append(f"{name}: the malware scanner found {found}.")
        _inspect_reuse(application, name, facts, failures)
    scanner_name = scanner.name if scanner else "no malware scanner configured"
    evidence = {"files": files, "scanner": scanner_name}
    source = f"pypdf, Pillow, {scanner_name}"
    version = f"pypdf {pypdf.__version__}"
    if failures or warnings:
        outcome = "fail" if failures else "warn"
        return Finding(outcome, " ".join(failures + warnings), evidence, source, version)
    scanned = "" if scanner else " No malware scanner is configured, so none was run."
    return Finding(
        "pass",
        f"{len(files)} file(s) inspected: nothing hidden, active or reused.{scanned}",
        evidence,
        source,
        version,
    )


def _inspect_pdf(data: bytes, name: str, facts: dict, failures: list, warnings: list) -> None:
    try:
        reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            facts["encrypted"] = True
            # An empty user password only restricts printing or copying; we can still read it.
            if reader.decrypt("") == pypdf.PasswordType.NOT_DECRYPTED:
                failures.append(f"{name} is password-protected; ask for an unprotected copy.")
                return
            warnings.append(f"{name} is encrypted (it opens without a password).")
        facts["pages"] = len(reader.pages)
        active = _active_content(reader)
        created = reader.metadata.creation_date if reader.metadata else None
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        failures.append(f"{name} is not a readable PDF ({type(exc).__name__}).")
        return
    if active:
        facts["active_content"] = sorted(active)
        failures.append(
            f"{name} contains {', '.join(sorted(active))}, which certificates and letters never "
            "need."
        )
    if created is not None:
        facts["created"] = created.isoformat()
        aware = created if created.tzinfo else timezone.make_aware(created)
        if aware > timezone.now():
            warnings.append(f"{name} claims to be created in the future ({created:%Y-%m-%d}).")


def _active_content(reader: pypdf.PdfReader) -> set[str]:
    found, seen = set(), set()
    stack = [reader.trailer["/Root"]]
    budget = PDF_OBJECT_BUDGET
    while stack and budget:
        budget -= 1
        item = stack.pop()
        if isinstance(item, IndirectObject):
            if (item.idnum, item.generation) in seen:
                continue
            seen.add((item.idnum, item.generation))
            item = item.get_object()
        if isinstance(item, DictionaryObject):
            for key, value in item.items():
                if key in ACTIVE_KEYS:
                    found.add(ACTIVE_KEYS[key])
                if isinstance(value, NameObject) and (key, value) in ACTIVE_VALUES:
                    found.add(ACTIVE_VALUES[(key, value)])
                stack.append(value)
        elif isinstance(item, ArrayObject):
            stack.extend(item)
    return found


def _inspect_image(data: bytes, name: str, facts: dict, failures: list, warnings: list) -> None:
    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            facts["pixels"] = [width, height]
            if width * height > settings.EVIDENCE_MAX_PIXELS:
                failures.append(
                    f"{name} is {width} by {height} pixels, more than the "
                    f"{settings.EVIDENCE_MAX_PIXELS:,} an evidence image may have."
                )
                return
            exif = image.getexif()
            taken = exif.get_ifd(EXIF_IFD).get(EXIF_DATE_ORIGINAL) or exif.get(EXIF_DATE)
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError) as exc:
        failures.append(f"{name} is not a readable image ({type(exc).__name__}).")
        return
    if taken:
        facts["exif_date"] = str(taken)
        try:
            moment = timezone.make_aware(datetime.strptime(str(taken), "%Y:%m:%d %H:%M:%S"))
        except ValueError:
            warnings.append(f"{name} has an unreadable photo date ({taken}).")
        else:
            if moment > timezone.now():
                warnings.append(f"{name} says the photo was taken in the future ({taken}).")
    lowered = data.lower()
    hidden = sorted({marker.decode() for marker in MARKUP if marker in lowered})
    if hidden:
        facts["markup"] = hidden
        failures.append(
            f"{name} is also a web page ({', '.join(hidden)} inside the image): a browser could "
            "run it."
        )


def _inspect_reuse(application, name: str, facts: dict, failures: list) -> None:
    others = (
        Evidence.objects.filter(sha256=facts["sha256"])
        .exclude(application__company_id=application.company_id)
        .values_list("application__company__legal_name", flat=True)
        .distinct()
    )
    owners = sorted(others)
    if owners:
        facts["also_submitted_by"] = owners
        failures.append(
            f"{name} is byte for byte a file another company submitted ({', '.join(owners)})."
        )
