"""More generated layouts (fpdf2): label variants, number formats, two columns, far-apart footers."""

from __future__ import annotations

from tests.services.pdf_check_gen import NBSP, Truth, _pdf, _text, fr_amount


def _grouped(s: str, sizes: tuple[int, ...], sep: str) -> str:
    out, pos = [], 0
    for n in sizes:
        out.append(s[pos:pos + n])
        pos += n
    return sep.join(out)


def _iban4(iban: str) -> str:
    return " ".join(iban[i:i + 4] for i in range(0, len(iban), 4))


def two_columns_montant(t: Truth) -> bytes:
    """Seller left / client right, 'Numéro de facture', 'Date d'émission', 'Montant HT / Montant TVA /
    Montant à payer' with '1 234,56 EUR', SIRET with dots, IBAN in groups of four."""
    pdf = _pdf()
    pdf.add_page()
    _text(pdf, 40, 50, t.seller_name, 13, True)
    _text(pdf, 40, 66, "12 avenue de la Fosse 9, 62300 Lens")
    _text(pdf, 40, 80, f"SIRET : {_grouped(t.seller_siret, (3, 3, 3, 5), '.')}")
    _text(pdf, 40, 94, f"TVA intracom. : {t.seller_vat}")
    _text(pdf, 330, 50, "Client", 9, True)
    _text(pdf, 330, 66, "Office de tourisme de Lens-Liévin")
    _text(pdf, 330, 80, "16 place Jean Jaurès, 62300 Lens")
    _text(pdf, 330, 94, f"SIRET client : {_grouped(t.buyer_siret, (3, 3, 3, 5), '.')}")
    _text(pdf, 40, 150, "FACTURE", 18, True)
    _text(pdf, 40, 175, f"Numéro de facture : {t.invoice_number}")
    _text(pdf, 40, 191, "Date d'émission : 14/03/2025")
    _text(pdf, 40, 207, "Date d'échéance : 13/04/2025")
    _text(pdf, 40, 223, f"Votre commande : {t.purchase_order}")
    _text(pdf, 40, 280, "Désignation")
    _text(pdf, 450, 280, "Montant")
    _text(pdf, 40, 300, "Visite guidée de la cité minière (prestation de services)")
    _text(pdf, 450, 300, fr_amount(t.total_ht, " ") + " EUR")
    _text(pdf, 300, 420, "Montant HT")
    _text(pdf, 450, 420, fr_amount(t.total_ht, " ") + " EUR")
    _text(pdf, 300, 436, "Montant TVA (20 %)")
    _text(pdf, 450, 436, fr_amount(t.total_tva, " ") + " EUR")
    _text(pdf, 300, 452, "Montant à payer", bold=True)
    _text(pdf, 450, 452, fr_amount(t.total_ttc, " ") + " EUR", bold=True)
    _text(pdf, 40, 520, f"IBAN : {_iban4(t.iban)}   BIC : BNPAFRPPXXX", 8)
    _text(pdf, 40, 536, "Pénalités de retard : 3 fois le taux légal. Indemnité forfaitaire de recouvrement : 40 €.", 7)
    return bytes(pdf.output())


def fait_a_footer_far(t: Truth) -> bytes:
    """'Fait à Lens, le 3 mars 2025' as the only date, 'Réf. facture', 'BC n°', a totals footer whose
    labels sit at the left margin and the amounts at the right margin, 'Reste à payer'."""
    pdf = _pdf()
    pdf.add_page()
    _text(pdf, 40, 50, t.seller_name, 13, True)
    _text(pdf, 40, 66, f"Siret {_grouped(t.seller_siret, (3, 3, 3, 5), ' ')} – N° TVA {t.seller_vat}")
    _text(pdf, 40, 120, f"Réf. facture : {t.invoice_number}")
    _text(pdf, 40, 136, f"BC n° {t.purchase_order}")
    _text(pdf, 330, 120, "OFFICE DE TOURISME DE LENS-LIÉVIN")
    _text(pdf, 330, 136, f"SIRET client : {t.buyer_siret}")
    _text(pdf, 40, 200, "Objet : animation musicale du 1er mars 2025")
    y = 600
    for label, value in (("Total hors taxes", t.total_ht), ("Total TVA", t.total_tva),
                         ("Reste à payer", t.total_ttc)):
        _text(pdf, 40, y, label)
        _text(pdf, 500, y, fr_amount(value, NBSP) + " €")
        y += 18
    _text(pdf, 40, 680, "Fait à Lens, le 3 mars 2025")
    _text(pdf, 40, 720, f"Règlement par virement : IBAN : {_iban4(t.iban)}", 8)
    _text(pdf, 40, 736, "Échéance : 02/04/2025. Pénalités de retard au taux légal ; indemnité forfaitaire de 40 € pour frais de recouvrement.", 7)
    return bytes(pdf.output())


