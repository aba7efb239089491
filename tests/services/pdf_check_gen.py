"""Invoices generated with fpdf2 in layouts the corpus never shows, to guard generality."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from fpdf import FPDF

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
NNBSP, NBSP = "\u202f", "\u00a0"


@dataclass
class Truth:
    invoice_number: str = "FV-7781/B"
    invoice_date: str = "2025-03-14"
    doc_type: str = "invoice"
    seller_name: str = "Brasserie des Deux Puits SARL"
    seller_siret: str = "12672885600330"
    seller_vat: str = "FR27126728856"
    buyer_siret: str = "80938923200020"
    total_ht: str = "12480.50"
    total_tva: str = "2496.10"
    total_ttc: str = "14976.60"
    currency: str = "EUR"
    purchase_order: str = "EJ2025-00431"
    iban: str = "FR7630003454053157829828259"
    extra: dict = field(default_factory=dict)

    def expected(self, **overrides) -> dict[str, str | None]:
        names = ("invoice_number", "invoice_date", "doc_type", "seller_name", "seller_siret", "seller_siren",
                 "seller_vat", "buyer_siret", "total_ht", "total_tva", "total_ttc", "currency", "purchase_order", "iban")
        out = {n: getattr(self, n) for n in names if n != "seller_siren"}
        out["seller_siren"] = self.seller_siret[:9] if self.seller_siret else None
        out = {n: out[n] for n in names}
        out.update(overrides)
        return out


def _pdf() -> FPDF:
    pdf = FPDF(format="A4", unit="pt")
    pdf.set_auto_page_break(False)
    pdf.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.set_font("DejaVu", size=10)
    return pdf


def fr_amount(value: str, sep: str = NNBSP) -> str:
    whole, frac = value.lstrip("-").split(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return ("-" if value.startswith("-") else "") + sep.join(groups) + "," + frac


def _text(pdf: FPDF, x: float, y: float, s: str, size: float = 10, bold: bool = False) -> None:
    pdf.set_font("DejaVu", "B" if bold else "", size)
    pdf.text(x, y, s)


def labels_left_grid(t: Truth) -> bytes:
    """Labels in a left column, values far to the right in a second column; seller at the bottom only."""
    pdf = _pdf()
    pdf.add_page()
    _text(pdf, 40, 60, "DOCUMENT COMPTABLE", 16, True)
    rows = [
        ("Numéro de la facture", t.invoice_number),
        ("Émise le", "14 mars 2025"),
        ("Engagement juridique", t.purchase_order),
        ("SIRET client", " ".join([t.buyer_siret[:3], t.buyer_siret[3:6], t.buyer_siret[6:9], t.buyer_siret[9:]])),
    ]
    y = 110
    for label, value in rows:
        _text(pdf, 40, y, label)
        _text(pdf, 330, y, value)
        y += 22
    _text(pdf, 40, 230, "OFFICE TOURISME ET PATRIMOINE DE LA CALL, 62300 LENS")
    _text(pdf, 40, 280, "Prestation de services : animation d'ateliers brassicoles (forfait)")
    y = 600
    for label, value in (("Base hors taxes", t.total_ht), ("Montant de la TVA (20 %)", t.total_tva),
                         ("Total TTC", t.total_ttc)):
        _text(pdf, 300, y, label)
        _text(pdf, 470, y, fr_amount(value, NBSP) + NBSP + "€")
        y += 20
    _text(pdf, 40, 700, "Échéance : 13/04/2025. Pénalités de retard : 3 fois le taux d'intérêt légal ; "
                       "indemnité forfaitaire de 40 € pour frais de recouvrement.", 7)
    _text(pdf, 40, 720, f"Virement sur IBAN {t.iban}", 8)
    _text(pdf, 40, 800, f"{t.seller_name} - 4 rue des Mineurs 62300 Lens - SIRET {t.seller_siret} - "
                       f"TVA intracommunautaire {t.seller_vat}", 7)
    return bytes(pdf.output())


def labels_above_three_pages(t: Truth) -> bytes:
    """Labels above their values in a grid, narrow no-break spaces in amounts, totals on page 3."""
    pdf = _pdf()
    pdf.add_page()
    _text(pdf, 40, 50, t.seller_name, 14, True)
    _text(pdf, 40, 66, "4 rue des Mineurs, 62300 Lens")
    _text(pdf, 40, 80, f"Siret {t.seller_siret[:3]} {t.seller_siret[3:6]} {t.seller_siret[6:9]} {t.seller_siret[9:]}")
    _text(pdf, 40, 94, f"N° TVA {t.seller_vat}")
    _text(pdf, 420, 50, "FACTURE", 18, True)
    heads = [("N° de facture", t.invoice_number), ("Date", "14.03.2025"), ("Commande n°", t.purchase_order)]
    x = 40
    for head, value in heads:
        _text(pdf, x, 140, head, 8, True)
        _text(pdf, x, 156, value)
        x += 170
    _text(pdf, 40, 200, "Destinataire", 8, True)
    _text(pdf, 40, 214, "OFFICE TOURISME ET PATRIMOINE DE LA CALL")
    _text(pdf, 40, 228, f"SIRET client : {t.buyer_siret}")
    for page in range(3):
        if page:
            pdf.add_page()
            _text(pdf, 40, 50, f"{t.seller_name} – facture {t.invoice_number} (suite)", 8)
        for i in range(18):
            y = 280 + i * 22 if page == 0 else 90 + i * 22
            _text(pdf, 40, y, f"Ligne {page * 18 + i + 1} : fût de bière blonde 30 L")
            _text(pdf, 420, y, fr_amount(f"{200 + i}.{10 + i:02d}"))
        _text(pdf, 500, 820, f"Page {page + 1}/3", 7)
    _text(pdf, 300, 520, "Total HT")
    _text(pdf, 450, 520, fr_amount(t.total_ht) + " €")
    _text(pdf, 300, 540, "TVA 20 %")
    _text(pdf, 450, 540, fr_amount(t.total_tva) + " €")
    _text(pdf, 300, 560, "Total TTC", bold=True)
    _text(pdf, 450, 560, fr_amount(t.total_ttc) + " €", bold=True)
    _text(pdf, 40, 620, "Paiement à 30 jours. En cas de retard, pénalités de retard au taux légal et indemnité "
                       "forfaitaire de 40 €.", 7)
    _text(pdf, 40, 640, "IBAN : " + " ".join(t.iban[i:i + 4] for i in range(0, len(t.iban), 4)), 8)
    _text(pdf, 40, 660, "Opération : prestation de services", 7)
    return bytes(pdf.output())


def english_layout(t: Truth) -> bytes:
    pdf = _pdf()
    pdf.add_page()
    _text(pdf, 40, 50, t.seller_name, 14, True)
    _text(pdf, 40, 66, f"Company reg. (SIRET): {t.seller_siret}   VAT No: {t.seller_vat}")
    _text(pdf, 380, 50, "INVOICE", 18, True)
    _text(pdf, 380, 80, f"Invoice No.: {t.invoice_number}")
    _text(pdf, 380, 96, "Invoice date: March 14, 2025")
    _text(pdf, 380, 112, "Due date: April 13, 2025")
    _text(pdf, 380, 128, f"PO number: {t.purchase_order}")
    _text(pdf, 40, 160, "Bill to: OFFICE TOURISME ET PATRIMOINE DE LA CALL")
    _text(pdf, 40, 176, f"Customer SIRET: {t.buyer_siret}")
    _text(pdf, 40, 240, "Brewing workshop (services)")
    _text(pdf, 450, 240, "12,480.50")

    def en(v):
        whole, frac = v.split(".")
        return f"{int(whole):,}.{frac}"

    _text(pdf, 330, 400, "Subtotal")
    _text(pdf, 450, 400, en(t.total_ht) + " EUR")
    _text(pdf, 330, 416, "VAT 20%")
    _text(pdf, 450, 416, en(t.total_tva) + " EUR")
    _text(pdf, 330, 432, "Total amount")
    _text(pdf, 450, 432, en(t.total_ttc) + " EUR")
    _text(pdf, 40, 500, f"Bank transfer - IBAN {t.iban}", 8)
    _text(pdf, 40, 516, "Late payment: penalties at three times the legal rate and a fixed recovery fee of 40 EUR "
                       "(indemnité forfaitaire de 40 €).", 7)
    return bytes(pdf.output())


def credit_note_positive(t: Truth) -> bytes:
    """An 'Avoir' printing positive amounts, with the cancelled invoice's number as a decoy."""
    pdf = _pdf()
    pdf.add_page()
    _text(pdf, 40, 50, t.seller_name, 14, True)
    _text(pdf, 40, 66, f"SIRET : {t.seller_siret} - TVA : {t.seller_vat}")
    _text(pdf, 380, 50, "AVOIR", 18, True)
    _text(pdf, 380, 80, f"Avoir n° {t.invoice_number}")
    _text(pdf, 380, 96, "Date : 14/03/2025")
    _text(pdf, 380, 112, "Avoir sur facture n° FV-6000/A du 02/01/2025")
    _text(pdf, 40, 160, "OFFICE TOURISME ET PATRIMOINE DE LA CALL")
    _text(pdf, 40, 176, f"SIRET client : {t.buyer_siret}")
    _text(pdf, 40, 192, f"Bon de commande n° {t.purchase_order}")
    _text(pdf, 300, 400, "Total HT")
    _text(pdf, 450, 400, fr_amount(t.total_ht.lstrip("-"), " ") + " €")
    _text(pdf, 300, 416, "Total TVA")
    _text(pdf, 450, 416, fr_amount(t.total_tva.lstrip("-"), " ") + " €")
    _text(pdf, 300, 432, "Total TTC")
    _text(pdf, 450, 432, fr_amount(t.total_ttc.lstrip("-"), " ") + " €")
    _text(pdf, 40, 480, f"IBAN : {t.iban}", 8)
    _text(pdf, 40, 500, "Échéance à réception. En cas de retard : pénalités, indemnité forfaitaire de 40 €.", 7)
    return bytes(pdf.output())


