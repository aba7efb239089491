"""Amount candidates: every amount printed after (or under) a totals label, with its kind
(HT, TVA, TTC), its position and a score saying how strong its label is. The choice among
them is made by the totals solver (totals.py), by arithmetic.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from decimal import Decimal

from .extract import Document
from .pairing import ITEMS_HEADER, _SP, Line, _below, _box, _next_stream_line, cell_above, cells, row_above_text
from .parsing import AMOUNT_RE, amount_from_match
from .report import Box

# ---------------------------------------------------------------- totals

_L_TTC = [
    (r"total\s+tvac|\btvac\b|tva\s+comprise|total\s*t\.?\s?t\.?\s?c\.?|(?:montant|\bmt\.?|\bmnt\.?)\s*(?:total\s*)?t\.?t\.?c|total\s+toutes\s+taxes|total\s+\(?ttc|"
     r"montant\s+total\s+brut|total\s+brut", 6),
    (r"total\s+(?:incl\.?|including|inkl\.?)\s*(?:vat|tax|taxes|mwst|ust)|total\s+amount|total\s+invoice\s+amount|"
     r"amount\s+incl\.?\s*(?:vat|tax)|totaal\s+incl|incl\.?\s+btw\s+totaal", 5),
    (r"grand\s+total|gesamtbetrag(?!\s+der)|rechnungsbetrag|endbetrag|bruttobetrag|bruttosumme|gesamtsumme|"
     r"brutto(?!preis)|rechnungssumme(?!\s+ohne)|rechnungstotal|total\s+for\s+this\s+invoice", 5),
    (r"invoice\s+total|total\s+due|total\s+facture|montant\s+total(?!\s+(?:net|h\.?t|hors))|total\s+g[ée]n[ée]ral|"
     r"importe\s+total|total\s+factura|montant\s+de\s+(?:la\s+)?facture|factuur\s*totaal|totaal\s+factuur|"
     r"total\s+a\s+pagar|totale\s+(?:documento|fattura|complessivo|generale|ivato)|importo\s+totale|"
     r"totaal\s+incl\.?\s*btw|importe\s+total|totaal\s*bedrag|eindbedrag|factuurbedrag|te\s+betalen\s+bedrag", 4),
    (r"net\s+[àa]\s+payer|montant\s+[àa]\s+payer|somme\s+[àa]\s+payer|total\s+[àa]\s+payer|reste\s+[àa]\s+payer|amount\s+due|"
     r"zahlbetrag|zu\s+zahlender\s+betrag|balance\s+due|te\s+betalen|amount\s+payable|saldo\s+adeudado|"
     r"totale\s+da\s+pagare|netto\s+a\s+pagare|reste\s+d[ûu]|solde\s+d[ûu]|importe\s+a\s+pagar", 2),
    (r"(?<![\w-])total(?:\s+(?:eur|usd|gbp|€))?\s*:?(?=\s*[-\d€$£]|\s*(?:rs\.?|eur|usd)\s*\d|$)|^totaal\b|^summe\b", 1.5),
]
_L_HT = [
    (r"total\s*h\.?\s?t\.?|(?:montant|\bmt\.?|\bmnt\.?)\s*(?:total\s*)?h\.?t|total\s+hors\s+tax|total\s+\(?ht|montant\s+total\s+net|"
     r"exclusief\s+btw|rechnungssumme\s+ohne\s+(?:ust|mwst)", 6),
    (r"\bnet\s+h\.?t\.?|\bh\.?t\.?\s+net\b|\bnet\s+hors\s+tax|\bnet\s+total|total\s+htva|\bhtva\b", 5),
    (r"sous[-\s]?total(?:\s*h\.?t\.?)?|sub[-\s]?total|zwischensumme|total\s+net|nettobetrag|summe\s+netto|"
     r"gesamt\s+netto|netto(?:summe)?(?!preis)|total\s+(?:excl\.?|excluding|before|w/o|hors|ohne)\b|net\s+amount|"
     r"amount\s+excl|base\s+imponible|total\s+parcial|totaal\s+excl|(?:montant\s+)?hors\s+t\.?v\.?a|excl\.?\s*(?:tva|vat|btw|mwst)", 4),
    (r"total\s+(?:services|products|items)|(?:montant|base|total)\s+hors\s+tax\w*|base\s+h\.?t\.?\b|"
     r"positionssumme|warenwert|subtotaal|(?:totale\s+)?imponibile|totale\s+netto|importe\s+neto|"
     r"netto\s*bedrag|bedrag\s+excl", 3),
]
_L_TVA = [
    (r"total\s*(?:de\s+la\s+)?t\.?v\.?a\.?|(?:montant|\bmt\.?|\bmnt\.?)\s*(?:total\s*)?(?:de\s+(?:la\s+)?)?t\.?v\.?a\.?|total\s+taxes?\b|"
     r"total\s+(?:vat|tax|mwst|ust)|(?:vat|tax)\s+(?:total|amount)|total\s+btw|ust\.?\s+gesamt|mwst\.?\s+gesamt|"
     r"umsatzsteuer\s+gesamt|steuerbetrag|summe\s+(?:ust|mwst)|btw\s+totaal|total\s+impuestos|totale\s+iva|"
     r"importo\s+iva|cuota\s+(?:de\s+)?iva|btw\s+bedrag|bedrag\s+btw", 5),
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
_RATE_LINE = re.compile(r"^\W*(?:t\.?v\.?a\.?|vat|tax|ust\.?|mwst\.?|btw|iva)\s*[(@]?\s*(\d{1,2}(?:[.,]\d{1,2})?)\s*%\s*\)?", re.I)
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
    via: str = "label"  # label (label then value on a line) | column (value under a header cell)
    pos: int = -1  # where the amount starts in its line's text, when known


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
    if re.search(r"[A-Za-zÀ-ÿ]{2,}", _GENERIC_TOTAL_WORDS.sub("", rest)):
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


# Words a totals header row may hold besides its labels ("totaal exclusief btw | totaal btw | …").
_GENERIC_TOTAL_WORDS = re.compile(r"\b(?:eur|euros?|ttc|ht|total[e]?|totaal|summe|gesamt|montant|amount|bedrag|importe|"
                                  r"importo|btw|tva|vat|mwst|iva|en|in|de|du|la|le)\b", re.I)
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
                              box or (_box(line, start, end) if start >= 0 else None), (line.page, line.index),
                              pos=start))

    for line in lines:
        if line.row is not None:
            out.extend(_under_header_amounts(doc, line, npages))
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
                                r"eur|euro|€|\(|%|ttc|ht\b|tva|vat|tax|btw|mwst|ust|brut|net|total|summe|compris|inclu|exclu|hors|amount|montant|"
                                r"betrag|bedrag|importe|importo|iva|imponib|gesamt|totaal|totale|due|d[ûu]", between, re.I)):
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
                    if _LABEL_TAIL.sub("", text[m.end():]).strip(" :.()€$") != "" or (kind == "tva" and prio < 5):
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


_CURRENCY_WORDS = re.compile(r"€|\$|£|\b(?:eur|euros?|usd|gbp|chf)\b|[()]", re.I)
_HEADER_REST = re.compile(r"[\W\d_]*(?:(?:eur|euros?|en\s+eur|ttc|ht|btw|tva|vat|mwst|ust|iva)[\W\d_]*)*$", re.I)
# Words that may close a totals label before its value ("TOTAAL EXCL. BTW", "Total HT EUR").
_LABEL_TAIL = re.compile(r"\b(?:btw|tva|vat|mwst|ust|iva|taxes?|ht|ttc|eur|euros?|incl|excl|usd|gbp|compris\w*|inclus\w*|included)\b\.?",
                         re.I)


def _header_kind(header: str) -> tuple[str, float] | None:
    """The totals kind a header cell names, when the label is the whole cell ("Total HT (€)");
    the strongest label wins ("totaal btw" is the VAT, not a bare "totaal")."""
    best = None
    for kind, labels in (("ttc", _C_TTC), ("ht", _C_HT), ("tva", _C_TVA)):
        for label, prio in labels:
            m = label.search(header)
            if (m and _HEADER_REST.match(_GENERIC_TOTAL_WORDS.sub("", header[m.end():]))
                    and not re.search(r"[^\W\d_]{3,}", _GENERIC_TOTAL_WORDS.sub("", header[:m.start()]))
                    and (best is None or prio > best[1])):
                best = (kind, prio)
    return best


def _under_header_amounts(doc: Document, line: Line, npages: int) -> list[AmountCand]:
    """Amounts alone in their cell under a header cell that names a total (a totals table
    "Sous-total HT | Remise | Total HT | Total TVA | TOTAL TTC" over a row of amounts)."""
    out: list[AmountCand] = []
    if not AMOUNT_RE.search(line.text):
        return out
    for text, _x0, _x1, s, _e in cells(line.row):
        m = AMOUNT_RE.search(text)
        if not m or _CURRENCY_WORDS.sub("", text[:m.start()] + text[m.end():]).strip(" -"):
            continue
        header = cell_above(doc, line, s + m.start(), s + m.end())
        kind = _header_kind(header) if header else None
        if kind is None or ITEMS_HEADER.search(row_above_text(doc, line)):
            continue  # (a "Total HT" column of the line items holds line amounts)
        value = amount_from_match(m)
        if value is None:
            continue
        # under one header, the lowest row is the sum of the rows above it
        out.append(AmountCand(kind[0], value, m.group(0), line.page,
                              kind[1] - 0.4 + 0.3 * (line.page - npages) + 0.001 * (line.index % 10_000),
                              line.row.box_of_span(s + m.start(), s + m.end()), (line.page, line.index), "column"))
    return out

