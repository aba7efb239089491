"""Label/value pairing by geometry: the lines every finder reads, and where a value sits
relative to its label (right of it on its row, on the next line, or under it).

Every finder reads the same `Document`: pypdfium2 lines (content-stream order, every page)
and, on the pages that matter, positioned rows (visual lines, left to right, with boxes).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .extract import LEADERS, Document, Row
from .parsing import SPACES
from .report import Box

_SP = f"[{SPACES}]"


@dataclass(frozen=True)
class Line:
    page: int
    index: int  # position in reading order (stream lines first, then rows)
    text: str
    row: Row | None = None  # pdfplumber row when the line comes from positions
    prev: str = ""  # the line before, same page


@dataclass(frozen=True)
class Found:
    value: str
    page: int
    raw: str = ""  # the value as printed (to find it back on the page)
    box: Box | None = None
    score: float = 0.0
    label: str = ""  # the words printed just before the value (its label), when known


def all_lines(doc: Document) -> list[Line]:
    """Stream lines of every page, then the positional rows, each page in order."""
    out: list[Line] = []
    for page in doc.pages:
        prev = ""
        for i, text in enumerate(page.lines):
            if "..." in text or "---" in text or "__" in text:
                text = " ".join(LEADERS.sub(" ", text).split())
            if text:
                out.append(Line(page.number, i, text, None, prev))
                prev = text
    for page in doc.pages:
        if page.rows:
            prev = ""
            for i, row in enumerate(page.rows):
                out.append(Line(page.number, 10_000 + i, row.text, row, prev))
                prev = row.text
    return out


def _box(line: Line, start: int, end: int) -> Box | None:
    return line.row.box_of_span(start, end) if line.row else None


def _next_stream_line(lines: list[Line], line: Line) -> Line | None:
    idx = lines.index(line)
    if idx + 1 < len(lines):
        nxt = lines[idx + 1]
        if nxt.page == line.page and (nxt.row is None) == (line.row is None):
            return nxt
    return None


def _visually_follows(doc: Document, page: int, label: str, value: str) -> bool:
    """Whether `value` is printed right of `label` on its row, or just under it (True when unknown):
    the next line in content-stream order is not always the next one on the page."""
    lb, vb = locate(doc, page, label), locate(doc, page, value)
    if lb is None or vb is None:
        return True
    h = max(1.0, lb.bottom - lb.top)
    if abs(vb.top - lb.top) < 0.6 * h:
        return vb.x0 >= lb.x1 - 2
    return 0 < vb.top - lb.bottom < 2.5 * h and vb.x0 < lb.x1 + 90 and vb.x1 > lb.x0 - 4


def _below(doc: Document, line: Line, label_end: int) -> tuple[str, Box | None] | None:
    """Text right under a label on the next visual row (label above its value)."""
    if not line.row:
        return None
    rows = doc.pages[line.page - 1].rows or []
    try:
        pos = rows.index(line.row)
    except ValueError:
        return None
    label_words = [w for w, off in zip(line.row.words, line.row.offsets) if off < label_end]
    if not label_words:
        return None
    x0 = min(w.x0 for w in label_words) - 4
    x1 = max(w.x1 for w in label_words) + 90
    bottom = max(w.bottom for w in label_words)
    for nxt in rows[pos + 1:pos + 3]:
        if not nxt.words or nxt.words[0].top - bottom > 3 * max(1.0, line.row.words[0].bottom - line.row.words[0].top):
            break
        picked = [w for w in nxt.words if w.x0 >= x0 and w.x0 <= x1]
        if picked:
            text = " ".join(w.text for w in picked)
            box = Box(min(w.x0 for w in picked), min(w.top for w in picked),
                      max(w.x1 for w in picked), max(w.bottom for w in picked))
            return text, box
    return None


def _compact_row(row: Row) -> tuple[str, list[int]]:
    cached = getattr(row, "_compact", None)
    if cached is None:
        joined, owners = [], []
        for wi, w in enumerate(row.words):
            t = _WS.sub("", w.text)
            joined.append(t)
            owners.extend([wi] * len(t))
        cached = ("".join(joined), owners)
        row._compact = cached  # type: ignore[attr-defined]
    return cached


_WS = re.compile(r"\s")


def locate(doc: Document, page: int, raw: str) -> Box | None:
    """Where `raw` is printed on `page` (pdfplumber rows), or None."""
    target = _WS.sub("", raw)
    if not target or page < 1 or page > len(doc.pages):
        return None
    for row in doc.pages[page - 1].rows or []:
        joined, owners = _compact_row(row)
        pos = joined.find(target)
        if pos >= 0:
            picked = [row.words[i] for i in sorted(set(owners[pos:pos + len(target)]))]
            return Box(min(w.x0 for w in picked), min(w.top for w in picked),
                       max(w.x1 for w in picked), max(w.bottom for w in picked))
    return None



def _better(a: Found | None, b: Found) -> Found:
    if a is None or b.score > a.score:
        return b
    return a




def cells(row: Row) -> list[tuple[str, float, float, int, int]]:
    """The row cut into cells where words are far apart: (text, x0, x1, start, end) with the
    cell's character span in `row.text`. Words closer than about one character width belong
    to the same cell ("N° de facture", "1 234,56 €"). Computed once per row: every finder asks."""
    cached = getattr(row, "_cells", None)
    if cached is None:
        cached = _cut_cells(row)
        row._cells = cached  # type: ignore[attr-defined]
    return cached


def _cut_cells(row: Row) -> list[tuple[str, float, float, int, int]]:
    out: list[tuple[str, float, float, int, int]] = []
    if not row.words:
        return out
    limit = 0.9 * max(1.0, row.words[0].bottom - row.words[0].top)
    start_i = 0
    for i in range(1, len(row.words) + 1):
        if i == len(row.words) or row.words[i].x0 - row.words[i - 1].x1 > limit:
            ws = row.words[start_i:i]
            s = row.offsets[start_i]
            e = row.offsets[i - 1] + len(row.words[i - 1].text)
            out.append((row.text[s:e], ws[0].x0, ws[-1].x1, s, e))
            start_i = i
    return out


def cell_above(doc: Document, line: Line, start: int, end: int) -> str | None:
    """The header cell printed right above a value (a table column, or a label over its value):
    the cell of the row above whose horizontal span overlaps the value's the most."""
    row = line.row
    if row is None:
        return None
    rows = doc.pages[line.page - 1].rows or []
    vbox = row.box_of_span(start, end)
    if vbox is None:
        return None
    try:
        pos = rows.index(row)
    except ValueError:
        return None
    h = max(1.0, vbox.bottom - vbox.top)
    top = vbox.top
    for above in reversed(rows[max(0, pos - 2):pos]):
        if not above.words or top - above.words[0].bottom > 2.5 * h:
            break
        best, best_overlap = None, 0.0
        for text, x0, x1, _s, _e in cells(above):
            overlap = min(x1, vbox.x1 + 2) - max(x0, vbox.x0 - 2)
            if overlap > best_overlap:
                best, best_overlap = text, overlap
        if best is not None:
            return best
    return None


# Words of a line-items table header: a column under it holds line values, not totals or references.
ITEMS_HEADER = re.compile(r"d[ée]signation|description|descripci|descrizione|omschrijving|beschreibung|bezeichnung|"
                          r"libell[ée]|\bqt[ée]|quantit|\bqty\b|menge|aantal|cantidad|prix|price|preis|prijs|precio|"
                          r"prezzo|\barticle|artikel|\bitem|produit|product|\bunit", re.I)


def row_above_text(doc: Document, line: Line) -> str:
    rows = doc.pages[line.page - 1].rows or []
    try:
        pos = rows.index(line.row)
    except ValueError:
        return ""
    return rows[pos - 1].text if pos > 0 else ""