def english_amounts_euro_first(t: Truth) -> bytes:
    """'Pièce n°', 'Date de facturation', 'N° d'engagement', amounts printed '€ 1,234.56',
    'Total TTC' on page 3 only."""
    pdf = _pdf()

    def en(v: str) -> str:
        whole, frac = v.split(".")
        return f"€ {int(whole):,}.{frac}"

    for page in range(3):
        pdf.add_page()
        if page == 0:
            _text(pdf, 40, 50, t.seller_name, 13, True)
            _text(pdf, 40, 66, f"SIRET {t.seller_siret} / TVA {t.seller_vat}")
            _text(pdf, 360, 50, "FACTURE", 16, True)
            _text(pdf, 360, 72, f"Pièce n° {t.invoice_number}")
            _text(pdf, 360, 88, "Date de facturation : 14 mars 2025")
            _text(pdf, 360, 104, f"N° d'engagement : {t.purchase_order}")
            _text(pdf, 40, 130, "Facturé à : Office de tourisme de Lens-Liévin")
            _text(pdf, 40, 146, f"SIRET client : {t.buyer_siret}")
        for i in range(20):
            _text(pdf, 40, 200 + i * 22, f"Ligne {page * 20 + i + 1} : nuitée en chambre double", 9)
            _text(pdf, 460, 200 + i * 22, en(f"{80 + i}.00"), 9)
        _text(pdf, 500, 820, f"Page {page + 1}/3", 7)
    _text(pdf, 300, 680, "Total HT")
    _text(pdf, 450, 680, en(t.total_ht))
    _text(pdf, 300, 696, "TVA 10 %")
    _text(pdf, 450, 696, en(t.total_tva))
    _text(pdf, 300, 712, "Total TTC")
    _text(pdf, 450, 712, en(t.total_ttc))
    _text(pdf, 40, 760, f"IBAN {t.iban}", 8)
    _text(pdf, 40, 776, "Paiement à 30 jours. Pénalités de retard : taux légal x3. Indemnité forfaitaire de recouvrement : 40 €.", 7)
    return bytes(pdf.output())


def credit_note_parentheses(t: Truth) -> bytes:
    """An 'Avoir' with '(1 250,00)' and '-250,00' amounts, 'Le 14/03/2025', 'Engagement juridique'."""
    pdf = _pdf()
    pdf.add_page()
    _text(pdf, 40, 50, t.seller_name, 13, True)
    _text(pdf, 40, 66, f"SIRET : {t.seller_siret}  TVA : {t.seller_vat}")
    _text(pdf, 360, 50, "AVOIR", 18, True)
    _text(pdf, 360, 72, f"N° {t.invoice_number}")
    _text(pdf, 360, 88, "Le 14/03/2025")
    _text(pdf, 40, 130, "Office de tourisme de Lens-Liévin")
    _text(pdf, 40, 146, f"SIRET client : {t.buyer_siret}")
    _text(pdf, 40, 162, f"Engagement juridique : {t.purchase_order}")
    _text(pdf, 40, 200, "Annulation partielle : visite annulée")
    _text(pdf, 300, 400, "Base HT")
    _text(pdf, 450, 400, "(" + fr_amount(t.total_ht.lstrip("-"), " ") + ") €")
    _text(pdf, 300, 416, "TVA 20 %")
    _text(pdf, 450, 416, "(" + fr_amount(t.total_tva.lstrip("-"), " ") + ") €")
    _text(pdf, 300, 432, "Net à payer")
    _text(pdf, 450, 432, fr_amount(t.total_ttc, " ") + " €")
    _text(pdf, 40, 480, f"IBAN : {t.iban}", 8)
    _text(pdf, 40, 500, "Échéance à réception. Pénalités de retard : taux légal ; indemnité forfaitaire de 40 €.", 7)
    return bytes(pdf.output())


