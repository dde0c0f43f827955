"""Checks on what sellers type and upload, shared by forms, the API and the services."""

import hashlib
import re
from dataclasses import dataclass

import magic
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError
from stdnum.cn import uscc
from stdnum.eu import vat
from stdnum.exceptions import ValidationError as StdnumError

from sellers.filetypes import PDF_HEADER, ZIP_TAIL, formats_of, pdf_header_offset
from sellers.text import control_characters, hidden_characters
from sellers.uscc import entity_type

GENERIC_REGISTRATION = re.compile(r"^[A-Z0-9][A-Z0-9 ./-]{2,39}$")


def validate_visible_text(value: str) -> None:
    """Refuse characters that do not show in a name a person types: a direction override
    makes reviewers read "EKIN" as "NIKE", zero-width characters hide a famous mark from
    searches while it still shows, and a line break or tab splits a one-line name (and the
    subject of every mail about it)."""
    controls = control_characters(value or "")
    if controls:
        raise ValidationError(
            _(
                "Remove the line breaks, tabs and other control characters (%(characters)s): "
                "a name is a single line of text."
            )
            % {"characters": ", ".join(controls)},
            code="control_characters",
        )
    hidden = hidden_characters(value or "")
    if hidden:
        raise ValidationError(
            _(
                "Remove the invisible characters (%(characters)s): they change how the name "
                "is displayed without showing."
            )
            % {"characters": ", ".join(hidden)},
            code="hidden_characters",
        )


def normalize_registration_number(country: str, number: str) -> str:
    """Return the number in its canonical form, or raise ValidationError saying what is wrong."""
    value = (number or "").strip().upper()
    if not value:
        raise ValidationError(_("Enter the company registration number."), code="required")
    if country == "CN":
        try:
            return uscc.validate(value)
        except StdnumError as exc:
            raise ValidationError(
                _(
                    "%(number)s is not a valid Unified Social Credit Code (18 characters with "
                    "a check character): %(reason)s"
                )
                % {"number": value, "reason": exc.message},
                code="invalid_uscc",
            ) from None
    if country.lower() in vat.MEMBER_STATES:
        return _normalize_eu_vat(country, value)
    if not GENERIC_REGISTRATION.match(value):
        raise ValidationError(
            _("Use 3 to 40 letters, digits, spaces, dots, slashes or dashes."),
            code="invalid_registration_number",
        )
    return value


def validate_company_entity(country: str, number: str) -> None:
    """Refuse a registration number whose entity type the program does not take: a Chinese
    code's first two characters say who registered what (GB 32100-2015), and only the types
    in USCC_ACCEPTED_ENTITY_TYPES may join; ``92`` is an individual business, not a company.
    ``number`` is already valid (normalize_registration_number)."""
    accepted = settings.USCC_ACCEPTED_ENTITY_TYPES
    if country != "CN" or number[:2] in accepted:
        return
    raise ValidationError(
        _(
            "%(number)s is the code of %(entity)s (it starts with %(prefix)s); the program "
            "accepts %(accepted)s only."
        )
        % {
            "number": number,
            "entity": entity_type(number),
            "prefix": number[:2],
            "accepted": _(" or ").join(
                _("%(entity)s (%(prefix)s…)") % {"entity": entity_type(p), "prefix": p}
                for p in accepted
            ),
        },
        code="entity_type_refused",
    )


def company_registration_checked(country: str, number: str) -> str:
    """A company's registration number in canonical form, of an entity type the program
    takes; the one check sign-up, the company profile and eligibility share."""
    value = normalize_registration_number(country, number)
    validate_company_entity(country, value)
    return value


def _normalize_eu_vat(country: str, value: str) -> str:
    # Greek VAT numbers carry the prefix EL, not the ISO code GR.
    prefix = "EL" if country == "GR" else country
    compact = re.sub(r"[\s.,/-]", "", value)
    if not compact[:2].isalpha():
        compact = prefix + compact
    if compact[:2] != prefix:
        raise ValidationError(
            _("%(number)s is not a VAT number of %(country)s; it should start with %(prefix)s.")
            % {"number": value, "country": country, "prefix": prefix},
            code="invalid_vat",
        )
    try:
        return vat.validate(compact)
    except StdnumError as exc:
        raise ValidationError(
            _("%(number)s is not a valid EU VAT number: %(reason)s")
            % {"number": value, "reason": exc.message},
            code="invalid_vat",
        ) from None


# Number formats per office, after spaces, commas and the CNIPA "第…号" wrapper are removed.
TRADEMARK_NUMBER_FORMATS: dict[str, tuple[re.Pattern, str]] = {
    "USPTO": (
        re.compile(r"^(\d{1,7}|\d{8})$"),
        "a registration number of up to 7 digits or an 8-digit serial number",
    ),
    "EUIPO": (re.compile(r"^(\d{9}|W\d{8})$"), "9 digits with leading zeros, or W and 8 digits"),
    "UKIPO": (re.compile(r"^UK\d{11}$"), "UK and 11 digits, for example UK00003123456"),
    "CNIPA": (re.compile(r"^\d{1,9}$"), "up to 9 digits"),
    "JPO": (
        re.compile(r"^(\d{7}|\d{4}-\d{6})$"),
        "a 7-digit registration or YYYY-NNNNNN application",
    ),
    "KIPO": (re.compile(r"^4\d{12}$"), "13 digits starting with 4"),
    "WIPO": (re.compile(r"^\d{6,7}[A-Z]?$"), "6 or 7 digits, sometimes followed by a letter"),
    "OTHER": (
        re.compile(r"^[A-Z0-9][A-Z0-9/.-]{2,31}$"),
        "3 to 32 letters, digits, dots or dashes",
    ),
}


