"""One extraction per document with pypdfium2: the text of every page in content-stream order,
and word positions built from character boxes (every page of a short invoice; the first, last
and totals pages of a long one), pages closed as we go. pdfminer/pdfplumber is never needed.

Every rule and field finder works on the `Document` built here; nothing re-parses the PDF.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import logging

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from .report import Box

# pdfminer logs font oddities of real-world PDFs as warnings: not the user's business.
logging.getLogger("pdfminer").setLevel(logging.ERROR)

# Names under which Factur-X / ZUGFeRD / XRechnung carry their CII XML.
FACTURX_NAMES = ("factur-x.xml", "zugferd-invoice.xml", "xrechnung.xml", "zugferd.xml", "order-x.xml")

# A page with fewer readable characters than this is treated as having no text layer.
MIN_TEXT_CHARS = 20
# A page with fewer characters than this and an image covering most of it is a picture of a
# page with a few words on top (browser header, stamp): Chorus Pro cannot read it either.
SCAN_MAX_CHARS = 200
SCAN_MIN_COVER = 0.5
# Documents up to this many pages get word positions on every page (character boxes are cheap);
# longer ones on their first and last two pages, and on the page that carries the totals.
POSITION_ALL_PAGES = 8
# A page smaller than this (in points, ~7 mm) cannot show an invoice.
MIN_PAGE_POINTS = 20.0

# Words suggesting that a page carries the invoice totals (to pick the page to read positions on).
_TOTALS_HINT = re.compile(
    r"total|t\.?t\.?c|net\s+[àa]\s+payer|montant\s+d[ûu]|brutto|gesamt|summe|amount\s+due|totaal|bedrag",
    re.IGNORECASE,
)


class PdfOpenError(Exception):
    """The bytes could not be opened as a PDF. `code` is a report issue code."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(detail or code)
        self.code = code


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float


@dataclass
class Row:
    """A visual line of words (same height), left to right."""

    page: int
    words: list[Word]
    text: str = ""
    # start offset of each word in `text`
    offsets: list[int] = field(default_factory=list)

    def build(self) -> "Row":
        parts, offsets, pos = [], [], 0
        for w in self.words:
            offsets.append(pos)
            parts.append(w.text)
            pos += len(w.text) + 1
        self.text = " ".join(parts)
        self.offsets = offsets
        return self

    def box_of_span(self, start: int, end: int) -> Box | None:
        chosen = [w for w, off in zip(self.words, self.offsets) if off < end and off + len(w.text) > start]
        if not chosen:
            return None
        return Box(min(w.x0 for w in chosen), min(w.top for w in chosen),
                   max(w.x1 for w in chosen), max(w.bottom for w in chosen))


@dataclass
class Page:
    number: int  # 1-based
    width: float
    height: float
    text: str  # pypdfium2 text (content-stream order)
    char_count: int  # non-space characters
    has_images: bool
    image_cover: float = 0.0  # share of the page covered by its largest image (pages with little text)
    rows: list[Row] | None = None  # visual rows with positions, only for the pages that matter

    @property
    def lines(self) -> list[str]:
        return [ln.strip() for ln in self.text.splitlines()]

    @property
    def is_text(self) -> bool:
        return self.char_count >= MIN_TEXT_CHARS

    @property
    def is_scan(self) -> bool:
        """An image of a page: no text, or a few words (a browser header…) over a page-size picture."""
        if self.has_images and self.char_count < MIN_TEXT_CHARS:
            return True
        return self.char_count < SCAN_MAX_CHARS and self.image_cover >= SCAN_MIN_COVER


@dataclass
class Document:
    size_bytes: int
    pages: list[Page]
    encrypted: bool  # owner-password protection (opens, but is protected)
    attachments: dict[str, bytes]  # name -> data, only the Factur-X candidates are kept
    attachment_names: list[str]

    @property
    def text_layer(self) -> str:
        with_text = sum(1 for p in self.pages if p.is_text and not p.is_scan)
        scans = sum(1 for p in self.pages if p.is_scan)
        if with_text == 0:
            return "none"
        if scans:
            return "partial"
        return "full"

    def facturx_xml(self) -> tuple[str, bytes] | None:
        for name, data in self.attachments.items():
            return name, data
        return None


def sniff_pdf(data: bytes) -> bool:
    """A PDF starts with %PDF- within its first KiB (the spec tolerates leading junk)."""
    return b"%PDF-" in data[:1024]


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _clean(text: str) -> str:
    # pdfium marks soft line ends with \r\n and may keep odd control chars.
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x02", "-").replace("\ufffe", "-")
    text = text.replace("\u2212", "-")  # minus sign
    return _CONTROL.sub(" ", text)