LAYOUTS2 = {
    "two_columns_montant": two_columns_montant,
    "fait_a_footer_far": fait_a_footer_far,
    "english_amounts_euro_first": english_amounts_euro_first,
    "credit_note_parentheses": credit_note_parentheses,
}


def header_table_reversed(t: Truth) -> bytes:
    """Client block on the left and seller on the right; a tight header table (labels row over a values
    row: 'N° facture', 'Date', 'Référence commande', 'SIRET client'); SIRET with spaces 3-3-3-5."""
    pdf = _pdf()
    pdf.add_page()
    _text(pdf, 40, 50, "Adressé à :", 8)
    _text(pdf, 40, 64, "Office de tourisme de Lens-Liévin")
    _text(pdf, 40, 78, "16 place Jean Jaurès, 62300 Lens")
    _text(pdf, 330, 50, t.seller_name, 13, True)
    _text(pdf, 330, 66, "3 rue du Terril, 62800 Liévin")
    _text(pdf, 330, 80, f"SIRET {_grouped(t.seller_siret, (3, 3, 3, 5), ' ')}")
    _text(pdf, 330, 94, f"TVA {t.seller_vat}")
    _text(pdf, 40, 140, "FACTURE", 16, True)
    heads = [("N° facture", t.invoice_number), ("Date", "14/03/2025"), ("Référence commande", t.purchase_order),
             ("SIRET client", _grouped(t.buyer_siret, (3, 3, 3, 5), " "))]
    x = 40
    for head, value in heads:
        _text(pdf, x, 170, head, 8, True)
        _text(pdf, x, 184, value, 9)
        x += 130
    _text(pdf, 40, 240, "Location de vélos électriques, 3 jours (prestation de services)")
    _text(pdf, 330, 400, "Total HT")
    _text(pdf, 470, 400, fr_amount(t.total_ht, NBSP) + " €")
    _text(pdf, 330, 416, "TVA 20 % sur " + fr_amount(t.total_ht, NBSP))
    _text(pdf, 470, 416, fr_amount(t.total_tva, NBSP) + " €")
    _text(pdf, 330, 432, "Total TTC")
    _text(pdf, 470, 432, fr_amount(t.total_ttc, NBSP) + " €")
    _text(pdf, 40, 500, f"IBAN : {_iban4(t.iban)}", 8)
    _text(pdf, 40, 516, "Paiement à 30 jours. Pénalités de retard : 3 fois le taux légal. Indemnité forfaitaire de 40 €.", 7)
    return bytes(pdf.output())


def credit_note_minus(t: Truth) -> bytes:
    """'Avoir N°' with minus amounts, 'Date : ' after a delivery date, 'Total hors taxes / Montant TVA'."""
    pdf = _pdf()
    pdf.add_page()
    _text(pdf, 40, 50, t.seller_name, 13, True)
    _text(pdf, 40, 66, f"SIRET {t.seller_siret} – TVA intracommunautaire {t.seller_vat}")
    _text(pdf, 360, 50, f"Avoir N° {t.invoice_number}", 12, True)
    _text(pdf, 360, 70, "Date de livraison : 10/03/2025")
    _text(pdf, 360, 86, "Date : 14/03/2025")
    _text(pdf, 40, 130, "Office de tourisme de Lens-Liévin")
    _text(pdf, 40, 146, f"SIRET client : {t.buyer_siret}")
    _text(pdf, 40, 162, f"N° de bon de commande : {t.purchase_order}")
    _text(pdf, 40, 220, "Remboursement : 2 billets non utilisés")
    _text(pdf, 300, 400, "Total hors taxes")
    _text(pdf, 450, 400, fr_amount(t.total_ht, " ") + " €")
    _text(pdf, 300, 416, "Montant TVA")
    _text(pdf, 450, 416, fr_amount(t.total_tva, " ") + " €")
    _text(pdf, 300, 432, "Total TTC")
    _text(pdf, 450, 432, fr_amount(t.total_ttc, " ") + " €")
    _text(pdf, 40, 480, f"IBAN : {t.iban}", 8)
    _text(pdf, 40, 500, "Échéance à réception. Pénalités de retard : taux légal ; indemnité forfaitaire de 40 €.", 7)
    return bytes(pdf.output())


