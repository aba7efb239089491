"""How sure the checker is of each value it read, and which rule chose it.

Levels (report.Confidence): "checked" (after its label AND confirmed by a check digit, by the
office's own SIRET or by totals that add up), "labelled" (after its label), "guessed" (without
a label: the supplier should check it). Factur-X values get "facturx" when merged (analyse.py).
The finders' scores come from their label tables: the thresholds below say where a real label
ends and a guess begins.
"""

from __future__ import annotations

from .pairing import Found
from .parsing import iban_valid, siren_valid, siret_valid

# find_invoice_number: label tables score 4-5, a title "FACTURE F-001" 3, a value under a lone
# title 2.5, a bare "Numéro :" 2 (each less 0.2 when read on a positioned row); "… Facture F-001
# (suite)" in a running header 1.5.
NUMBER_LABELLED = 1.6
# find_invoice_date: "Date de facture" 5, "Facture … du" 4, "Date :" 3.5, "Fait à …, le" 3;
# "du" alone 2 (less 0.3 for page and row); no label 1, another label 0.5.
DATE_LABELLED = 1.6
# find_purchase_order: "Bon de commande", "N° d'engagement" 5, "Order no" 4; a bare "Commande" 2.
ORDER_LABELLED = 3.0


def field_confidence(name: str, found: Found, office_siret: str = "") -> tuple[str, str]:
    """(confidence, rule) of a value found in the text."""
    score = found.score
    if name == "invoice_number":
        return ("labelled", "label") if score >= NUMBER_LABELLED else ("guessed", "weak-label")
    if name == "invoice_date":
        return ("labelled", "label") if score >= DATE_LABELLED else ("guessed", "weak-label")
    if name == "purchase_order":
        return ("labelled", "label") if score >= ORDER_LABELLED else ("guessed", "weak-label")
    if name == "buyer_siret":
        if found.value == office_siret:
            return "checked", "office-siret"
        return ("labelled", "label") if score > 0 else ("guessed", "no-label")
    if name == "seller_siret":
        if score > 0:
            return ("checked", "label+checksum") if siret_valid(found.value) else ("labelled", "label")
        return "guessed", "checksum-only"
    if name == "seller_siren":
        return ("checked", "label+checksum") if siren_valid(found.value) else ("labelled", "label")
    if name == "seller_vat":
        if score >= 2:
            return "checked" if _vat_valid(found.value) else "labelled", "label"
        return ("checked", "checksum-only") if _vat_valid(found.value) else ("guessed", "shape-only")
    if name == "iban":
        return ("checked", "checksum") if iban_valid(found.value) else ("labelled", "label")
    if name == "currency":
        return ("labelled", "code") if score >= 3 else ("guessed", "word")
    return "labelled", "label"


def _vat_valid(vat: str) -> bool:
    try:
        from stdnum.eu import vat as eu_vat

        return bool(eu_vat.is_valid(vat))
    except Exception:  # noqa: BLE001 - unknown country
        return False
