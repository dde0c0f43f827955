"""The brand's logo is not a copy of a well-known logo or of another company's brand in the
program, recoloured, resized or trimmed: the logos are compared by a 64-bit difference hash."""

import csv
from functools import cache
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_noop as _
from PIL import Image, ImageOps, UnidentifiedImageError

from brandprogram.phrases import Phrase
from reviews.checks.base import Finding
from reviews.models import LogoHash

CODE = "logo_similarity"
TITLE = gettext_lazy("Look-alike logos")
QUICK = True
REFERENCE_LOGOS = Path(__file__).resolve().parent.parent / "data" / "well_known_logos.csv"
SHOWN = 5
# Pixels lighter than this count as background when the logo's margins are trimmed, so the
# same mark on a larger canvas hashes the same.
BACKGROUND_LEVEL = 240
# Decoding a logo bigger than this is refused rather than risking a decompression bomb.
MAX_PIXELS = 40_000_000
# What each compared logo is, in the evidence as in English and in findings through the catalogue.
WELL_KNOWN = _("well-known logo")
IN_PROGRAM = _("brand in the program")


def difference_hash(image: Image.Image) -> int:
    """Brightness gradients of a 9x8 grayscale grid: bit set where a pixel is brighter than its
    right-hand neighbour. Colour, size and small crops barely move the bits; shapes do."""
    if image.mode in ("RGBA", "LA", "P"):
        # Transparent areas are background: flatten onto white before dropping colour.
        rgba = image.convert("RGBA")
        image = Image.alpha_composite(Image.new("RGBA", rgba.size, "white"), rgba)
    gray = ImageOps.grayscale(image.convert("RGB"))
    box = gray.point(lambda level: 255 if level < BACKGROUND_LEVEL else 0).getbbox()
    if box:
        gray = gray.crop(box)
    grid = gray.resize((9, 8), Image.Resampling.LANCZOS)
    pixels = grid.tobytes()  # one byte per pixel in "L" mode, row by row
    bits = 0
    for row in range(8):
        for column in range(8):
            left, right = pixels[row * 9 + column], pixels[row * 9 + column + 1]
            bits = (bits << 1) | (left > right)
    return bits


def hamming(first: int, second: int) -> int:
    return (first ^ second).bit_count()


def hash_hex(value: int) -> str:
    return f"{value:016x}"


@cache
def _reference_logos(path: Path) -> tuple[str, tuple[dict, ...]]:
    """(list version, rows) of the versioned reference list; read once per process."""
    version = "unknown"
    lines = []
    with path.open(encoding="utf-8", newline="") as handle:
        for line in handle:
            if line.startswith("# version:"):
                version = line.split(":", 1)[1].strip()
            elif not line.startswith("#"):
                lines.append(line)
    return version, tuple(csv.DictReader(lines))


def run(application):
    brand = application.brand
    version, references = _reference_logos(REFERENCE_LOGOS)
    source = Phrase(
        _("well-known logo list (%(count)s logos) and program brands' logos"),
        count=len(references),
    )
    evidence = {"brand": brand.name, "logo": brand.logo.name or ""}
    if not brand.logo:
        return Finding(
            "pass",
            Phrase(_("The brand has no logo to compare.")),
            evidence,
            source,
            data_version=version,
        )
    try:
        with brand.logo.open("rb") as handle, Image.open(handle) as image:
            if image.width * image.height > MAX_PIXELS:
                raise ValueError(f"{image.width}x{image.height} pixels is too large")
            logo_hash = difference_hash(image)
    except (OSError, UnidentifiedImageError, ValueError, Image.DecompressionBombError) as exc:
        return Finding(
            "warn",
            Phrase(
                _("The logo file could not be read as an image (%(fault)s); compare it by eye."),
                # The image library's own words, for whoever looks into the file.
                fault=str(exc),
            ),
            evidence,
            source,
            data_version=version,
        )
    # Stored before comparing so later applicants' logos are compared with this brand too.
    LogoHash.objects.update_or_create(
        brand=brand, defaults={"logo_name": brand.logo.name, "hash": hash_hex(logo_hash)}
    )
    evidence["hash"] = hash_hex(logo_hash)
    candidates = [
        (hamming(logo_hash, int(row["hash"], 16)), row["name"], WELL_KNOWN, row["source"])
        for row in references
    ]
    # Plain rows: every program logo is compared, and model instances would cost more than that.
    others = (
        LogoHash.objects.exclude(brand__company_id=application.company_id)
        .order_by("pk")
        .values_list("hash", "brand__name", "brand__company__legal_name")
    )
    candidates += [
        (hamming(logo_hash, int(other_hash, 16)), name, IN_PROGRAM, owner)
        for other_hash, name, owner in others
    ]
    near, similar = settings.LOGO_NEAR_IDENTICAL_DISTANCE, settings.LOGO_SIMILAR_DISTANCE
    close = sorted(c for c in candidates if c[0] <= similar)
    evidence["thresholds"] = {"near_identical": near, "similar": similar}
    evidence["closest"] = [
        {"logo": name, "kind": kind, "source": origin, "distance": distance}
        for distance, name, kind, origin in close[:SHOWN]
    ]
    if not close:
        return Finding(
            "pass",
            Phrase(
                _(
                    "The logo of “%(brand)s” is not close to any of the %(count)s logos compared "
                    "(closest distance allowed: %(allowed)s of 64 bits)."
                ),
                brand=brand.name,
                count=len(candidates),
                allowed=similar + 1,
            ),
            evidence,
            source,
            data_version=version,
        )
    lines = [
        Phrase(
            _("“%(logo)s” (%(kind)s, %(owner)s): distance %(distance)s."),
            logo=name,
            kind=Phrase(kind),
            owner=origin,
            distance=distance,
        )
        for distance, name, kind, origin in close[:SHOWN]
    ]
    if close[0][0] <= near:
        headline = _(
            "The logo of “%(brand)s” is a near-identical copy of %(count)s logo(s) owned by others."
        )
        outcome = "fail"
    else:
        headline = _("The logo of “%(brand)s” resembles %(count)s logo(s) owned by others.")
        outcome = "warn"
    return Finding(
        outcome,
        [Phrase(headline, brand=brand.name, count=len(close)), *lines],
        evidence,
        source,
        data_version=version,
    )