def letter_style(t: Truth) -> bytes:
    """A letter: 'Le 14 mars 2025' top right, 'Facture n° … ' in the subject, totals written
    'Total HT : 1 234,56 EUR' on one line, 'Numéro SIRET du client', IBAN label 'RIB / IBAN'."""
    pdf = _pdf()
    pdf.add_page()
    _text(pdf, 40, 50, t.seller_name, 13, True)
    _text(pdf, 40, 66, "Auteur-compositeur, 5 rue Basly, 62300 Lens")
    _text(pdf, 40, 80, f"N° SIRET : {_grouped(t.seller_siret, (9, 5), ' ')}")
    _text(pdf, 40, 94, f"N° TVA : {t.seller_vat}")
    _text(pdf, 380, 130, "Le 14 mars 2025")
    _text(pdf, 330, 160, "Office de tourisme de Lens-Liévin")
    _text(pdf, 330, 174, f"Numéro SIRET du client : {t.buyer_siret}")
    _text(pdf, 40, 230, f"Objet : Facture n° {t.invoice_number} – Engagement juridique n° {t.purchase_order}")
    _text(pdf, 40, 260, "Madame, Monsieur, veuillez trouver ci-dessous le détail de ma prestation.")
    _text(pdf, 40, 300, f"Total HT : {fr_amount(t.total_ht, ' ')} EUR")
    _text(pdf, 40, 316, f"TVA 20 % : {fr_amount(t.total_tva, ' ')} EUR")
    _text(pdf, 40, 332, f"Total TTC : {fr_amount(t.total_ttc, ' ')} EUR")
    _text(pdf, 40, 380, f"RIB / IBAN : {_iban4(t.iban)}", 9)
    _text(pdf, 40, 400, "Paiement à 30 jours. Pénalités de retard : 3 fois le taux légal. Indemnité forfaitaire de 40 €.", 7)
    return bytes(pdf.output())


LAYOUTS2.update({
    "header_table_reversed": header_table_reversed,
    "credit_note_minus": credit_note_minus,
    "letter_style": letter_style,
})


