"""Each evidence file is what it claims and carries nothing hostile, read the way the program
that opens it would: PDFs from their real header, every object and stream, without scripts,
automatic actions, launches, script links or attachments; images of sane size with no web
page hidden anywhere inside; no file that opens as two formats; no malware; and no file that
another company has already submitted."""

import hashlib
import io
import re
import struct
import zlib
from datetime import datetime

import pypdf
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_noop as _
from PIL import Image, ImageFile, PngImagePlugin, UnidentifiedImageError
from pypdf.errors import PyPdfError
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    StreamObject,
    TextStringObject,
)

from brandprogram.phrases import Date, Items, Number, Phrase
from reviews.checks.base import Finding
from reviews.checks.pdf_scan import (
    ACTIVE_NAMES,
    SCRIPT_LINK,
    XFA_SCRIPT,
    XML_SCRIPT,
    is_script_link,
    scan_pdf,
)
from reviews.checks.scanners import scanners_from_settings
from sellers.filetypes import formats_of_bytes, image_format, pdf_header_offset
from sellers.models import Evidence
from sellers.selectors import current_evidence

CODE = "evidence_forensics"
TITLE = gettext_lazy("Document forensics")
QUICK = True

# Tags a browser would render, and the event attributes that run script, matched in the bytes
# lowered (the ASCII case folding a bytes pattern's IGNORECASE does). Tag names are three
# letters or more so that compressed pixel data does not match them by chance.
MARKUP_TAGS = re.compile(
    rb"<(?:!doctype\s+html|\?php|html|head|body|script|svg|iframe|img|object|embed|meta|link|"
    rb"style|form|input|base|math|video|audio|details|marquee|frameset|frame|template)(?=[\s/>])"
)
# An attribute starts a word, but without a leading \b the engine looks for "on" with a fast
# search instead of trying the pattern at every byte of an image (milliseconds a photo); the
# word boundary is checked on each hit. A hit that is not one covers no "on" that is.
EVENT_ATTRIBUTES = re.compile(
    rb"on(?:load|error|click|mouseover|focus|blur|begin|end|animationstart|pageshow|toggle)\s*="
)
WORD_BYTES = frozenset(b"abcdefghijklmnopqrstuvwxyz0123456789_")
# Far beyond any real caption or XMP packet; text chunks that inflate to more fail the image.
PNG_TEXT_LIMIT = 16 * 1024 * 1024
EXIF_IFD, EXIF_DATE_ORIGINAL, EXIF_DATE = 0x8769, 36867, 306


def run(application):
    scanners = scanners_from_settings()
    failures, warnings, files = [], [], []
    # Files replaced or removed are history: the case stands on the current ones only.
    current = current_evidence(application)
    submitted_elsewhere = _owners_elsewhere(application, {item.sha256 for item in current})
    for evidence in current:
        name = evidence.original_name
        try:
            with evidence.file.open("rb") as stream:
                data = stream.read()
        except FileNotFoundError:
            failures.append(
                Phrase(
                    _("%(file)s is missing from file storage; it cannot be inspected."), file=name
                )
            )
            continue
        facts = {
            "file": name,
            "kind": evidence.kind,
            "type": evidence.detected_type,
            "size": len(data),
            "sha256": hashlib.sha256(data).hexdigest(),
        }
        files.append(facts)
        _inspect_formats(data, name, facts, failures)
        # Inspected the way each program that would open the file reads it: a PDF reader from
        # its header, an image viewer from the image.
        start, image = pdf_header_offset(data), image_format(data)
        if start is not None:
            if start and not image:
                facts["pdf_offset"] = start
                failures.append(
                    Phrase(
                        _(
                            "%(file)s has %(count)s stray bytes before its PDF header; readers "
                            "skip them but they hide the document from simple checks."
                        ),
                        file=name,
                        count=start,
                    )
                )
            _inspect_pdf(data[start:], name, facts, failures, warnings)
        if image or evidence.detected_type.startswith("image/"):
            _inspect_image(data, name, facts, failures, warnings)
        for scanner in scanners:
            found = scanner.scan(data)
            facts.setdefault("scan", {})[scanner.name] = found or "clean"
            if found:
                failures.append(
                    Phrase(
                        _("%(file)s: the malware scanner found %(found)s."), file=name, found=found
                    )
                )
        _inspect_reuse(application, name, facts, failures, submitted_elsewhere)
    scanner_names = ", ".join(scanner.name for scanner in scanners)
    evidence = {"files": files, "scanner": scanner_names}
    source = f"pypdf, Pillow, {scanner_names}"
    version = f"pypdf {pypdf.__version__}"
    if failures or warnings:
        outcome = "fail" if failures else "warn"
        return Finding(outcome, failures + warnings, evidence, source, version)
    words = [
        Phrase(
            _("%(count)s file(s) inspected: nothing hidden, active or reused."), count=len(files)
        )
    ]
    if len(scanners) == 1:
        words.append(Phrase(_("No ClamAV is configured, so only the EICAR test was run.")))
    return Finding("pass", words, evidence, source, version)


