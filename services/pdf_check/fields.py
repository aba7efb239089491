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
    AMOUNT_RE, DATE_RE, SPACES, amount_from_match, compact, date_readings, digits, format_amount,
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


def locate(doc: Document, page: int, raw: str) -> Box | None:
    """Where `raw` is printed on `page` (pdfplumber rows), or None."""
    target = re.sub(r"\s", "", raw)
    if not target or page < 1 or page > len(doc.pages):
        return None
    for row in doc.pages[page - 1].rows or []:
        joined, owners = "", []
        for wi, w in enumerate(row.words):
            t = re.sub(r"\s", "", w.text)
            joined += t
            owners.extend([wi] * len(t))
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
                r"(?:n[°ºo]\.?|num(?:[ée]ro)?\.?|no\.?|nr\.?|number|#|nummer)(?=[\s:#.]|$)", re.I), 5),
    (re.compile(r"\br[ée]f(?:[ée]rence)?\.?\s*(?:de\s+(?:la\s+)?|du\s+|d['’])?(?:facture|avoir)\b(?!\s*d['’]origine)", re.I), 4),
    (re.compile(r"\b(?:invoice|document)\s*(?:no|number|nr|#|id)\b\.?", re.I), 5),
    (re.compile(r"\b(?:rechnungs?|beleg|gutschrifts?)-?\s?(?:nummer|nr)\b\.?", re.I), 5),
    (re.compile(r"\bfactuur\s*(?:nummer|nr)\b\.?|\bn[úu]mero\s+de\s+factura\b", re.I), 5),
    (re.compile(r"^(?:num[ée]ro|n[°º])\s*:?(?=\s)", re.I), 2),
    # "… Facture F2022-0653 (suite)" in a running header: weakest
    (re.compile(r"\b(?:facture|invoice|avoir|rechnung)(?=\s+[A-Z0-9/\-]*\d)", re.I), 1.5),
]
_NUM_TITLE = re.compile(
    r"^(?:objet\s*:\s*)?(?:facture|avoir|invoice|rechnung|gutschrift|credit\s+note|factuur|factura)\s+"
    r"(?:n[°º]\s*)?(?P<v>[A-Z0-9][\w/.\-]*\d[\w/.\-]*)(?P<tail>\s+.*)?$", re.I)
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


def find_invoice_number(doc: Document, lines: list[Line]) -> Found | None:
    best: Found | None = None
    for line in lines:
        text = line.text
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
                        if got and len(nxt.text.split()) <= 2:
                            cands.append((got[0], -1, -1, prio - 0.5))
                            continue
                    below = _below(doc, line, m.end())
                    if below:
                        got = _number_value(below[0])
                        if got:
                            best = _better(best, Found(got[0], line.page, got[0], below[1], prio - 0.5 - line.page * 0.01))
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
_DATE_FACTURE_DU = re.compile(r"(?:facture|avoir|invoice|rechnung)\b.*\bdu\s*$|\bdu\s*$", re.I)
_DATE_BAD = re.compile(
    r"[ée]ch[ée]ance|limite|livraison|due|f[äa]llig|expir|valid|d[ée]but|\bfin\b|p[ée]riode|paiement|payment|"
    r"pr[ée]l[èe]vement|commande|order|associ|\bau\b|\bdu\s+\d|leistung|lieferung|zahl|bis|service|prestation|"
    r"r[ée]gler|avant|period|delivery|naissance|vervaldatum|from|to\s*$|until|contrat|devis|abonnement|"
    r"cr[ée]ation|\bfait\b|imprim|print|edited|[ée]dit|sur\s+facture|remplace|annule|d['’]origine|initiale",
    re.I)


