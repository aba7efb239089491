"""Finding the invoice's fields by their labels and positions (not by one layout).

Every finder reads the same `Document`: pypdfium2 lines (content-stream order, every page)
and, on the pages that matter, pdfplumber rows (visual lines, left to right, with boxes).
A value is searched right after its label, on the next line, or under the label.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from decimal import Decimal

from .extract import Document, Row
from .parsing import (
    AMOUNT_RE, DATE_RE, SPACES, amount_from_match, compact, date_readings, digits, format_amount, iter_dates,
    iban_valid, near_miss, siren_valid, siret_valid,
)
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


# ---------------------------------------------------------------- invoice number

_NUM_LABELS = [
    (re.compile(r"\b(?:n[°ºo]\.?|num[ée]ro)\s*(?:de\s+|d['’]\s*)?(?:la\s+|l['’])?(?:facture|avoir)\b", re.I), 5),
    (re.compile(r"\b(?:facture|avoir|invoice|credit\s*note|rechnung|gutschrift|factuur|bill)\s*"
                r"(?:n[°º]\.?|(?:no|nr|num(?:[ée]ro)?|number|nummer)\.?(?=[\s:#.]|$)|#)", re.I), 5),
    (re.compile(r"\br[ée]f(?:[ée]rence)?\.?\s*(?:de\s+(?:la\s+)?|du\s+|d['’])?(?:facture|avoir)\b(?!\s*d['’]origine)", re.I), 4),
    (re.compile(r"\b(?:invoice|document)\s*(?:no|number|nr|#|id)\b\.?", re.I), 5),
    (re.compile(r"\b(?:rechnungs?|beleg|gutschrifts?)-?\s?(?:nummer|nr)\b\.?", re.I), 5),
    (re.compile(r"\bpi[èe]ce\s*(?:n[°º]\.?|num[ée]ro)", re.I), 4),
    (re.compile(r"\bfactuur\s*(?:nummer|nr)\b\.?|\bn[úu]mero\s+de\s+factura\b", re.I), 5),
    (re.compile(r"^(?:num[ée]ro|n[°º])\s*:?(?=\s)", re.I), 2),
    # "… Facture F2022-0653 (suite)" in a running header: weakest
    (re.compile(r"\b(?:facture|invoice|avoir|rechnung)(?=\s+[A-Z0-9/\-]*\d)", re.I), 1.5),
]
_NUM_TITLE = re.compile(
    r"^(?:objet\s*:\s*)?(?:facture|avoir|invoice|rechnung|gutschrift|credit\s+note|factuur|factura)\s+"
    r"(?:n[°º]\s*)?(?P<v>[A-Z0-9][\w/.\-]*\d[\w/.\-]*)(?P<tail>\s+.*)?$", re.I)
_TITLE_ALONE = re.compile(r"^\W*(?:facture|invoice|avoir|rechnung|factura|factuur|gutschrift|credit\s+note)\W*$", re.I)
_REF_UNDER_TITLE = re.compile(r"^\s*(?:r[ée]f(?:[ée]rence)?\.?|num[ée]ro|n[°º])\s*:", re.I)
_NUM_VALUE = re.compile(r"[A-Za-z0-9][A-Za-z0-9/_.\-]*")
_NUM_REJECT_BEFORE = re.compile(
    r"(?:\bsur|remplace|annule|r[ée]f[ée]rence|relative\s+[àa]|concerne|concernant|d['’]origine|associ[ée]e?|"
    r"corrige|rectifie|suite\s+[àa]|selon|origin(?:al|e)|pour)\s*(?:la\s+|le\s+|l['’])?$", re.I)
_NUM_REJECT_AFTER = re.compile(r"^\s*(?:associ|d['’]origine|initiale|rectifi|d['’]acompte\s+n)", re.I)
_NUM_STOP = {"du", "de", "le", "date", "page", "client", "n", "no", "nr"}


def _number_value(rest: str) -> tuple[str, int, int] | None:
    m = re.match(r"[\s:.#°º\-–]*", rest)
    pos = m.end() if m else 0
    vm = _NUM_VALUE.match(rest, pos)
    if not vm:
        return None
    value = vm.group(0).rstrip(".-/")
    if not re.search(r"\d", value) or value.lower() in _NUM_STOP or len(value) < 2 or len(value) > 40:
        return None
    if DATE_RE.fullmatch(value):
        return None
    return value, vm.start(), vm.start() + len(value)


_NUM_HINT = re.compile(r"fact|invoice|pi[èe]ce|avoir|rechnung|n[°ºo]|num|r[ée]f|\bno\b|\bnr|beleg|gutschrift|credit|document|bill",
                       re.I)


def find_invoice_number(doc: Document, lines: list[Line]) -> Found | None:
    best: Found | None = None
    for line in lines:
        text = line.text
        if not _NUM_HINT.search(text):
            continue
        cands: list[tuple[str, int, int, float]] = []
        for label, prio in _NUM_LABELS:
            for m in label.finditer(text):
                if _NUM_REJECT_BEFORE.search(text[max(0, m.start() - 30):m.start()]):
                    continue
                rest = text[m.end():]
                if _NUM_REJECT_AFTER.match(rest):
                    continue
                got = _number_value(rest)
                if got:
                    v, s, e = got
                    cands.append((v, m.end() + s, m.end() + e, prio))
                    continue
                if rest.strip(" :.#°º") == "":
                    nxt = _next_stream_line(lines, line) if line.row is None else None
                    if nxt is not None:
                        got = _number_value(nxt.text)
                        if got and len(nxt.text.split()) <= 2 and _visually_follows(doc, line.page, text.strip(), got[0]):
                            cands.append((got[0], -1, -1, prio - 0.5))
                            continue
                    below = _below(doc, line, m.end())
                    if below:
                        got = _number_value(below[0])
                        if got:
                            best = _better(best, Found(got[0], line.page, got[0], below[1], prio - 0.5 - line.page * 0.01))
        if line.row is None and _TITLE_ALONE.match(text):
            nxt = _next_stream_line(lines, line)
            if nxt is not None and len(nxt.text.split()) == 1:
                got = _number_value(nxt.text)
                if got:
                    best = _better(best, Found(got[0], line.page, got[0], None, 2.5 - line.page * 0.01))
        # "FACTURE" alone, then "Réf. : F-001" / "Numéro : F-001" on the line under it
        rm = _REF_UNDER_TITLE.match(text)
        if rm and _TITLE_ALONE.match(line.prev):
            got = _number_value(text[rm.end():])
            if got:
                cands.append((got[0], rm.end() + got[1], rm.end() + got[2], 3))
        tm = _NUM_TITLE.match(text)
        if tm and not DATE_RE.fullmatch(tm.group("v")):
            cands.append((tm.group("v"), tm.start("v"), tm.end("v"), 3))
        for v, s, e, prio in cands:
            score = prio - line.page * 0.01 - (0.2 if line.row else 0)
            best = _better(best, Found(v, line.page, v, _box(line, s, e) if s >= 0 else None, score))
    return best


def _better(a: Found | None, b: Found) -> Found:
    if a is None or b.score > a.score:
        return b
    return a


# ---------------------------------------------------------------- date

_DATE_GOOD = re.compile(
    r"(?:date\s*(?:de\s+(?:la\s+)?|d['’]\s*)?(?:facture|facturation|[ée]mission|avoir|l['’]avoir)|"
    r"invoice\s+date|date\s+of\s+(?:issue|invoice)|issue\s+date|date\s+issued|billing\s+date|"
    r"rechnungsdatum|belegdatum|gutschriftsdatum|factuurdatum|fecha\s+de\s+(?:la\s+)?factura|[ée]mise?\s+le)"
    r"\W*$", re.I)
_DATE_PLAIN = re.compile(r"(?:\bdate|\bdatum|\bfecha|\bdated)\s*:?\s*$|\ble\s*$", re.I)
_DATE_FACTURE_DU = re.compile(r"(?:facture|avoir|invoice|rechnung|\bnr\.?|n[°º])\b.*\b(?:du|vom|of|dated)\s*$", re.I)
_DATE_FAIT_A = re.compile(r"\bfait\s+[àa]\s+[A-ZÀ-Ý][\w'’\- ]{1,40},?\s+le\s*$", re.I)
_DATE_DU = re.compile(r"\b(?:du|vom|dated)\s*$", re.I)
_DATE_BAD = re.compile(
    r"[ée]ch[ée]ance|limite|livraison|due|f[äa]llig|expir|valid|d[ée]but|\bfin\b|p[ée]riode|paiement|payment|"
    r"pr[ée]l[èe]vement|commande|order|associ|\bau\b|\bdu\s+\d|leistung|lieferung|zahl|bis|service|prestation|"
    r"r[ée]gler|avant|period|delivery|naissance|vervaldatum|from|to\s*$|until|contrat|devis|abonnement|"
    r"cr[ée]ation|\bfait\b|imprim|print|edited|[ée]dit|version|stylesheet|\(c\)|©|sur\s+facture|remplace|annule|d['’]origine|initiale",
    re.I)


def find_invoice_date(doc: Document, lines: list[Line], xml_date: str | None = None) -> Found | None:
    best: Found | None = None
    for line in lines:
        text = line.text
        for m in iter_dates(text):
            readings = date_readings(m)
            if not readings:
                continue
            before = text[max(0, m.start() - 45):m.start()]
            context = before if before.strip() else line.prev[-45:]
            # only the words since the previous value count as this date's label
            label = re.split(r"\d[\d/.\-]*\s(?=\D)", context)[-1] if context else ""
            if _DATE_FAIT_A.search(label):
                score = 3.0
            elif _DATE_BAD.search(label):
                continue
            elif _DATE_GOOD.search(label):
                score = 5.0
            elif _DATE_FACTURE_DU.search(label):
                score = 4.0
            elif _DATE_PLAIN.search(label):
                score = 3.5
            elif _DATE_DU.search(label):
                score = 2.0
            elif not label.strip() or not before.strip():
                score = 1.0
            else:
                score = 0.5
            chosen = readings[0]
            if xml_date:
                for r in readings:
                    if r.isoformat() == xml_date:
                        chosen = r
            score -= line.page * 0.1 + (0.2 if line.row else 0) + line.index * 0.0001
            found = Found(chosen.isoformat(), line.page, m.group(0), _box(line, m.start(), m.end()), score)
            best = _better(best, found)
    return best


# ---------------------------------------------------------------- document type

_CREDIT_STRONG = re.compile(
    r"^\W*(?:facture\s+d['’]\s*)?avoir\b|\bavoir\s+(?:n[°º]|num|no\b)|\bnote\s+de\s+cr[ée]dit\b|"
    r"^\W*credit\s*note\b|\bcredit\s+note\s+(?:no|number|#)|^\W*creditnota\b|^\W*stornorechnung\b|"
    r"^\W*rechnungskorrektur\b|^\W*nota\s+de\s+cr[ée]dito\b|\bfacture\s+d['’]avoir\b",
    re.I)
_CREDIT_WEAK = re.compile(r"^\W*gutschrift\b", re.I)


def find_doc_type(doc: Document, lines: list[Line]) -> tuple[str, int, bool]:
    """('invoice'|'credit_note', page, strong)."""
    for line in lines:
        if line.page > 2:
            break
        if _CREDIT_STRONG.search(line.text):
            return "credit_note", line.page, True
    for line in lines:
        if line.page > 1:
            break
        if _CREDIT_WEAK.search(line.text):
            return "credit_note", line.page, False
    return "invoice", 1, False


# ---------------------------------------------------------------- totals

_L_TTC = [
    (r"total\s*t\.?\s?t\.?\s?c\.?|montant\s*(?:total\s*)?t\.?t\.?c|total\s+toutes\s+taxes|total\s+\(?ttc|"
     r"montant\s+total\s+brut|total\s+brut", 6),
    (r"total\s+(?:incl\.?|including|inkl\.?)\s*(?:vat|tax|taxes|mwst|ust)|total\s+amount|total\s+invoice\s+amount|"
     r"amount\s+incl\.?\s*(?:vat|tax)|totaal\s+incl|incl\.?\s+btw\s+totaal", 5),
    (r"grand\s+total|gesamtbetrag(?!\s+der)|rechnungsbetrag|endbetrag|bruttobetrag|bruttosumme|gesamtsumme|"
     r"brutto(?!preis)|rechnungssumme(?!\s+ohne)|rechnungstotal|total\s+for\s+this\s+invoice", 5),
    (r"invoice\s+total|total\s+due|total\s+facture|montant\s+total(?!\s+(?:net|h\.?t|hors))|total\s+g[ée]n[ée]ral|"
     r"importe\s+total|total\s+factura|montant\s+de\s+(?:la\s+)?facture|factuur\s*totaal|totaal\s+factuur|"
     r"total\s+a\s+pagar", 4),
    (r"net\s+[àa]\s+payer|montant\s+[àa]\s+payer|somme\s+[àa]\s+payer|total\s+[àa]\s+payer|reste\s+[àa]\s+payer|amount\s+due|"
     r"zahlbetrag|zu\s+zahlender\s+betrag|balance\s+due|te\s+betalen|amount\s+payable|saldo\s+adeudado", 2),
    (r"(?<![\w-])total(?:\s+(?:eur|usd|gbp|€))?\s*:?(?=\s*[-\d€$£]|\s*(?:rs\.?|eur|usd)\s*\d|$)|^totaal\b|^summe\b", 1.5),
]
_L_HT = [
    (r"total\s*h\.?\s?t\.?|montant\s*(?:total\s*)?h\.?t|total\s+hors\s+tax|total\s+\(?ht|montant\s+total\s+net|"
     r"exclusief\s+btw|rechnungssumme\s+ohne\s+(?:ust|mwst)", 6),
    (r"sous[-\s]?total(?:\s*h\.?t\.?)?|sub[-\s]?total|zwischensumme|total\s+net|nettobetrag|summe\s+netto|"
     r"gesamt\s+netto|netto(?:summe)?(?!preis)|total\s+(?:excl\.?|excluding|before|w/o|hors|ohne)\b|net\s+amount|"
     r"amount\s+excl|base\s+imponible|total\s+parcial|totaal\s+excl|(?:montant\s+)?hors\s+t\.?v\.?a|excl\.?\s*(?:tva|vat|btw|mwst)", 4),
    (r"total\s+(?:services|products|items)|(?:montant|base|total)\s+hors\s+tax\w*|base\s+h\.?t\.?\b|"
     r"positionssumme|warenwert|subtotaal", 3),
]
_L_TVA = [
    (r"total\s*(?:de\s+la\s+)?t\.?v\.?a\.?|montant\s*(?:total\s*)?(?:de\s+(?:la\s+)?)?t\.?v\.?a\.?|total\s+taxes?\b|"
     r"total\s+(?:vat|tax|mwst|ust)|(?:vat|tax)\s+(?:total|amount)|total\s+btw|ust\.?\s+gesamt|mwst\.?\s+gesamt|"
     r"umsatzsteuer\s+gesamt|steuerbetrag|summe\s+(?:ust|mwst)|btw\s+totaal|total\s+impuestos", 5),
    (r"\bust\.?|\bmwst\.?|umsatzsteuer|mehrwertsteuer|\bbtw\b|\biva\b", 3),
    (r"^t\.?v\.?a\.?\b|^taxes?\b|\bvat\b|\btax\b|taxe\s+sur\s+la\s+valeur\s+ajout[ée]e|\btva\b", 2.5),
]
_C_TTC = [(re.compile(p, re.I), s) for p, s in _L_TTC]
_C_HT = [(re.compile(p, re.I), s) for p, s in _L_HT]
_C_TVA = [(re.compile(p, re.I), s) for p, s in _L_TVA]
# One scan per kind tells whether any of its labels is on the line at all.
_ANY_OF = {id(labels): re.compile("|".join(f"(?:{p})" for p, _ in src), re.I)
           for labels, src in ((_C_TTC, _L_TTC), (_C_HT, _L_HT), (_C_TVA, _L_TVA))}
# Cheap first filter: a line without any of these words carries no total;
# plain substrings are much faster than a regex with many alternatives.
_TOTAL_KEYS = ("total", "tva", "t.v.a", "ht", "h.t", "ttc", "t.t.c", "vat", "tax", "mwst", "ust", "btw", "iva", "netto",
               "brutto", "betrag", "summe", "payer", "due", "net", "montant", "base", "subtotal", "saldo", "impuesto",
               "parcial", "steuer", "gesamt", "totaal", "exclusief", "payable", "hors", "amount")
_RATE_LINE = re.compile(r"^\W*(?:t\.?v\.?a\.?|vat|tax|ust\.?|mwst\.?|btw|iva)\s*\(?\s*(\d{1,2}(?:[.,]\d{1,2})?)\s*%\s*\)?", re.I)
_NOT_TOTALS = re.compile(r"capital|indemnit|p[ée]nalit|\bn[°º]\s*tva|intracom|num[ée]ro\s+de\s+tva|\bvat\s*(?:no|number|id|reg)|"
                         r"ust-?id|taux\s+de\s+tva\s*:?$|\bsiret\b|\biban\b|\bbic\b", re.I)
# "incl. VAT", "hors TVA", "ohne MwSt.": the VAT word is not the VAT amount's label.
_VAT_QUALIFIED = re.compile(r"(?:excl\w*|incl\w*|inkl\w*|hors|ohne|sans|without|with|"
                            r"soumis\s+[àa](?:\s+une)?|on)\.?\s*$", re.I)
# Whole amounts are accepted only next to a currency (Rs 1939, 1939 €).
_INT_AMOUNT = re.compile(r"(?:(?:Rs\.?|INR|₹|\$|€|£|EUR|USD|GBP)\s?(?P<a>\d{1,3}(?:[,.\u00a0\u202f ]\d{3})+|\d+)(?![\d.,]\d)"
                         r"|(?<![\d.,])(?P<b>\d{1,3}(?:[.\u00a0\u202f ]\d{3})+|\d+)\s?(?:€|EUR)\b)")


@dataclass(frozen=True)
class AmountCand:
    kind: str  # ht | tva | ttc
    value: Decimal
    raw: str
    page: int
    score: float
    box: Box | None
    line_key: tuple[int, int]


def _readings(match: re.Match) -> list[Decimal]:
    """The amount, and for '1 278,61' also '278,61' (a quantity glued to the amount by a space)."""
    value = amount_from_match(match)
    out = [value] if value is not None else []
    num = match.group("num")
    parts = re.split(rf"{_SP}", num)
    if len(parts) > 1 and value is not None:
        tail = Decimal(re.sub(r"[',.]", "", parts[-1][:-3]) + "." + parts[-1][-2:])
        out.append(-tail if value < 0 else tail)
    return out


def _columns_triple(found: list[re.Match]) -> tuple[Decimal, Decimal, Decimal] | None:
    """Three amounts on a totals line that read as HT, TVA, TTC (a + b = c)."""
    for a, b, c in itertools.product(*(_readings(m) for m in found)):
        if a + b == c and c != 0:
            return a, b, c
    return None


def _totals_table(doc: Document, line: Line) -> list[tuple[str, Decimal, str, Box | None, float]]:
    """A row made only of totals labels ("Total HT  TVA  Total TTC") over a row of amounts:
    each label takes the amount printed under it."""
    row = line.row
    text = line.text
    spans = []
    for kind, labels in (("ttc", _C_TTC), ("ht", _C_HT), ("tva", _C_TVA)):
        for label, prio in labels:
            for m in label.finditer(text):
                if not any(a < m.end() and m.start() < b for a, b, *_ in spans):
                    spans.append((m.start(), m.end(), kind, prio))
    if len(spans) < 2:
        return []
    rest = text
    for a, b, *_ in sorted(spans, reverse=True):
        rest = rest[:a] + rest[b:]
    if re.search(r"[A-Za-zÀ-ÿ]{2,}", re.sub(r"\b(?:eur|euros?|ttc|ht)\b", "", rest, flags=re.I)):
        return []  # other words: a line-items header, not a totals table
    rows = doc.pages[line.page - 1].rows or []
    try:
        below = rows[rows.index(row) + 1]
    except (ValueError, IndexError):
        return []
    height = max(1.0, row.words[0].bottom - row.words[0].top)
    if below.words[0].top - row.words[0].bottom > 3 * height:
        return []
    amounts = [(m, below.box_of_span(m.start(), m.end())) for m in AMOUNT_RE.finditer(below.text)]
    out = []
    for a, b, kind, prio in spans:
        lbox = row.box_of_span(a, b)
        if lbox is None:
            continue
        best, best_d = None, None
        for m, abox in amounts:
            if abox is None or abox.x1 < lbox.x0 - 15 or abox.x0 > lbox.x1 + 40:
                continue
            d = abs(abox.x0 - lbox.x0)
            if best_d is None or d < best_d:
                best, best_d = (m, abox), d
        if best:
            value = amount_from_match(best[0])
            if value is not None:
                out.append((kind, value, best[0].group(0), best[1], prio - 0.5))
    return out


_TOTAL_ROW = re.compile(r"^\W*(?:total(?:s|aux)?|sommes?)\b\W*(?=[-(]?\d)", re.I)


def _column_totals(doc: Document, line: Line) -> list[tuple[str, Decimal, str, Box | None, float]]:
    """A bare "Total" row closing a table: each amount takes the totals label of the column header
    printed above it ("Base HT | Taux | Montant TVA" ... "Total 1 500,00 180,00")."""
    row = line.row
    rows = doc.pages[line.page - 1].rows or []
    try:
        pos = rows.index(row)
    except ValueError:
        return []
    amounts = [(m, row.box_of_span(m.start(), m.end())) for m in AMOUNT_RE.finditer(row.text)]
    if not amounts:
        return []
    for head in reversed(rows[max(0, pos - 8):pos]):
        spans = []
        for kind, labels in (("ttc", _C_TTC), ("ht", _C_HT), ("tva", _C_TVA)):
            for label, prio in labels:
                for m in label.finditer(head.text):
                    if not any(a < m.end() and m.start() < b for a, b, *_ in spans):
                        spans.append((m.start(), m.end(), kind, prio))
        if not spans or AMOUNT_RE.search(head.text):
            continue
        out = []
        for m, abox in amounts:
            if abox is None:
                continue
            for a, b, kind, prio in spans:
                lbox = head.box_of_span(a, b)
                if lbox is not None and abox.x0 < lbox.x1 + 10 and abox.x1 > lbox.x0 - 10:
                    value = amount_from_match(m)
                    if value is not None:
                        out.append((kind, value, m.group(0), abox, min(prio, 4) - 0.5))
                    break
        return out
    return []


def _amount_cands(doc: Document, lines: list[Line]) -> list[AmountCand]:
    out: list[AmountCand] = []
    npages = len(doc.pages)
    rate_lines: dict[tuple[int, bool], dict[str, tuple[Decimal, str, Box | None, tuple[int, int]]]] = {}

    def add(kind, value, raw, line, score, start=-1, end=-1, box=None):
        if value is None:
            return
        out.append(AmountCand(kind, value, raw, line.page, score,
                              box or (_box(line, start, end) if start >= 0 else None), (line.page, line.index)))

    for line in lines:
        text = line.text
        low = text.lower()
        if not any(k in low for k in _TOTAL_KEYS) or _NOT_TOTALS.search(text):
            continue
        if line.row is not None and not AMOUNT_RE.search(text):
            for kind, value, raw, box, prio in _totals_table(doc, line):
                out.append(AmountCand(kind, value, raw, line.page, prio + 0.3 * (line.page - npages), box,
                                      (line.page, line.index)))
            continue
        if line.row is not None and _TOTAL_ROW.match(text):
            for kind, value, raw, box, prio in _column_totals(doc, line):
                out.append(AmountCand(kind, value, raw, line.page, prio + 0.3 * (line.page - npages), box,
                                      (line.page, line.index)))
        # totals are usually on the last page; positional rows are a second opinion
        pw = 0.3 * (line.page - npages) - (0.05 if line.row else 0)
        for kind, labels in (("ttc", _C_TTC), ("ht", _C_HT), ("tva", _C_TVA)):
            if not _ANY_OF[id(labels)].search(text):
                continue
            for label, prio in labels:
                for m in label.finditer(text):
                    if kind == "tva" and _VAT_QUALIFIED.search(text[max(0, m.start() - 14):m.start()]):
                        continue
                    found = list(AMOUNT_RE.finditer(text, m.end()))
                    # stop at the next label on the same line ("Total HT 10,00 Total TVA 2,00")
                    if found:
                        if kind != "tva" and len(found) >= 3:
                            triple = _columns_triple(found[-3:])
                            if triple:
                                for k, x, v in zip(("ht", "tva", "ttc"), found[-3:], triple):
                                    add(k, v, x.group(0), line, prio + pw, x.start(), x.end())
                                continue
                        if kind != "tva" and len(found) == 2 and prio <= 4:
                            a, b = (amount_from_match(x) for x in found)
                            if a is not None and b is not None and abs(a) < abs(b):
                                add("ht", a, found[0].group(0), line, prio - 1.5 + pw, found[0].start(), found[0].end())
                                add("ttc", b, found[1].group(0), line, prio - 1.5 + pw, found[1].start(), found[1].end())
                        am = found[-1] if (kind == "tva" and prio < 5) else found[0]
                        between = text[m.end():found[0].start()]
                        if len(between) > 60 or (re.search(r"[a-z]{4,}", between, re.I) and not re.search(
                                r"eur|euro|€|\(|%|ttc|ht\b|tva|vat|tax|btw|mwst|ust|brut|net|total|summe", between, re.I)):
                            continue
                        add(kind, amount_from_match(am), am.group(0), line, prio + pw, am.start(), am.end())
                        continue
                    im = _INT_AMOUNT.search(text, m.end())
                    if im and len(text[m.end():im.start()]) < 20:
                        num = im.group("a") or im.group("b")
                        try:
                            value = Decimal(re.sub(r"[^\d]", "", num))
                        except Exception:  # noqa: BLE001
                            value = None
                        add(kind, value, im.group(0), line, prio - 0.3 + pw, im.start(), im.end())
                        continue
                    if text[m.end():].strip(" :.()€$EURTCH") != "" or (kind == "tva" and prio < 5):
                        continue  # a header cell among others, or a bare "VAT" word: no value to look for
                    if line.row is None:
                        nxt = _next_stream_line(lines, line)
                        if nxt is not None:
                            nm = AMOUNT_RE.fullmatch(re.sub(r"EUR|€|\$", "", nxt.text).strip())
                            if nm:
                                add(kind, amount_from_match(nm), nm.group(0), line, prio - 0.5 + pw)
                    elif line.row is not None:
                        below = _below(doc, line, m.end())
                        if below:
                            nm = AMOUNT_RE.search(below[0])
                            if nm:
                                add(kind, amount_from_match(nm), nm.group(0), line, prio - 0.7 + pw, box=below[1])
        rm = _RATE_LINE.match(text)
        if rm:
            found = list(AMOUNT_RE.finditer(text, rm.end()))
            if found:
                am = found[-1]
                v = amount_from_match(am)
                if v is not None:
                    group = rate_lines.setdefault((line.page, line.row is not None), {})
                    group.setdefault(rm.group(1).replace(",", "."), (v, am.group(0), _box(line, am.start(), am.end()),
                                                                      (line.page, line.index)))
    for (page, _), rates in rate_lines.items():
        if len(rates) >= 2:
            total = sum((v for v, *_ in rates.values()), Decimal("0"))
            out.append(AmountCand("tva", total, "", page, 3 + 0.3 * (page - npages), None, (page, -1)))
    return out


def find_totals(doc: Document, lines: list[Line]) -> dict[str, AmountCand | None]:
    cands = _amount_cands(doc, lines)
    by_kind: dict[str, list[AmountCand]] = {"ht": [], "tva": [], "ttc": []}
    for c in cands:
        by_kind[c.kind].append(c)
    for kind in by_kind:
        # keep the best candidate per distinct value
        best: dict[Decimal, AmountCand] = {}
        for c in by_kind[kind]:
            if c.value not in best or c.score > best[c.value].score:
                best[c.value] = c
        by_kind[kind] = sorted(best.values(), key=lambda c: -c.score)[:7]
    options_ht = by_kind["ht"] + [None]
    options_tva = by_kind["tva"] + [None]
    options_ttc = by_kind["ttc"] + [None]
    best_combo, best_score = (None, None, None), float("-inf")
    for ht, tva, ttc in itertools.product(options_ht, options_tva, options_ttc):
        score = sum(c.score for c in (ht, tva, ttc) if c is not None)
        if ht and tva and ttc:
            if abs(ht.value + tva.value - ttc.value) <= Decimal("0.01"):
                score += 6
            if not (abs(tva.value) < abs(ttc.value) and abs(ht.value) <= abs(ttc.value)):
                score -= 3
        elif ht and ttc and tva is None and ht.value == ttc.value:
            score += 1
        if ht and ttc and ht.value == ttc.value and tva and tva.value != 0:
            score -= 3
        if ht and tva and ht.value == tva.value and ht.value != 0:
            score -= 4
        if score > best_score:
            best_combo, best_score = (ht, tva, ttc), score
    ht, tva, ttc = best_combo
    if ht is None and ttc is not None and tva is not None:
        # Only the total and the VAT are printed: the HT total is their difference.
        ht = AmountCand("ht", ttc.value - tva.value, "", ttc.page, 0, None, ttc.line_key)
    return {"ht": ht, "tva": tva, "ttc": ttc}


# ---------------------------------------------------------------- identifiers

SIRET_RE = re.compile(rf"(?<![\w\-/.])(\d{{3}}(?P<g>{_SP}|\.)?\d{{3}}(?P=g)?\d{{3}}(?P=g)?\d{{5}}|\d{{9}}{_SP}\d{{5}})"
                      rf"(?![\w\-/]|\.\d)")
SIREN_RE = re.compile(rf"(?<![\w\-/])(\d{{3}}{_SP}?\d{{3}}{_SP}?\d{{3}})(?![\w\-/]|{_SP}\d{{5}}(?!\d))")
_SIRET_LABEL = re.compile(r"siret|siren|\bsir\b", re.I)
_BUYER_CTX = re.compile(r"client|acheteur|destinataire|customer|buyer|\bdest\b|minist[èe]re|factur[ée]\s+[àa]|"
                        r"bill\s+to|adress[ée]\s+[àa]|vos\s+identifiants|kunde", re.I)
_SIREN_LABEL = re.compile(r"\bsiren\b|r\.?\s?c\.?\s?s\.?|\brsc\b|\br\.?m\.?\b(?=\s)|registre", re.I)


@dataclass(frozen=True)
class IdCand:
    digits: str
    page: int
    raw: str
    box: Box | None
    labelled: bool
    buyer: bool
    order: tuple[int, int, int]
    context: str = ""


def _siret_cands(lines: list[Line], office_siret: str) -> list[IdCand]:
    out = []
    for line in lines:
        for m in SIRET_RE.finditer(line.text):
            num = digits(m.group(1))
            before = line.text[max(0, m.start() - 40):m.start()]
            ctx = before if before.strip() else line.prev[-40:]
            labelled = bool(_SIRET_LABEL.search(ctx))
            buyer = bool(_BUYER_CTX.search(ctx)) or num == office_siret or near_miss(num, office_siret)
            if not labelled and not buyer and not siret_valid(num):
                continue
            if not labelled and not buyer and re.search(r"iban|bic|t[ée]l|fax|phone|rib|compte", line.text, re.I):
                continue
            out.append(IdCand(num, line.page, m.group(1), _box(line, m.start(1), m.end(1)), labelled, buyer,
                              (1 if line.row else 0, line.page, line.index), ctx.strip()))
    return sorted(out, key=lambda c: c.order)


def find_sirets(doc: Document, lines: list[Line], office_siret: str) -> tuple[Found | None, Found | None]:
    """(seller SIRET, buyer SIRET)."""
    cands = _siret_cands(lines, office_siret)
    buyer = next((c for c in cands if c.digits == office_siret), None)
    if buyer is None:
        buyer = next((c for c in cands if near_miss(c.digits, office_siret)), None)
    if buyer is None:
        buyer = next((c for c in cands if c.buyer and c.labelled), None)
    seller = next((c for c in cands if c.labelled and not c.buyer and (buyer is None or c.digits != buyer.digits)), None)
    if seller is None:
        seller = next((c for c in cands if not c.buyer and siret_valid(c.digits)
                       and (buyer is None or c.digits[:9] != buyer.digits[:9])), None)
    if buyer is None and seller is not None:
        # a second labelled SIRET of another company: the buyer's
        other = next((c for c in cands if c.labelled and c.digits[:9] != seller.digits[:9]), None)
        if other is not None:
            buyer = other

    def as_found(c: IdCand | None) -> Found | None:
        return Found(c.digits, c.page, c.raw, c.box, label=c.context) if c else None

    return as_found(seller), as_found(buyer)


def find_siren(lines: list[Line], exclude: set[str]) -> Found | None:
    for line in lines:
        for m in SIREN_RE.finditer(line.text):
            num = digits(m.group(1))
            if num in exclude:
                continue
            around = line.text[max(0, m.start() - 30):m.end() + 12]
            before = line.text[max(0, m.start() - 30):m.start()]
            if not _SIREN_LABEL.search(around) and not (not before.strip() and _SIREN_LABEL.search(line.prev[-20:])):
                continue
            if re.search(r"capital", line.text[max(0, m.start() - 25):m.start()], re.I):
                continue
            if not siren_valid(num) and not re.search(r"\bsiren\b", around, re.I):
                continue
            return Found(num, line.page, m.group(1), _box(line, m.start(1), m.end(1)))
    return None


_VAT_LABEL = re.compile(
    r"(?:\btva|\bvat|ust\.?-?\s?id(?:nr)?|ust-?idnr|umsatzsteuer-?id|mwst-?nr|\bbtw|\buid|tax\s*id|"
    r"\bgst(?:in)?|\bn\.?i\.?f|\bcif|\biva)\b[^\d\n]{0,40}$", re.I)
_EU = "AT|BE|BG|CY|CZ|DE|DK|EE|EL|ES|FI|FR|GB|HR|HU|IE|IT|LT|LU|LV|MT|NL|PL|PT|RO|SE|SI|SK|XI|CH|NO"
_VAT_FR = re.compile(rf"(?<![\w])FR{_SP}?([0-9A-HJ-NP-Z]{{2}})((?:{_SP}?\d){{9}})(?!\d)")
_VAT_ANY = re.compile(rf"(?<![\w])(?:{_EU})(?:{_SP}?[0-9A-Z]){{8,12}}(?![\w])")
_VAT_LOOSE = re.compile(r"(?<![\w])(?:[A-Z]{1,2}[0-9][0-9 A-Z]{7,15}|[0-9]{8,15}(?![\d.,]))")


def _vat_from(text: str, start: int = 0) -> tuple[str, int, int] | None:
    for rx in (_VAT_FR, _VAT_ANY):
        m = rx.search(text, start)
        if m:
            return compact(m.group(0)), m.start(), m.end()
    return None


def find_seller_vat(lines: list[Line], buyer_sirens: set[str]) -> Found | None:
    best = None
    for line in lines:
        text = line.text
        for got in _iter_vats(text):
            vat, s, e, labelled = got
            if vat[2:][-9:] in buyer_sirens or vat[-9:] in buyer_sirens:
                continue
            before = text[max(0, s - 40):s] or line.prev[-40:]
            if _BUYER_CTX.search(before) and not labelled:
                continue
            if re.search(r"kunde|client|customer|votre|your|ihre|\buw\b|acheteur|buyer", before, re.I):
                continue
            score = (2 if labelled else 1) - (0.5 if line.row else 0) - line.page * 0.01 - line.index * 0.00001
            f = Found(vat, line.page, text[s:e], _box(line, s, e), score)
            best = _better(best, f)
    return best


_VAT_LABEL_INLINE = re.compile(r"(?:\btva|\bvat(?:/tin)?|ust-?idnr\.?|\bgstin|\btin)\s*(?:intracom\w*\.?|intracommunautaire)?"
                               r"\s*(?:n[°º]\s*|no\.?\s*|number\s*)?:?\s*", re.I)


def _iter_vats(text: str):
    seen = set()
    for rx in (_VAT_FR, _VAT_ANY):
        for m in rx.finditer(text):
            if m.start() in seen:
                continue
            seen.add(m.start())
            before = text[max(0, m.start() - 45):m.start()]
            labelled = bool(_VAT_LABEL.search(before))
            vat = compact(m.group(0))
            if not labelled and not (vat.startswith("FR") and len(vat) == 13):
                # bare foreign-looking codes (IBAN parts, references) need a label
                continue
            if re.search(r"iban|bic|swift", before[-20:], re.I):
                continue
            yield vat, m.start(), m.end(), labelled
    # a label followed by a malformed number (e.g. 'TVA F63530848134'): kept as printed
    for lm in _VAT_LABEL_INLINE.finditer(text):
        m = _VAT_LOOSE.match(text, lm.end())
        if m and m.start() not in seen:
            vat = compact(m.group(0))
            if 9 <= len(vat) <= 15 and sum(ch.isdigit() for ch in vat) >= 8:
                seen.add(m.start())
                yield vat, m.start(), m.start() + len(m.group(0).rstrip()), True


# ---------------------------------------------------------------- IBAN

_IBAN_LEN = {"FR": 27, "MC": 27, "DE": 22, "GB": 22, "IE": 22, "NL": 18, "BE": 16, "ES": 24, "IT": 27, "LU": 20,
             "CH": 21, "AT": 20, "PT": 25, "PL": 28, "DK": 18, "FI": 18, "SE": 24, "NO": 15, "GR": 27, "CZ": 24}
_IBAN_START = re.compile(r"(?<![A-Z0-9])([A-Z]{2}\d{2})(?=[ \u00a0]?[A-Z0-9])")


def find_iban(lines: list[Line]) -> Found | None:
    for line in lines:
        text = line.text
        for m in _IBAN_START.finditer(text):
            country = m.group(1)[:2]
            tail = text[m.start():m.start() + 50]
            chars = re.sub(rf"[{SPACES}\-]", "", tail)
            run = re.match(r"[A-Z0-9]+", chars)
            if not run:
                continue
            blob = run.group(0)
            labelled = bool(re.search(r"iban", text[max(0, m.start() - 25):m.start()] or line.prev[-20:], re.I))
            want = _IBAN_LEN.get(country)
            value = None
            if want and len(blob) >= want:
                value = blob[:want]
                if not labelled and not iban_valid(value):
                    value = None
            elif not want:
                for n in range(min(34, len(blob)), 14, -1):
                    if iban_valid(blob[:n]):
                        value = blob[:n]
                        break
            if value and (labelled or iban_valid(value)):
                raw_end = _raw_span(tail, len(value))
                return Found(value, line.page, tail[:raw_end], _box(line, m.start(), m.start() + raw_end))
    return None


def _raw_span(text: str, n_chars: int) -> int:
    count = 0
    for i, ch in enumerate(text):
        if ch.isalnum():
            count += 1
            if count == n_chars:
                return i + 1
    return len(text)


# ---------------------------------------------------------------- purchase order

_PO_LABELS = [
    (r"(?:bon\s+de\s+commande|n[°º]\s*(?:de\s+)?(?:bon\s+de\s+)?commande|commande\s*n[°º]|"
     r"n[°º]\s*d['’]\s*engagement|num[ée]ro\s+d['’]\s*engagement|engagement\s+juridique|"
     r"r[ée]f(?:[ée]rence)?\.?\s*(?:de\s+)?commande|votre\s+r[ée]f(?:[ée]rence)?\.?\s*commande)"
     r"(?:\s+juridique)?(?:\s*\((?:EJ|BC|PO|BDC)\))?\s*(?:n[°º])?", 5),
    (r"\b(?:purchase\s+order|p\.?o\.?\s*(?:no|number|#|nr)|order\s+(?:no|number|nr|ref(?:erence)?)|"
     r"bestell-?\s?(?:nr|nummer)|ihre\s+bestellung|bestellnummer|bestellung|inkoopordernummer|pedido|"
     r"order\s*(?:id|nummer)|ordernummer|bestelnummer|n[úu]mero\s+de\s+pedido)\b\.?", 4),
    (r"\b(?:engagement|commande|order|ej|po|bc)\b\s*(?:n[°º]|#|no\b)?", 2),
]
_C_PO = [(re.compile(p, re.I), s) for p, s in _PO_LABELS]
_PO_VALUE = re.compile(r"[A-Za-z0-9][A-Za-z0-9/_.\-]*")


def _po_value(rest: str) -> tuple[str, int, int] | None:
    sep = re.match(r"[\s:.#°º\-–]*", rest)
    vm = _PO_VALUE.match(rest, sep.end() if sep else 0)
    if not vm:
        return None
    value = vm.group(0).rstrip(".-/")
    if not re.search(r"\d", value) or len(value) < 3 or DATE_RE.fullmatch(value):
        return None
    return value, vm.start(), vm.start() + len(value)


def find_purchase_order(doc: Document, lines: list[Line]) -> Found | None:
    best = None
    for line in lines:
        text = line.text
        for label, prio in _C_PO:
            for m in label.finditer(text):
                before = text[max(0, m.start() - 25):m.start()]
                if re.search(r"date|du\s*$|selon|devis", before, re.I):
                    continue
                rest = text[m.end():]
                if re.match(r"\s*(?:date|du\b|le\b|client)", rest, re.I):
                    continue
                score = prio - line.page * 0.01 - (0.3 if line.row else 0) - line.index * 0.0001
                got = _po_value(rest)
                if got:
                    v, s0, e0 = got
                    best = _better(best, Found(v, line.page, v, _box(line, m.end() + s0, m.end() + e0), score))
                    continue
                if prio < 3 or (rest.strip(" :.#°º") and (line.row is None or re.search(r"\d", rest))):
                    continue  # (a header cell followed by other header words: the value may be under it)
                # label alone on its line: the value is on the next line, or under it
                nxt = _next_stream_line(lines, line) if line.row is None else None
                if nxt is not None and len(nxt.text.split()) <= 2 and not _NUM_HINT.search(nxt.text):
                    got = _po_value(nxt.text)
                    if got and _visually_follows(doc, line.page, text.strip(), got[0]):
                        best = _better(best, Found(got[0], line.page, got[0], None, score - 0.5))
                        continue
                below = _below(doc, line, m.end())
                if below:
                    got = _po_value(below[0])
                    if got:
                        best = _better(best, Found(got[0], line.page, got[0], below[1], score - 0.6))
    return best


# ---------------------------------------------------------------- currency

_CUR_CODES = ("EUR", "USD", "GBP", "CHF", "INR", "CAD", "JPY", "SEK", "DKK", "NOK", "PLN", "CZK", "AUD", "CNY")
_CUR_CODE_RE = re.compile(r"(?<![A-Z])(" + "|".join(_CUR_CODES) + r")(?![A-Z])")
_CUR_SYMBOLS = {"€": "EUR", "$": "USD", "£": "GBP", "₹": "INR", "¥": "JPY"}
_CUR_LABEL = re.compile(r"(?:devise|currency|w[äa]hrung|valuta|moneda)\s*:?\s*(?:[A-Za-z ]*\()?\s*([A-Z]{3})\b")


def find_currency(doc: Document, lines: list[Line], near_totals: set[tuple[int, int]]) -> Found | None:
    counts: dict[str, float] = {}
    first: dict[str, Found] = {}
    for line in lines:
        if line.row is not None:
            continue
        text = line.text
        lm = _CUR_LABEL.search(text)
        if lm and lm.group(1) in _CUR_CODES:
            return Found(lm.group(1), line.page, lm.group(1))
        weight = 3.0 if (line.page, line.index) in near_totals else 1.0
        for m in _CUR_CODE_RE.finditer(text):
            code = m.group(1)
            counts[code] = counts.get(code, 0) + weight
            first.setdefault(code, Found(code, line.page, code))
        for sym, code in _CUR_SYMBOLS.items():
            n = text.count(sym)
            if sym == "$" and n:
                n = len(re.findall(r"(?:^|[\s(])(?:US)?\$\s?\d|\d\s?\$", text))
            if n:
                counts[code] = counts.get(code, 0) + n * weight
                first.setdefault(code, Found(code, line.page, sym))
        if re.search(r"\beuros?\b", text, re.I):
            counts["EUR"] = counts.get("EUR", 0) + 0.5
            first.setdefault("EUR", Found("EUR", line.page, "euros"))
        if re.search(r"\bRs\.?\s?\d", text):
            counts["INR"] = counts.get("INR", 0) + weight
            first.setdefault("INR", Found("INR", line.page, "Rs"))
    if not counts:
        return None
    code = max(counts, key=lambda c: counts[c])
    return first[code]


# ---------------------------------------------------------------- seller name

_LEGAL_FORMS = (r"S\.?A\.?S\.?U?|SARL|EURL|S\.?A\.?|SNC|SCOP|SCI|SCIC|SELARL|GIE|GmbH|AG|KG|UG|OHG|Ltd\.?|Limited|"
                r"Inc\.?|LLC|LLP|B\.?V\.?|N\.?V\.?|S\.?L\.?|S\.?p\.?A\.?|S\.?r\.?l\.?|Pvt\.?\s+Ltd\.?|PLC|Oy|AB|AS")
_LEGAL_TAIL = re.compile(rf"(?:\b(?:{_LEGAL_FORMS})(?:\s+(?:{_LEGAL_FORMS}))?)\s*$")
_FOOTER_NAME = re.compile(
    r"^(?P<name>[^\d\n|•·]{2,70}?)(?:\s+[-–|•·]\s+|,\s+|\s+(?=au\s+capital))(?=\d|(?:entrepreneur|soci[ée]t[ée]|association|micro|"
    rf"auto|{_LEGAL_FORMS})\b|au\s+capital|si[èe]ge|siret|siren|rcs|capital|t[ée]l|n[°º]|ape|naf|www|\S+@)",
    re.I)
_CAPITAL_NAME = re.compile(rf"^(?P<name>[^\d\n|•·,]{{2,60}}?\s(?:{_LEGAL_FORMS}))\s*(?:[-–,]\s*)?(?:au\s+capital|\(|,|-|$)")
_NAME_LABEL = re.compile(r"^(?:de|from|[ée]metteur|fournisseur|vendeur|seller|supplier|prestataire|expéditeur|"
                         r"emitter|issuer|lieferant|verk[äa]ufer|billed\s+by|sold\s+by)\s*:?\s*$", re.I)
_NOT_NAME = re.compile(
    r"^(?:factur[ée]e?|invoice|avoir|rechnung|gutschrift|devis|quote|receipt|re[çc]u|bon\s+de|page|date|n[°º]|tel|t[ée]l|"
    r"fax|www\.|http|e-?mail|client|customer|destinataire|adress|objet|madame|monsieur|document|fournisseur|"
    r"[ée]metteur|from|to|bill|ship|total|siret|siren|tva|vat|iban|bic|r[ée]f|code|num[ée]ro|description|"
    r"d[ée]signation|qt[ée]|statut|status|order|commande|payment|paiement|[àa]\s+l['’]attention|attn|generated|"
    r"artikel|article|produit|product|pos\.?|invoice|factura|lesbarmachung|stylesheet|seite|regd)\b|@|^\d|^\W*$|"
    r"https?:|\[|---|^\*|^n[°º]|^r[ée]f\.|:\s*$|^(?:adress|factur|livr|envoy)[ée]e?s?\s+[àa]\b|kopie|copie|copy|duplicata|g[ée]rant|pr[ée]sident|directeur|directrice|responsable|manager|\bceo\b", re.I)


_LEGAL_ONLY = re.compile(rf"^(?:(?:{_LEGAL_FORMS}|entrepreneur\s+individuel|soci[ée]t[ée]\b.*|association\b.*|"
                         rf"micro-?entreprise|auto-?entrepreneur|EI)\s*)+$", re.I)
_LEGAL_MARKERS = re.compile(r"siret|siren|capital|\brcs\b|\bape\b|\bnaf\b|t[ée]l\.?|@|www\.|tva|ust-?id|vat|kvk|"
                            r"registergericht|handelsregister|gesch[äa]ftsf[üu]hrer", re.I)
_ADDRESS = re.compile(r"^\d|\b(?:rue|avenue|av\.|boulevard|bd|chemin|all[ée]e|place|route|impasse|quai|zone|zi|za|"
                      r"parc|lieu-dit|bp|cedex|cs|str\.|stra(?:ß|ss)e|road|street|st\.)\b|\b\d{5}\b", re.I)
_BEFORE_LEGAL_LINE = re.compile(r"^(?:si[èe]ge\s+social|registered\s+office)\b", re.I)
_LEGAL_PREFIX = re.compile(rf"^(?P<name>[A-ZÀ-Ý][\w'’&.\- ]{{1,50}}?(?:,?\s(?:{_LEGAL_FORMS}))+)(?=\s|$|,|:)")
_INLINE_LABEL = re.compile(r"^(?:sold\s+by|vendu\s+par|seller|vendeur|fournisseur|[ée]metteur|supplier|from|de|"
                           r"verk[äa]ufer|lieferant)\s*:\s*(?P<n>[^:]{3,70}?)[\s,;]*$", re.I)
_RUNNING_HEADER = re.compile(r"^(?P<n>\D{3,60}?)\s+[-–]?\s*(?:facture|invoice|avoir)\s+(?:n[°º]\s*)?[A-Z0-9/\-]*\d", re.I)
_MAIL_OR_WEB = re.compile(r"[\w.+-]+@(?:[\w-]+\.)*?(?P<a>[\w-]+)\.[a-z]{2,6}\b|(?:https?://)?www\.(?P<b>[\w-]+)\.[a-z]{2,6}\b", re.I)
_COMMON_DOMAINS = {"gmail", "yahoo", "hotmail", "outlook", "orange", "free", "wanadoo", "laposte", "sfr", "live", "icloud",
                   "gouv", "chorus-pro", "google", "mail", "protonmail", "gmx", "web", "tcpdf", "example", "exemple", "test"}


def _letters(text: str) -> str:
    import unicodedata

    norm = unicodedata.normalize("NFKD", text.lower())
    return re.sub(r"[^a-z0-9]", "", "".join(ch for ch in norm if not unicodedata.combining(ch)))


def _plausible_name(text: str, is_buyer) -> bool:
    t = text.strip()
    return (2 < len(t) <= 60 and not _NOT_NAME.search(t) and not is_buyer(t) and not _ADDRESS.search(t)
            and not AMOUNT_RE.search(t) and "%" not in t
            and not _LEGAL_ONLY.match(t) and sum(ch.isalpha() for ch in t) >= 3
            and not re.fullmatch(r"[A-Z]{1,3}", t))


def find_seller_name(doc: Document, lines: list[Line], buyer_names: tuple[str, ...]) -> Found | None:
    stream = [ln for ln in lines if ln.row is None]
    buyer_low = {b.lower() for b in buyer_names if b}
    top = [ln for ln in stream if ln.page == 1][:25]

    def is_buyer(text: str) -> bool:
        low = text.lower()
        return any(b and (b in low or low in b) for b in buyer_low)

    def found(name: str, page: int) -> Found:
        return Found(name, page, name, locate(doc, page, name))

    def as_printed_on_top(name: str, page: int) -> Found:
        """The same name at the top of page 1, with its legal form when printed next to it."""
        for ln in top:
            t = ln.text.strip()
            if t.lower() == name.lower():
                return found(t, 1)
        for ln in top:
            t = ln.text.strip()
            if t.lower().startswith(name.lower() + " ") and _LEGAL_TAIL.search(t) and len(t) <= len(name) + 12:
                return found(t, 1)
            cut = re.match(rf"(?:facture|invoice|avoir)\s+({re.escape(name)}(?:\s+(?:{_LEGAL_FORMS}))*)\s*$", t, re.I)
            if cut:
                return found(cut.group(1), 1)
        return found(name, page)

    # 1. the legal line: "<Name> - SARL au capital…", "<Name> - 12 rue… - Tél…", "<Name> SAS au capital…"
    for line in reversed(stream):
        text = line.text.strip()
        if not _LEGAL_MARKERS.search(text):
            continue
        name = None
        m = _FOOTER_NAME.match(text)
        if m:
            name = m.group("name").strip(" -–,")
        if name is None or _LEGAL_ONLY.match(name):
            cm = _CAPITAL_NAME.match(text)
            name = cm.group("name").strip() if cm else None
        if name and _plausible_name(name, is_buyer):
            return as_printed_on_top(name, line.page)
    # 2. the name that the seller's e-mail or web address spells (contact@akretion.com -> "Akretion France")
    stems = []
    for line in stream:
        for m in _MAIL_OR_WEB.finditer(line.text):
            stem = _letters(m.group("a") or m.group("b") or "")
            before = line.text[max(0, m.start() - 40):m.start()]
            if len(stem) >= 4 and stem not in _COMMON_DOMAINS and not _BUYER_CTX.search(before) and stem not in stems:
                stems.append(stem)
    for stem in stems:
        for line in stream:
            t = line.text.strip()
            letters = _letters(t)
            if len(letters) >= 4 and (stem in letters or letters in stem) and "@" not in t and "www" not in t.lower():
                name = t
                m = _LEGAL_PREFIX.match(t)
                if m and not _plausible_name(t, is_buyer):
                    name = m.group("name")
                if _plausible_name(name, is_buyer):
                    return as_printed_on_top(name, line.page)
    # 3. the title line "FACTURE F2023-001 Name of the seller" (minimal layouts)
    for line in stream[:6]:
        tm = _NUM_TITLE.match(line.text)
        if tm and tm.group("tail"):
            tail = tm.group("tail").strip()
            if not re.match(r"(?:du|de|le|\(|page|date|n[°º])\b", tail, re.I) and _plausible_name(tail, is_buyer) \
                    and not DATE_RE.search(tail):
                return found(tail, line.page)
        cut = re.match(r"^(?:facture|invoice|avoir|rechnung)\s+(?P<n>\D+)$", line.text.strip(), re.I)
        if cut and _plausible_name(cut.group("n"), is_buyer) and _LEGAL_TAIL.search(cut.group("n")):
            return found(cut.group("n").strip(), line.page)
    # 4. a running header "Name – Facture F-001 (suite)"
    for line in stream:
        rm = _RUNNING_HEADER.match(line.text.strip())
        if rm and _plausible_name(rm.group("n").strip(" -–"), is_buyer):
            return as_printed_on_top(rm.group("n").strip(" -–"), line.page)
    # 5. a label such as "De :" / "Émetteur" / "Fournisseur" followed by the name
    for i, line in enumerate(stream):
        if line.page > 1:
            break
        if _NAME_LABEL.match(line.text) and i + 1 < len(stream) and _plausible_name(stream[i + 1].text, is_buyer):
            return found(stream[i + 1].text.strip(), line.page)
    # 6. "Sold by : Name", "Vendeur : Name" on one line
    for line in stream:
        im = _INLINE_LABEL.match(line.text.strip())
        if im and _plausible_name(im.group("n"), is_buyer):
            return found(im.group("n").strip(), line.page)
    # 6b. the line just before "Siège social : …"
    for i, line in enumerate(stream[1:], start=1):
        if _BEFORE_LEGAL_LINE.match(line.text) and _plausible_name(stream[i - 1].text, is_buyer):
            return as_printed_on_top(stream[i - 1].text.strip(), stream[i - 1].page)
    # 7. the top of page 1: a name with a legal form, else the first plausible line
    for ln in top:
        m = _LEGAL_PREFIX.match(ln.text.strip())
        if m and _plausible_name(m.group("name"), is_buyer):
            return found(m.group("name").strip(), 1)
    # (skipping the block under a lone buyer label such as "Adressé à :" / "Client")
    after_buyer_label = set()
    for i, ln in enumerate(top):
        if _BUYER_CTX.search(ln.text) and len(ln.text.split()) <= 4 and not re.search(r"\d", ln.text):
            after_buyer_label.update(range(i + 1, i + 3))
    for i, ln in enumerate(top[:8]):
        if i not in after_buyer_label and _plausible_name(ln.text, is_buyer):
            return found(ln.text.strip(), 1)
    return None


def amount_str(value: Decimal | None) -> str | None:
    return None if value is None else format_amount(value)