def columns_drawn_apart(t: Truth) -> bytes:
    """The header and totals labels are all drawn first, their values afterwards (content-stream order
    differs from the visual order); two VAT rates and a 'Total TVA'; amounts 'EUR 1.234,56';
    'N° d'engagement juridique (EJ)'; a 'Code service' decoy next to the buyer's SIRET."""
    pdf = _pdf()
    pdf.add_page()

    def eur(v: str) -> str:
        whole, frac = v.split(".")
        return "EUR " + f"{int(whole):,}".replace(",", ".") + "," + frac

    _text(pdf, 40, 50, t.seller_name, 13, True)
    _text(pdf, 40, 66, f"SIRET : {t.seller_siret}")
    _text(pdf, 40, 80, f"TVA : {t.seller_vat}")
    _text(pdf, 360, 50, "FACTURE", 16, True)
    labels = ["Numéro de facture", "Date de facturation", "N° d'engagement juridique (EJ)"]
    values = [t.invoice_number, "14/03/2025", t.purchase_order]
    for i, label in enumerate(labels):
        _text(pdf, 300, 80 + i * 16, label + " :", 9)
    for i, value in enumerate(values):
        _text(pdf, 470, 80 + i * 16, value, 9)
    _text(pdf, 40, 150, "Destinataire : Office de tourisme de Lens-Liévin")
    _text(pdf, 40, 166, f"SIRET client : {t.buyer_siret}   Code service : 1002003")
    _text(pdf, 40, 220, "Hébergement (TVA 10 %) et visite (TVA 20 %)")
    tva10, tva20 = t.extra["tva10"], t.extra["tva20"]
    tlabels = ["Total HT", "TVA 10 %", "TVA 20 %", "Total TVA", "Total TTC"]
    tvalues = [t.total_ht, tva10, tva20, t.total_tva, t.total_ttc]
    for i, label in enumerate(tlabels):
        _text(pdf, 300, 400 + i * 16, label)
    for i, value in enumerate(tvalues):
        _text(pdf, 460, 400 + i * 16, eur(value))
    _text(pdf, 40, 520, f"IBAN : {_iban4(t.iban)}  BIC : CEPAFRPP627", 8)
    _text(pdf, 40, 536, "Paiement à 30 jours. Pénalités de retard : 3 fois le taux légal. Indemnité forfaitaire de 40 €.", 7)
    return bytes(pdf.output())


def label_above_boxes(t: Truth) -> bytes:
    """Boxes with the label above the value: 'Facture N°', 'Date d'émission', 'Bon de commande',
    totals 'Montant HT', 'TVA', 'Net à payer' as three boxes side by side (labels over amounts)."""
    pdf = _pdf()
    pdf.add_page()
    _text(pdf, 40, 50, t.seller_name, 13, True)
    _text(pdf, 40, 66, f"SIRET {_grouped(t.seller_siret, (3, 3, 3, 5), '.')} – TVA {t.seller_vat}")
    boxes = [("Facture N°", t.invoice_number), ("Date d'émission", "14 mars 2025"), ("Bon de commande", t.purchase_order)]
    x = 40
    for label, value in boxes:
        pdf.rect(x - 4, 110, 160, 40)
        _text(pdf, x, 124, label, 8)
        _text(pdf, x, 142, value, 10, True)
        x += 175
    _text(pdf, 40, 190, "Client : Office de tourisme de Lens-Liévin")
    _text(pdf, 40, 206, f"SIRET client : {t.buyer_siret}")
    x = 230
    for label, value in (("Montant HT", t.total_ht), ("TVA", t.total_tva), ("Net à payer", t.total_ttc)):
        pdf.rect(x - 4, 400, 105, 40)
        _text(pdf, x, 414, label, 8)
        _text(pdf, x, 432, fr_amount(value, " ") + " €", 10, True)
        x += 112
    _text(pdf, 40, 500, f"IBAN : {t.iban}", 8)
    _text(pdf, 40, 516, "Échéance : 30 jours. Pénalités de retard : taux légal x3. Indemnité forfaitaire de 40 €.", 7)
    return bytes(pdf.output())


LAYOUTS2.update({
    "columns_drawn_apart": columns_drawn_apart,
    "label_above_boxes": label_above_boxes,
})


