"""The totals solver: from the amount candidates (amounts.py), the (HT, TVA, TTC) triple that
adds up. Labels guide the choice; arithmetic settles it."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace
from decimal import Decimal

from .amounts import AmountCand, _amount_cands
from .extract import Document
from .pairing import Line, _box
from .parsing import AMOUNT_RE, amount_from_match

CENT = Decimal("0.01")
# A candidate whose label names its kind outright ("Total HT", "Total TVA", "Total TTC",
# "Gesamtbetrag", "Amount due"...) scores at least this much (see the label tables in amounts.py).
STRONG = 3.9


@dataclass(frozen=True)
class Totals:
    """The chosen totals, how sure the solver is, and why it chose them."""

    ht: AmountCand | None
    tva: AmountCand | None
    ttc: AmountCand | None
    confidence: str | None  # checked | labelled | guessed | None (nothing found)
    rule: str  # which rule chose them: label+sum, vat-breakdown, ht=ttc-tva, no-vat, labels-only, sum-only…
    # Candidates that disagree (the strongest labels do not add up, several values for one
    # label...): the supplier is asked to check; never an error.
    uncertain: bool = False

    def __getitem__(self, key: str) -> AmountCand | None:  # totals["ttc"], as before
        return {"ht": self.ht, "tva": self.tva, "ttc": self.ttc}[key]


def _printed_at(c: AmountCand) -> tuple:
    if c.pos >= 0:
        return (c.line_key, c.pos)
    return (c.line_key, round(c.box.x0) if c.box is not None else c.value)


def _adds_up(ht: AmountCand, tva: AmountCand, ttc: AmountCand) -> bool:
    """HT + TVA = TTC to the cent. Signs aside on a credit note (a negative TTC): it may print
    "(1 250,00)" beside "-1 500,00", and the analysis makes all its totals negative afterwards.
    Under a positive TTC, a negative HT or VAT is a dash misread as a minus: no match."""
    if ttc.value > 0 and (ht.value < 0 or tva.value < 0):
        return False
    h, t, c = abs(ht.value), abs(tva.value), abs(ttc.value)
    if abs(h + t - c) > CENT or c == 0 or h == 0:
        return False
    # no EU VAT rate exceeds 27 %: a "VAT" larger than that share of the HT is the HT itself
    return t < c and h <= c and not (h == t) and t <= h * Decimal("0.28") + CENT


def _best_per_value(cands: list[AmountCand], keep: int = 7) -> list[AmountCand]:
    best: dict[Decimal, AmountCand] = {}
    for c in cands:
        if c.value not in best or c.score > best[c.value].score:
            best[c.value] = c
    return sorted(best.values(), key=lambda c: -c.score)[:keep]


def find_totals(doc: Document, lines: list[Line]) -> Totals:
    """Choose (HT, TVA, TTC): the best-labelled triple that adds up to the cent; failing that,
    the labels alone (marked uncertain when they disagree); failing labels, a triple of
    unlabelled amounts that adds up (guessed)."""
    cands = _amount_cands(doc, lines)
    # One printed amount has one meaning: the kind whose label reads it best
    # ("Montant TVA Montant HT 7 345,90" is an HT, not also a VAT amount).
    # (keyed on where the amount is printed: "Total HT 100,00  Total TTC 100,00" holds two amounts)
    owner: dict[tuple, AmountCand] = {}
    for c in cands:
        key = _printed_at(c)
        if key not in owner or c.score > owner[key].score:
            owner[key] = c
    by_kind: dict[str, list[AmountCand]] = {"ht": [], "tva": [], "ttc": []}
    for c in cands:
        if c.line_key[1] == -1 or owner[_printed_at(c)].kind == c.kind:
            by_kind[c.kind].append(c)
    hts, tvas, ttcs = (_best_per_value(by_kind[k]) for k in ("ht", "tva", "ttc"))

    # 1. labelled triples that add up: arithmetic settles, labels rank
    best, best_score = None, float("-inf")
    for ht, tva, ttc in itertools.product(hts, tvas, ttcs):
        if ttc.value > 0 and (ht.value < 0 or tva.value < 0):
            # "Total HT - 100,00": a dash between label and amount, not a minus
            ht, tva = replace(ht, value=abs(ht.value)), replace(tva, value=abs(tva.value))
        if _adds_up(ht, tva, ttc):
            score = ht.score + tva.score + ttc.score
            if score > best_score:
                best, best_score = (ht, tva, ttc), score
    if best is not None:
        ht, tva, ttc = best
        rule = "vat-breakdown" if tva.line_key[1] == -1 else "label+sum"
        return Totals(ht, tva, ttc, "checked", rule)

    top_ht, top_tva, top_ttc = (xs[0] if xs else None for xs in (hts, tvas, ttcs))
    # 2. no VAT printed: HT and TTC equal ("TVA non applicable, art. 293 B du CGI")
    if top_ht and top_ttc and not tvas:
        pair = next(((h, t) for h in hts for t in ttcs if h.value == t.value), None)
        if pair:
            return Totals(pair[0], None, pair[1], "checked", "no-vat")
    # 3. TTC and TVA only: HT is their difference
    if top_ttc and top_tva and not hts and top_tva.via == "label" and abs(top_tva.value) < abs(top_ttc.value):
        ht = AmountCand("ht", top_ttc.value - top_tva.value, "", top_ttc.page, 0, None, top_ttc.line_key)
        return Totals(ht, top_tva, top_ttc, "labelled", "ht=ttc-tva")
    # 4. labelled totals a few cents off: a misreading is never that close, a rounding or typing
    #    error in the invoice is. Sure enough to say the totals do not add up.
    near = _near_miss(hts, tvas, ttcs)
    if near is not None:
        return Totals(*near, "labelled", "labels-near-sum")
    # 5. labels without arithmetic: sure only when each label is strong and unambiguous
    if top_ttc or top_ht:
        chosen = [c for c in (top_ht, top_tva, top_ttc) if c is not None]
        ambiguous = any(len([c for c in xs if c.score >= STRONG and c.via == "label"]) > 1 for xs in (hts, tvas, ttcs))
        weak = any(c.score < STRONG or c.via != "label" for c in chosen)
        complete = top_ht is not None and top_ttc is not None
        sure = complete and not ambiguous and not weak
        guess = _unlabelled_triple(doc, lines, top_ttc) if not sure else None
        if guess is not None:
            return Totals(*guess, "guessed", "sum-only", uncertain=True)
        return Totals(top_ht, top_tva, top_ttc, "labelled" if sure else "guessed",
                      "labels-only", uncertain=not sure)
    # 6. no totals label at all: three printed amounts that add up
    guess = _unlabelled_triple(doc, lines, None)
    if guess is not None:
        return Totals(*guess, "guessed", "sum-only", uncertain=True)
    return Totals(None, None, None, None, "none")


NEAR = Decimal("0.05")


def _near_miss(hts: list[AmountCand], tvas: list[AmountCand], ttcs: list[AmountCand]):
    """The best-labelled triple whose HT + TVA misses the TTC by 1 to 5 cents."""
    best, best_score = None, float("-inf")
    for ht, tva, ttc in itertools.product(hts[:3], tvas[:4], ttcs[:3]):
        h, v, c = abs(ht.value), abs(tva.value), abs(ttc.value)
        if CENT <= abs(h + v - c) <= NEAR and v <= h * Decimal("0.28") + NEAR and h < c:
            score = ht.score + tva.score + ttc.score
            if score > best_score:
                best, best_score = (ht, tva, ttc), score
    return best


def _unlabelled_triple(doc: Document, lines: list[Line], ttc_hint: AmountCand | None):
    """Three amounts printed on the invoice (positioned rows of the last pages first) with
    a + b = c, c the largest: the totals block of a layout whose labels we do not know."""
    values: dict[Decimal, AmountCand] = {}
    npages = len(doc.pages)
    for line in lines:
        if line.row is None:
            continue
        for m in AMOUNT_RE.finditer(line.text):
            v = amount_from_match(m)
            if v is None or v == 0:
                continue
            score = 0.3 * (line.page - npages) + line.index * 1e-5
            prev = values.get(v)
            if prev is None or score > prev.score:
                values[v] = AmountCand("?", v, m.group(0), line.page, score, _box(line, m.start(), m.end()),
                                       (line.page, line.index))
    if len(values) > 60:  # a long list of line amounts: keep the latest ones
        values = dict(sorted(values.items(), key=lambda kv: -kv[1].score)[:60])
    amounts = sorted(values.values(), key=lambda c: -abs(c.value))
    for ttc in amounts[:6]:
        if ttc_hint is not None and ttc.value != ttc_hint.value:
            continue
        for tva in amounts:
            if abs(tva.value) >= abs(ttc.value) / 2:
                continue
            ht_value = ttc.value - tva.value
            ht = values.get(ht_value)
            if ht is not None and ht is not tva:
                return (AmountCand("ht", ht.value, ht.raw, ht.page, 0, ht.box, ht.line_key),
                        AmountCand("tva", tva.value, tva.raw, tva.page, 0, tva.box, tva.line_key),
                        AmountCand("ttc", ttc.value, ttc.raw, ttc.page, 0, ttc.box, ttc.line_key))
    return None
