"""The pages of an evidence file: a PDF page's own text where it has one, else an image to read."""

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pypdfium2
from PIL import Image, ImageOps

from sellers.documents.layout import Piece

# Evidence is a certificate, a licence or a letter: a handful of pages. Further pages (annexes,
# lists of goods) are not read, which bounds the time one upload can take.
MAX_PAGES = 6
# Pages are rendered at 200 dots per inch, enough for 8-point CJK characters.
RENDER_SCALE = 200 / 72
# Images are read at most this many pixels on their long side; a 12-megapixel photo is scaled down.
MAX_SIDE = 2400
# A page whose text layer has fewer characters than this is a scan (perhaps with a stamped
# header or page number in text) and is read from its image.
MIN_TEXT_LAYER_CHARACTERS = 20
# Characters further apart than this many character heights belong to separate pieces: a label
# and its value in a form's two cells.
PIECE_BREAK = 1.5


class UnreadableFile(Exception):
    """The file does not open as the type it was detected as (damaged, encrypted)."""


@dataclass(frozen=True)
class Page:
    number: int
    # The text layer's pieces, or None when the page is read from ``image`` (BGR pixels).
    pieces: list[Piece] | None = None
    image: np.ndarray | None = None


def pages_of(path: Path, detected_type: str) -> tuple[int, Iterator[Page]]:
    """The file's page count and its pages, produced one at a time so only one rendered page is
    held in memory."""
    if detected_type == "application/pdf":
        try:
            document = pypdfium2.PdfDocument(str(path))
        except pypdfium2.PdfiumError as exc:
            raise UnreadableFile(str(exc)) from None
        return len(document), _pdf_pages(document)
    try:
        with Image.open(path) as opened:
            # Phones store the camera's orientation in EXIF instead of turning the pixels.
            image = ImageOps.exif_transpose(opened).convert("RGB")
    except (OSError, Image.DecompressionBombError) as exc:
        raise UnreadableFile(str(exc)) from None
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    return 1, iter([Page(number=1, image=np.asarray(image)[:, :, ::-1].copy())])


def _pdf_pages(document: pypdfium2.PdfDocument) -> Iterator[Page]:
    try:
        for index in range(min(len(document), MAX_PAGES)):
            page = document[index]
            pieces = _text_layer(page, index + 1)
            if sum(len(piece.text.strip()) for piece in pieces) >= MIN_TEXT_LAYER_CHARACTERS:
                yield Page(number=index + 1, pieces=pieces)
                continue
            width, height = page.get_size()
            scale = min(RENDER_SCALE, MAX_SIDE / max(width, height))
            rendered = page.render(scale=scale).to_pil().convert("RGB")
            yield Page(number=index + 1, image=np.asarray(rendered)[:, :, ::-1].copy())
    except pypdfium2.PdfiumError as exc:
        raise UnreadableFile(str(exc)) from None
    finally:
        document.close()


def _text_layer(page: pypdfium2.PdfPage, number: int) -> list[Piece]:
    """The page's text lines as pdfium orders them, each split where the characters leave a gap
    wider than PIECE_BREAK character heights."""
    width, height = page.get_size()
    text_page = page.get_textpage()
    text = text_page.get_text_range()
    pieces = []
    current: list[tuple[str, tuple[float, float, float, float]]] = []

    def close() -> None:
        inked = [box for character, box in current if not character.isspace()]
        if inked:
            left = min(box[0] for box in inked)
            right = max(box[2] for box in inked)
            bottom = min(box[1] for box in inked)
            top = max(box[3] for box in inked)
            pieces.append(
                Piece(
                    text="".join(character for character, _ in current),
                    page=number,
                    x0=max(0.0, left / width),
                    y0=max(0.0, 1 - top / height),
                    x1=min(1.0, right / width),
                    y1=min(1.0, 1 - bottom / height),
                    confidence=1.0,
                )
            )
        current.clear()

    for index, character in enumerate(text):
        if character in "\r\n":
            close()
            continue
        box = text_page.get_charbox(index)
        if not character.isspace() and current:
            inked = [b for c, b in current if not c.isspace()]
            # The tallest character so far stands for the font size: a flat one (一) would not.
            size = max([b[3] - b[1] for b in inked] + [box[3] - box[1], 1.0])
            if inked and box[0] - inked[-1][2] > PIECE_BREAK * size:
                close()
        current.append((character, box))
    close()
    text_page.close()
    return pieces
