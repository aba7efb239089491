"""Finding the invoice's fields by their labels and positions (not by one layout).

The stages live in their own modules: pairing.py (lines, and where a value sits relative to
its label), amounts.py and totals.py (amount candidates, and the solver that picks the triple
that adds up), identifiers.py (SIRET, SIREN, VAT, IBAN). This module holds the remaining
finders (number, date, type, order, currency, seller name) and re-exports the others.
"""

from __future__ import annotations

import re
from decimal import Decimal

from .extract import Document
from .identifiers import _BUYER_CTX, find_iban, find_seller_vat, find_siren, find_sirets  # noqa: F401
from .pairing import (  # noqa: F401
    Found, Line, _below, _better, _box, _next_stream_line, _visually_follows, all_lines, cell_above, cells, locate,
    ITEMS_HEADER as _ITEMS_HEADER, row_above_text as _row_above_text,
)
from .parsing import AMOUNT_RE, DATE_RE, date_readings, format_amount, iter_dates
from .totals import find_totals  # noqa: F401

# ---------------------------------------------------------------- invoice number

_NUM_LABELS = [
    (re.compile(r"\b(?:n[°ºo]\.?|num[ée]ro)\s*(?:de\s+|d['’]\s*)?(?:la\s+|l['’])?(?:facture|avoir)\b", re.I), 5),
    (re.compile(r"\b(?:facture|avoir|invoice|credit\s*(?:note|memo)|\w*rechnung|gutschrift|\w*factuur|bill)\s*"
                r"(?:n[°º]\.?|(?:no|nr|num(?:[ée]ro)?|number|nummer)\.?(?=[\s:#.]|$)|#)", re.I), 5),
    (re.compile(r"\br[ée]f(?:[ée]rence)?\.?\s*(?:de\s+(?:la\s+)?|du\s+|d['’])?(?:facture|avoir)\b(?!\s*d['’]origine)", re.I), 4),
    (re.compile(r"\b(?:invoice|document)\s*(?:no|number|nr|#|id)\b\.?", re.I), 5),
    (re.compile(r"\b(?:n[°º.]?|num(?:ero|éro)?\.?)\s*(?:de\s+|del\s+|du\s+)?(?:documento|document|doc\.)(?=[\s:#]|$)", re.I), 4),
    (re.compile(r"\b(?:facture|invoice|avoir|\w*rechnung|\w*factuur|factura|fattura|note\s+de\s+cr[ée]dit|credit\s*note|"
                r"creditnota|gutschrift|nota\s+de\s+cr[ée]dito|nota\s+di\s+credito)\b(?:\s+[^\W\d]+){0,2}?\s*"
                r"(?:n[°º]\.?|no\.|nr\.|n\.|num[ée]ro|number|nummer|#)", re.I), 4.5),
    (re.compile(r"\b(?:fattura|factura)\s*(?:n\.|n[°º]|nr\.?|num(?:ero)?\.?)", re.I), 5),
    (re.compile(r"\b(?:rechnungs?|beleg|gutschrifts?|creditnota|credit\s*note)-?\s?(?:nummer|nr|number|no)\b\.?", re.I), 5),
    (re.compile(r"\bpi[èe]ce\s*(?:n[°º]\.?|num[ée]ro)", re.I), 4),
    (re.compile(r"\b\w*factuur\s*(?:nummer|nr)\b\.?|\bn[úu]mero\s+de\s+factura\b|"
                r"\b(?:n[úu]m(?:ero)?\.?|n[°º]\.?|n\.)\s*(?:de\s+)?(?:factura|fattura)\b|\bnumero\s+(?:della\s+)?fattura\b", re.I), 5),
    (re.compile(r"^(?:num[ée]ro|n[°º]|nummer|number|no\.|nr\.|n[úu]mero)\s*:?(?=\s)", re.I), 2),
    # "… Facture F2022-0653 (suite)" in a running header: weakest
    (re.compile(r"\b(?:facture|invoice|avoir|rechnung)(?=\s+[A-Z0-9/\-]*\d)", re.I), 1.5),
]
_NUM_TITLE = re.compile(
    r"^(?:objet\s*:\s*)?(?:facture|avoir|invoice|rechnung|gutschrift|credit\s+note|factuur|factura)\s+"
    r"(?:n[°º]\s*)?(?P<v>[A-Z0-9](?=[\w/.\-]{0,40}\d)[\w/.\-]{0,40})(?P<tail>\s+.*)?$", re.I)
