"""Pieces of text shared by layouts: identifiers, buyer block, line rows, totals, legal footer."""
from __future__ import annotations

import random
from decimal import Decimal

from . import fmt
from .canvas import Style
from .model import BUYER_ADDRESS, BUYER_NAME, OFFICE_VAT, Invoice

TITLES = {
    "fr": ("FACTURE", "AVOIR"), "de": ("RECHNUNG", "GUTSCHRIFT"), "nl": ("FACTUUR", "CREDITNOTA"),
    "es": ("FACTURA", "FACTURA RECTIFICATIVA"), "it": ("FATTURA", "NOTA DI CREDITO"),
    "en": ("INVOICE", "CREDIT NOTE"),
}
CREDIT_REF = {"fr": "Avoir sur facture n° %s", "de": "Gutschrift zu Rechnung Nr. %s",
              "nl": "Creditering van factuur %s", "es": "Rectifica la factura nº %s",
              "it": "Storno fattura n. %s", "en": "Credit for invoice %s"}
VAT_LABEL = {"FR": ["TVA intracommunautaire", "N° TVA intracom.", "TVA", "N° TVA"],
             "DE": ["USt-IdNr.", "USt-ID", "Umsatzsteuer-ID"], "NL": ["BTW-nummer", "BTW-nr.", "Btw-id"],
             "BE": ["N° TVA", "TVA", "BTW"], "ES": ["NIF", "CIF", "NIF/IVA"], "IT": ["P.IVA", "Partita IVA"]}
BUYER_SIRET_LABEL = {"fr": ["SIRET : ", "N° SIRET : ", "Siret client : ", "SIRET ", ""],
                     "de": ["SIRET: ", "SIRET-Nr.: "], "nl": ["SIRET: ", "SIRET-nummer: "],
                     "es": ["SIRET: "], "it": ["SIRET: ", "Cod. SIRET: "], "en": ["SIRET: ", "Company no. (SIRET): "]}
OFFICE_VAT_LABEL = {"fr": "N° TVA : ", "de": "USt-IdNr. Kunde: ", "nl": "BTW-nr. klant: ", "es": "NIF cliente: ",
                    "it": "P.IVA cliente: ", "en": "Customer VAT: "}


def title(inv: Invoice) -> str:
    return TITLES[inv.lang][1 if inv.doc_type == "credit_note" else 0]


def seller_vat_text(inv: Invoice, st: Style, rng: random.Random) -> str:
    vat = fmt.format_vat(inv.vat, st.vat_spaced)
    if inv.country == "BE" and rng.random() < 0.5:
        vat = "BE %s.%s.%s" % (inv.vat[2:6], inv.vat[6:9], inv.vat[9:])
    return "%s : %s" % (rng.choice(VAT_LABEL[inv.country]), vat) if inv.lang == "fr" else \
        "%s: %s" % (rng.choice(VAT_LABEL[inv.country]), vat)


def siret_text(inv: Invoice, st: Style, rng: random.Random) -> str:
    return rng.choice(["SIRET : ", "Siret ", "N° SIRET : "]) + fmt.format_siret(inv.siret, st.siret_form)


def seller_id_lines(inv: Invoice, st: Style, rng: random.Random) -> list[str]:
    out = []
    if inv.siret:
        out.append(siret_text(inv, st, rng))
    if inv.vat:
        out.append(seller_vat_text(inv, st, rng))
    return out


def buyer_lines(inv: Invoice, st: Style, rng: random.Random, *, with_siret: bool = True,
                office_vat: bool = False) -> list[str]:
    name = BUYER_NAME
    lines = [name] + ([rng.choice(["Service comptabilité", "À l'attention de Mme Carpentier"])]
                      if rng.random() < 0.3 else []) + BUYER_ADDRESS
    if inv.lang != "fr":
        lines.append("FRANCE")
    if with_siret and inv.buyer_siret:
        form = rng.choice(["compact", "compact", "spaced", "siren_nic"])
        lines.append(rng.choice(BUYER_SIRET_LABEL[inv.lang]) + fmt.format_siret(inv.buyer_siret, form))
    if office_vat:
        lines.append(OFFICE_VAT_LABEL[inv.lang] + OFFICE_VAT)
    return lines


def qty_text(qty: Decimal, st: Style) -> str:
    if qty == qty.to_integral():
        return str(int(qty))
    text = ("%s" % qty.normalize())
    return text if fmt.AMOUNT_STYLES[st.amount][1] == "." else text.replace(".", ",")


def rate_text(rate: Decimal, st: Style) -> str:
    text = ("%s" % rate.normalize()) if rate != rate.to_integral() else str(int(rate))
    return (text if fmt.AMOUNT_STYLES[st.amount][1] == "." else text.replace(".", ",")) + " %"


def line_rows(inv: Invoice, st: Style, *, rate: bool = True, ref: bool = False) -> list[list[str]]:
    rows = []
    for i, line in enumerate(inv.lines):
        row = ([("%03d" % (i + 1))] if ref else []) + [
            line.desc, qty_text(line.qty, st), st.money(inv, line.unit, in_table=True)]
        if rate:
            row.append(rate_text(line.rate, st))
        row.append(st.money(inv, line.amount, in_table=True))
        rows.append(row)
    return rows


