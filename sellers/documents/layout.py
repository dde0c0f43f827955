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
        first, _ = self.place(((start, start + 1),))
        if first is None:
            return None
        number = next(
            (n for n, row in enumerate(self.rows) if any(lo < end <= hi for lo, hi, _ in row)),
            None,
        )
        if number is None:
            return None
        for following in self.rows[number + 1 : number + 3]:
            low, high, piece = following[0]
            if piece.page == first.page and abs(piece.x0 - first.x0) < 0.02:
                return low, high
        return None

    def place(self, spans: tuple[tuple[int, int], ...]) -> tuple[Box | None, float]:
        """Where the text of ``spans`` (start and end offsets) was read, on the page where it
        starts, and the lowest confidence of the pieces it covers. Inside a piece the box is
        narrowed in proportion to the characters' widths, CJK counting double."""
        boxes = []
        confidences = []
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
                    boxes.append(
                        (piece.x0 + span * before, piece.y0, piece.x0 + span * inside, piece.y1)
                    )
                    confidences.append(piece.confidence)
        if not boxes:
            return None, 0.0
        box = Box(
            page=page,
            x0=round(min(b[0] for b in boxes), 4),
            y0=round(min(b[1] for b in boxes), 4),
            x1=round(max(b[2] for b in boxes), 4),
            y1=round(max(b[3] for b in boxes), 4),
        )
        return box, round(min(confidences), 4)
