"""Pages to files: a clean scan, a photo taken at an angle, an unreadable page, a text PDF."""

import io
import math
import random
from datetime import UTC, datetime

from fpdf import FPDF
from PIL import Image, ImageChops, ImageDraw, ImageFilter

from bench.documents.fonts import check_glyphs, pdf_font_file, pil_font
from bench.documents.layouts import layout
from bench.documents.page import RED, Code, Frame, Page, Rule, Seal, Signature, Text
from bench.documents.samples import Sample

# Most scans are made at 150 dpi, some at 200; phones give less detail per page.
SCAN_DPI = (150, 150, 150, 200)
PHOTO_DPI = (90, 100, 110)
# Files carry this date, never the clock's, so that a seed makes the same bytes every time.
FILE_DATE = datetime(2026, 12, 4, tzinfo=UTC)
ANCHORS = {"l": "ls", "m": "ms", "r": "rs"}


def render(sample: Sample) -> bytes:
    """The file's bytes, the same for the same sample."""
    page = layout(sample)
    for op in page.ops:
        if isinstance(op, Text):
            check_glyphs(op.text, page.language, op.style)
    if sample.file_type == "pdf_text":
        return text_pdf(page)
    rng, dpi, corners = camera(sample, page)
    image = raster(page, dpi)
    mode = sample.extra.get("unreadable")
    if mode == "blank":
        image = Image.new("RGB", image.size, (246, 245, 240))
    image = scanned(image, rng) if corners is None else photograph(image, rng, corners)
    if mode == "blurred":
        image = image.filter(ImageFilter.GaussianBlur(radius=image.width / 45))
    return encode(image, sample.file_type, corners is not None, dpi)


def camera(sample: Sample, page: Page) -> tuple[random.Random, int, tuple | None]:
    """How the page is taken: the random stream, the resolution and, for a photo, the angle.

    The picture and the field boxes both start here, so that they agree.
    """
    rng = random.Random(sample.render_seed)
    if sample.variant != "photo":
        return rng, rng.choice(SCAN_DPI), None
    dpi = rng.choice(PHOTO_DPI)
    return rng, dpi, photo_corners(rng, *page_pixels(page, dpi / 25.4))


def field_boxes(sample: Sample) -> dict[str, dict]:
    """Where each labelled field is in the file, as fractions of the picture (or PDF page).

    The same shape as ``sellers.documents.reading.Box``; for a photo, the smallest upright
    rectangle around the field as the perspective placed it. Nothing for an unreadable page.
    """
    if sample.defect == "unreadable":
        return {}
    page = layout(sample)
    found = page.boxes({name: sample.printed[name] for name in sample.fields})
    if sample.file_type == "pdf_text" or sample.variant == "scan":
        return {
            name: box_json(x0 / page.width, y0 / page.height, x1 / page.width, y1 / page.height)
            for name, (x0, y0, x1, y1) in found.items()
        }
    _, dpi, (canvas, corners, placed) = camera(sample, page)
    scale = dpi / 25.4
    forward = perspective(corners, placed)
    boxes = {}
    for name, (x0, y0, x1, y1) in found.items():
        points = [
            project(forward, x * scale, y * scale)
            for x, y in ((x0, y0), (x1, y0), (x1, y1), (x0, y1))
        ]
        xs, ys = [point[0] for point in points], [point[1] for point in points]
        boxes[name] = box_json(
            min(xs) / canvas[0], min(ys) / canvas[1], max(xs) / canvas[0], max(ys) / canvas[1]
        )
    return boxes


def box_json(x0: float, y0: float, x1: float, y1: float) -> dict:
    return {
        "page": 1,
        "x0": round(x0, 4),
        "y0": round(y0, 4),
        "x1": round(x1, 4),
        "y1": round(y1, 4),
    }