def open_document(data: bytes, *, positions: bool = True, max_position_pages: int = 3) -> Document:
    """Probe every page with pypdfium2 and read word positions on the pages that matter. Raises PdfOpenError('encrypted'|'corrupted')."""
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
            raise PdfOpenError("encrypted", str(exc)) from None
        raise PdfOpenError("corrupted", str(exc)) from None
    try:
        encrypted = pdfium_c.FPDF_GetSecurityHandlerRevision(pdf.raw) != -1
        try:
            count = len(pdf)
        except Exception as exc:  # noqa: BLE001 - pdfium raises several kinds on damaged trees
            raise PdfOpenError("corrupted", str(exc)) from None
        if count == 0:
            raise PdfOpenError("corrupted", "no page")
        pages = []
        for index in range(count):
            page = pdf[index]
            try:
                width, height = page.get_size()
                textpage = page.get_textpage()
                try:
                    text = _clean(textpage.get_text_bounded())
                    chars = sum(1 for ch in text if not ch.isspace())
                    rows = None
                    if positions and chars >= MIN_TEXT_CHARS and (
                            count <= POSITION_ALL_PAGES or index < 2 or index >= count - 2):
                        try:
                            rows = page_rows(textpage, index + 1, width, height, page.get_rotation())
                        except Exception:  # noqa: BLE001 - positions are a bonus: the stream text still reads
                            rows = None
                finally:
                    textpage.close()
                has_images, cover = False, 0.0
                if chars < SCAN_MAX_CHARS:
                    area = max(1.0, float(width) * float(height))
                    for obj in page.get_objects(max_depth=3):
                        if obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE:
                            has_images = True
                            try:
                                left, bottom, right, top = obj.get_bounds()
                                w = max(0.0, min(right, width) - max(left, 0.0))
                                h = max(0.0, min(top, height) - max(bottom, 0.0))
                                cover = max(cover, min(1.0, w * h / area))
                            except Exception:  # noqa: BLE001 - no bounds: counts as an image only
                                pass
            finally:
                page.close()
            pages.append(Page(index + 1, float(width), float(height), text, chars, has_images, cover, rows))
        if all(p.width < MIN_PAGE_POINTS or p.height < MIN_PAGE_POINTS for p in pages):
            # A page a few points wide shows nothing: the file is damaged (or built to fool readers).
            raise PdfOpenError("corrupted", "degenerate page size")
        attachments: dict[str, bytes] = {}
        names: list[str] = []
        for index in range(pdf.count_attachments()):
            att = pdf.get_attachment(index)
            name = att.get_name() or ""
            names.append(name)
            if name.lower() in FACTURX_NAMES or (name.lower().endswith(".xml") and not attachments):
                try:
                    attachments[name] = bytes(att.get_data())
                except Exception:  # noqa: BLE001 - unreadable attachment: treated as absent
                    pass
        # A fake 'first XML' kept above is dropped if a standard name exists too.
        std = {n: d for n, d in attachments.items() if n.lower() in FACTURX_NAMES}
        if std:
            attachments = std
    finally:
        pdf.close()
    doc = Document(len(data), pages, encrypted, attachments, names)
    if positions and not encrypted and count > POSITION_ALL_PAGES:
        add_positions(doc, data, position_pages(doc, limit=max_position_pages))
    return doc


def position_pages(doc: Document, limit: int = 3) -> list[int]:
    """The first page and the last page that looks like it carries the totals."""
    text_pages = [p for p in doc.pages if p.is_text]
    if not text_pages:
        return []
    wanted = [text_pages[0].number]
    for page in reversed(text_pages):
        if _TOTALS_HINT.search(page.text):
            if page.number not in wanted:
                wanted.append(page.number)
            break
    return wanted[:limit]


def add_positions(doc: Document, data: bytes, numbers: list[int]) -> None:
    """Read word positions (pypdfium2 character boxes) on the given 1-based pages."""
    numbers = [n for n in numbers if 0 < n <= len(doc.pages) and doc.pages[n - 1].rows is None]
    if not numbers:
        return
    try:
        pdf = pdfium.PdfDocument(data)
    except Exception:  # noqa: BLE001 - positions are a bonus; pdfium text is enough to analyse
        return
    try:
        for number in numbers:
            page = pdf[number - 1]
            try:
                textpage = page.get_textpage()
                try:
                    doc.pages[number - 1].rows = page_rows(textpage, number, *page.get_size(), page.get_rotation())
                finally:
                    textpage.close()
            finally:
                page.close()
    except Exception:  # noqa: BLE001
        return
    finally:
        pdf.close()


_SPACE_CODES = frozenset((0x20, 0x09, 0x0A, 0x0D, 0xA0, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006,
                          0x2007, 0x2008, 0x2009, 0x200A, 0x202F, 0x3000, 0))