def long_invoice(pages: int = 200, t: Truth | None = None) -> bytes:
    """A long invoice: many line pages, totals on the last one (for the benchmark)."""
    t = t or Truth()
    pdf = _pdf()
    for page in range(pages):
        pdf.add_page()
        if page == 0:
            _text(pdf, 40, 50, t.seller_name, 14, True)
            _text(pdf, 40, 66, f"SIRET {t.seller_siret} - TVA {t.seller_vat}")
            _text(pdf, 380, 50, "FACTURE", 18, True)
            _text(pdf, 380, 80, f"Facture n° {t.invoice_number}")
            _text(pdf, 380, 96, "Date de facture : 14/03/2025")
            _text(pdf, 40, 130, f"SIRET client : {t.buyer_siret}")
        for i in range(30):
            _text(pdf, 40, 160 + i * 20, f"Ligne {page * 30 + i + 1} : verre gravé au logo de l'office", 9)
            _text(pdf, 460, 160 + i * 20, "1,00", 9)
        if page == pages - 1:
            _text(pdf, 300, 790, f"Total HT {fr_amount(t.total_ht)} €   TVA {fr_amount(t.total_tva)} €   "
                                 f"Total TTC {fr_amount(t.total_ttc)} €", 9)
            _text(pdf, 40, 810, f"IBAN {t.iban} - Échéance 13/04/2025 - pénalités de retard, indemnité forfaitaire 40 €", 7)
    return bytes(pdf.output())