def _inspect_formats(data: bytes, name: str, facts: dict, failures: list) -> None:
    formats = formats_of_bytes(data)
    if len(formats) > 1:
        facts["formats"] = formats
        failures.append(
            Phrase(
                _(
                    "%(file)s is at once a %(formats)s file: each program that opens it sees "
                    "something else, which hides what it does."
                ),
                file=name,
                formats=" + ".join(formats),
            )
        )


def _inspect_pdf(data: bytes, name: str, facts: dict, failures: list, warnings: list) -> None:
    scan = scan_pdf(data)
    active = set(scan.active)
    if scan.too_expansive:
        facts["expansion_limit"] = scan.expansion_limit
        failures.append(
            Phrase(
                _(
                    "%(file)s expands to more than %(limit)s bytes when decompressed, which no "
                    "certificate does; it cannot be inspected safely."
                ),
                file=name,
                limit=Number(scan.expansion_limit),
            )
        )
    created = None
    try:
        reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            facts["encrypted"] = True
            # An empty user password only restricts printing or copying; we can still read it.
            # Behind a real password only the bytes scan above sees what the file holds.
            if reader.decrypt("") == pypdf.PasswordType.NOT_DECRYPTED:
                failures.append(
                    Phrase(
                        _("%(file)s is password-protected; ask for an unprotected copy."),
                        file=name,
                    )
                )
                reader = None
            else:
                warnings.append(
                    Phrase(_("%(file)s is encrypted (it opens without a password)."), file=name)
                )
        if reader is not None:
            facts["pages"] = len(reader.pages)
            active |= _active_content(reader)
            created = reader.metadata.creation_date if reader.metadata else None
    except (PyPdfError, ValueError, KeyError, TypeError) as exc:
        failures.append(
            Phrase(
                _("%(file)s is not a readable PDF (%(fault)s)."),
                file=name,
                fault=type(exc).__name__,
            )
        )
    if active:
        facts["active_content"] = sorted(active)
        failures.append(
            Phrase(
                _("%(file)s contains %(active)s, which certificates and letters never need."),
                file=name,
                active=Items(Phrase(item) for item in sorted(active)),
            )
        )
    if created is not None:
        facts["created"] = created.isoformat()
        aware = created if created.tzinfo else timezone.make_aware(created)
        if aware > timezone.now():
            warnings.append(
                Phrase(
                    _("%(file)s claims to be created in the future (%(day)s)."),
                    file=name,
                    day=Date(created.date()),
                )
            )


