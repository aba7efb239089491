"""Chorus Pro's reading of the invoice, field by field (domain facts 1.1).

Chorus Pro pre-fills only some fields of its « Déposer facture » form from a PDF (invoice
number, date, recipient SIRET, service code, supplier, currency, facture/avoir, type de TVA,
order/engagement number, HT, TVA, TTC, net à payer), and reads them better after keywords
such as « SIRET client » or « Engagement ». Mode de règlement, bank details and the cadre de
facturation are always typed by hand. `chorus_prefill` tells the page which is which.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from services.office import Office, get_office

from .parsing import french_amount
from .report import Report

PrefillStatus = Literal["prefilled", "to_type", "always_typed"]

# Keywords after which Chorus Pro's recognition finds the recipient's SIRET (AIFE's advice).
_BUYER_KEYWORD = re.compile(r"siret\s*(?:du\s+)?(?:client|dest\w*|acheteur)|client|destinataire|minist[èe]re", re.I)


@dataclass(frozen=True)
class PrefillRow:
    key: str  # report field name, or a form-only key (cadre, payment_mode, bank, is_state, service_code, vat_type)
    label: str  # as on Chorus Pro's form
    value: str | None  # what Chorus Pro will show (pre-filled), or what to type
    status: PrefillStatus
    hint: str  # French: what to check, type, or add to the invoice so Chorus Pro reads it


def _date_fr(iso: str | None) -> str | None:
    if not iso:
        return None
    y, m, d = iso.split("-")
    return f"{d}/{m}/{y}"


def chorus_prefill(report: Report, office: Office | None = None) -> tuple[PrefillRow, ...]:
    office = office or get_office()
    f = report.fields
    facturx = report.pdf.facturx is not None and report.pdf.facturx.valid
    blocked = report.verdict == "blocked"

    def row(key: str, label: str, value: str | None, add_hint: str, ok_hint: str = "Vérifiez la valeur.") -> PrefillRow:
        if blocked or not value:
            return PrefillRow(key, label, value if not blocked else None, "to_type", add_hint)
        return PrefillRow(key, label, value, "prefilled", ok_hint)

    v = {k: fld.value for k, fld in f.items()}
    rows: list[PrefillRow] = []
    rows.append(PrefillRow("is_state", "Le destinataire est-il l'État ?", office.recipient_is_state_answer,
                           "always_typed", f"Répondez « {office.recipient_is_state_answer} », comme l'indique l'office."))
    buyer = v.get("buyer_siret")
    buyer_field = f.get("buyer_siret")
    keyword = bool(buyer_field and (buyer_field.source == "facturx" or _BUYER_KEYWORD.search(buyer_field.label or "")))
    if buyer == office.siret and not blocked and keyword:
        rows.append(PrefillRow("buyer_siret", "SIRET du destinataire", office.siret, "prefilled",
                               f"Vérifiez que le destinataire choisi est bien « {office.name} »."))
    elif buyer == office.siret and not blocked:
        # The right number, but without a keyword Chorus Pro's recognition may miss it (domain facts 1.1).
        rows.append(PrefillRow("buyer_siret", "SIRET du destinataire", office.siret, "to_type",
                               f"Le SIRET de l'office est bien sur la facture, mais sans mot-clé Chorus Pro risque de ne "
                               f"pas le reconnaître : écrivez « SIRET client : {office.siret} ». Sinon, tapez-le puis "
                               f"choisissez « {office.name} »."))
    else:
        hint = (f"Tapez {office.siret} puis choisissez « {office.name} ». Pour que Chorus Pro le remplisse tout seul, "
                f"ajoutez sur la facture « SIRET client : {office.siret} ».")
        if buyer and buyer != office.siret:
            hint = f"Le SIRET écrit sur la facture ({buyer}) est faux. " + hint
        rows.append(PrefillRow("buyer_siret", "SIRET du destinataire", office.siret, "to_type", hint))
    rows.append(PrefillRow("service_code", "Code service", None, "to_type",
                           "Laissez vide, sauf si l'office vous a donné un code service."))
    rows.append(PrefillRow("cadre", "Cadre de facturation", f"{office.cadre_facturation} – {office.cadre_facturation_label}",
                           "always_typed", "Chorus Pro ne le lit jamais sur le PDF : choisissez-le dans la liste."))
    rows.append(row("invoice_number", "Numéro de facture", v.get("invoice_number"),
                    "Tapez le numéro. Pour qu'il soit lu, écrivez « Facture n° » suivi du numéro sur la facture."))
    rows.append(row("invoice_date", "Date de facture", _date_fr(v.get("invoice_date")),
                    "Tapez la date. Pour qu'elle soit lue, écrivez « Date de facture : jj/mm/aaaa »."))
    doc_type = {"invoice": "Facture", "credit_note": "Avoir"}.get(v.get("doc_type") or "")
    rows.append(row("doc_type", "Type de facture", doc_type, "Choisissez « Facture » ou « Avoir ».",
                    "Vérifiez : « Facture », ou « Avoir » pour un remboursement."))
    rows.append(row("currency", "Devise", v.get("currency"), "Choisissez « EUR ».", "Doit être EUR."))
    rows.append(row("purchase_order", "Numéro de bon de commande / engagement", v.get("purchase_order"),
                    "Tapez-le si l'office vous en a donné un. Pour qu'il soit lu, écrivez « Engagement : » ou "
                    "« Commande n° » suivi du numéro sur la facture."))
    rows.append(PrefillRow("vat_type", "Type de TVA", None, "to_type",
                           "Vérifiez le choix proposé : « TVA sur débits », « TVA sur encaissements », « Exonération » ou « Sans TVA »."))
    for key, label in (("total_ht", "Montant HT"), ("total_tva", "Montant TVA"), ("total_ttc", "Montant TTC")):
        amount = v.get(key)
        shown = french_amount(amount.lstrip("-")) if amount else None
        rows.append(row(key, label, shown, f"Tapez le montant. Pour qu'il soit lu, écrivez « {label.replace('Montant', 'Total')} » suivi du montant.",
                        "Pour un avoir, Chorus Pro affiche les montants sans signe moins." if v.get("doc_type") == "credit_note" else "Vérifiez le montant."))
    ttc = v.get("total_ttc")
    rows.append(row("net_a_payer", "Net à payer", french_amount(ttc.lstrip("-")) if ttc else None,
                    "Tapez le net à payer (le TTC moins les acomptes déjà versés).",
                    "Vérifiez : s'il y a un acompte déjà versé, le net à payer est plus petit que le TTC."))
    rows.append(PrefillRow("payment_mode", "Mode de règlement", "Virement", "always_typed",
                           "Chorus Pro ne le lit jamais sur le PDF : choisissez « Virement » dans la liste."))
    rows.append(PrefillRow("iban", "Coordonnées bancaires", v.get("iban"), "always_typed",
                           "Chorus Pro ne les lit pas sur le PDF : choisissez ou ajoutez votre IBAN dans votre compte Chorus Pro."))
    if facturx and not blocked:
        rows = [r if r.status != "prefilled" else PrefillRow(r.key, r.label, r.value, r.status,
                                                             r.hint + " (lu dans le Factur-X)") for r in rows]
    return tuple(rows)
