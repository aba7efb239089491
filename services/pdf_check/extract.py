"""One extraction per document: cheap pypdfium2 probes for every page, pdfplumber positions
only on the few pages that matter (first page, page with the totals), pages closed as we go.

Every rule and field finder works on the `Document` built here; nothing re-parses the PDF.
"""

from __future__ import annotations

import io
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
    """A visual line built from pdfplumber words (same height), left to right."""

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
    rows: list[Row] | None = None  # pdfplumber rows, only for the pages that matter

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
    """Probe every page with pypdfium2, then read word positions with pdfplumber on the pages
    that matter. Raises PdfOpenError('encrypted'|'corrupted')."""
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
                finally:
                    textpage.close()
                chars = sum(1 for ch in text if not ch.isspace())
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
            pages.append(Page(index + 1, float(width), float(height), text, chars, has_images, cover))
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
    if positions and not encrypted:
        wanted = position_pages(doc, limit=max_position_pages)
        add_positions(doc, data, wanted)
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
    """Read pdfplumber words on the given 1-based pages (others are never laid out)."""
    numbers = [n for n in numbers if doc.pages[n - 1].rows is None]
    if not numbers:
        return
    import pdfplumber  # imported here: pdfminer is heavy and not needed for rejected files
    from pdfplumber.page import Page as PlumberPage

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for number in numbers:
                try:
                    objid, attrs = _page_object(pdf.doc, number - 1)
                    from pdfminer.pdfpage import PDFPage

                    page = PlumberPage(pdf, PDFPage(pdf.doc, objid, attrs, None), page_number=number)
                except Exception:  # noqa: BLE001 - unusual page tree: let pdfplumber walk it
                    page = next((p for p in pdf.pages if p.page_number == number), None)
                    if page is None:
                        continue
                try:
                    words = page.extract_words(x_tolerance=1.5, y_tolerance=3, keep_blank_chars=False)
                    doc.pages[number - 1].rows = rows_from_words(number, words)
                finally:
                    page.close()
    except Exception:  # noqa: BLE001 - positions are a bonus; pdfium text is enough to analyse
        return


def _page_object(document, index: int):
    """(object id, attributes with inherited ones) of the page at 0-based `index`, walking the
    page tree by /Count so that page 200 does not cost parsing pages 1-199 (what
    pdfminer's create_pages does)."""
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdftypes import dict_value, list_value, resolve1
    from pdfminer.psparser import LIT

    page_lit, pages_lit = LIT("Page"), LIT("Pages")
    inherited = {k: v for k, v in document.catalog.items() if k in PDFPage.INHERITABLE_ATTRS}
    ref = document.catalog["Pages"]
    for _depth in range(32):
        node = dict_value(ref).copy()
        for key, value in inherited.items():
            node.setdefault(key, value)
        if node.get("Type") is page_lit:
            return ref.objid, node
        if node.get("Type") is not pages_lit:
            raise ValueError("unexpected page tree node")
        kids = list_value(node["Kids"])
        inherited = {k: node[k] for k in PDFPage.INHERITABLE_ATTRS if k in node}
        if int(resolve1(node.get("Count", -1))) == len(kids):
            # every kid is a leaf: index directly, without parsing the others
            ref = kids[index]
            continue
        for kid in kids:
            kid_node = dict_value(kid)
            size = int(resolve1(kid_node.get("Count", 0))) if kid_node.get("Type") is pages_lit else 1
            if index < size:
                ref = kid
                break
            index -= size
        else:
            raise IndexError(index)
    raise ValueError("page tree too deep")


def rows_from_words(page_number: int, words: list[dict]) -> list[Row]:
    items = sorted(
        (Word(_clean(w["text"]), float(w["x0"]), float(w["top"]), float(w["x1"]), float(w["bottom"])) for w in words),
        key=lambda w: (w.top, w.x0),
    )
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
