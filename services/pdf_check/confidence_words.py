"""How sure the checker is of each value, in plain French: for the page and the command line.

The analysis gives each field a `confidence` and the id of the `rule` that chose it
(services/pdf_check/report.py). This file only turns them into words a supplier understands.
Unknown rule ids get no words (None): the page then says nothing about the rule rather than
showing an id. Plain Python: no Streamlit.
"""

from __future__ import annotations

from .report import Field, Issue

# One phrase per confidence level, from surest to least sure.
CONFIDENCE_WORDS = {
    "facturx": "lu dans les données Factur-X",
    "checked": "lu après son libellé et vérifié par le calcul ou la clé de contrôle",
    "labelled": "lu après son libellé",
    "guessed": "deviné sans libellé : à vérifier",
}
# When the analysis gave no confidence (older reports): what we know from the source alone.
SOURCE_WORDS = {"facturx": "lu dans les données Factur-X", "text": "lu dans le texte de la facture"}

# Rule ids -> French. A compound id ("label+sum") is read part by part; any unknown part: no words.
RULE_WORDS = {
    "facturx": "repris des données Factur-X jointes au PDF",
    "xml": "repris des données Factur-X jointes au PDF",
    "label": "écrit juste après son libellé",
    "label_below": "écrit sous son libellé",
    "below_label": "écrit sous son libellé",
    "keyword": "écrit après un mot-clé",
    "sum": "le total HT plus la TVA donne bien le TTC",
    "sums": "le total HT plus la TVA donne bien le TTC",
    "totals": "le total HT plus la TVA donne bien le TTC",
    "arithmetic": "le total HT plus la TVA donne bien le TTC",
    "checksum": "la clé de contrôle du numéro est juste",
    "check_digit": "la clé de contrôle du numéro est juste",
    "luhn": "la clé de contrôle du numéro est juste",
    "office": "c'est le SIRET de l'office",
    "office_siret": "c'est le SIRET de l'office",
    "table": "lu dans le tableau des totaux",
    "table_total": "lu dans le tableau des totaux",
    "column": "lu dans la colonne de son tableau",
    "position": "trouvé par sa place sur la page, sans libellé",
    "shape": "trouvé par sa forme seule, sans libellé",
    "largest": "le plus grand montant de la facture",
    "largest_amount": "le plus grand montant de la facture",
    "last": "le dernier montant de la facture",
    "last_amount": "le dernier montant de la facture",
    "first": "le premier trouvé sur la facture",
    "only": "le seul trouvé sur la facture",
    "only_candidate": "le seul trouvé sur la facture",
    "title": "écrit sous le titre « Facture »",
    "symbol": "d'après le symbole de la monnaie",
    "default": "valeur par défaut",
}

# The field's name with its article, to write « Vérifiez le total TTC ».
FIELD_THE = {
    "invoice_number": "le numéro de facture", "invoice_date": "la date de facture", "doc_type": "le type de document",
    "seller_name": "le nom du fournisseur", "seller_siret": "le SIRET du fournisseur",
    "seller_siren": "le SIREN du fournisseur", "seller_vat": "le numéro de TVA du fournisseur",
    "buyer_siret": "le SIRET du client", "total_ht": "le total HT", "total_tva": "le total TVA",
    "total_ttc": "le total TTC", "currency": "la devise", "purchase_order": "le numéro d'engagement",
    "iban": "l'IBAN",
}


def confidence_words(found: Field) -> str | None:
    """« lu après son libellé »…; None when there is no value."""
    if found.value is None:
        return None
    if found.confidence in CONFIDENCE_WORDS:
        return CONFIDENCE_WORDS[found.confidence]
    return SOURCE_WORDS.get(found.source or "")


def rule_words(rule: str | None) -> str | None:
    """The rule in French, or None for no rule or an id we do not know (never show a raw id)."""
    if not rule:
        return None
    key = rule.strip().lower()
    if key in RULE_WORDS:
        return RULE_WORDS[key]
    parts = [p.strip() for p in key.split("+")]
    if len(parts) < 2 or any(p not in RULE_WORDS for p in parts):
        return None
    words: list[str] = []
    for part in parts:
        if RULE_WORDS[part] not in words:
            words.append(RULE_WORDS[part])
    return ", et ".join(words)


def is_uncertainty(issue: Issue) -> bool:
    """An uncertain_* warning: the checker read something but cannot tell it is the right value."""
    return issue.code.startswith("uncertain_") and issue.severity != "error"


# uncertain_* codes that name no field (Issue.field empty): the fields they are about.
_FIELDS_BY_CODE = {
    "uncertain_totals": ("total_ht", "total_tva", "total_ttc"), "uncertain_date": ("invoice_date",),
    "uncertain_invoice_number": ("invoice_number",), "uncertain_seller_siret": ("seller_siret",),
    "uncertain_buyer_siret": ("buyer_siret",), "uncertain_currency": ("currency",),
    "uncertain_purchase_order": ("purchase_order",),
}


def uncertain_fields(issue: Issue) -> tuple[str, ...]:
    """The fields an uncertain_* warning is about (its `field`, else what its code names)."""
    if not is_uncertainty(issue):
        return ()
    if issue.field:
        return (issue.field,)
    return _FIELDS_BY_CODE.get(issue.code, (issue.code.removeprefix("uncertain_"),))