LAYOUTS = {
    "labels_left_grid": labels_left_grid,
    "labels_above_three_pages": labels_above_three_pages,
    "english_layout": english_layout,
    "credit_note_positive": credit_note_positive,
}


def german_layout(t: Truth) -> bytes:
    """German labels, 1.234,56 amounts, dd.mm.yyyy dates, seller with a German VAT number."""
    pdf = _pdf()
    pdf.add_page()

    def de(v):
        whole, frac = v.split(".")
        return f"{int(whole):,}".replace(",", ".") + "," + frac

    _text(pdf, 40, 50, t.seller_name, 14, True)
    _text(pdf, 40, 66, "Hauptstraße 12, 10115 Berlin")
    _text(pdf, 380, 50, "RECHNUNG", 18, True)
    _text(pdf, 380, 80, f"Rechnungsnummer: {t.invoice_number}")
    _text(pdf, 380, 96, "Rechnungsdatum: 14.03.2025")
    _text(pdf, 380, 112, "Lieferdatum: 10.03.2025")
    _text(pdf, 380, 128, f"Bestellnummer: {t.purchase_order}")
    _text(pdf, 40, 160, "OFFICE TOURISME ET PATRIMOINE DE LA CALL, 62300 Lens, Frankreich")
    _text(pdf, 40, 176, f"SIRET client : {t.buyer_siret}")
    _text(pdf, 40, 240, "Führung im Bergbaumuseum (Dienstleistung)")
    _text(pdf, 300, 400, "Nettobetrag")
    _text(pdf, 450, 400, de(t.total_ht) + " €")
    _text(pdf, 300, 416, "zzgl. USt. 20 %")
    _text(pdf, 450, 416, de(t.total_tva) + " €")
    _text(pdf, 300, 432, "Gesamtbetrag")
    _text(pdf, 450, 432, de(t.total_ttc) + " €")
    _text(pdf, 40, 500, f"IBAN: {' '.join(t.iban[i:i + 4] for i in range(0, len(t.iban), 4))}   BIC: DEUTDEFFXXX", 8)
    _text(pdf, 40, 516, f"USt-IdNr.: {t.seller_vat}   Zahlbar innerhalb von 30 Tagen. Verzugszinsen; "
                       "indemnité forfaitaire de 40 € pour frais de recouvrement.", 7)
    return bytes(pdf.output())