def _active_content(reader: pypdf.PdfReader) -> set[str]:
    """Active content in pypdf's reading of the file: every object in the cross-reference
    tables, not only those reachable from the catalogue, with names and strings decoded and
    encrypted ones decrypted. There is no object budget: each object is read once."""
    found, seen = set(), set()
    stack = [reader.trailer]
    for generation, entries in reader.xref.items():
        stack.extend(IndirectObject(number, generation, reader) for number in entries)
    stack.extend(IndirectObject(number, 0, reader) for number in reader.xref_objStm)
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            if (item.idnum, item.generation) in seen:
                continue
            seen.add((item.idnum, item.generation))
            try:
                item = item.get_object()
            except (PyPdfError, ValueError, KeyError, TypeError):
                continue
        if isinstance(item, DictionaryObject):
            for key, value in item.items():
                for name in (key, value if isinstance(value, NameObject) else None):
                    if name is not None and name[1:] in ACTIVE_NAMES:
                        found.add(ACTIVE_NAMES[name[1:]])
                if key == "/URI" and isinstance(value, (TextStringObject, ByteStringObject)):
                    raw = value.original_bytes if isinstance(value, TextStringObject) else value
                    if is_script_link(bytes(raw)) or is_script_link(str(value)):
                        found.add(SCRIPT_LINK)
                if key == "/XFA" and _xfa_has_script(value):
                    found.add(XFA_SCRIPT)
                stack.append(value)
        elif isinstance(item, ArrayObject):
            stack.extend(item)
    return found


def _xfa_has_script(value) -> bool:
    """An XFA form is one stream or an array of named packets, each a stream of XML."""
    value = value.get_object()
    parts = value if isinstance(value, ArrayObject) else [value]
    for part in parts:
        part = part.get_object()
        if isinstance(part, StreamObject):
            try:
                if XML_SCRIPT.search(part.get_data()):
                    return True
            except (PyPdfError, ValueError, zlib.error):
                continue
    return False


def _inspect_image(data: bytes, name: str, facts: dict, failures: list, warnings: list) -> None:
    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            facts["pixels"] = [width, height]
            if width * height > settings.EVIDENCE_MAX_PIXELS:
                failures.append(
                    Phrase(
                        _(
                            "%(file)s is %(width)s by %(height)s pixels, more than the "
                            "%(limit)s an evidence image may have."
                        ),
                        file=name,
                        width=width,
                        height=height,
                        limit=Number(settings.EVIDENCE_MAX_PIXELS),
                    )
                )
                return
            exif = _exif(image)
            taken = exif.get_ifd(EXIF_IFD).get(EXIF_DATE_ORIGINAL) or exif.get(EXIF_DATE)
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError) as exc:
        failures.append(
            Phrase(
                _("%(file)s is not a readable image (%(fault)s)."),
                file=name,
                fault=type(exc).__name__,
            )
        )
        return
    if taken:
        facts["exif_date"] = str(taken)
        try:
            moment = timezone.make_aware(datetime.strptime(str(taken), "%Y:%m:%d %H:%M:%S"))
        except ValueError:
            warnings.append(
                Phrase(
                    _("%(file)s has an unreadable photo date (%(taken)s)."),
                    file=name,
                    taken=str(taken),
                )
            )
        else:
            if moment > timezone.now():
                warnings.append(
                    Phrase(
                        _("%(file)s says the photo was taken in the future (%(taken)s)."),
                        file=name,
                        taken=str(taken),
                    )
                )
    texts, overflow = _png_compressed_text(data)
    if overflow:
        failures.append(
            Phrase(
                _(
                    "%(file)s has text inside the image that expands to more than %(limit)s "
                    "bytes; it cannot be inspected safely."
                ),
                file=name,
                limit=Number(PNG_TEXT_LIMIT),
            )
        )
    hidden = sorted({found for text in (data, *texts) for found in _markup(text)})
    if hidden:
        facts["markup"] = hidden
        failures.append(
            Phrase(
                _(
                    "%(file)s is also a web page (%(markup)s inside the image): a browser could "
                    "run it."
                ),
                file=name,
                markup=", ".join(hidden),
            )
        )


