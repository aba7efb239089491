"""Foreign-seller and English layouts: German Rechnung, Dutch factuur, Spanish factura, Italian fattura,
Belgian facture, English invoice."""
from __future__ import annotations

import random

from . import blocks, fmt
from .canvas import SANS, SERIF, Canvas, pick_style
from .layouts_fr import _totals_block
from .model import BUYER_ADDRESS, BUYER_NAME, Invoice


def rechnung(rng: random.Random, inv: Invoice) -> bytes:
    pdf = Canvas(rng, rng.choice(["Liberation", "DejaVu", "helvetica", "LibNarrow"]))
    st = pick_style(rng, inv, ["dot_comma", "dot_comma", "fr_plain"], ["suffix: €", "suffix: EUR", "suffix: €"])
    pdf.add_page()
    pdf.put(120, 15, inv.seller_name, 15, "B", w=75, align="R")
    pdf.put(20, 45, "%s · %s · %s" % (inv.seller_name, inv.seller_street, inv.seller_city), 6.5, color=(90, 90, 90))
    pdf.hline(20, 105, 48.5, 0.1)
    address = [BUYER_NAME] + BUYER_ADDRESS + ["FRANKREICH"]
    pdf.lines_at(20, 51, address, 9, gap=4.6)
    info = []
    if inv.number:
        info.append(("Rechnungsnummer:", inv.number))
    if inv.date:
        info.append(("Rechnungsdatum:", st.date(inv.date)))
        info.append(("Leistungsdatum:", st.date(inv.date.replace(day=1))))
    info.append(("Kundennummer:", inv.customer_no))
    if inv.buyer_siret:
        info.append(("SIRET Kunde:", fmt.format_siret(inv.buyer_siret, rng.choice(["compact", "spaced"]))))
    info.append(("USt-IdNr. Kunde:", blocks.OFFICE_VAT))
    if inv.po:
        info.append(("Ihre Bestellung:", inv.po))
    for i, (label, value) in enumerate(info):
        pdf.put(120, 45 + i * 4.8, label, 8.5)
        pdf.put(150, 45 + i * 4.8, value, 8.5, w=45, align="R")
    y = 45 + len(info) * 4.8 + 12
    head = blocks.title(inv).capitalize() + (" Nr. " + inv.number if inv.number and rng.random() < 0.5 else "")
    pdf.put(20, y, head, 14, "B")
    y += 9
    pdf.put(20, y, "Sehr geehrte Damen und Herren,", 9)
    pdf.put(20, y + 5, "vielen Dank für Ihren Auftrag. Wir berechnen Ihnen wie folgt (Angebot %s):" % inv.quote_no, 9)
    if inv.doc_type == "credit_note":
        pdf.put(20, y + 10, blocks.CREDIT_REF["de"] % inv.credited_invoice, 9)
    cols = [("Pos.", 12, "L"), ("Bezeichnung", 70, "L"), ("Menge", 16, "R"), ("Einzelpreis", 28, "R"), ("USt.", 14, "R"),
            ("Gesamt", 35, "R")]
    rows = [[str(i + 1)] + r for i, r in enumerate(blocks.line_rows(inv, st))]
    y = pdf.table(20, y + 16, cols, rows, size=8.5, row_h=6.5, grid=False, head_fill=(235, 235, 235))
    y = _totals_block(pdf, 115, y + 4, 80, blocks.totals_rows(inv, st, rng), 9, 6)
    if inv.date:
        pdf.put(20, y + 6, "Zahlbar bis %s ohne Abzug." % st.date(inv.due), 9)
    pdf.hline(20, 195, 262, 0.2)
    col1 = [inv.seller_name, inv.seller_street, inv.seller_city, "Tel. " + inv.phone]
    col2 = ["Geschäftsführer: %s" % rng.choice(["Jan Müller", "Petra Schmidt", "Uwe Becker"]),
            "Amtsgericht Köln HRB %d" % rng.randint(10000, 99999),
            "Steuernummer: %d/%d/%d" % (rng.randint(200, 224), rng.randint(1000, 5999), rng.randint(1000, 9999)),
            blocks.seller_vat_text(inv, st, rng)]
    col3 = blocks.bank_lines(inv, rng, "de")[:3]
    for x, col in ((20, col1), (80, col2), (140, col3)):
        pdf.lines_at(x, 265, col, 7, gap=3.6)
    pdf.put(20, 284, "Seite 1 von 1", 7, w=175, align="R")
    return bytes(pdf.output())


