"""The brand's logo is not a copy of a well-known logo or of another company's brand in the
program, recoloured, resized or trimmed: the logos are compared by a 64-bit difference hash."""

import csv
from functools import cache
from pathlib import Path

from django.conf import settings
from PIL import Image, ImageOps, UnidentifiedImageError

from reviews.checks.base import Finding
from reviews.models import LogoHash

CODE = "logo_similarity"
TITLE = "Look-alike logos"
QUICK = True
REFERENCE_LOGOS = Path(__file__).resolve().parent.parent / "data" / "well_known_logos.csv"
SHOWN = 5
# Pixels lighter than this count as background when the logo's margins are trimmed, so the
# same mark on a larger canvas hashes the same.
BACKGROUND_LEVEL = 240
# Decoding a logo bigger than this is refused rather than risking a decompression bomb.
MAX_PIXELS = 40_000_000


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
    source = f"well-known logo list ({len(references)} logos) and program brands' logos"
    evidence = {"brand": brand.name, "logo": brand.logo.name or ""}
    if not brand.logo:
        return Finding(
            "pass", "The brand has no logo to compare.", evidence, source, data_version=version
        )
    try:
        with brand.logo.open("rb") as handle, Image.open(handle) as image:
            if image.width * image.height > MAX_PIXELS:
                raise ValueError(f"{image.width}x{image.height} pixels is too large")
            logo_hash = difference_hash(image)
    except (OSError, UnidentifiedImageError, ValueError, Image.DecompressionBombError) as exc:
        return Finding(
            "warn",
            f"The logo file could not be read as an image ({exc}); compare it by eye.",
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
        (hamming(logo_hash, int(row["hash"], 16)), row["name"], "well-known logo", row["source"])
        for row in references
    ]
    # Plain rows: every program logo is compared, and model instances would cost more than that.
    others = (
        LogoHash.objects.exclude(brand__company_id=application.company_id)
        .order_by("pk")
        .values_list("hash", "brand__name", "brand__company__legal_name")
    )
    candidates += [
        (hamming(logo_hash, int(other_hash, 16)), name, "brand in the program", owner)
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
            f"The logo of “{brand.name}” is not close to any of the {len(candidates)} logos "
            f"compared (closest distance allowed: {similar + 1} of 64 bits).",
            evidence,
            source,
            data_version=version,
        )
    lines = " ".join(
        f"“{name}” ({kind}, {origin}): distance {distance}."
        for distance, name, kind, origin in close[:SHOWN]
    )
    if close[0][0] <= near:
        return Finding(
            "fail",
            f"The logo of “{brand.name}” is a near-identical copy of {len(close)} logo(s) "
            f"owned by others. {lines}",
            evidence,
            source,
            data_version=version,
        )
    return Finding(
        "warn",
        f"The logo of “{brand.name}” resembles {len(close)} logo(s) owned by others. {lines}",
        evidence,
        source,
        data_version=version,
    )