def normalize_trademark_number(office: str, number: str) -> str:
    value = re.sub(r"[\s,]", "", (number or "").upper())
    if office == "CNIPA":
        value = value.removeprefix("第").removesuffix("号")
    if office == "USPTO" and len(value) < 8:
        # Older registrations are printed zero-padded to 7 digits ("0123456") and kept
        # without the zeros, so "0123456" and "123456" name the same registration.
        value = value.lstrip("0")
    try:
        pattern, description = TRADEMARK_NUMBER_FORMATS[office]
    except KeyError:
        raise ValidationError(_("Choose the trademark office."), code="invalid_office") from None
    if not pattern.match(value):
        raise ValidationError(
            _("%(number)s is not a %(office)s number: expected %(format)s.")
            % {"number": number, "office": office, "format": description},
            code="invalid_trademark_number",
        )
    return value


def display_trademark_number(office: str, number: str) -> str:
    """A trademark number as the office prints it: USPTO registration numbers, kept without
    leading zeros, are printed with seven digits."""
    if office == "USPTO" and number.isdigit() and len(number) < 7:
        return number.zfill(7)
    return number


def normalize_nice_classes(values) -> list[int]:
    try:
        classes = sorted({int(value) for value in values})
    except (TypeError, ValueError):
        raise ValidationError(_("Nice classes are numbers from 1 to 45."), code="invalid") from None
    if not classes:
        raise ValidationError(_("Give at least one Nice class."), code="required")
    outside = [number for number in classes if not 1 <= number <= 45]
    if outside:
        raise ValidationError(
            _("Nice classes run from 1 to 45; %(classes)s is not one.")
            % {"classes": ", ".join(map(str, outside))},
            code="invalid",
        )
    return classes


ALLOWED_EVIDENCE_TYPES = {
    "application/pdf": "PDF",
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "image/webp": "WebP",
}
# libmagic needs no more than the start of a file to tell its type.
SNIFF_BYTES = 8192
# Pillow refuses images above this many pixels instead of decoding a decompression bomb.
Image.MAX_IMAGE_PIXELS = 50_000_000


@dataclass(frozen=True)
class InspectedFile:
    sha256: str
    size: int
    detected_type: str


def sniff_type(upload) -> str:
    """The file's type as its first bytes tell it, whatever its name or Content-Type say."""
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    return magic.from_buffer(head, mime=True)


def inspect_evidence_file(upload) -> InspectedFile:
    """Hash and type an uploaded file from its bytes; refuse what is too big or not allowed."""
    size = upload.size
    limit = settings.EVIDENCE_MAX_BYTES
    if size > limit:
        raise ValidationError(
            _("%(name)s is %(size)s; files may be at most %(limit)s.")
            % {"name": upload.name, "size": filesizeformat(size), "limit": filesizeformat(limit)},
            code="file_too_large",
        )
    if size == 0:
        raise ValidationError(_("%(name)s is empty.") % {"name": upload.name}, code="empty_file")
    digest = hashlib.sha256()
    upload.seek(0)
    head, tail, pdf_anywhere = b"", b"", False
    for chunk in upload.chunks():
        if len(head) < 8192:
            head += chunk[: 8192 - len(head)]
        # The overlap finds a header split across two chunks.
        pdf_anywhere = pdf_anywhere or PDF_HEADER in tail[-len(PDF_HEADER) :] + chunk
        tail = (tail + chunk)[-ZIP_TAIL:]
        digest.update(chunk)
    upload.seek(0)
    _refuse_disguised_file(upload.name, head, tail, pdf_anywhere)
    detected = sniff_type(upload)
    if detected not in ALLOWED_EVIDENCE_TYPES:
        raise ValidationError(
            _("%(name)s is %(type)s; upload a PDF, JPEG, PNG or WebP file.")
            % {"name": upload.name, "type": detected},
            code="file_type_not_allowed",
        )
    if detected.startswith("image/"):
        try:
            with Image.open(upload) as image:
                image.verify()
        except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
            raise ValidationError(
                _("%(name)s is not a readable image.") % {"name": upload.name},
                code="file_corrupt",
            ) from None
        finally:
            upload.seek(0)
    return InspectedFile(sha256=digest.hexdigest(), size=size, detected_type=detected)


def _refuse_disguised_file(name: str, head: bytes, tail: bytes, pdf_anywhere: bool) -> None:
    """Refuse, before anything is stored, a file that opens as two formats or a PDF with bytes
    before its header: readers skip those bytes, simple checks stop at them, and no program
    that makes certificates writes them, so saving the document again loses nothing."""
    formats = formats_of(head, tail, pdf_anywhere)
    if len(formats) > 1:
        raise ValidationError(
            _(
                "%(name)s is at once a %(formats)s file; a file that opens as two things can "
                "hide what it does. Save it again as a single PDF, JPEG, PNG or WebP file."
            )
            % {"name": name, "formats": " + ".join(formats)},
            code="file_polyglot",
        )
    offset = pdf_header_offset(head)
    if offset:
        raise ValidationError(
            _(
                "%(name)s has %(count)s stray bytes before the PDF starts; save it again as a "
                "PDF and upload that copy."
            )
            % {"name": name, "count": offset},
            code="file_pdf_offset",
        )