def factuur(rng: random.Random, inv: Invoice) -> bytes:
    pdf = Canvas(rng, rng.choice(["DejaVu", "Liberation", "DejaVuCond"]))
    st = pick_style(rng, inv, ["dot_comma", "dot_comma", "fr_plain"], ["prefix:€ ", "prefix:€ ", "prefix:€", "suffix: EUR"])
    pdf.add_page()
    color = rng.choice([(230, 90, 20), (20, 90, 160), (30, 130, 80)])
    pdf.rect_at(0, 0, 210, 8, fill=color, draw=None)
    pdf.put(15, 16, blocks.title(inv), 22, "B", color=color)
    pdf.put(110, 16, inv.seller_name, 12, "B", w=85, align="R")
    pdf.lines_at(110, 23, [inv.seller_street, inv.seller_city, "Tel: " + inv.phone, inv.email,
                           "KvK: %08d" % rng.randint(10**7, 10**8 - 1), blocks.seller_vat_text(inv, st, rng)],
                 8, w=85, align="R", gap=4.2)
    pdf.put(15, 52, "Factuuradres", 8, "B", color=color)
    pdf.lines_at(15, 57, blocks.buyer_lines(inv, st, rng), 9, gap=4.6)
    rows = []
    if inv.number:
        rows.append(("Factuurnummer", inv.number))
    if inv.date:
        rows.append(("Factuurdatum", st.date(inv.date)))
        rows.append(("Vervaldatum", st.date(inv.due)))
    rows.append(("Klantnummer", inv.customer_no))
    if inv.po:
        rows.append(("Uw referentie", inv.po))
    for i, (label, value) in enumerate(rows):
        pdf.put(120, 57 + i * 5, label, 8.5, "B")
        pdf.put(155, 57 + i * 5, value, 8.5, w=40, align="R")
    y = 100
    if inv.doc_type == "credit_note":
        pdf.put(15, y - 6, blocks.CREDIT_REF["nl"] % inv.credited_invoice, 9)
    cols = [("Omschrijving", 82, "L"), ("Aantal", 18, "R"), ("Prijs", 28, "R"), ("BTW", 16, "R"), ("Bedrag", 36, "R")]
    y = pdf.table(15, y, cols, blocks.line_rows(inv, st), size=8.5, row_h=7, grid=False, head_fill=None,
                  head_color=color)
    y = _totals_block(pdf, 115, y + 5, 80, blocks.totals_rows(inv, st, rng), 9.5, 6.5)
    if inv.iban:
        pdf.set_font(pdf.family, "", 8.5)
        pdf.set_xy(15, y + 8)
        pdf.multi_cell(180, 4.5, pdf.clean(
            "Wij verzoeken u vriendelijk het totaalbedrag binnen 30 dagen over te maken op rekeningnummer %s "
            "t.n.v. %s onder vermelding van het factuurnummer." % (inv.iban, inv.seller_name)))
    pdf.put(15, 284, "Pagina 1 van 1", 7.5, w=180, align="C")
    return bytes(pdf.output())


def factura(rng: random.Random, inv: Invoice) -> bytes:
    pdf = Canvas(rng, rng.choice(SANS))
    st = pick_style(rng, inv, ["dot_comma", "dot_comma", "fr_plain"], ["suffix: €", "suffix:€", "suffix: EUR"])
    pdf.add_page()
    pdf.put(15, 15, inv.seller_name, 14, "B")
    pdf.lines_at(15, 23, [inv.seller_street, inv.seller_city + " (España)", "Tel. " + inv.phone,
                          blocks.seller_vat_text(inv, st, rng)], 8.5)
    pdf.rect_at(120, 14, 75, 24, fill=(240, 240, 240))
    pdf.put(120, 15, blocks.title(inv), 14 if inv.doc_type == "invoice" else 10, "B", w=75, align="C")
    meta = []
    if inv.number:
        meta.append("Nº factura: " + inv.number)
    if inv.date:
        meta.append("Fecha: " + st.date(inv.date))
    meta.append("Cliente nº: " + inv.customer_no)
    pdf.lines_at(123, 23, meta, 8.5, gap=4.4)
    pdf.rect_at(15, 48, 95, 34)
    pdf.put(17, 49, "Datos del cliente", 7.5, "B")
    pdf.lines_at(17, 54, blocks.buyer_lines(inv, st, rng), 8.5, gap=4.4)
    y = 90
    if inv.po:
        pdf.put(15, y, "Pedido: " + inv.po, 8.5)
    if inv.doc_type == "credit_note":
        pdf.put(100, y, blocks.CREDIT_REF["es"] % inv.credited_invoice, 8.5)
    cols = [("Concepto", 92, "L"), ("Cant.", 16, "R"), ("Precio", 28, "R"), ("Importe", 44, "R")]
    y = pdf.table(15, y + 6, cols, blocks.line_rows(inv, st, rate=False), row_h=6.5)
    y = _totals_block(pdf, 115, y + 5, 80, blocks.totals_rows(inv, st, rng), 9.5, 6.5, boxed=True)
    bank = blocks.bank_lines(inv, rng, "es")
    pdf.put(15, y + 6, "Forma de pago: transferencia bancaria" + (" - vencimiento " + st.date(inv.due) if inv.date else ""), 8.5)
    if bank:
        pdf.put(15, y + 11, bank[1], 8.5)
    pdf.put(15, 280, "Inscrita en el Registro Mercantil de %s, Tomo %d, Folio %d, Hoja %s-%d" % (
        inv.rcs_city, rng.randint(1000, 9999), rng.randint(1, 220), inv.rcs_city[0], rng.randint(1000, 99999)),
        7, w=180, align="C")
    return bytes(pdf.output())