TOTAL_LABELS = {
    "fr": [("Total HT", "TVA %s", "Total TTC"), ("Montant HT", "Montant TVA %s", "Montant TTC"),
           ("Total H.T.", "T.V.A. %s", "Total T.T.C."), ("Base HT", "TVA %s", "Net à payer TTC")],
    "de": [("Nettobetrag", "zzgl. %s MwSt.", "Gesamtbetrag"), ("Summe netto", "Umsatzsteuer %s", "Rechnungsbetrag"),
           ("Zwischensumme", "MwSt. %s", "Gesamtsumme brutto")],
    "nl": [("Totaal excl. BTW", "BTW %s", "Totaal incl. BTW"), ("Subtotaal", "Btw %s", "Te betalen")],
    "es": [("Base imponible", "IVA %s", "Total"), ("Base imponible", "Cuota IVA %s", "TOTAL FACTURA")],
    "it": [("Imponibile", "IVA %s", "Totale documento"), ("Totale imponibile", "Totale IVA %s", "Totale fattura")],
    "en": [("Subtotal", "VAT %s", "Amount due"), ("Net total", "VAT @ %s", "Total"),
           ("Total excl. VAT", "VAT %s", "Total incl. VAT")],
}


def totals_rows(inv: Invoice, st: Style, rng: random.Random, *, breakdown_in_totals: bool = True) -> list[tuple[str, str]]:
    ht_l, tva_l, ttc_l = rng.choice(TOTAL_LABELS[inv.lang])
    rows = [(ht_l, st.money(inv, inv.ht))]
    parts = inv.breakdown()
    if len(parts) == 1:
        rows.append((tva_l % rate_text(parts[0][0], st), st.money(inv, inv.tva)))
    else:
        if breakdown_in_totals:
            for rate, _base, vat in parts:
                rows.append((tva_l % rate_text(rate, st), st.money(inv, vat)))
        rows.append(((tva_l % "").replace("  ", " ").strip().rstrip("@").strip() if not breakdown_in_totals
                     else {"fr": "Total TVA", "de": "Summe MwSt.", "nl": "Totaal BTW", "es": "Total IVA",
                           "it": "Totale IVA", "en": "Total VAT"}[inv.lang], st.money(inv, inv.tva)))
    rows.append((ttc_l, st.money(inv, inv.ttc)))
    return rows


def breakdown_rows(inv: Invoice, st: Style) -> list[list[str]]:
    return [[rate_text(rate, st), st.money(inv, base, in_table=True), st.money(inv, vat, in_table=True),
             st.money(inv, base + vat, in_table=True)] for rate, base, vat in inv.breakdown()]


def deposit_rows(inv: Invoice, st: Style, rng: random.Random) -> list[tuple[str, str]]:
    if not inv.deposit:
        return []
    label = rng.choice(["Acompte versé", "Acompte reçu", "Déjà réglé (acompte)"])
    if inv.date and rng.random() < 0.5:
        label += " le " + fmt.format_date(inv.date.replace(day=1), "dmy_slash", "fr")
    return [(label, st.money(inv, -inv.deposit)), (rng.choice(["Net à payer", "Reste à payer", "Solde dû"]),
                                                  st.money(inv, inv.ttc - inv.deposit))]


def fr_legal_footer(inv: Invoice, st: Style, rng: random.Random) -> list[str]:
    form = inv.seller_name.split()[-1]
    parts = [inv.seller_name]
    if form in ("SARL", "SAS", "EURL", "SA"):
        parts.append("%s au capital de %s €" % (form, inv.capital))
    parts.append("RCS %s %s" % (inv.rcs_city, fmt.format_siret(inv.siret, "spaced")[:11]))
    parts.append("SIRET %s" % fmt.format_siret(inv.siret, st.siret_form))
    parts.append("APE %s" % inv.ape)
    if inv.vat:
        parts.append("TVA %s" % fmt.format_vat(inv.vat, st.vat_spaced))
    penalty = ("En cas de retard de paiement, pénalités au taux de 3 fois le taux d'intérêt légal et "
               "indemnité forfaitaire pour frais de recouvrement de 40 €. Pas d'escompte pour paiement anticipé.")
    return [" - ".join(parts[:3]), " - ".join(parts[3:]), penalty]


def bank_lines(inv: Invoice, rng: random.Random, lang: str = "fr") -> list[str]:
    if not inv.iban:
        return []
    from .ids import fr_rib_line, group4
    iban = group4(inv.iban) if rng.random() < 0.6 else inv.iban
    head = {"fr": "Coordonnées bancaires", "de": "Bankverbindung", "nl": "Bankgegevens", "es": "Datos bancarios",
            "it": "Coordinate bancarie", "en": "Bank details"}[lang]
    out = [head, "IBAN : %s" % iban if lang == "fr" else "IBAN: %s" % iban, "BIC : %s" % inv.bic]
    if inv.iban.startswith("FR") and rng.random() < 0.3:
        out.append("RIB : %s %s %s %s" % fr_rib_line(inv.iban))
    return out