def find_invoice_date(doc: Document, lines: list[Line], xml_date: str | None = None) -> Found | None:
    best: Found | None = None
    for line in lines:
        text = line.text
        for m in DATE_RE.finditer(text):
            readings = date_readings(m)
            if not readings:
                continue
            before = text[max(0, m.start() - 45):m.start()]
            context = before if before.strip() else line.prev[-45:]
            # only the words since the previous value count as this date's label
            label = re.split(r"\d[\d/.\-]*\s(?=\D)", context)[-1] if context else ""
            if _DATE_BAD.search(label):
                continue
            if _DATE_GOOD.search(label):
                score = 5.0
            elif _DATE_FACTURE_DU.search(label):
                score = 4.0
            elif _DATE_PLAIN.search(label):
                score = 3.5
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
    (r"total\s*t\.?\s?t\.?\s?c\.?|montant\s*(?:total\s*)?t\.?t\.?c|total\s+toutes\s+taxes|total\s+\(?ttc", 6),
    (r"total\s+(?:incl\.?|including|inkl\.?)\s*(?:vat|tax|taxes|mwst|ust)|total\s+amount|total\s+invoice\s+amount", 5),
    (r"grand\s+total|gesamtbetrag|rechnungsbetrag|endbetrag|bruttobetrag|gesamtsumme|brutto|rechnungssumme|totaal\s+incl", 5),
    (r"invoice\s+total|total\s+due|total\s+facture|montant\s+total|total\s+g[ée]n[ée]ral|importe\s+total|total\s+factura", 4),
    (r"net\s+[àa]\s+payer|montant\s+[àa]\s+payer|somme\s+[àa]\s+payer|total\s+[àa]\s+payer|amount\s+due|"
     r"zahlbetrag|balance\s+due|te\s+betalen", 2),
    (r"(?<![\w-])total(?:\s+eur)?\s*:?$|(?<![\w-])total\s*:?(?=\s*[-\d€$£])|^totaal|^summe\b", 1.5),
]
_L_HT = [
    (r"total\s*h\.?\s?t\.?|montant\s*(?:total\s*)?h\.?t|total\s+hors\s+tax|total\s+\(?ht", 6),
    (r"sous[-\s]?total(?:\s*h\.?t\.?)?|sub[-\s]?total|zwischensumme|subtotaal", 4),
    (r"total\s+(?:excl\.?|excluding|before|w/o|net|hors|ohne)\b|net\s+amount|amount\s+excl|"
     r"netto(?:betrag|summe)?|summe\s+netto|gesamt\s+netto|nettobetrag|total\s+net|base\s+imponible|totaal\s+excl", 4),
    (r"total\s+(?:services|products|items)|(?:montant|base|total)\s+hors\s+tax\w*|base\s+h\.?t\.?\b", 3),
]
_L_TVA = [
    (r"total\s*(?:de\s+la\s+)?t\.?v\.?a\.?|montant\s*(?:total\s*)?(?:de\s+(?:la\s+)?)?t\.?v\.?a\.?|total\s+taxes?\b|"
     r"total\s+(?:vat|tax|mwst|ust)|(?:vat|tax)\s+(?:total|amount)|total\s+btw", 5),
    (r"ust\.?|mwst\.?|umsatzsteuer|mehrwertsteuer|btw|\biva\b", 3),
    (r"^t\.?v\.?a\.?\b|^taxes?\b|\bvat\b|\btax\b|taxe\s+sur\s+la\s+valeur\s+ajout[ée]e|^tva\s*/\s*vat", 2.5),
]
_C_TTC = [(re.compile(p, re.I), s) for p, s in _L_TTC]
_C_HT = [(re.compile(p, re.I), s) for p, s in _L_HT]
_C_TVA = [(re.compile(p, re.I), s) for p, s in _L_TVA]
_RATE_LINE = re.compile(r"^\W*(?:t\.?v\.?a\.?|vat|tax|ust\.?|mwst\.?|btw|iva)\s*\(?\s*(\d{1,2}(?:[.,]\d{1,2})?)\s*%\s*\)?", re.I)
_NOT_TOTALS = re.compile(r"capital|indemnit|p[ée]nalit|\bn[°º]\s*tva|intracom|num[ée]ro\s+de\s+tva|\bvat\s*(?:no|number|id|reg)|"
                         r"ust-?id|taux\s+de\s+tva\s*:?$|\bsiret\b|\biban\b", re.I)


@dataclass(frozen=True)
class AmountCand:
    kind: str  # ht | tva | ttc
    value: Decimal
    raw: str
    page: int
    score: float
    box: Box | None
    line_key: tuple[int, int]


def _amounts_after(text: str, start: int) -> list[re.Match]:
    return [m for m in AMOUNT_RE.finditer(text, start)]