# Spaces inside a number ("1 234,56") are kept as a narrow no-break space in the word text
# only when pdfium printed one; other gaps split words.


_LEADER_START = re.compile(r"^[.\-_·…•=~]{3,}")
_LEADER_CHARS = ".-_·…•=~"
# In stream text: a run of leader characters between a label and its value (spaces around it are
# collapsed by the caller).
LEADERS = re.compile(r"[.\-_·…•=~]{4,}")


def _to_reading(angle: int, w: float, h: float):
    """Map user-space points (y up) to reading space (x right, y down) for text drawn at `angle`
    degrees counter-clockwise, so that rotated text (a landscape page stored portrait with
    /Rotate, a page drawn sideways) reads left to right, top to bottom."""
    if angle == 90:
        return lambda x, y: (y, x)
    if angle == 180:
        return lambda x, y: (w - x, y)
    if angle == 270:
        return lambda x, y: (h - y, w - x)
    return lambda x, y: (x, h - y)


def page_rows(textpage, page_number: int, width: float, height: float, rotation: int = 0) -> list[Row]:
    """Visual rows of one page from pypdfium2's character boxes (no pdfminer: ~10x faster).

    Characters are grouped into words (a space, a gap wider than a third of the font height, or
    a jump to another line ends a word) and words into rows. Only the page's main writing
    direction is laid out; text at another angle (a vertical margin mention) stays in the
    stream text."""
    raw = textpage.raw
    n = pdfium_c.FPDFText_CountChars(raw)
    if n <= 0:
        return []
    if rotation in (90, 270):  # get_size() gives the displayed size; user space is unrotated
        width, height = height, width
    get_uni, get_box, get_angle = pdfium_c.FPDFText_GetUnicode, pdfium_c.FPDFText_GetLooseCharBox, pdfium_c.FPDFText_GetCharAngle
    rect = pdfium_c.FS_RECTF()
    chars = []
    angles: dict[int, int] = {}
    for i in range(n):
        code = get_uni(raw, i)
        if code in _SPACE_CODES or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            chars.append(None)
            continue
        if not get_box(raw, i, rect):
            chars.append(None)
            continue
        a = get_angle(raw, i)
        deg = (360 - int(round(math.degrees(a) / 90.0)) * 90) % 360 if a >= 0 else 0
        angles[deg] = angles.get(deg, 0) + 1
        chars.append((code, deg, rect.left, rect.top, rect.right, rect.bottom))
    if not angles:
        return []
    main = max(angles, key=angles.get)
    tf = _to_reading(main, width, height)
    words: list[Word] = []
    buf: list[str] = []
    box = None  # x0, top, x1, bottom of the current word

    def flush():
        nonlocal buf, box
        if buf and box is not None:
            text = _clean("".join(buf)).strip()
            x0, x1 = box[0], box[2]
            # dotted or dashed leaders ("Total TTC ........ 1 234,56 €") are not words
            lead = _LEADER_START.match(text)
            if lead:
                x0 += (x1 - x0) * lead.end() / len(text)
                text = text[lead.end():]
            kept = len(text.rstrip(_LEADER_CHARS))
            if text and len(text) - kept >= 3:
                x1 -= (x1 - x0) * (len(text) - kept) / len(text)
                text = text[:kept]
            if text:
                words.append(Word(text, x0, box[1], x1, box[3]))
        buf, box = [], None

    for ch in chars:
        if ch is None or ch[1] != main:
            flush()
            continue
        code, _deg, left, top, right, bottom = ch
        xa, ya = tf(left, top)
        xb, yb = tf(right, bottom)
        x0, x1, t, b = min(xa, xb), max(xa, xb), min(ya, yb), max(ya, yb)
        if box is not None:
            hgt = max(1.0, box[3] - box[1])
            if abs(t - box[1]) > 0.45 * hgt or x0 < box[2] - 0.3 * hgt or x0 - box[2] > 0.3 * hgt:
                flush()
        buf.append(chr(code))
        box = (x0, t, x1, b) if box is None else (min(box[0], x0), min(box[1], t), max(box[2], x1), max(box[3], b))
    flush()
    return rows_from(page_number, words)


def rows_from(page_number: int, words: list[Word]) -> list[Row]:
    items = sorted(words, key=lambda w: (w.top, w.x0))
    rows: list[Row] = []
    current: list[Word] = []
    for w in items:
        if current:
            ref = current[0]
            height = max(ref.bottom - ref.top, 1.0)
            if abs(w.top - ref.top) > height * 0.45:
                rows.append(Row(page_number, sorted(current, key=lambda x: x.x0)).build())
                current = []
        current.append(w)
    if current:
        rows.append(Row(page_number, sorted(current, key=lambda x: x.x0)).build())
    return rows