def project(coefficients: list[float], x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f, g, h = coefficients
    divisor = g * x + h * y + 1
    return (a * x + b * y + c) / divisor, (d * x + e * y + f) / divisor


def page_pixels(page: Page, scale: float) -> tuple[int, int]:
    return round(page.width * scale), round(page.height * scale)


def raster(page: Page, dpi: int) -> Image.Image:
    scale = dpi / 25.4
    size = page_pixels(page, scale)
    image = Image.new("RGB", size, (255, 255, 255))
    draw = ImageDraw.Draw(image)
    for op in page.ops:
        if isinstance(op, Text):
            font = pil_font(page.language, op.style, max(1, round(op.size * dpi / 72)))
            draw.text((op.x * scale, op.y * scale), op.text, op.color, font, ANCHORS[op.anchor])
        elif isinstance(op, Rule):
            width = max(1, round(op.width * scale))
            draw.line(
                [(op.x0 * scale, op.y0 * scale), (op.x1 * scale, op.y1 * scale)], op.color, width
            )
        elif isinstance(op, Frame):
            width = max(1, round(op.width * scale))
            box = [op.x0 * scale, op.y0 * scale, op.x1 * scale, op.y1 * scale]
            draw.rectangle(box, outline=op.color, width=width)
    for overlay in page.overlays:
        picture = overlay_image(overlay, scale)
        left = round(overlay_left(overlay) * scale)
        top = round(overlay_top(overlay) * scale)
        image.paste(picture, (left, top), picture)
    return image


def overlay_left(overlay) -> float:
    return overlay.cx - overlay.radius if isinstance(overlay, Seal) else overlay.x


def overlay_top(overlay) -> float:
    return overlay.cy - overlay.radius if isinstance(overlay, Seal) else overlay.y


def overlay_size(overlay) -> tuple[float, float]:
    if isinstance(overlay, Seal):
        return overlay.radius * 2, overlay.radius * 2
    if isinstance(overlay, Code):
        return overlay.size, overlay.size
    return overlay.width, overlay.height


def overlay_image(overlay, scale: float) -> Image.Image:
    if isinstance(overlay, Seal):
        return seal_image(overlay, scale)
    if isinstance(overlay, Code):
        return code_image(overlay, scale)
    return signature_image(overlay, scale)


def code_image(code: Code, scale: float) -> Image.Image:
    """Random modules with the three corner squares a QR code has; it encodes nothing."""
    modules = 25
    rng = random.Random(code.seed)
    cells = Image.new("L", (modules, modules), 0)
    cells.putdata([255 if rng.random() < 0.5 else 0 for _ in range(modules * modules)])
    draw = ImageDraw.Draw(cells)
    for left, top in ((0, 0), (modules - 7, 0), (0, modules - 7)):
        draw.rectangle([left, top, left + 7, top + 7], fill=0)
        draw.rectangle([left, top, left + 6, top + 6], fill=255)
        draw.rectangle([left + 1, top + 1, left + 5, top + 5], fill=0)
        draw.rectangle([left + 2, top + 2, left + 4, top + 4], fill=255)
    side = round(code.size * scale)
    ink = cells.resize((side, side), Image.Resampling.NEAREST)
    image = Image.new("RGBA", (side, side), (20, 20, 20, 255))
    image.putalpha(ink)
    return image


def seal_image(seal: Seal, scale: float) -> Image.Image:
    size = round(seal.radius * 2 * scale)
    ink = Image.new("L", (size, size), 0)
    draw = ImageDraw.Draw(ink)
    centre = size / 2
    ring = max(2, round(size * 0.04))
    draw.ellipse([ring / 2, ring / 2, size - ring / 2, size - ring / 2], outline=255, width=ring)
    star(draw, centre, centre, size * 0.16)
    # The name runs clockwise over the top, each character upright towards the rim, as large
    # as the arc leaves room for.
    text = seal.text
    spread = min(250.0, 30.0 * len(text))
    outer = size / 2 - ring * 1.6
    pitch = outer * 0.8 * math.radians(spread) / len(text)
    font_px = max(6, round(min(size * 0.17, pitch * 0.92)))
    font = pil_font("zh", "sans_bold", font_px)
    distance = outer - font_px / 2
    for index, char in enumerate(text):
        angle = -spread / 2 + spread * (index + 0.5) / len(text)
        glyph = Image.new("L", (font_px * 2, font_px * 2), 0)
        ImageDraw.Draw(glyph).text((font_px, font_px), char, 255, font, "mm")
        glyph = glyph.rotate(-angle, resample=Image.Resampling.BILINEAR)
        x = centre + distance * math.sin(math.radians(angle)) - font_px
        y = centre - distance * math.cos(math.radians(angle)) - font_px
        ink.paste(255, (round(x), round(y)), glyph)
    if seal.below:
        below = pil_font("zh", "sans", max(6, round(size * 0.075)))
        draw.text((centre, centre + size * 0.29), seal.below, 255, below, "mm")
    # Stamped ink is uneven: some of it does not reach the paper.
    rng = random.Random(f"{text}:{size}")
    grain = max(1, size // 3)
    speckle = Image.frombytes("L", (grain, grain), rng.randbytes(grain * grain))
    speckle = speckle.point(lambda value: 0 if value < 40 else 235)
    ink = ImageChops.multiply(ink, speckle.resize((size, size), Image.Resampling.BILINEAR))
    colour = Image.new("RGBA", (size, size), (*RED, 255))
    colour.putalpha(ink.point(lambda value: value * 200 // 255))
    return colour


def star(draw: ImageDraw.ImageDraw, cx: float, cy: float, radius: float) -> None:
    points = []
    for index in range(10):
        distance = radius if index % 2 == 0 else radius * 0.38
        angle = math.radians(-90 + index * 36)
        points.append((cx + distance * math.cos(angle), cy + distance * math.sin(angle)))
    draw.polygon(points, fill=255)


def signature_image(signature: Signature, scale: float) -> Image.Image:
    """A hand-written name: a few loops running right, each signature its own."""
    width, height = round(signature.width * scale), round(signature.height * scale)
    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    rng = random.Random(signature.seed)
    waves = [
        (rng.uniform(2, 9), rng.uniform(0, 2 * math.pi), rng.uniform(0.08, 0.3)) for _ in range(3)
    ]
    loop = rng.uniform(0.02, 0.06)
    points = []
    for step in range(240):
        t = step / 239
        phase = t * 2 * math.pi
        x = t + loop * math.sin(phase * waves[0][0] * 2)
        y = 0.5 + sum(size * math.sin(phase * speed + start) for speed, start, size in waves)
        points.append((width * (0.04 + 0.92 * x), height * min(0.95, max(0.05, y))))
    pen = max(1, round(scale * 0.3))
    draw.line(points, (25, 35, 110, 235), pen, joint="curve")
    # A stroke under the name, as many signatures end.
    end = points[-1]
    draw.line([end, (width * 0.1, height * rng.uniform(0.75, 0.95))], (25, 35, 110, 220), pen)
    return image


def scanned(image: Image.Image, rng: random.Random) -> Image.Image:
    """A flatbed scan: straight and sharp, on paper a shade off white."""
    paper = (rng.randrange(244, 253), rng.randrange(242, 251), rng.randrange(236, 248))
    return ImageChops.multiply(image, Image.new("RGB", image.size, paper))


def photo_corners(rng: random.Random, width: int, height: int) -> tuple[tuple, list, list]:
    """The photo's size, and where the page's corners land in it: skewed and turned a little."""
    margin = 0.08
    canvas = (round(width * (1 + 2 * margin)), round(height * (1 + 2 * margin)))
    turn = math.radians(rng.uniform(-4, 4))
    cx, cy = canvas[0] / 2, canvas[1] / 2
    corners = [(0, 0), (width, 0), (width, height), (0, height)]
    placed = []
    for x, y in corners:
        dx = x - width / 2 + rng.uniform(-0.04, 0.04) * width
        dy = y - height / 2 + rng.uniform(-0.03, 0.03) * height
        placed.append(
            (
                cx + dx * math.cos(turn) - dy * math.sin(turn),
                cy + dx * math.sin(turn) + dy * math.cos(turn),
            )
        )
    return canvas, corners, placed


def photograph(image: Image.Image, rng: random.Random, geometry: tuple) -> Image.Image:
    """A phone photo of the page on a desk: at an angle, turned, unevenly lit, noisy."""
    canvas, corners, placed = geometry
    coefficients = perspective(placed, corners)
    desk = rng.choice(((120, 96, 72), (88, 90, 96), (150, 140, 125)))
    photo = image.transform(
        canvas, Image.Transform.PERSPECTIVE, coefficients, Image.Resampling.BILINEAR, fillcolor=desk
    )
    # Light falls off across the page: a coarse random grid, smoothly enlarged.
    grid = Image.frombytes("L", (3, 4), bytes(rng.randrange(165, 256) for _ in range(12)))
    light = grid.resize(canvas, Image.Resampling.BICUBIC).convert("RGB")
    photo = add_noise(ImageChops.multiply(photo, light), rng, 12)
    # A little out of focus: a small blur whose strength varies from photo to photo.
    centre = rng.randrange(4, 13)
    focus = ImageFilter.Kernel((3, 3), (1, 2, 1, 2, centre, 2, 1, 2, 1), 12 + centre)
    return photo.filter(focus)


def perspective(source: list, target: list) -> list[float]:
    """Coefficients mapping each point of ``source`` (output) to ``target`` (input)."""
    rows, values = [], []
    for (x, y), (u, v) in zip(source, target, strict=True):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        values.extend((u, v))
    return solve(rows, values)


def solve(matrix: list[list[float]], values: list[float]) -> list[float]:
    size = len(values)
    augmented = [[*row, value] for row, value in zip(matrix, values, strict=True)]
    for column in range(size):
        pivot = max(range(column, size), key=lambda row: abs(augmented[row][column]))
        augmented[column], augmented[pivot] = augmented[pivot], augmented[column]
        for row in range(size):
            if row != column:
                factor = augmented[row][column] / augmented[column][column]
                augmented[row] = [
                    a - factor * b for a, b in zip(augmented[row], augmented[column], strict=True)
                ]
    return [augmented[row][size] / augmented[row][row] for row in range(size)]


def add_noise(image: Image.Image, rng: random.Random, amplitude: int) -> Image.Image:
    width, height = image.size
    noise = Image.frombytes("L", (width, height), rng.randbytes(width * height))
    noise = noise.point(lambda value: value * 2 * amplitude // 255).convert("RGB")
    return ImageChops.add(image, noise, 1, -amplitude)


def encode(image: Image.Image, file_type: str, photo: bool, dpi: int) -> bytes:
    out = io.BytesIO()
    if file_type == "png":
        image.save(out, "PNG", compress_level=3 if photo else 6, dpi=(dpi, dpi))
    elif file_type == "jpeg":
        image.save(out, "JPEG", quality=72 if photo else 90, optimize=False, dpi=(dpi, dpi))
    else:
        image.save(
            out, "PDF", resolution=dpi, quality=75 if photo else 88,
            creationDate=FILE_DATE.utctimetuple(), modDate=FILE_DATE.utctimetuple(),
            producer="bench.documents",
        )  # fmt: skip
    return out.getvalue()


def text_pdf(page: Page) -> bytes:
    """A born-digital PDF: real text in embedded fonts, seals and signatures as images."""
    pdf = FPDF(orientation="P", unit="mm", format=(page.width, page.height))
    pdf.set_creation_date(FILE_DATE)
    pdf.set_producer("bench.documents")
    pdf.set_auto_page_break(False)
    pdf.add_page()
    for style in sorted({op.style for op in page.ops if isinstance(op, Text)}):
        pdf.add_font(style, "", str(pdf_font_file(page.language, style)))
    for op in page.ops:
        if isinstance(op, Text):
            pdf.set_font(op.style, size=op.size)
            pdf.set_text_color(*op.color)
            width = pdf.get_string_width(op.text)
            shift = {"l": 0.0, "m": width / 2, "r": width}[op.anchor]
            pdf.text(op.x - shift, op.y, op.text)
        elif isinstance(op, Rule):
            pdf.set_draw_color(*op.color)
            pdf.set_line_width(op.width)
            pdf.line(op.x0, op.y0, op.x1, op.y1)
        elif isinstance(op, Frame):
            pdf.set_draw_color(*op.color)
            pdf.set_line_width(op.width)
            pdf.rect(op.x0, op.y0, op.x1 - op.x0, op.y1 - op.y0)
    for overlay in page.overlays:
        picture = overlay_image(overlay, 8)
        width, height = overlay_size(overlay)
        pdf.image(picture, overlay_left(overlay), overlay_top(overlay), width, height)
    return bytes(pdf.output())
