"""The fonts the documents are drawn with, from the Debian packages that install them.

Chinese documents use Noto Serif/Sans CJK SC (``fonts-noto-cjk``), English ones DejaVu
(``fonts-dejavu-core``). Images are drawn with the fonts as installed. PDFs embed a TrueType copy
of the CJK faces cut down to the characters this package can print: the installed faces have
PostScript outlines, which PDF text extractors map back to characters less reliably.
"""

import hashlib
import io
import string
import tempfile
from functools import cache
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont, newTable
from PIL import ImageFont

NOTO = Path("/usr/share/fonts/opentype/noto")
DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
# (file, Debian package, family name inside a collection or None for a single-face file)
FACES = {
    ("zh", "serif"): (NOTO / "NotoSerifCJK-Regular.ttc", "fonts-noto-cjk", "Noto Serif CJK SC"),
    ("zh", "serif_bold"): (NOTO / "NotoSerifCJK-Bold.ttc", "fonts-noto-cjk", "Noto Serif CJK SC"),
    ("zh", "sans"): (NOTO / "NotoSansCJK-Regular.ttc", "fonts-noto-cjk", "Noto Sans CJK SC"),
    ("zh", "sans_bold"): (NOTO / "NotoSansCJK-Bold.ttc", "fonts-noto-cjk", "Noto Sans CJK SC"),
    ("en", "serif"): (DEJAVU / "DejaVuSerif.ttf", "fonts-dejavu-core", None),
    ("en", "serif_bold"): (DEJAVU / "DejaVuSerif-Bold.ttf", "fonts-dejavu-core", None),
    ("en", "sans"): (DEJAVU / "DejaVuSans.ttf", "fonts-dejavu-core", None),
    ("en", "sans_bold"): (DEJAVU / "DejaVuSans-Bold.ttf", "fonts-dejavu-core", None),
}
MEASURE_PX = 100


class FontMissing(RuntimeError):
    pass


@cache
def face_file(language: str, style: str) -> tuple[Path, int]:
    """The font file and the index of the face inside it; refuses clearly when not installed."""
    path, package, family = FACES[(language, style)]
    if not path.exists():
        raise FontMissing(
            f"font {path} is missing: install the Debian package {package} "
            f"(apt-get install {package})"
        )
    if family is None:
        return path, 0
    with TTFont(path, fontNumber=0, lazy=True) as first:
        count = first.reader.numFonts
    for index in range(count):
        with TTFont(path, fontNumber=index, lazy=True) as font:
            if font["name"].getDebugName(1) == family:
                return path, index
    raise FontMissing(f"{path} has no face {family!r}: reinstall the Debian package {package}")


@cache
def pil_font(language: str, style: str, px: int) -> ImageFont.FreeTypeFont:
    path, index = face_file(language, style)
    return ImageFont.truetype(str(path), px, index=index)


@cache
def glyphs_of(language: str, style: str) -> frozenset[str]:
    """What a face may print here: for CJK faces, what their cut-down PDF copy holds."""
    with TTFont(pdf_font_file(language, style), lazy=True) as font:
        return frozenset(chr(code) for code in font.getBestCmap())


def check_glyphs(text: str, language: str, style: str) -> None:
    missing = sorted(set(text) - glyphs_of(language, style))
    if missing:
        raise FontMissing(
            f"{FACES[(language, style)][0].name} cannot print {''.join(missing)!r} here: "
            "documents print only characters the face has and this package's sources contain"
        )


def text_width_mm(text: str, language: str, style: str, size_pt: float) -> float:
    length = pil_font(language, style, MEASURE_PX).getlength(text)
    return length / MEASURE_PX * size_pt * 25.4 / 72


def text_box_mm(text: str, language: str, style: str, size_pt: float) -> tuple[float, ...]:
    """The ink of ``text`` around its left end on the baseline: left, top, right, bottom in mm."""
    box = pil_font(language, style, MEASURE_PX).getbbox(text, anchor="ls")
    return tuple(value / MEASURE_PX * size_pt * 25.4 / 72 for value in box)


def printable_characters() -> str:
    """Every character the documents can hold: all their wording is written in this package."""
    found = set(string.printable)
    for source in sorted(Path(__file__).parent.glob("*.py")):
        found.update(source.read_text(encoding="utf-8"))
    return "".join(sorted(found))


@cache
def pdf_font_file(language: str, style: str) -> Path:
    """A TrueType file fpdf2 can embed for this face (the installed one when it already is)."""
    path, index = face_file(language, style)
    if path.suffix == ".ttf":
        return path
    characters = printable_characters()
    installed = path.stat()
    source = f"{path}:{installed.st_size}:{installed.st_mtime_ns}:{index}:{characters}"
    key = hashlib.sha256(source.encode()).hexdigest()[:16]
    target = Path(tempfile.gettempdir()) / "bench-documents-fonts" / f"{path.stem}-{key}.ttf"
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        # Written aside and renamed, so that a process drawing at the same time never reads half.
        with tempfile.NamedTemporaryFile(dir=target.parent, suffix=".part", delete=False) as part:
            part.write(_truetype_subset(path, index, characters))
        Path(part.name).replace(target)
    return target


def _truetype_subset(path: Path, index: int, characters: str) -> bytes:
    font = TTFont(path, fontNumber=index, recalcTimestamp=False)
    options = subset.Options()
    options.layout_features = []
    options.notdef_outline = True
    options.desubroutinize = True
    options.name_IDs = ["*"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=characters)
    subsetter.subset(font)
    # Cubic PostScript outlines become quadratic TrueType ones.
    order = font.getGlyphOrder()
    glyphs = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(None)
        glyphs[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
        glyf.glyphs[name] = pen.glyph()
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    for table in ("CFF ", "VORG"):
        if table in font:
            del font[table]
    maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for attribute in (
        "maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
        "maxStackElements", "maxSizeOfInstructions", "maxComponentElements",
    ):  # fmt: skip
        setattr(maxp, attribute, 0)
    maxp.maxZones = 1
    font["maxp"] = maxp
    font["head"].glyphDataFormat = 0
    font["post"].formatType = 3.0
    font.sfntVersion = "\x00\x01\x00\x00"
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()
