"""Identifier candidates: SIRET, SIREN, VAT and IBAN, ranked by their labels, their check
digits and whose block they sit in (the seller's or the customer's)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .extract import Document
from .pairing import _SP, Found, Line, _better, _box, locate
from .parsing import SPACES, compact, digits, iban_valid, near_miss, siren_valid, siret_valid
from .report import Box

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


def _in_buyer_block(doc: Document, cand: IdCand, buyer_names: tuple[str, ...]) -> bool:
    """Printed in the customer's block: under the office's name, in the same column, a few
    lines down (the office's address block then its identifiers)."""
    if cand.box is None:
        return False
    for name in buyer_names:
        head = " ".join(name.split()[:2])
        nb = locate(doc, cand.page, head) if head else None
        if nb is not None and nb.x0 - 25 < cand.box.x0 < max(nb.x1, nb.x0 + 150) and 0 < cand.box.top - nb.top < 110:
            return True
    return False


def find_sirets(doc: Document, lines: list[Line], office_siret: str,
                buyer_names: tuple[str, ...] = ()) -> tuple[Found | None, Found | None]:
    """(seller SIRET, buyer SIRET)."""
    cands = _siret_cands(lines, office_siret)
    in_block = {c.digits for c in cands if not c.buyer and _in_buyer_block(doc, c, buyer_names)}
    if in_block:
        cands = [IdCand(c.digits, c.page, c.raw, c.box, c.labelled, c.buyer or c.digits in in_block, c.order, c.context)
                 for c in cands]
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
        return Found(c.digits, c.page, c.raw, c.box, 1.0 if c.labelled else 0.0, label=c.context) if c else None

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
# Separators inside VAT numbers: spaces, and dots in Belgian and Dutch prints ("BE 0453.620.302").
_VSEP = f"[{SPACES}.]"
_VAT_FR = re.compile(rf"(?<![\w])FR{_VSEP}?([0-9A-HJ-NP-Z]{{2}})((?:{_VSEP}?\d){{9}})(?![\d.]\d|\d)")
_VAT_ANY = re.compile(rf"(?<![\w])(?:{_EU}){_SP}?[0-9A-Z](?:{_VSEP}?[0-9A-Z]){{7,11}}(?![\w]|\.\d)")
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
        for got in _iter_vats(text, line.prev):
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


def _iter_vats(text: str, prev: str = ""):
    seen = set()
    for rx in (_VAT_FR, _VAT_ANY):
        for m in rx.finditer(text):
            if m.start() in seen:
                continue
            seen.add(m.start())
            # the label is before the number on its line, or alone on the line above
            before = text[max(0, m.start() - 45):m.start()] if text[:m.start()].strip() else prev[-45:]
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


