"""The totals solver: from the amount candidates (amounts.py), the (HT, TVA, TTC) triple that
adds up. Labels guide the choice; arithmetic settles it."""

from __future__ import annotations

import itertools
from decimal import Decimal

from .amounts import AmountCand, _amount_cands
from .extract import Document
from .pairing import Line

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