def _amount_cands(doc: Document, lines: list[Line]) -> list[AmountCand]:
    out: list[AmountCand] = []
    npages = len(doc.pages)
    rate_lines: dict[tuple[int, bool], dict[str, tuple[Decimal, str, Box | None, tuple[int, int]]]] = {}
    for line in lines:
        text = line.text
        if _NOT_TOTALS.search(text):
            continue
        # page weight: totals are usually on the last page
        pw = 0.3 * (line.page - npages)
        for kind, labels in (("ttc", _C_TTC), ("ht", _C_HT), ("tva", _C_TVA)):
            for label, prio in labels:
                for m in label.finditer(text):
                    # a "Total HT" inside "Sous-total HT" etc. is matched by its own pattern
                    found = _amounts_after(text, m.end())
                    if found:
                        am = found[0]
                        if len(found) >= 3 and kind == "ttc":
                            vals = [amount_from_match(x) for x in found[:3]]
                            if None not in vals and vals[0] + vals[1] == vals[2]:
                                for k, x, v in zip(("ht", "tva", "ttc"), found[:3], vals):
                                    out.append(AmountCand(k, v, x.group(0), line.page, prio + pw,
                                                          _box(line, x.start(), x.end()), (line.page, line.index)))
                                continue
                        between = text[m.end():am.start()]
                        if len(between) > 60 or re.search(r"[a-z]{4,}", between, re.I) and not re.search(
                                r"eur|euro|€|\(|%|ttc|ht\b|tva", between, re.I):
                            continue
                        v = amount_from_match(am)
                        if v is not None:
                            out.append(AmountCand(kind, v, am.group(0), line.page, prio + pw,
                                                  _box(line, am.start(), am.end()), (line.page, line.index)))
                    elif line.row is None and text[m.end():].strip(" :.()€EURTCH") == "":
                        nxt = _next_stream_line(lines, line)
                        if nxt is not None:
                            nm = AMOUNT_RE.fullmatch(nxt.text.strip(" €$£").replace("EUR", "").strip())
                            if nm:
                                v = amount_from_match(nm)
                                if v is not None:
                                    out.append(AmountCand(kind, v, nm.group(0), line.page, prio - 0.5 + pw, None,
                                                          (line.page, line.index)))
                    else:
                        below = _below(doc, line, m.end())
                        if below:
                            nm = AMOUNT_RE.search(below[0])
                            if nm and (v := amount_from_match(nm)) is not None:
                                out.append(AmountCand(kind, v, nm.group(0), line.page, prio - 0.7 + pw, below[1],
                                                      (line.page, line.index)))
        rm = _RATE_LINE.match(text)
        if rm:
            found = _amounts_after(text, rm.end())
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
        by_kind[kind] = sorted(best.values(), key=lambda c: -c.score)[:8]
    options_ht = by_kind["ht"] or [None]
    options_tva = by_kind["tva"] or [None]
    options_ttc = by_kind["ttc"] or [None]
    best_combo, best_score = (None, None, None), float("-inf")
    for ht, tva, ttc in itertools.product(options_ht, options_tva, options_ttc):
        score = sum(c.score for c in (ht, tva, ttc) if c is not None)
        if ht and tva and ttc and abs(ht.value + tva.value - ttc.value) <= Decimal("0.01"):
            score += 6
        elif ht and ttc and tva is None and ht.value == ttc.value:
            score += 1
        if score > best_score:
            best_combo, best_score = (ht, tva, ttc), score
    ht, tva, ttc = best_combo
    return {"ht": ht, "tva": tva, "ttc": ttc}


# ---------------------------------------------------------------- identifiers

SIRET_RE = re.compile(rf"(?<![\w\-/])(\d{{3}}{_SP}?\d{{3}}{_SP}?\d{{3}}{_SP}?\d{{5}})(?![\w\-/])")
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
                              (1 if line.row else 0, line.page, line.index)))
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
        return Found(c.digits, c.page, c.raw, c.box) if c else None

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
_VAT_LOOSE = re.compile(r"(?<![\w])[A-Z]{1,2}[0-9][0-9 A-Z]{7,15}")


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
            if re.search(r"kunde|client|customer|votre|your|ihre", before, re.I):
                continue
            score = (2 if labelled else 1) - (0.5 if line.row else 0) - line.page * 0.01 - line.index * 0.00001
            f = Found(vat, line.page, text[s:e], _box(line, s, e), score)
            best = _better(best, f)
    return best


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
    for lm in re.finditer(r"(?:\btva|\bvat|ust-?idnr\.?)\s*(?:intracom\w*\.?|intracommunautaire)?\s*(?:n[°º]\s*)?:?\s*", text, re.I):
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
     r"r[ée]f(?:[ée]rence)?\.?\s*(?:de\s+)?commande|votre\s+r[ée]f(?:[ée]rence)?\.?\s*commande)\s*(?:n[°º])?", 5),
    (r"\b(?:purchase\s+order|p\.?o\.?\s*(?:no|number|#|nr)|order\s+(?:no|number|nr|ref(?:erence)?)|"
     r"bestell-?\s?(?:nr|nummer)|ihre\s+bestellung|bestellnummer|bestellung|inkoopordernummer|pedido)\b\.?", 4),
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
                if rest.strip(" :.#°º") or prio < 3:
                    continue
                # label alone on its line: the value is on the next line, or under it
                nxt = _next_stream_line(lines, line) if line.row is None else None
                if nxt is not None and len(nxt.text.split()) <= 2:
                    got = _po_value(nxt.text)
                    if got:
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
        for code in _CUR_CODES:
            for m in re.finditer(rf"(?<![A-Z]){code}(?![A-Z])", text):
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
    r"^(?:facture|invoice|avoir|rechnung|gutschrift|devis|quote|receipt|re[çc]u|bon\s+de|page|date|n[°º]|tel|t[ée]l|"
    r"fax|www\.|http|e-?mail|client|customer|destinataire|adress|objet|madame|monsieur|document|fournisseur|"
    r"[ée]metteur|from|to|bill|ship|total|siret|siren|tva|vat|iban|bic|r[ée]f|code|num[ée]ro|description|"
    r"d[ée]signation|qt[ée]|statut|status|order|commande|payment|paiement)\b|@|^\d|^\W*$", re.I)