def fattura(rng: random.Random, inv: Invoice) -> bytes:
    pdf = Canvas(rng, rng.choice(SANS + SERIF))
    st = pick_style(rng, inv, ["dot_comma", "dot_comma", "fr_plain"], ["prefix:€ ", "suffix: €", "prefix:EUR "])
    pdf.add_page()
    piva = inv.vat
    pdf.put(15, 15, inv.seller_name, 14, "B")
    pdf.lines_at(15, 23, [inv.seller_street, inv.seller_city, "Tel. " + inv.phone,
                          blocks.seller_vat_text(inv, st, rng), "Cod. Fiscale " + piva[2:],
                          "Capitale sociale € %s,00 i.v." % inv.capital.replace(" ", "."),
                          "REA %s-%d" % (inv.rcs_city[:2].upper(), rng.randint(100000, 999999))], 8.5)
    pdf.put(115, 50, "Spett.le", 8.5)
    pdf.lines_at(115, 55, blocks.buyer_lines(inv, st, rng), 9, first_style="B", gap=4.6)
    y = 90
    head = blocks.title(inv)
    if inv.number:
        head += " N. " + inv.number
    if inv.date:
        head += " del " + st.date(inv.date)
    pdf.put(15, y, head, 12, "B")
    if inv.po:
        pdf.put(15, y + 7, "Rif. ordine: " + inv.po, 8.5)
    if inv.doc_type == "credit_note":
        pdf.put(100, y + 7, blocks.CREDIT_REF["it"] % inv.credited_invoice, 8.5)
    cols = [("Descrizione", 84, "L"), ("Q.tà", 16, "R"), ("Prezzo", 28, "R"), ("IVA", 16, "R"), ("Importo", 36, "R")]
    y = pdf.table(15, y + 13, cols, blocks.line_rows(inv, st), row_h=6.5, stripe=(246, 246, 246))
    y = _totals_block(pdf, 115, y + 5, 80, blocks.totals_rows(inv, st, rng), 9.5, 6.5, boxed=True)
    pay = "Pagamento: bonifico bancario"
    if inv.date:
        pay += " - Scadenza " + st.date(inv.due)
    pdf.put(15, y + 6, pay, 8.5)
    bank = blocks.bank_lines(inv, rng, "it")
    if bank:
        pdf.put(15, y + 11, bank[1], 8.5)
    return bytes(pdf.output())


