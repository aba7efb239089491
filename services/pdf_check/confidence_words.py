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


# The rule ids the analysis writes in Field.rule (confidence.py, totals.py, analyse.py); a
# "a+b" id is said part by part. An id missing here is never shown.
RULE_WORDS = {
    "facturx": "repris des données Factur-X jointes au PDF",
    "page": "et le même montant est écrit sur la page",
    "label": "écrit juste après son libellé",
    "weak-label": "écrit après un libellé peu clair",
    "no-label": "trouvé sans libellé",
    "sum": "le total HT plus la TVA donne bien le TTC",
    "labels-only": "chaque total lu après son libellé, sans que le calcul le confirme",
    "sum-only": "trois montants de la page qui tombent juste, sans libellé de total clair",
    "vat-breakdown": "la TVA est la somme des lignes du tableau de TVA",
    "ht=ttc-tva": "le total HT est le TTC moins la TVA",
    "no-vat": "pas de TVA : le total HT est égal au TTC",
    "checksum": "la clé de contrôle du numéro est juste",
    "checksum-only": "reconnu à sa clé de contrôle, sans libellé",
    "shape-only": "reconnu à sa forme seule, sans libellé",
    "office-siret": "c'est le SIRET de l'office",
    "code": "d'après le code ou le symbole de la monnaie",
    "word": "d'après le mot « euros » écrit sur la facture",
    "title": "d'après le titre du document",
    "default": "aucun titre « Avoir » : une facture par défaut",
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


# « checked » says which check, when the field tells it.
_CHECKED_BY = {
    "total_ht": "lu après son libellé et vérifié par le calcul",
    "total_tva": "lu après son libellé et vérifié par le calcul",
    "total_ttc": "lu après son libellé et vérifié par le calcul",
    "seller_siret": "lu après son libellé et vérifié par la clé de contrôle",
    "seller_siren": "lu après son libellé et vérifié par la clé de contrôle",
    "seller_vat": "lu après son libellé et vérifié par la clé de contrôle",
    "buyer_siret": "lu après son libellé et vérifié par la clé de contrôle",
    "iban": "lu après son libellé et vérifié par la clé de contrôle",
}
# Rule parts the confidence words already say, so « why » adds only what is new.
_SAID_BY_LABEL = ("label", "facturx", "xml")
_SAID_BY_CHECK_DIGIT = ("checksum", "check_digit", "luhn")


def confidence_words(found: Field, name: str | None = None) -> str | None:
    """« lu après son libellé »…; None when there is no value. With the field's `name`, « checked »
    says whether the calculation or the check digit confirmed it."""
    if found.value is None:
        return None
    if found.confidence == "checked" and name in _CHECKED_BY:
        return _CHECKED_BY[name]
    if found.confidence in CONFIDENCE_WORDS:
        return CONFIDENCE_WORDS[found.confidence]
    return SOURCE_WORDS.get(found.source or "")


def rule_words(rule: str | None, *, omit: tuple[str, ...] = ()) -> str | None:
    """The rule in French, or None for no rule or an id we do not know (never show a raw id).
    `omit`: parts the caller already says (« label » next to « lu après son libellé »)."""
    if not rule:
        return None
    key = rule.strip().lower()
    parts = [p.strip() for p in key.split("+")] if key not in RULE_WORDS else [key]
    if any(p not in RULE_WORDS for p in parts):
        return None
    words: list[str] = []
    for part in parts:
        if part not in omit and RULE_WORDS[part] not in words:
            words.append(RULE_WORDS[part])
    return ", et ".join(words) or None


def rule_beyond(found: Field, name: str | None = None) -> str | None:
    """The rule's words without what `confidence_words(found, name)` already says (« after its
    label », « by the check digit »); None when nothing is left. Which calculation confirmed a
    total is kept: « vérifié par le calcul » alone does not say it."""
    said: tuple[str, ...] = ()
    if found.confidence in ("labelled", "checked", "facturx"):
        said = _SAID_BY_LABEL
    if found.confidence == "checked":
        words = confidence_words(found, name) or ""
        said += _SAID_BY_CHECK_DIGIT if "clé de contrôle" in words else ()
    return rule_words(found.rule, omit=said)


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