def find_seller_name(doc: Document, lines: list[Line], buyer_names: tuple[str, ...]) -> Found | None:
    stream = [ln for ln in lines if ln.row is None]
    buyer_low = {b.lower() for b in buyer_names if b}

    def is_buyer(text: str) -> bool:
        low = text.lower()
        return any(b and (b in low or low in b) for b in buyer_low)

    # 1. a label such as "De :" / "Émetteur" / "Fournisseur" followed by the name
    for i, line in enumerate(stream):
        if line.page > 1:
            break
        if _NAME_LABEL.match(line.text) and i + 1 < len(stream):
            cand = stream[i + 1].text
            if not _NOT_NAME.search(cand) and not is_buyer(cand) and len(cand) <= 70:
                return Found(cand, line.page, cand, locate(doc, line.page, cand))
    # 2. the title line "FACTURE F2023-001 Name of the seller" (minimal layouts)
    for line in stream[:6]:
        tm = _NUM_TITLE.match(line.text)
        if tm and tm.group("tail"):
            tail = tm.group("tail").strip()
            if not re.match(r"(?:du|de|le|\(|page|date|n[°º])\b", tail, re.I) and not _NOT_NAME.search(tail) \
                    and not is_buyer(tail) and 2 < len(tail) <= 60 and not DATE_RE.search(tail):
                return Found(tail, line.page, tail, locate(doc, line.page, tail))
    # 3. the legal line: "<Name> - SARL au capital…", "<Name> - 12 rue…", "<Name> SAS au capital"
    footer_name = None
    for line in reversed(stream):
        text = line.text.strip()
        m = _FOOTER_NAME.match(text)
        name = None
        if m:
            name = m.group("name").strip(" -–,")
            if re.fullmatch(rf"(?:{_LEGAL_FORMS}|entrepreneur\s+individuel|soci[ée]t[ée].*|association.*)", name, re.I):
                name = None
        if name is None:
            cm = _CAPITAL_NAME.match(text)
            if cm:
                name = cm.group("name").strip()
        if name and 2 < len(name) <= 60 and not _NOT_NAME.search(name) and not is_buyer(name):
            footer_name = (name, line.page)
            break
    # 3. the top of page 1
    top = [ln for ln in stream if ln.page == 1][:25]
    if footer_name:
        name, page = footer_name
        for ln in top:
            t = ln.text.strip()
            if t.lower().startswith(name.lower()) and _LEGAL_TAIL.search(t) and len(t) <= len(name) + 12:
                return Found(t, 1, t, locate(doc, 1, t))
        for ln in top:
            if ln.text.strip().lower() == name.lower():
                return Found(ln.text.strip(), 1, ln.text.strip(), locate(doc, 1, ln.text.strip()))
        return Found(name, page, name, locate(doc, page, name))
    for ln in top:
        t = ln.text.strip()
        if _LEGAL_TAIL.search(t) and not _NOT_NAME.search(t) and not is_buyer(t) and len(t) <= 60:
            return Found(t, 1, t, locate(doc, 1, t))
    for ln in top[:8]:
        t = ln.text.strip()
        if len(t) < 4 or _NOT_NAME.search(t) or is_buyer(t) or re.fullmatch(r"[A-Z]{1,3}", t):
            continue
        if sum(ch.isalpha() for ch in t) < 3 or len(t) > 60:
            continue
        return Found(t, 1, t, locate(doc, 1, t))
    return None


def amount_str(value: Decimal | None) -> str | None:
    return None if value is None else format_amount(value)