def totals_in_columns(t: Truth) -> bytes:
    """Totals as a small table: the labels on one row, the amounts on the row below;
    two VAT rates with no 'Total TVA' line; dates in words."""
    pdf = _pdf()
    pdf.add_page()
    _text(pdf, 40, 50, t.seller_name, 14, True)
    _text(pdf, 40, 66, "8 place du Marché, 62000 Arras")
    _text(pdf, 40, 80, f"SIRET {t.seller_siret} – TVA intracommunautaire {t.seller_vat}")
    _text(pdf, 40, 130, f"Arras, le 14 mars 2025")
    _text(pdf, 40, 150, f"Objet : facture n° {t.invoice_number}")
    _text(pdf, 40, 166, f"N° d'engagement : {t.purchase_order}")
    _text(pdf, 330, 130, "OFFICE TOURISME ET PATRIMOINE DE LA CALL")
    _text(pdf, 330, 146, f"SIRET client : {t.buyer_siret}")
    _text(pdf, 40, 240, "Repas de groupe (TVA 10 %) et visite guidée (TVA 20 %)")
    cols = [("Total HT", t.total_ht), ("TVA", t.total_tva), ("Total TTC", t.total_ttc)]
    x = 250
    for label, value in cols:
        _text(pdf, x, 420, label, 9, True)
        _text(pdf, x, 438, fr_amount(value, NBSP) + " €", 9)
        x += 100
    _text(pdf, 40, 480, "Détail de la TVA : taux 10 % et 20 % (voir lignes).", 8)
    _text(pdf, 40, 500, f"Règlement par virement – IBAN : {t.iban}", 8)
    _text(pdf, 40, 516, "Échéance : 30 jours. Pénalités de retard : 3 fois le taux légal. Indemnité forfaitaire "
                       "pour frais de recouvrement : 40 €. Prestation de services.", 7)
    return bytes(pdf.output())


def footer_ids_siren_only(t: Truth) -> bytes:
    """Identifiers only in the footer, SIREN through an RCS mention (no SIRET printed)."""
    pdf = _pdf()
    pdf.add_page()
    _text(pdf, 40, 50, t.seller_name, 14, True)
    _text(pdf, 400, 50, f"FACTURE {t.invoice_number}", 12, True)
    _text(pdf, 400, 70, "Date : 2025-03-14")
    _text(pdf, 400, 86, f"Commande n° {t.purchase_order}")
    _text(pdf, 40, 130, "Client : OFFICE TOURISME ET PATRIMOINE DE LA CALL")
    _text(pdf, 40, 146, f"SIRET client : {t.buyer_siret}")
    _text(pdf, 300, 400, f"Total HT : {fr_amount(t.total_ht, ' ')} EUR")
    _text(pdf, 300, 416, f"TVA 20 % : {fr_amount(t.total_tva, ' ')} EUR")
    _text(pdf, 300, 432, f"Net à payer : {fr_amount(t.total_ttc, ' ')} EUR")
    _text(pdf, 40, 760, "Paiement à 45 jours fin de mois. Pénalités de retard au taux de 10 %. Indemnité forfaitaire "
                       "de recouvrement 40 €.", 7)
    siren = t.extra.get("siren") or t.seller_vat[4:]
    _text(pdf, 40, 800, f"{t.seller_name} – SAS au capital de 5 000 € – RCS Arras B {siren[:3]} {siren[3:6]} "
                       f"{siren[6:]} – TVA {t.seller_vat}", 7)
    return bytes(pdf.output())


LAYOUTS.update({
    "german_layout": german_layout,
    "totals_in_columns": totals_in_columns,
    "footer_ids_siren_only": footer_ids_siren_only,
})


def simple_pdf(lines: list[str | tuple[float, float, str]]) -> bytes:
    """One page with the given lines (top to bottom) or (x, y, text) placements."""
    pdf = _pdf()
    pdf.add_page()
    y = 50
    for item in lines:
        if isinstance(item, tuple):
            x, yy, text = item
            _text(pdf, x, yy, text)
        else:
            _text(pdf, 40, y, item)
            y += 16
    return bytes(pdf.output())
