"""A page as drawing operations in millimetres, drawn the same way to pixels and to PDF."""

from dataclasses import dataclass, field

from bench.documents.fonts import text_box_mm, text_width_mm

BLACK = (20, 20, 20)
GREY = (90, 90, 90)
RED = (205, 30, 35)
BLUE = (25, 45, 120)
BROWN = (140, 95, 40)
NO_LINE_START = frozenset("，。、；：）》」』！？,.;:)")


@dataclass(frozen=True)
class Text:
    x: float
    y: float  # the baseline
    text: str
    size: float  # points
    style: str
    anchor: str  # "l", "m" or "r": where x is on the line
    color: tuple[int, int, int]
    # The labelled fields this text shows (where the page shows them first or most plainly).
    fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rule:
    x0: float
    y0: float
    x1: float
    y1: float
    width: float
    color: tuple[int, int, int]


@dataclass(frozen=True)
class Frame:
    x0: float
    y0: float
    x1: float
    y1: float
    width: float
    color: tuple[int, int, int]


@dataclass(frozen=True)
class Seal:
    """A round company or office seal: a ring, a star, the name on an arc, a line below."""

    cx: float
    cy: float
    radius: float
    text: str
    below: str
    language: str


@dataclass(frozen=True)
class Signature:
    x: float
    y: float
    width: float
    height: float
    seed: int


@dataclass(frozen=True)
class Code:
    """A square two-dimensional code, as licences print for looking the company up online."""

    x: float
    y: float
    size: float
    seed: int


@dataclass
class Page:
    language: str
    width: float = 210.0
    height: float = 297.0
    ops: list = field(default_factory=list)
    # Seals and signatures go over the text, as ink stamped on paper does.
    overlays: list = field(default_factory=list)

    def text(self, x, y, text, size=11.0, style="serif", anchor="l", color=BLACK, field=()):
        fields = (field,) if isinstance(field, str) else tuple(field)
        self.ops.append(Text(x, y, text, size, style, anchor, color, fields))

    def width_of(self, text: str, size: float, style: str = "serif") -> float:
        return text_width_mm(text, self.language, style, size)

    def wrapped(
        self, x, y, width, text, size=11.0, style="serif", leading=1.5, color=BLACK, field=()
    ):
        """Lines of ``text`` no wider than ``width``; returns the baseline below the last one."""
        for line in self.lines(text, width, size, style):
            self.text(x, y, line, size, style, "l", color, field)
            y += size * 0.3528 * leading
        return y

    def lines(self, text: str, width: float, size: float, style: str) -> list[str]:
        # Chinese breaks between any two characters, but never before closing punctuation;
        # English breaks between words.
        units = list(text) if self.language == "zh" else text.split(" ")
        joiner = "" if self.language == "zh" else " "
        lines, current = [], ""
        for unit in units:
            candidate = current + joiner + unit if current else unit
            too_wide = self.width_of(candidate, size, style) > width
            if current and too_wide and unit not in NO_LINE_START:
                lines.append(current)
                current = unit
            else:
                current = candidate
        if current:
            lines.append(current)
        return lines

    def row(self, x, y, label, value, size=11.0, value_x=None, width=None, style="serif", field=()):
        """A label and its value on one line (the value wraps under itself); returns the next y."""
        self.text(x, y, label, size, style, color=GREY if self.language == "en" else BLACK)
        start = value_x if value_x is not None else x + self.width_of(label, size, style) + 2
        limit = (width if width is not None else self.width - 22) - (start - x)
        ends = self.wrapped(start, y, limit, value, size, style, field=field)
        return ends + size * 0.3528 * 0.4

    def boxes(self, values: dict[str, str]) -> dict[str, tuple[float, float, float, float]]:
        """Where each field's value is drawn, in millimetres: left, top, right, bottom.

        Within a line the box is the value's own stretch of it; a value wrapped over lines
        gets the lines that carry it.
        """
        found = {}
        for name, value in values.items():
            tagged = [op for op in self.ops if isinstance(op, Text) and name in op.fields]
            exact = [self.part_box(op, value) for op in tagged if value in op.text]
            parts = exact or [self.part_box(op, op.text) for op in tagged]
            if parts:
                found[name] = (
                    min(part[0] for part in parts), min(part[1] for part in parts),
                    max(part[2] for part in parts), max(part[3] for part in parts),
                )  # fmt: skip
        return found

    def part_box(self, op: Text, part: str) -> tuple[float, float, float, float]:
        advance = self.width_of(op.text, op.size, op.style)
        start = op.x - {"l": 0.0, "m": advance / 2, "r": advance}[op.anchor]
        start += self.width_of(op.text[: op.text.index(part)], op.size, op.style)
        left, top, right, bottom = text_box_mm(part, self.language, op.style, op.size)
        return start + left, op.y + top, start + right, op.y + bottom

    def rule(self, x0, y0, x1, y1, width=0.3, color=BLACK) -> None:
        self.ops.append(Rule(x0, y0, x1, y1, width, color))

    def frame(self, inset, width=0.6, color=BLACK) -> None:
        self.ops.append(Frame(inset, inset, self.width - inset, self.height - inset, width, color))

    def seal(self, cx, cy, radius, text, below="") -> None:
        self.overlays.append(Seal(cx, cy, radius, text, below, self.language))

    def signature(self, x, y, width, height, seed) -> None:
        self.overlays.append(Signature(x, y, width, height, seed))

    def code(self, x, y, size, seed) -> None:
        self.overlays.append(Code(x, y, size, seed))
