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


def clean(text: str) -> str:
    """NFKC folds full-width letters, digits, colons and brackets into the ASCII ones the tables
    expect."""
    return WHITESPACE.sub(" ", unicodedata.normalize("NFKC", text)).strip()


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
        self._spans: list[tuple[int, int, Piece]] = []
        position = 0
        for row in rows_of([p for p in pieces if clean(p.text)]):
            if parts:
                parts.append("\n")
                position += 1
            for index, piece in enumerate(row):
                if index:
                    parts.append(PIECE_GAP)
                    position += len(PIECE_GAP)
                text = clean(piece.text)
                parts.append(text)
                self._spans.append((position, position + len(text), piece))
                position += len(text)
        self.text = "".join(parts)

    def place(self, start: int, end: int) -> tuple[Box | None, float]:
        """Where the text between ``start`` and ``end`` was read (on the page where it starts) and
        the lowest confidence of the pieces it spans. Inside a piece the box is narrowed in
        proportion to the characters' widths, CJK counting double."""
        boxes = []
        confidences = []
        page = None
        for span_start, span_end, piece in self._spans:
            low, high = max(start, span_start), min(end, span_end)
            if low >= high or (page is not None and piece.page != page):
                continue
            page = piece.page
            text = self.text[span_start:span_end]
            widths = [_width(character) for character in text]
            total = sum(widths) or 1
            before = sum(widths[: low - span_start]) / total
            inside = sum(widths[: high - span_start]) / total
            span = piece.x1 - piece.x0
            boxes.append((piece.x0 + span * before, piece.y0, piece.x0 + span * inside, piece.y1))
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