_TITLE_ALONE = re.compile(r"^\W*(?:facture|invoice|avoir|rechnung|factura|factuur|gutschrift|credit\s+note)\W*$", re.I)
_REF_UNDER_TITLE = re.compile(r"^\s*(?:r[ée]f(?:[ée]rence)?\.?|num[ée]ro|n[°º])\s*:", re.I)
_NUM_VALUE = re.compile(r"[A-Za-z0-9][A-Za-z0-9/_.\-]*")
_NUM_REJECT_BEFORE = re.compile(
    r"(?:\bsur|remplace|annule|r[ée]f[ée]rence|relative\s+[àa]|concerne|concernant|d['’]origine|associ[ée]e?|"
    r"corrige|rectifie|suite\s+[àa]|selon|origin(?:al|e)|pour)\s*(?:la\s+|le\s+|l['’])?$", re.I)
_NUM_REJECT_AFTER = re.compile(r"^\s*(?:associ|d['’]origine|initiale|rectifi|d['’]acompte\s+n)", re.I)
_NUM_STOP = {"du", "de", "le", "date", "page", "client", "n", "no", "nr"}


# Words that label another identifier: never the letter prefix of an invoice number.
_NOT_A_PREFIX = {"siret", "siren", "tva", "vat", "rcs", "ape", "naf", "iban", "bic", "tel", "fax", "no", "nr", "ref", "du",
                 "le", "date", "page", "code", "n", "rc", "ust", "btw", "iva", "cif", "nif", "de", "del", "vom", "of"}


def _number_value(rest: str) -> tuple[str, int, int] | None:
    m = re.match(r"[\s:.#°º\-–]*", rest)
    pos = m.end() if m else 0
    vm = _NUM_VALUE.match(rest, pos)
    if not vm:
        return None
    value = vm.group(0).rstrip(".-/")
    if re.fullmatch(r"[A-Z]{1,5}", value) and value.lower() not in _NOT_A_PREFIX:
        # a letter prefix then the figures, printed with a space: "FPR 295/23" is one number
        nxt = re.match(r" (\d[\w/.\-]*)", rest[vm.end():])
        if nxt:
            value = value + " " + nxt.group(1).rstrip(".-/")
    if not re.search(r"\d", value) or value.lower() in _NUM_STOP or len(value) < 2 or len(value) > 40:
        return None
    if DATE_RE.fullmatch(value):
        return None
    return value, vm.start(), vm.start() + len(value)


_NUM_HINT = re.compile(r"fact|fattur|invoice|pi[èe]ce|avoir|rechnung|n[°ºo]|num|r[ée]f|\bno\b|\bnr|beleg|gutschrift|credit|"
                       r"document|bill|\bn\.|nota",
                       re.I)


_NUM_REF_INSIDE = re.compile(r"\b(?:sur|on|zu|op|su|for|pour|of|relative|concern\w*|betreft|bezug|d['’]origine)\b",
                             re.I)
_CREDIT_WORD = re.compile(r"avoir|gutschrift|credit|cr[ée]dit|creditnota", re.I)
_INVOICE_WORD_ONLY = re.compile(r"factur|invoice|rechnung|factuur|fattura", re.I)
# A number followed by a street word is a street number ("N° avoir   16 Place Jean Jaurès").
_ADDRESS_AFTER = re.compile(r"\s+(?:rue|place|avenue|av\.|bd|boulevard|chemin|all[ée]e|route|impasse|quai|"
                            r"stra(?:ß|ss)e|str\.|weg|laan|straat|plein|via|viale|piazza|calle|plaza|road|street|lane)\b",
                            re.I)


def _kind_bonus(label: str, credit: bool) -> float:
    """On a credit note, a number labelled "Avoir n°" is its own; "Facture n°" names the invoice it cancels."""
    if not credit:
        return 0.0
    if _CREDIT_WORD.search(label):
        return 0.5
    return -1.0 if _INVOICE_WORD_ONLY.search(label) else 0.0