def discount_and_deposit(t: Truth) -> bytes:
    """Decoys around the totals: 'Sous-total', 'Remise 10 %', a paid deposit ('Acompte versé') and
    'Net à payer' below 'Total T.T.C.'; 'T.V.A. 20 %' with dots; 'Le 1er avril 2025'; 'Réf. : …' under
    the title; 'Total page 1' carried to page 2."""
    pdf = _pdf()
    pdf.add_page()
    _text(pdf, 40, 50, t.seller_name, 13, True)
    _text(pdf, 40, 66, f"SIRET n° {t.seller_siret} – TVA n° {t.seller_vat}")
    _text(pdf, 360, 50, "FACTURE", 16, True)
    _text(pdf, 360, 70, f"Réf. : {t.invoice_number}")
    _text(pdf, 360, 86, "Le 1er avril 2025")
    _text(pdf, 40, 130, "Office de tourisme de Lens-Liévin")
    _text(pdf, 40, 146, f"SIRET client : {t.buyer_siret}")
    _text(pdf, 40, 162, f"Bon de commande : {t.purchase_order}")
    for i in range(10):
        _text(pdf, 40, 220 + i * 20, f"Séance {i + 1} : atelier de peinture", 9)
        _text(pdf, 460, 220 + i * 20, "100,00", 9)
    _text(pdf, 300, 760, "Total page 1")
    _text(pdf, 460, 760, "1 000,00")
    pdf.add_page()
    _text(pdf, 300, 100, "Report")
    _text(pdf, 460, 100, "1 000,00")
    d = t.extra
    rows = [("Sous-total", d["sub"]), ("Remise 10 %", "-" + d["disc"]), ("Total H.T.", t.total_ht),
            ("T.V.A. 20 %", t.total_tva), ("Total T.T.C.", t.total_ttc), ("Acompte versé", "-" + d["dep"]),
            ("Net à payer", d["net"])]
    for i, (label, value) in enumerate(rows):
        _text(pdf, 300, 160 + i * 16, label)
        _text(pdf, 460, 160 + i * 16, fr_amount(value, " ") + " €")
    _text(pdf, 40, 320, f"IBAN : {t.iban}", 8)
    _text(pdf, 40, 336, "Paiement à 30 jours. Pénalités de retard : 3 fois le taux légal. Indemnité forfaitaire de 40 €.", 7)
    return bytes(pdf.output())


LAYOUTS2["discount_and_deposit"] = discount_and_deposit


def short_labels_two_digit_year(t: Truth) -> bytes:
    """'N° facture' with its value on the next line, 'Date facture 14/03/25' (two-digit year),
    'Numéro d'engagement', 'SIRET du destinataire', 'Montant total HT / TTC', IBAN as 'IBAN FR76 …'
    split in groups of four, seller name followed by its legal form on the footer line."""
    pdf = _pdf()
    pdf.add_page()
    _text(pdf, 40, 50, t.seller_name.upper(), 13, True)
    _text(pdf, 40, 66, "ZA des Alouettes, 62110 Hénin-Beaumont")
    _text(pdf, 360, 50, "N° facture", 9)
    _text(pdf, 360, 64, t.invoice_number, 11, True)
    _text(pdf, 360, 84, "Date facture 14/03/25", 9)
    _text(pdf, 360, 100, f"Numéro d'engagement : {t.purchase_order}", 9)
    _text(pdf, 40, 130, "Office de tourisme de Lens-Liévin")
    _text(pdf, 40, 146, f"SIRET du destinataire : {t.buyer_siret}")
    _text(pdf, 40, 210, "Impression de 5 000 dépliants")
    _text(pdf, 300, 400, f"Montant total HT      {fr_amount(t.total_ht, '.')} €")
    _text(pdf, 300, 416, f"TVA 20,00 %           {fr_amount(t.total_tva, '.')} €")
    _text(pdf, 300, 432, f"Montant total TTC     {fr_amount(t.total_ttc, '.')} €")
    _text(pdf, 40, 480, f"IBAN {_iban4(t.iban)}", 8)
    _text(pdf, 40, 496, "Paiement à 30 jours. Pénalités de retard : 3 fois le taux légal. Indemnité forfaitaire de 40 €.", 7)
    _text(pdf, 40, 800, f"{t.seller_name} SARL au capital de 8 000 € – SIRET {t.seller_siret} – TVA {t.seller_vat}", 7)
    return bytes(pdf.output())


LAYOUTS2["short_labels_two_digit_year"] = short_labels_two_digit_year


