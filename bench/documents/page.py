"""A page as drawing operations in millimetres, drawn the same way to pixels and to PDF."""

from dataclasses import dataclass, field

from bench.documents.fonts import text_width_mm

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

    def text(self, x, y, text, size=11.0, style="serif", anchor="l", color=BLACK) -> None:
        self.ops.append(Text(x, y, text, size, style, anchor, color))

    def width_of(self, text: str, size: float, style: str = "serif") -> float:
        return text_width_mm(text, self.language, style, size)

    def wrapped(self, x, y, width, text, size=11.0, style="serif", leading=1.5, color=BLACK):
        """Lines of ``text`` no wider than ``width``; returns the baseline below the last one."""
        for line in self.lines(text, width, size, style):
            self.text(x, y, line, size, style, "l", color)
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

    def row(self, x, y, label, value, size=11.0, value_x=None, width=None, style="serif"):
        """A label and its value on one line (the value wraps under itself); returns the next y."""
        self.text(x, y, label, size, style, color=GREY if self.language == "en" else BLACK)
        start = value_x if value_x is not None else x + self.width_of(label, size, style) + 2
        limit = (width if width is not None else self.width - 22) - (start - x)
        return self.wrapped(start, y, limit, value, size, style) + size * 0.3528 * 0.4

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
