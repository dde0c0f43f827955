"""Pieces of text read at known places, put in reading order, searchable as one string.

The field tables search a document's text with regular expressions; ``Layout`` keeps, for every
character of that text, the piece it came from, so a match answers where it was read and how surely.
"""

import re
import unicodedata
from dataclasses import dataclass

from sellers.documents.reading import Box

# Pieces on one row are joined by this gap, lines by a line break: a label printed apart from its
# value and the next column's label stay apart in the text, so values stop where the piece ends.
PIECE_GAP = "  "
WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Piece:
    """A run of text on one line: a PDF text line or an OCR engine's detected box."""

    text: str
    page: int
    # Fractions of the page's width and height, origin at the top left.
    x0: float
    y0: float
    x1: float
    y1: float
    confidence: float
    # For a photo or scan read by OCR: the 3x3 matrix from these fractions (of the straightened
    # page) to fractions of the picture as uploaded, where boxes are reported.
    picture: tuple[tuple[float, ...], ...] | None = None

    def on_picture(self, x0: float, y0: float, x1: float, y1: float) -> tuple[float, ...]:
        """The upright rectangle around a box of this piece's frame, as placed on the picture."""
        if self.picture is None:
            return x0, y0, x1, y1
        points = []
        for x, y in ((x0, y0), (x1, y0), (x1, y1), (x0, y1)):
            row_x, row_y, row_w = self.picture
            w = row_w[0] * x + row_w[1] * y + row_w[2]
            points.append(
                (
                    (row_x[0] * x + row_x[1] * y + row_x[2]) / w,
                    (row_y[0] * x + row_y[1] * y + row_y[2]) / w,
                )
            )
        xs = [point[0] for point in points]
        ys = [point[1] for point in points]
        return max(0.0, min(xs)), max(0.0, min(ys)), min(1.0, max(xs)), min(1.0, max(ys))

    @property
    def middle(self) -> float:
        return (self.y0 + self.y1) / 2

    @property
    def height(self) -> float:
        return self.y1 - self.y0


# Full-width digits and Latin letters are read as their ASCII twins; full-width punctuation stays,
# since Chinese values print it so.
FULL_WIDTH_ALPHANUMERIC = {
    code: code - 0xFEE0
    for start, end in ((0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A))
    for code in range(start, end + 1)
}


def clean(text: str) -> str:
    return WHITESPACE.sub(" ", text.translate(FULL_WIDTH_ALPHANUMERIC)).strip()


def rows_of(pieces: list[Piece]) -> list[list[Piece]]:
    """Pieces grouped into rows top to bottom, each row left to right. A piece joins a row when
    its middle lies within the row's first piece's height: values printed beside their labels
    land on the label's row even when the photo leans a little."""
    rows: list[list[Piece]] = []
    for piece in sorted(pieces, key=lambda p: (p.page, p.middle)):
        row = rows[-1] if rows else None
        if (
            row
            and row[0].page == piece.page
            and abs(piece.middle - row[0].middle) < 0.5 * max(row[0].height, piece.height)
        ):
            row.append(piece)
        else:
            rows.append([piece])
    return [sorted(row, key=lambda p: p.x0) for row in rows]


def _width(character: str) -> int:
    return 2 if unicodedata.east_asian_width(character) in "WF" else 1


class Layout:
    """The document's text in reading order, with the piece behind every character."""

    def __init__(self, pieces: list[Piece]):
        parts: list[str] = []
        # Per row, the (start, end, piece) of each piece's text in ``text``.
        self.rows: list[list[tuple[int, int, Piece]]] = []
        position = 0
        for row in rows_of([p for p in pieces if clean(p.text)]):
            if parts:
                parts.append("\n")
                position += 1
            spans = []
            for index, piece in enumerate(row):
                if index:
                    parts.append(PIECE_GAP)
                    position += len(PIECE_GAP)
                text = clean(piece.text)
                parts.append(text)
                spans.append((position, position + len(text), piece))
                position += len(text)
            self.rows.append(spans)
        self.text = "".join(parts)

    def continuation(self, start: int, end: int) -> tuple[int, int] | None:
        """The line wrapped under the value read from ``start`` to ``end``: a piece that opens
        one of the next two rows exactly under the value's first character. A piece with a label
        before it on its row is the next field, not the value carrying on."""
        first = next(self._parts(((start, start + 1),)), None)
        if first is None:
            return None
        opening, left = first[0], first[1]
        number = next(
            (n for n, row in enumerate(self.rows) if any(lo < end <= hi for lo, hi, _ in row)),
            None,
        )
        if number is None:
            return None
        for following in self.rows[number + 1 : number + 3]:
            low, high, piece = following[0]
            if piece.page == opening.page and abs(piece.x0 - left) < 0.02:
                return low, high
        return None

    def _parts(self, spans: tuple[tuple[int, int], ...]):
        """Each piece the spans cover, with the part of its box they cover (in the piece's own
        frame): the box narrowed in proportion to the characters' widths, CJK counting double.
        Only pieces on the page where the spans start."""
        page = None
        for start, end in spans:
            for row in self.rows:
                for span_start, span_end, piece in row:
                    low, high = max(start, span_start), min(end, span_end)
                    if low >= high or (page is not None and piece.page != page):
                        continue
                    page = piece.page
                    widths = [_width(character) for character in self.text[span_start:span_end]]
                    total = sum(widths) or 1
                    before = sum(widths[: low - span_start]) / total
                    inside = sum(widths[: high - span_start]) / total
                    span = piece.x1 - piece.x0
                    yield piece, piece.x0 + span * before, piece.x0 + span * inside

    def place(self, spans: tuple[tuple[int, int], ...]) -> tuple[Box | None, float]:
        """Where the text of ``spans`` (start and end offsets) was read, on the page where it
        starts, as fractions of the page or picture as uploaded, and the lowest confidence of
        the pieces it covers."""
        parts = list(self._parts(spans))
        if not parts:
            return None, 0.0
        boxes = [piece.on_picture(left, piece.y0, right, piece.y1) for piece, left, right in parts]
        box = Box(
            page=parts[0][0].page,
            x0=round(min(b[0] for b in boxes), 4),
            y0=round(min(b[1] for b in boxes), 4),
            x1=round(max(b[2] for b in boxes), 4),
            y1=round(max(b[3] for b in boxes), 4),
        )
        return box, round(min(piece.confidence for piece, _, _ in parts), 4)