def vat_breakdown_table(t: Truth) -> bytes:
    """A VAT breakdown table ('Base HT | Taux | Montant TVA' over one row of amounts per rate, then a
    totals row), 'Net à payer' alone; dates 'Date : 14 mars 2025'; 'Facture N° : …'."""
    pdf = _pdf()
    pdf.add_page()
    _text(pdf, 40, 50, t.seller_name, 13, True)
    _text(pdf, 40, 66, f"SIRET : {t.seller_siret} – N° TVA intracommunautaire : {t.seller_vat}")
    _text(pdf, 360, 50, f"Facture N° : {t.invoice_number}")
    _text(pdf, 360, 66, "Date : 14 mars 2025")
    _text(pdf, 40, 120, "Office de tourisme de Lens-Liévin")
    _text(pdf, 40, 136, f"SIRET client : {t.buyer_siret}")
    _text(pdf, 40, 152, f"Référence commande : {t.purchase_order}")
    _text(pdf, 40, 200, "Restauration de groupe")
    heads = [("Base HT", 200), ("Taux", 320), ("Montant TVA", 420)]
    for label, x in heads:
        _text(pdf, x, 400, label, 9, True)
    b10, t10, b20, t20 = t.extra["b10"], t.extra["t10"], t.extra["b20"], t.extra["t20"]
    for i, (b, rate, v) in enumerate(((b10, "10 %", t10), (b20, "20 %", t20))):
        _text(pdf, 200, 416 + i * 16, fr_amount(b, " "), 9)
        _text(pdf, 320, 416 + i * 16, rate, 9)
        _text(pdf, 420, 416 + i * 16, fr_amount(v, " "), 9)
    _text(pdf, 40, 460, "Total", 9, True)
    _text(pdf, 200, 460, fr_amount(t.total_ht, " "), 9, True)
    _text(pdf, 420, 460, fr_amount(t.total_tva, " "), 9, True)
    _text(pdf, 300, 500, "Net à payer", 11, True)
    _text(pdf, 420, 500, fr_amount(t.total_ttc, " ") + " €", 11, True)
    _text(pdf, 40, 560, f"IBAN : {t.iban}", 8)
    _text(pdf, 40, 576, "Paiement à 30 jours. Pénalités de retard : 3 fois le taux légal. Indemnité forfaitaire de 40 €.", 7)
    return bytes(pdf.output())


LAYOUTS2["vat_breakdown_table"] = vat_breakdown_table


def credit_note_english_minus(t: Truth) -> bytes:
    """An English credit note: 'Credit note no.', 'Issue date', 'Your order', amounts '-1,250.00 EUR'
    under 'Total excl. VAT / VAT 20% / Total incl. VAT', 'Customer SIRET' grouped 3-3-3-5."""
    pdf = _pdf()
    pdf.add_page()

    def en(v: str) -> str:
        whole, frac = v.lstrip("-").split(".")
        return ("-" if v.startswith("-") else "") + f"{int(whole):,}.{frac} EUR"

    _text(pdf, 40, 50, t.seller_name, 13, True)
    _text(pdf, 40, 66, f"SIRET {t.seller_siret} - VAT number {t.seller_vat}")
    _text(pdf, 360, 50, "CREDIT NOTE", 16, True)
    _text(pdf, 360, 72, f"Credit note no.: {t.invoice_number}")
    _text(pdf, 360, 88, "Issue date: 14/03/2025")
    _text(pdf, 360, 104, f"Your order: {t.purchase_order}")
    _text(pdf, 40, 130, "Bill to: Office de tourisme de Lens-Liévin")
    _text(pdf, 40, 146, f"Customer SIRET: {_grouped(t.buyer_siret, (3, 3, 3, 5), ' ')}")
    _text(pdf, 300, 400, "Total excl. VAT")
    _text(pdf, 450, 400, en(t.total_ht))
    _text(pdf, 300, 416, "VAT 20%")
    _text(pdf, 450, 416, en(t.total_tva))
    _text(pdf, 300, 432, "Total incl. VAT")
    _text(pdf, 450, 432, en(t.total_ttc))
    _text(pdf, 40, 480, f"IBAN {t.iban}", 8)
    _text(pdf, 40, 496, "Payable on receipt. Late payment penalties: three times the legal rate; recovery fee 40 EUR.", 7)
    return bytes(pdf.output())


LAYOUTS2["credit_note_english_minus"] = credit_note_english_minus
