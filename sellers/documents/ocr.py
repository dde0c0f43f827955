"""Optical character recognition of page images: RapidOCR running the PP-OCRv4 Chinese and English
models shipped inside its wheel (nothing is downloaded), after the page is straightened.

The engine is loaded once per process on first use (about 0.3 s, 15 MB of models) and shared by the
threads of the process behind a lock: one reading at a time per process, as inference is CPU-bound.
"""

import ctypes
import ctypes.util
import re
import threading

import cv2
import numpy as np

from sellers.documents.layout import Piece

ENGINE_NAME = "RapidOCR PP-OCRv4"
# Detected boxes below this score are noise (speckles, stamps' edges) rather than text.
MIN_PIECE_CONFIDENCE = 0.5
# A page photographed on a table: its outline must cover this share of the photo to be trusted.
MIN_PAGE_AREA = 0.2
# Grey levels of a page without ink vary by less than this (paper grain, JPEG noise); one
# line of text on a white page varies by more than 10.
BLANK_PAGE_DEVIATION = 2.0
# Text lines leaning more than this many degrees are turned level before recognition.
MAX_LEVEL_SKEW = 1.0

CAPITALISED_WORD = re.compile(r"(?<=[a-z])(?=[A-Z][a-z])")

_engine = None
_engine_lock = threading.Lock()
# glibc keeps the half gigabyte a page's inference frees for the process's next use, so a
# worker stays that large between documents. Trimming after each document hands it back at no
# measurable cost, where MALLOC_MMAP_THRESHOLD_ made every reading about 3x slower (README).
_libc_name = ctypes.util.find_library("c")
_malloc_trim = getattr(ctypes.CDLL(_libc_name), "malloc_trim", None) if _libc_name else None


def release_memory() -> None:
    """Give the memory freed by a reading back to the system (glibc only; elsewhere nothing)."""
    if _malloc_trim is not None:
        _malloc_trim(0)


def _get_engine():
    global _engine
    if _engine is None:
        # Imported here: onnxruntime and the models are loaded only by processes that read.
        from rapidocr_onnxruntime import RapidOCR

        _engine = RapidOCR(
            # One thread per process: the worker runs a process per core, and onnxruntime's
            # threads spin against each other (measured 1.5x slower) when cores are shared.
            intra_op_num_threads=1,
            inter_op_num_threads=1,
            # Text is found on the page scaled to 1280 pixels, then each line is read at full
            # resolution: finding took 1.1-2.1 s a page instead of 1.3-5.4 s at 2000 pixels,
            # and scans still give 0.995 of their fields exactly (README).
            det_limit_type="max",
            det_limit_side_len=1280,
            # Lines are cut out with a wider margin than the default 1.6: with it, short English
            # lines lost their spaces ("cottonbedsheets") on 1 in 5 letters.
            det_unclip_ratio=2.0,
        )
    return _engine


def read_image(image: np.ndarray, page: int) -> list[Piece]:
    """The text pieces of one page image (BGR). Their boxes are fractions of the straightened
    page, and each piece carries the mapping back to the picture as uploaded, where the boxes
    it reports are drawn."""
    if _blank(image):
        return []
    picture_height, picture_width = image.shape[:2]
    image, to_picture = straighten(image)
    with _engine_lock:
        engine = _get_engine()
        results = _recognise(engine, image)
        if results and _mostly_vertical(results):
            # The page lies on its side: recognising it turned a quarter is cheaper than guessing.
            image, turn = _turned(image, cv2.ROTATE_90_CLOCKWISE)
            to_picture = to_picture @ turn
            results = _recognise(engine, image)
        if results and _upside_down(engine, image, results):
            image, turn = _turned(image, cv2.ROTATE_180)
            to_picture = to_picture @ turn
            results = _recognise(engine, image)
    height, width = image.shape[:2]
    # From fractions of the straightened page to fractions of the picture.
    fractions = np.diag([1 / picture_width, 1 / picture_height, 1.0]) @ to_picture
    picture = tuple(map(tuple, (fractions @ np.diag([width, height, 1.0])).tolist()))
    pieces = []
    for quad, text, score in results:
        xs = [point[0] for point in quad]
        ys = [point[1] for point in quad]
        pieces.append(
            Piece(
                text=text,
                page=page,
                x0=max(0.0, min(xs) / width),
                y0=max(0.0, min(ys) / height),
                x1=min(1.0, max(xs) / width),
                y1=min(1.0, max(ys) / height),
                confidence=float(score),
                picture=picture,
            )
        )
    return pieces


def _blank(image: np.ndarray) -> bool:
    """A page with no ink at all (a blank scan, an empty PDF page): nothing for the engine to
    find, and finding nothing on a whole page costs it about a second."""
    return float(cv2.cvtColor(image, cv2.COLOR_BGR2GRAY).std()) < BLANK_PAGE_DEVIATION


def _turned(image: np.ndarray, rotation: int) -> tuple[np.ndarray, np.ndarray]:
    """The image turned, and the matrix from the turned image's pixels back to the image's."""
    height, width = image.shape[:2]
    if rotation == cv2.ROTATE_90_CLOCKWISE:
        back = np.array([[0, 1, 0], [-1, 0, height - 1], [0, 0, 1]], dtype=float)
    else:
        back = np.array([[-1, 0, width - 1], [0, -1, height - 1], [0, 0, 1]], dtype=float)
    return cv2.rotate(image, rotation), back