def find_invoice_number(doc: Document, lines: list[Line]) -> Found | None:
    best: Found | None = None
    credit = find_doc_type(doc, lines)[0] == "credit_note"
    for line in lines:
        text = line.text
        if not _NUM_HINT.search(text):
            continue
        cands: list[tuple[str, int, int, float]] = []
        for label, prio in _NUM_LABELS:
            for m in label.finditer(text):
                if _NUM_REJECT_BEFORE.search(text[max(0, m.start() - 30):m.start()]) or _NUM_REF_INSIDE.search(m.group(0)):
                    continue  # ("Avoir sur facture n° …" names the invoice a credit note cancels)
                rest = text[m.end():]
                if _NUM_REJECT_AFTER.match(rest):
                    continue
                got = _number_value(rest)
                if got and not _ADDRESS_AFTER.match(rest[got[2]:]):
                    v, s, e = got
                    cands.append((v, m.end() + s, m.end() + e, prio + _kind_bonus(m.group(0), credit)))
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
        if tm and not DATE_RE.fullmatch(tm.group("v")) and not _ADDRESS_AFTER.match(tm.group("tail") or ""):
            cands.append((tm.group("v"), tm.start("v"), tm.end("v"), 3))
        for v, s, e, prio in cands:
            score = prio - line.page * 0.01 - (0.2 if line.row else 0)
            best = _better(best, Found(v, line.page, v, _box(line, s, e) if s >= 0 else None, score))
    titled = None
    def label_score(label: str) -> float:
        score = _number_label_score(label)
        return score + _kind_bonus(label, credit) if score else 0.0

    # a cell opening with a bare "No. :" / "Nummer" in a row shared with another column
    for line in lines:
        if line.row is None or line.page > 2:
            continue
        for text, _x0, _x1, cs, _ce in cells(line.row):
            bm = _BARE_NUMBER_START.match(text)
            if not bm:
                continue
            got = _number_value(text[bm.end():])
            if got and not _ADDRESS_AFTER.match(text[bm.end() + got[2]:]):
                titled = has_title(doc, lines) if titled is None else titled
                if titled:
                    start = cs + bm.end() + got[1]
                    best = _better(best, Found(got[0], line.page, got[0], line.row.box_of_span(start, start + len(got[0])),
                                               2.0 - line.page * 0.01, label=text[:bm.end()].strip()))
    for found in under_header(doc, lines, _number_value, label_score):
        if found.score < 3:  # a bare "No." header: only under a document titled invoice/avoir
            titled = has_title(doc, lines) if titled is None else titled
            if not titled:
                continue
        best = _better(best, found)
    return best


# A bare "No." header names the invoice number only under an invoice title, and never an
# article reference ("Réf." heads the line items' codes).
_BARE_NUMBER_LABEL = re.compile(r"^\W*(?:n[°ºo]\.?|no\.?|nr\.?|num(?:ber|[ée]ro)?\.?|nummer|n[úu]mero|#)\W*$", re.I)


_BARE_NUMBER_START = re.compile(r"^(?:n[°º]\.?|no\.|nr\.|num[ée]ro|nummer|number|n[úu]mero|#)\s*:?(?=\s)", re.I)


def _number_label_score(label: str) -> float:
    """How surely a header cell names the invoice number (0: not at all)."""
    if _NUM_REJECT_BEFORE.search(label):
        return 0.0
    for rx, prio in _NUM_LABELS[:-1]:
        m = rx.search(label)
        if m and not label[m.end():].strip(" :.#°º") and not _NUM_REJECT_BEFORE.search(label[:m.start()]):
            return prio
    return 2.5 if _BARE_NUMBER_LABEL.match(label) else 0.0