def _exif(image: Image.Image) -> Image.Exif:
    """``image.getexif()``, without decoding a PNG's pixels.

    Pillow decodes a whole PNG (milliseconds a scan) only to reach the chunks after its image
    data, where an eXIf or text chunk may sit. Those chunks are read here as its loader reads
    them once the pixels are done (``PngImageFile.load_end``), with the same chunk readers and
    the same faults, so the EXIF is the one the decoded image has. An animated PNG, whose
    frames the loader steps through, is still loaded.
    """
    png = getattr(image, "png", None)
    if not isinstance(image, PngImagePlugin.PngImageFile) or png is None:
        return image.getexif()
    if png.im_n_frames is not None:
        return image.getexif()
    if "exif" not in image.info:
        stream = image.fp
        # Open stops at the first image data chunk; the loader goes on after it.
        stream.seek(image.tile[0].offset + png.im_idat)
        while True:
            stream.read(4)  # the CRC, which the loader does not check after the image data
            try:
                kind, position, length = png.read()
            except (struct.error, SyntaxError):
                break
            if kind == b"IEND":
                break
            try:
                png.call(kind, position, length)
            except UnicodeDecodeError:
                break
            except EOFError:
                # More image data: skipped, as a frame's data after its sequence number.
                ImageFile._safe_read(stream, length - 4 if kind == b"fdAT" else length)
            except AttributeError:
                # A chunk Pillow does not read.
                ImageFile._safe_read(stream, length)
    return Image.Image.getexif(image)


def _markup(text: bytes) -> set[str]:
    """The tags and event attributes in ``text``, lowered and without their white space."""
    lowered = text.lower()
    found = [match.group() for match in MARKUP_TAGS.finditer(lowered)]
    found += [
        match.group()
        for match in EVENT_ATTRIBUTES.finditer(lowered)
        if match.start() == 0 or lowered[match.start() - 1] not in WORD_BYTES
    ]
    return {re.sub(rb"\s+", b"", item).decode() for item in found}


def _png_compressed_text(data: bytes) -> tuple[list[bytes], bool]:
    """The text of a PNG's compressed zTXt and iTXt chunks, where markup is out of sight of a
    scan of the raw bytes, and whether it all came to more than PNG_TEXT_LIMIT (then the
    rest is not inflated and the image fails)."""
    texts, budget = [], PNG_TEXT_LIMIT
    position = 8 if data.startswith(b"\x89PNG") else len(data)
    while position + 8 <= len(data):
        length = int.from_bytes(data[position : position + 4], "big")
        kind = data[position + 4 : position + 8]
        body = data[position + 8 : position + 8 + length]
        position += 12 + length
        if kind == b"zTXt":
            compressed = body.partition(b"\0")[2][1:]
        elif kind == b"iTXt":
            rest = body.partition(b"\0")[2]
            if rest[:1] != b"\1":
                continue
            # Compression flag and method, then language tag and translated keyword.
            compressed = rest[2:].split(b"\0", 2)[-1]
        else:
            continue
        inflater = zlib.decompressobj()
        try:
            text = inflater.decompress(compressed, budget + 1)
        except zlib.error:
            continue
        budget -= len(text)
        if budget < 0:
            return texts, True
        texts.append(text)
    return texts, False


def _owners_elsewhere(application, hashes: set[str]) -> dict[str, list[str]]:
    """For each of the hashes, the legal names of the other companies that submitted a file
    with it, one name per file, sorted: for all the application's files in one query.

    Withdrawn files of other companies included: a company that once sent this file sent it.
    """
    owners = {sha256: [] for sha256 in hashes}
    if hashes:
        others = (
            Evidence.objects.filter(sha256__in=hashes)
            .exclude(application__company_id=application.company_id)
            .order_by()
            .values_list("sha256", "application__company__legal_name")
        )
        for sha256, legal_name in others:
            owners[sha256].append(legal_name)
    return {sha256: sorted(names) for sha256, names in owners.items()}


def _inspect_reuse(
    application, name: str, facts: dict, failures: list, submitted_elsewhere: dict
) -> None:
    owners = submitted_elsewhere.get(facts["sha256"])
    if owners is None:
        # The file no longer has the bytes it was stored with: looked up on its own.
        owners = _owners_elsewhere(application, {facts["sha256"]})[facts["sha256"]]
    if owners:
        facts["also_submitted_by"] = owners
        failures.append(
            Phrase(
                _("%(file)s is byte for byte a file another company submitted (%(companies)s)."),
                file=name,
                companies=Items(owners),
            )
        )