def _recognise(engine, image: np.ndarray) -> list:
    results, _ = engine(image)
    return [
        (quad, _spaced(text), score)
        for quad, text, score in results or ()
        if text.strip() and score >= MIN_PIECE_CONFIDENCE
    ]


def _spaced(text: str) -> str:
    """The recogniser, trained mostly on Chinese, often runs English words together
    ("ShenzhenRuiheFootwear"); a capitalised word right after a small letter starts a new word."""
    return CAPITALISED_WORD.sub(" ", text)


def _mostly_vertical(results) -> bool:
    tall = 0
    for quad, text, _ in results:
        xs = [point[0] for point in quad]
        ys = [point[1] for point in quad]
        if len(text) > 2 and max(ys) - min(ys) > 1.5 * (max(xs) - min(xs)):
            tall += 1
    return tall > len(results) / 2


def _upside_down(engine, image: np.ndarray, results) -> bool:
    """Whether the engine's line classifier finds most of the longest lines upside down; it
    recognises each line the right way up anyway, but the page's reading order and boxes would be
    reversed."""
    longest = sorted(results, key=lambda result: -len(result[1]))[:8]
    crops = engine.get_crop_img_list(image, np.array([r[0] for r in longest], dtype=np.float32))
    _, labels, _ = engine.text_cls(crops)
    flipped = sum(1 for label, score in labels if label == "180" and score > 0.9)
    return flipped > len(labels) / 2


def straighten(image: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The page cut out of a photo and seen square on, its text lines level, and the matrix
    taking the straightened page's pixels back to the photo's."""
    unwarped, unwarp = _unwarp_page(image)
    levelled, level = _level(unwarped)
    return levelled, np.linalg.inv(unwarp) @ np.linalg.inv(level)


def _unwarp_page(image: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """When a photo shows a sheet on a darker background, the sheet's four corners are found and
    the sheet is mapped onto a rectangle, undoing the camera's angle."""
    height, width = image.shape[:2]
    scale = 800 / max(height, width)
    small = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    gray = cv2.GaussianBlur(cv2.cvtColor(small, cv2.COLOR_BGR2GRAY), (5, 5), 0)
    _, mask = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((15, 15), np.uint8))
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return image, np.eye(3)
    outline = max(contours, key=cv2.contourArea)
    area = cv2.contourArea(outline) / (small.shape[0] * small.shape[1])
    corners = cv2.approxPolyDP(outline, 0.02 * cv2.arcLength(outline, True), True)
    # A sheet filling the whole frame is a scan or a tight crop: nothing to undo.
    if len(corners) != 4 or not MIN_PAGE_AREA <= area <= 0.97:
        return image, np.eye(3)
    top_left, top_right, bottom_right, bottom_left = _ordered(corners.reshape(4, 2) / scale)
    out_width = int(
        max(np.linalg.norm(top_right - top_left), np.linalg.norm(bottom_right - bottom_left))
    )
    out_height = int(
        max(np.linalg.norm(bottom_left - top_left), np.linalg.norm(bottom_right - top_right))
    )
    source = np.array([top_left, top_right, bottom_right, bottom_left], dtype=np.float32)
    target = np.array(
        [[0, 0], [out_width - 1, 0], [out_width - 1, out_height - 1], [0, out_height - 1]],
        dtype=np.float32,
    )
    matrix = cv2.getPerspectiveTransform(source, target)
    unwarped = cv2.warpPerspective(
        image, matrix, (out_width, out_height), borderValue=(255, 255, 255)
    )
    return unwarped, matrix


def _ordered(points: np.ndarray) -> tuple[np.ndarray, ...]:
    sums = points.sum(axis=1)
    differences = np.diff(points, axis=1).ravel()
    return (
        points[np.argmin(sums)],
        points[np.argmin(differences)],
        points[np.argmax(sums)],
        points[np.argmax(differences)],
    )


def _level(image: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Turn the page by the angle at which its rows of ink line up best: the projection of dark
    pixels onto the vertical axis is sharpest when the text lines are level."""
    height, width = image.shape[:2]
    scale = 1000 / max(height, width)
    small = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    gray = cv2.cvtColor(small, cv2.COLOR_BGR2GRAY)
    ink = cv2.adaptiveThreshold(
        gray, 1, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 31, 15
    ).astype(np.float32)
    centre = (small.shape[1] / 2, small.shape[0] / 2)

    def sharpness(angle: float) -> float:
        turned = cv2.warpAffine(
            ink, cv2.getRotationMatrix2D(centre, angle, 1.0), (small.shape[1], small.shape[0])
        )
        return float(np.var(turned.sum(axis=1)))

    coarse = max(np.arange(-15, 15.5, 1.0), key=sharpness)
    best = max(np.arange(coarse - 1, coarse + 1.05, 0.2), key=sharpness)
    if abs(best) < MAX_LEVEL_SKEW:
        return image, np.eye(3)
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), best, 1.0)
    cos, sin = abs(matrix[0, 0]), abs(matrix[0, 1])
    out_width, out_height = int(height * sin + width * cos), int(height * cos + width * sin)
    matrix[0, 2] += out_width / 2 - width / 2
    matrix[1, 2] += out_height / 2 - height / 2
    levelled = cv2.warpAffine(image, matrix, (out_width, out_height), borderValue=(255, 255, 255))
    return levelled, np.vstack([matrix, [0, 0, 1]])