def under_header(doc: Document, lines: list[Line], value_of, label_score, max_page: int = 2) -> list[Found]:
    """Values alone in their cell with a label cell right above them: table headers
    ("N° facture | Date | Échéance" over a row of values) and label-over-value boxes."""
    out: list[Found] = []
    for line in lines:
        if line.row is None or line.page > max_page:
            continue
        for text, _x0, _x1, s, _e in cells(line.row):
            got = value_of(text)
            if not got:
                continue
            value, vs, ve = got
            if len(text.strip()) - (ve - vs) > 2:
                continue  # the cell holds more than the value: its label is beside it
            above = cell_above(doc, line, s + vs, s + ve)
            prio = label_score(above) if above else 0.0
            if prio and _ITEMS_HEADER.search(_row_above_text(doc, line)):
                continue  # a column of the line items (article codes, line numbers)
            if prio:
                out.append(Found(value, line.page, value, line.row.box_of_span(s + vs, s + ve),
                                 prio - 0.3 - line.page * 0.01, label=above))
    return out



# ---------------------------------------------------------------- date

_DATE_GOOD = re.compile(
    r"(?:date\s*(?:de\s+(?:la\s+)?|d['’]\s*)?(?:facture|facturation|[ée]mission|avoir|l['’]avoir)|"
    r"invoice\s+date|date\s+of\s+(?:issue|invoice)|issue\s+date|date\s+issued|billing\s+date|"
    r"rechnungsdatum|belegdatum|gutschriftsdatum|factuurdatum|fecha\s+de\s+(?:la\s+)?factura|[ée]mise?\s+le|"
    r"fecha\s+(?:de\s+)?(?:emisi[óo]n|expedici[óo]n)|fecha\s+factura|data\s+(?:della\s+)?fattura|data\s+(?:di\s+)?emissione|"
    r"data\s+documento|datum\s+(?:van\s+de\s+)?factuur|date\s+de\s+pi[èe]ce|invoice\s+date|rechnungs-?datum)"
    r"\W*$", re.I)
_DATE_PLAIN = re.compile(r"(?:\bdate|\bdatum|\bfecha|\bdated|\bdata)\s*:?\s*$|\ble\s*$", re.I)
_DATE_FACTURE_DU = re.compile(r"(?:factur|fattura|avoir|invoice|rechnung|factuur|\bnr\.?|n[°º]|\bn\.(?=\s))\w*\b.*\b"
                              r"(?:du|vom|of|dated|del|van|de)\s*$",
                              re.I)