def belge(rng: random.Random, inv: Invoice) -> bytes:
    pdf = Canvas(rng, rng.choice(SANS + SERIF))
    st = pick_style(rng, inv, ["fr_space", "dot_comma", "fr_plain"], ["suffix: €", "prefix:€ ", "suffix: EUR"])
    pdf.add_page()
    pdf.put(15, 15, inv.seller_name, 14, "B")
    ent = "%s.%s.%s" % (inv.vat[2:6], inv.vat[6:9], inv.vat[9:])
    pdf.lines_at(15, 23, [inv.seller_street, inv.seller_city + " (Belgique)", "Tél. " + inv.phone,
                          "N° d'entreprise : " + ent, "TVA BE " + ent, "RPM " + inv.rcs_city], 8.5)
    pdf.rect_at(106, 45, 92, 32)
    pdf.lines_at(109, 48, blocks.buyer_lines(inv, st, rng), 8.5, first_style="B", gap=4.4)
    y = 85
    pdf.put(15, y, blocks.title(inv).capitalize(), 16, "B")
    meta = []
    if inv.number:
        meta.append("Facture n° : " + inv.number if inv.doc_type == "invoice" else "Note de crédit n° : " + inv.number)
    if inv.date:
        meta.append("Date : " + st.date(inv.date))
        meta.append("Échéance : " + st.date(inv.due))
    if inv.po:
        meta.append("Votre référence : " + inv.po)
    pdf.lines_at(15, y + 9, meta, 9, gap=4.6)
    y += 12 + 4.6 * len(meta)
    cols = [("Description", 84, "L"), ("Qté", 16, "R"), ("Prix unit.", 28, "R"), ("TVA", 16, "R"), ("Total HTVA", 36, "R")]
    y = pdf.table(15, y, cols, blocks.line_rows(inv, st), row_h=6.5)
    parts = inv.breakdown()
    rows = [("Total HTVA", st.money(inv, inv.ht))]
    rows += [("TVA %s" % blocks.rate_text(r, st), st.money(inv, v)) for r, _, v in parts]
    if len(parts) > 1:
        rows.append(("Total TVA", st.money(inv, inv.tva)))
    rows.append(("Total TVAC", st.money(inv, inv.ttc)))
    y = _totals_block(pdf, 115, y + 5, 80, rows, 9.5, 6.5)
    if inv.iban:
        comm = "+++%03d/%04d/%05d+++" % (rng.randint(0, 999), rng.randint(0, 9999), rng.randint(0, 99999))
        pdf.lines_at(15, y + 6, ["Paiement sur le compte %s (BIC %s)" % (inv.iban, inv.bic),
                                 "Communication structurée : " + comm], 8.5)
    return bytes(pdf.output())


def english(rng: random.Random, inv: Invoice) -> bytes:
    pdf = Canvas(rng, rng.choice(SANS))
    st = pick_style(rng, inv, ["comma_dot", "comma_dot", "plain_dot"], ["prefix:€", "prefix:€", "prefix:EUR ", "suffix: EUR"])
    pdf.add_page()
    pdf.put(15, 15, blocks.title(inv), 24, "B", color=(30, 30, 30))
    pdf.put(110, 15, inv.seller_name, 11, "B", w=85, align="R")
    pdf.lines_at(110, 21, [inv.seller_street, inv.seller_city + ", France", inv.phone, inv.email], 8, w=85, align="R")
    meta = []
    if inv.number:
        meta.append(("Invoice #" if inv.doc_type == "invoice" else "Credit note #", inv.number))
    if inv.date:
        meta.append(("Invoice date", st.date(inv.date)))
        meta.append(("Due date", st.date(inv.due)))
    if inv.po:
        meta.append(("P.O. #", inv.po))
    meta.append(("Customer ID", inv.customer_no))
    for i, (label, value) in enumerate(meta):
        pdf.put(15, 34 + i * 5, label, 8.5, "B")
        pdf.put(45, 34 + i * 5, value, 8.5)
    pdf.put(115, 50, "BILL TO", 8, "B", color=(120, 120, 120))
    pdf.lines_at(115, 55, blocks.buyer_lines(inv, st, rng), 9, first_style="B", gap=4.6)
    y = 92
    if inv.doc_type == "credit_note":
        pdf.put(15, y - 6, blocks.CREDIT_REF["en"] % inv.credited_invoice, 8.5)
    cols = [("Item", 86, "L"), ("Qty", 16, "R"), ("Rate", 28, "R"), ("VAT", 14, "R"), ("Amount", 36, "R")]
    y = pdf.table(15, y, cols, blocks.line_rows(inv, st), row_h=7, grid=False, head_fill=(40, 40, 40),
                  head_color=(255, 255, 255))
    y = _totals_block(pdf, 115, y + 5, 80, blocks.totals_rows(inv, st, rng), 9.5, 6.5)
    bank = blocks.bank_lines(inv, rng, "en")
    if bank:
        pdf.lines_at(15, y + 6, bank, 8.5, first_style="B")
    pdf.lines_at(15, 275, ["  |  ".join(blocks.seller_id_lines(inv, st, rng)),
                           "Thank you for your business. Late payment fee: EUR 40 flat + interest."], 7.5, w=180, align="C")
    return bytes(pdf.output())
