"""The invoice's pages as pictures, with each value the checker found outlined and labelled.

pypdfium2 renders the page (fast, already installed with pdfplumber); Pillow draws the boxes.
Boxes come from the report in PDF points from the top-left corner of the displayed page, so
they scale with the picture. Plain Python: no Streamlit.
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import pypdfium2 as pdfium
from PIL import Image, ImageDraw, ImageFont

from services.deposit_form import FIELD_SHORT_LABELS, fields_to_check, file_opens
from services.pdf_check.report import FIELD_NAMES, Box, Report

# Readable on a laptop, light enough for a phone; tall pages are scaled down to this height.
TARGET_WIDTH_PX = 1000
MAX_HEIGHT_PX = 2000
MAX_PAGES = 3
OUTLINE = (0, 0, 145)  # bleu France
WRONG = (206, 5, 0)  # DSFR error red
TO_CHECK = (214, 125, 0)  # amber: a value the checker is not sure of (black text on it: 6.8:1)
TO_CHECK_TEXT = (22, 22, 22)
TO_CHECK_SUFFIX = " : à vérifier"
WRONG_SUFFIX = " : à corriger"
HIGHLIGHT = (255, 233, 0, 70)  # light yellow wash over the value
TAG_BG = (0, 0, 145, 235)
TAG_TEXT = (255, 255, 255, 255)


@dataclass(frozen=True)
class Outline:
    field: str
    label: str
    box: Box
    wrong: bool = False  # an error is about this value: drawn in red
    to_check: bool = False  # the checker is not sure of it (never with wrong): drawn in amber


@dataclass(frozen=True)
class PagePreview:
    page: int  # 1-based
    png: bytes
    width: int
    height: int
    labels: tuple[str, ...]  # the labels drawn on this page, in reading order


def outlines_by_page(report: Report) -> dict[int, list[Outline]]:
    """Found values that have a position, grouped by page, top to bottom."""
    wrong_fields = {i.field for i in report.issues if i.severity == "error" and i.field}
    doubts = fields_to_check(report)
    pages: dict[int, list[Outline]] = {}
    for name, found in report.fields.items():
        if found.value is None or found.box is None or found.page is None:
            continue
        label = FIELD_SHORT_LABELS.get(name, name)
        wrong = name in wrong_fields
        doubt = not wrong and name in doubts
        suffix = WRONG_SUFFIX if wrong else TO_CHECK_SUFFIX if doubt else ""
        pages.setdefault(found.page, []).append(Outline(name, label + suffix, found.box, wrong, doubt))
    for number, outlines in pages.items():
        # A value printed inside another one (the SIREN inside the SIRET) would stack two labels on
        # the same spot: outline the outer value only.
        kept = [o for o in outlines if not any(_covered_by(o, other) for other in outlines)]
        pages[number] = sorted(kept, key=lambda o: (o.box.top, o.box.x0))
    return pages


def _covered_by(outline: Outline, other: Outline, slack: float = 1.0) -> bool:
    """`outline` lies within `other`'s box and is smaller; for the same box, the field listed
    first in the contract (seller_siret before seller_siren) keeps the label."""
    if other is outline:
        return False
    inner, outer = outline.box, other.box
    within = (inner.x0 >= outer.x0 - slack and inner.x1 <= outer.x1 + slack
              and inner.top >= outer.top - slack and inner.bottom <= outer.bottom + slack)
    if not within:
        return False
    area = (inner.x1 - inner.x0) * (inner.bottom - inner.top)
    other_area = (outer.x1 - outer.x0) * (outer.bottom - outer.top)
    if abs(area - other_area) > slack * max(1.0, (outer.x1 - outer.x0) + (outer.bottom - outer.top)):
        return area < other_area
    return _order(other.field) < _order(outline.field)


def _order(name: str) -> int:
    return FIELD_NAMES.index(name) if name in FIELD_NAMES else len(FIELD_NAMES)


def pages_to_preview(report: Report, max_pages: int = MAX_PAGES) -> list[int]:
    """Pages worth showing: those with outlined values (first page at least), none if unreadable."""
    if not file_opens(report) or not report.pdf.pages:
        return []
    with_boxes = sorted(outlines_by_page(report))
    chosen = [p for p in with_boxes if 1 <= p <= report.pdf.pages] or [1]
    return chosen[:max_pages]


def _scale_for(width_pt: float, height_pt: float) -> float:
    scale = TARGET_WIDTH_PX / max(width_pt, 1.0)
    if height_pt * scale > MAX_HEIGHT_PX:
        scale = MAX_HEIGHT_PX / max(height_pt, 1.0)
    return scale


# Fonts with French accents, in order of preference (Debian: fonts-dejavu-core, fonts-liberation).
# Pillow's own default font has no « à » or « é ».
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
)


@lru_cache(maxsize=8)
def _font(size: int) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    for path in FONT_CANDIDATES:
        try:
            return ImageFont.truetype(path, size)
        except OSError:
            continue
    return ImageFont.load_default(size=size)


def has_accents(font) -> bool:
    """Whether the font draws « à » as a letter, not as the empty box of a missing glyph."""
    return font.getmask("à").getbbox() != font.getmask("\ue000").getbbox()


def _printable(text: str, font) -> str:
    """Text the font can draw: accents dropped only when the font has none (« a corriger »)."""
    if has_accents(font):
        return text
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


Rect = tuple[float, float, float, float]


def _overlap_area(a: Rect, b: Rect) -> float:
    width = min(a[2], b[2]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[1], b[1])
    return width * height if width > 0 and height > 0 else 0.0


def _place_tag(box: Rect, size: tuple[float, float], canvas: tuple[int, int], taken: list[Rect],
               text: list[Rect]) -> Rect:
    """Put a label next to its box where it hides the least: never on another label or box if it
    can help, and on as little of the invoice's own text as possible."""
    x0, y0, x1, y1 = box
    w, h = size
    cw, ch = canvas
    middle = (y0 + y1 - h) / 2
    candidates = [(x0, y0 - h - 2), (x1 + 4, middle), (x1 - w, y0 - h - 2), (x0 - w - 4, middle),
                  (x0, y1 + 2), (x1 - w, y1 + 2)]
    best, best_cost = None, None
    for rank, (x, y) in enumerate(candidates):
        x, y = min(max(x, 0), cw - w), min(max(y, 0), ch - h)
        rect = (x, y, x + w, y + h)
        cost = (1000 * sum(_overlap_area(rect, t) for t in taken)
                + sum(_overlap_area(rect, t) for t in text) + rank)  # rank: prefer the usual place on a tie
        if best_cost is None or cost < best_cost:
            best, best_cost = rect, cost
    return best