_DATE_FAIT_A = re.compile(r"\bfait\s+[àa]\s+[A-ZÀ-Ý][\w'’\- ]{1,40},?\s+le\s*$", re.I)
_DATE_DU = re.compile(r"\b(?:du|vom|dated|del)\s*$", re.I)
_DATE_BAD = re.compile(
    r"[ée]ch[ée]ance|limite|livraison|due|f[äa]llig|expir|valid|d[ée]but|\bfin\b|p[ée]riode|paiement|payment|"
    r"pr[ée]l[èe]vement|commande|order|associ|\bau\b|\bdu\s+\d|leistung|lieferung|zahl|bis|service|prestation|"
    r"r[ée]gler|avant|period|delivery|naissance|vervaldatum|\bfrom\b|\bto\s*$|until|contrat|devis|abonnement|"
    r"cr[ée]ation|\bfait\b|imprim|print|edited|[ée]dit|version|stylesheet|\(c\)|©|sur\s+facture|remplace|annule|d['’]origine|initiale|"
    r"acompte|vers[ée]|\b(?:rue|avenue|av\.|boulevard|bd|place|all[ée]e|chemin|impasse|quai|route|square|cours|via|calle)\b",
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
            if line.row is not None:
                # a date alone in its table cell: its label is the header cell above it
                row_cells = cells(line.row)
                at = next((i for i, c in enumerate(row_cells) if c[3] <= m.start() and m.end() <= c[4]), None)
                cell = row_cells[at] if at is not None else None
                left = row_cells[at - 1][0].rstrip() if at else ""
                labelled_left = left.endswith(":") or _DATE_GOOD.search(left) or _DATE_PLAIN.search(left)
                if cell is not None and not text[cell[3]:m.start()].strip() and not labelled_left:
                    above = cell_above(doc, line, m.start(), m.end())
                    if above:
                        context = above
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
            readings = [r for r in readings if r.year >= 1990]  # "rue du 8 Mai 1945" is an address
            if not readings:
                continue
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
    r"^\W*rechnungskorrektur\b|^\W*nota\s+de\s+cr[ée]dito\b|\bfacture\s+d['’]avoir\b|^\W*nota\s+di\s+credito\b|"
    r"^\W*credit\s+memo\b|^\W*note\s+de\s+cr[ée]dit\b",
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



# ---------------------------------------------------------------- purchase order

_PO_LABELS = [
    (r"(?:bon\s+de\s+commande|n[°º]\s*(?:de\s+)?(?:bon\s+de\s+)?commande|commande\s*n[°º]|"
     r"n[°º]\s*d['’]\s*engagement|num[ée]ro\s+d['’]\s*engagement|engagement\s+juridique|"
     r"r[ée]f(?:[ée]rence)?\.?\s*(?:de\s+)?commande|votre\s+r[ée]f(?:[ée]rence)?\.?\s*commande)"
     r"(?:\s+juridique)?(?:\s*\((?:EJ|BC|PO|BDC)\))?\s*(?:n[°º])?", 5),
    (r"\b(?:purchase\s+order|p\.?o\.?\s*(?:no\b|number|nr\b|#)|order\s+(?:no|number|nr|ref(?:erence)?)|"
     r"bestell-?\s?(?:nr|nummer)|ihre\s+bestellung|bestellnummer|bestellung|inkoopordernummer|pedido|"
     r"order\s*(?:id|nummer)|ordernummer|bestelnummer|n[úu]mero\s+de\s+pedido)(?:\b|(?<=#))\.?", 4),
    (r"\bn[°º]\s*(?:bc|bdc|ej|po|cde|cmd)\b|\b(?:bc|bdc|ej|cde)\s*n[°º]|\buw\s+bestelling|\bsu\s+pedido|"
     r"\bvostro\s+ordine|\bordine\s+n[°.º]?|\bn[°.º]?\s*ordine|\bbestelnr\.?|\border\s*#|\brif\.?\s*ordine|"
     r"\bref\.?\s*pedido|\bn[úu]m\.?\s*pedido", 4),
    # the customer's own reference for the order ("Votre référence PO445")
    (r"\b(?:votre\s+r[ée]f(?:[ée]rence)?|your\s+ref(?:erence)?|ihre\s+referenz|uw\s+referentie|"
     r"su\s+referencia|vostro\s+riferimento|customer\s+reference|r[ée]f[ée]rence\s+client)\b\.?", 3),
    (r"\b(?:engagement|commande|order|ej|po|bc)\b\s*(?:n[°º]|#|no\b)?", 2),
]
_C_PO = [(re.compile(p, re.I), s) for p, s in _PO_LABELS]
_PO_VALUE = re.compile(r"[A-Za-z0-9][A-Za-z0-9/_.\-]*")


def _po_value(rest: str) -> tuple[str, int, int] | None:
    sep = re.match(r"[\s:.#°º\-–]*(?:(?:n[°º]|no\.|nr\.?)(?=\s|:)[\s:.#°º\-–]*)?", rest, re.I)
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
                if re.match(r"\s*(?:date|du\b|le\b|client)", rest, re.I) or re.match(r"[-/_.]\w", rest):
                    continue  # (a label word inside a code: "BC-4533" is a value, not a label)
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
    for found in under_header(doc, lines, _po_value, _order_label_score):
        best = _better(best, found)
    return best


def _order_label_score(label: str) -> float:
    """How surely a header cell names the order / engagement number (0: not at all)."""
    if re.search(r"date|datum|fecha|data\b", label, re.I):
        return 0.0
    for rx, prio in _C_PO:
        m = rx.search(label)
        if m and prio >= 3 and not label[m.end():].strip(" :.#°º"):
            return prio
    return 0.0


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
            return Found(lm.group(1), line.page, lm.group(1), score=5.0)
        weight = 3.0 if (line.page, line.index) in near_totals else 1.0
        for m in _CUR_CODE_RE.finditer(text):
            code = m.group(1)
            counts[code] = counts.get(code, 0) + weight
            first.setdefault(code, Found(code, line.page, code, score=3.0))
        for sym, code in _CUR_SYMBOLS.items():
            n = text.count(sym)
            if sym == "$" and n:
                n = len(re.findall(r"(?:^|[\s(\-−])(?:US)?\$\s?\d|\d\s?\$", text))
            if n:
                counts[code] = counts.get(code, 0) + n * weight
                first.setdefault(code, Found(code, line.page, sym, score=3.0))
        if re.search(r"\beuros?\b", text, re.I):
            counts["EUR"] = counts.get("EUR", 0) + 0.5
            first.setdefault("EUR", Found("EUR", line.page, "euros"))
        if re.search(r"\bRs\.?\s?\d", text):
            counts["INR"] = counts.get("INR", 0) + weight
            first.setdefault("INR", Found("INR", line.page, "Rs", score=3.0))
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
    r"fax|www\.|http|e-?mail|client|customer|destinataire|adress|objet|madame|monsieur|document|fournisseur|due|"
    r"f[äa]llig|[ée]ch[ée]ance|vervaldatum|scadenza|vencimiento|"
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
_RUNNING_HEADER = re.compile(r"^(?P<n>\D{3,60}?)\s+(?:[-–]\s*)?(?:facture|invoice|avoir)\s+(?:n[°º]\s*)?[A-Z0-9/\-]{0,40}\d", re.I)
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


_NAME_TITLE_HEAD = re.compile(r"^(?:facture|invoice|tax\s+invoice|factuur|rechnung|fattura|factura|avoir|gutschrift|"
                              r"credit\s*note|creditnota|nota\s+di\s+credito)\s+(?=\S)", re.I)
_NAME_CONTINUED = re.compile(r"\s*[-–]?\s*\((?:suite|continued|cont\.?|fortsetzung|vervolg|seguito|continuaci[óo]n)\)\s*$",
                             re.I)


def find_seller_name(doc: Document, lines: list[Line], buyer_names: tuple[str, ...]) -> Found | None:
    """The seller's name as printed at the top (see _find_seller_name), without a document
    title printed on the same line or a "(suite)" of a continuation header."""
    found = _find_seller_name(doc, lines, buyer_names)
    if found is None:
        return None
    name = _NAME_CONTINUED.sub("", _NAME_TITLE_HEAD.sub("", found.value)).strip()
    if name != found.value and len(name) > 2:
        return Found(name, found.page, name, locate(doc, found.page, name) or found.box, found.score, found.label)
    return found


def _find_seller_name(doc: Document, lines: list[Line], buyer_names: tuple[str, ...]) -> Found | None:
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
        bare = _LEGAL_TAIL.sub("", name).strip(" ,-–")
        for ln in top:
            t = ln.text.strip()
            if t.lower() == name.lower():
                return found(t, 1)
        if bare and bare != name:
            # "Dupont SARL au capital…" in the footer, "Dupont" at the top: the name as printed there
            for ln in top:
                t = ln.text.strip()
                if t.lower() == bare.lower():
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
        rm = _RUNNING_HEADER.match(line.text.strip()) if len(line.text) < 200 else None
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


_INVOICE_WORD = re.compile(r"\b(?:factur[ae]|facture|invoice|\w*rechnung|\w*factuur|fattura|avoir|gutschrift|credit\s*note|"
                           r"creditnota|nota\s+de\s+cr[ée]dito|nota\s+di\s+credito)\b", re.I)


def has_title(doc: Document, lines: list[Line]) -> bool:
    """Whether page 1 names the document (FACTURE, Invoice, Rechnung…): its type is then read, not assumed."""
    return any(_INVOICE_WORD.search(line.text) for line in lines if line.page == 1 and line.row is None)


_RECEIPT_TITLE = re.compile(r"^\W*(?:re[çc]u|ticket(?:\s+de\s+caisse)?|quittance|(?:sales\s+|payment\s+)?receipt|kassenbon|"
                            r"quittung|kassenzettel|recibo|ricevuta(?:\s+fiscale)?|scontrino|kassabon|kwitantie)\b", re.I)


def is_receipt(doc: Document, lines: list[Line]) -> bool:
    """A till receipt or a « reçu » / « quittance »: titled so, and not titled as an invoice."""
    top = [ln for ln in lines if ln.page == 1 and ln.row is None][:20]
    return any(_RECEIPT_TITLE.match(ln.text) for ln in top) and not any(_INVOICE_WORD.search(ln.text) for ln in top)