def _near(rects: list[Rect], box: Rect, margin: tuple[float, float]) -> list[Rect]:
    """The rectangles a label placed around `box` could touch (keeps placement cheap)."""
    mx, my = margin
    return [r for r in rects if r[2] > box[0] - mx and r[0] < box[2] + mx and r[3] > box[1] - my and r[1] < box[3] + my]


def draw_outlines(image: Image.Image, outlines: list[Outline], scale: float,
                  text_rects: list[Rect] | None = None) -> Image.Image:
    """Outline each value on a rendered page and tag it with its label.

    `text_rects` are the page's text lines in pixels: labels avoid them where they can.
    """
    out = image.convert("RGB")  # a copy: the caller's picture is left alone
    draw = ImageDraw.Draw(out)
    font = _font(max(12, round(out.width / 58)))
    pad = 3
    boxes_px: list[Rect] = []
    for outline in outlines:
        b = outline.box
        rect = (max(0.0, b.x0 * scale - pad), max(0.0, b.top * scale - pad),
                min(out.width - 1.0, b.x1 * scale + pad), min(out.height - 1.0, b.bottom * scale + pad))
        boxes_px.append(rect)
        # A light wash over the value only: blending the whole page would cost a full-page copy.
        region = tuple(round(v) for v in rect)
        if region[2] > region[0] and region[3] > region[1]:
            patch = out.crop(region)
            wash = Image.new("RGB", patch.size, HIGHLIGHT[:3])
            out.paste(Image.blend(patch, wash, HIGHLIGHT[3] / 255), region[:2])
    for outline, rect in zip(outlines, boxes_px):
        draw.rectangle(rect, outline=_colour(outline),
                       width=max(2, round(out.width / 400)) + (outline.wrong or outline.to_check))
    taken = list(boxes_px)
    for outline, rect in zip(outlines, boxes_px):
        label = _printable(outline.label, font)
        left, top, right, bottom = draw.textbbox((0, 0), label, font=font)
        size = (right - left + 8, bottom - top + 6)
        margin = (size[0] + 10, size[1] + 10)
        tag = _place_tag(rect, size, out.size, _near(taken, rect, margin), _near(text_rects or [], rect, margin))
        taken.append(tag)
        draw.rectangle(tag, fill=_colour(outline) if outline.wrong or outline.to_check else TAG_BG[:3])
        text_colour = TO_CHECK_TEXT if outline.to_check and not outline.wrong else TAG_TEXT[:3]
        draw.text((tag[0] + 4 - left, tag[1] + 3 - top), label, font=font, fill=text_colour)
    return out


def _colour(outline: Outline) -> tuple[int, int, int]:
    return WRONG if outline.wrong else TO_CHECK if outline.to_check else OUTLINE


def _text_rects_px(page, scale: float, height_pt: float) -> list[Rect]:
    """The page's text lines, in pixels from the top-left; none for a rotated page (not worth it)."""
    if page.get_rotation():
        return []
    textpage = page.get_textpage()
    try:
        rects = []
        for index in range(min(textpage.count_rects(), 2000)):
            left, bottom, right, top = textpage.get_rect(index)
            rects.append((left * scale, (height_pt - top) * scale, right * scale, (height_pt - bottom) * scale))
        return rects
    finally:
        textpage.close()


def render_previews(data: bytes, report: Report, *, max_pages: int = MAX_PAGES) -> tuple[PagePreview, ...]:
    """Render the pages worth showing, with the found values outlined. Empty if none can be drawn."""
    pages = pages_to_preview(report, max_pages)
    if not pages:
        return ()
    outlines = outlines_by_page(report)
    previews = []
    pdf = pdfium.PdfDocument(data)
    try:
        for number in pages:
            if number > len(pdf):
                continue
            page = pdf[number - 1]
            try:
                width_pt, height_pt = report.page_sizes.get(number) or page.get_size()
                scale = _scale_for(width_pt, height_pt)
                bitmap = page.render(scale=scale, draw_annots=True)
                try:
                    image = bitmap.to_pil()
                finally:
                    bitmap.close()
                # The rendered width may differ from points*scale by rounding: map on real pixels.
                pixel_scale = image.width / width_pt
                page_outlines = outlines.get(number, [])
                text = _text_rects_px(page, pixel_scale, height_pt) if page_outlines else []
            finally:
                page.close()
            drawn = draw_outlines(image, page_outlines, pixel_scale, text)
            buffer = io.BytesIO()
            # A palette keeps text and outlines crisp at a third of the size: phones on mobile data.
            drawn.quantize(colors=128, method=Image.Quantize.FASTOCTREE).save(buffer, format="PNG")
            previews.append(PagePreview(number, buffer.getvalue(), drawn.width, drawn.height,
                                        tuple(o.label for o in page_outlines)))
    finally:
        pdf.close()
    return tuple(previews)
