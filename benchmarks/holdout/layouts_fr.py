"""French-seller layouts: Odoo-like, craftsman (Sage/EBP), till receipt, landscape, rotated, 3 pages, two columns."""
from __future__ import annotations

import random

from . import blocks, fmt
from .canvas import MONO, SANS, SERIF, Canvas, pick_style
from .model import BUYER_NAME, Invoice

FR_AMOUNTS = ["fr_space", "fr_space", "fr_nbsp", "fr_plain", "fr_narrow", "dot_comma", "plain_dot"]


def _totals_block(pdf: Canvas, x: float, y: float, w: float, rows, size=9, row_h=6, boxed=False, last_bold=True):
    for i, (label, value) in enumerate(rows):
        bold = "B" if (last_bold and i == len(rows) - 1) else ""
        if boxed:
            pdf.rect_at(x, y, w, row_h, fill=(238, 238, 238) if bold else None)
        pdf.put(x + 2, y, label, size, bold, h=row_h)
        pdf.put(x, y, value, size, bold, w=w - 2, align="R", h=row_h)
        y += row_h
    return y


def odoo(rng: random.Random, inv: Invoice) -> bytes:
    pdf = Canvas(rng, rng.choice(["Liberation", "DejaVu", "helvetica"]))
    st = pick_style(rng, inv, FR_AMOUNTS)
    pdf.add_page()
    accent = rng.choice([(113, 75, 103), (1, 126, 132), (40, 40, 40)])
    pdf.put(15, 14, inv.seller_name, 13, "B", color=accent)
    pdf.lines_at(15, 21, [inv.seller_street, inv.seller_city, "France"], 8.5)
    pdf.hline(15, 195, 37, 0.6, accent)
    pdf.lines_at(112, 45, blocks.buyer_lines(inv, st, rng), 9, first_style="B", gap=4.6)
    word = "Avoir" if inv.doc_type == "credit_note" else "Facture"
    pdf.put(15, 78, word + (" " + inv.number if inv.number else " brouillon"), 17, color=accent)
    fields = []
    if inv.date:
        fields.append(("Date de facturation:", st.date(inv.date)))
        fields.append(("Date d'échéance:", st.date(inv.due)))
    if inv.po:
        fields.append((rng.choice(["Origine:", "Référence client:"]), inv.po))
    fields.append(("Code client:", inv.customer_no))
    for i, (label, value) in enumerate(fields):
        pdf.put(15 + i * 45, 90, label, 8.5, "B")
        pdf.put(15 + i * 45, 95, value, 8.5)
    cols = [("Description", 78, "L"), ("Quantité", 22, "R"), ("Prix unitaire", 28, "R"), ("Taxes", 22, "R"),
            ("Montant", 30, "R")]
    rows = blocks.line_rows(inv, st)
    for row in rows:
        row[3] = "TVA " + row[3]
    y = pdf.table(15, 106, cols, rows, size=8.5, row_h=7, grid=False, head_fill=None)
    y = _totals_block(pdf, 115, y + 5, 80, blocks.totals_rows(inv, st, rng), 9, 6.5)
    y = _totals_block(pdf, 115, y, 80, blocks.deposit_rows(inv, st, rng), 9, 6.5)
    if inv.doc_type == "credit_note":
        pdf.put(15, y + 6, blocks.CREDIT_REF["fr"] % inv.credited_invoice, 8.5)
    if inv.number:
        pdf.put(15, y + 12, "Veuillez utiliser la communication suivante pour votre paiement : " + inv.number, 8)
    bank = blocks.bank_lines(inv, rng)
    if bank:
        pdf.put(15, y + 18, "  ".join(bank[1:3]), 8)
    pdf.hline(15, 195, 272, 0.3, accent)
    foot = [inv.phone + "   " + inv.email] + ["   ".join(blocks.seller_id_lines(inv, st, rng))]
    pdf.lines_at(15, 275, foot, 7.5, align="C", w=180)
    pdf.put(15, 287, "Page 1 / 1", 7.5, w=180, align="R")
    return bytes(pdf.output())


def artisan(rng: random.Random, inv: Invoice) -> bytes:
    pdf = Canvas(rng, rng.choice(["DejaVuCond", "LibNarrow", "Liberation", "LibSerif"]))
    st = pick_style(rng, inv, FR_AMOUNTS)
    pdf.add_page()
    pdf.rect_at(12, 12, 88, 34, fill=(245, 245, 240))
    pdf.put(15, 15, inv.seller_name, 12, "B")
    pdf.lines_at(15, 22, [inv.seller_street, inv.seller_city, "Tél. " + inv.phone, inv.email], 8.5, gap=4.6)
    pdf.put(110, 13, blocks.title(inv), 20, "B", w=88, align="R")
    boxes = [("N° facture" if inv.doc_type == "invoice" else "N° avoir", inv.number or ""),
             ("Date", st.date(inv.date) if inv.date else ""), ("Code client", inv.customer_no), ("Page", "1/1")]
    if not inv.number:
        boxes = boxes[1:]
    if not inv.date:
        boxes = [b for b in boxes if b[0] != "Date"]
    bw = 88 / len(boxes)
    for i, (label, value) in enumerate(boxes):
        pdf.rect_at(110 + i * bw, 25, bw, 6, fill=(220, 220, 220))
        pdf.put(110 + i * bw, 25, label, 7.5, "B", w=bw, align="C", h=6)
        pdf.rect_at(110 + i * bw, 31, bw, 7)
        pdf.put(110 + i * bw, 31, value, 8.5, w=bw, align="C", h=7)
    pdf.rect_at(110, 48, 88, 34)
    pdf.put(112, 49, "Adresse de facturation", 7, color=(90, 90, 90))
    pdf.lines_at(112, 54, blocks.buyer_lines(inv, st, rng), 8.5, first_style="B", gap=4.4)
    y = 88
    obj = "Objet : " + rng.choice(["travaux", "fournitures", "prestation"]) + " selon devis n° " + inv.quote_no
    if inv.date:
        obj += " du " + fmt.format_date(inv.date.replace(day=1), "dmy_slash", "fr")
    pdf.put(12, y, obj, 8.5)
    if inv.po:
        pdf.put(12, y + 5, rng.choice(["Bon de commande n° ", "N° d'engagement : ", "Votre commande : "]) + inv.po, 8.5)
    if inv.doc_type == "credit_note":
        pdf.put(110, y + 5, blocks.CREDIT_REF["fr"] % inv.credited_invoice, 8.5)
    cols = [("Réf.", 14, "L"), ("Désignation", 76, "L"), ("Qté", 14, "R"), ("P.U. HT", 27, "R"), ("TVA", 15, "R"),
            ("Montant HT", 40, "R")]
    y = pdf.table(12, y + 12, cols, blocks.line_rows(inv, st, ref=True), size=8.5, row_h=6.5)
    y += 6
    brows = blocks.breakdown_rows(inv, st)
    bcols = [("Taux", 16, "C"), ("Base HT", 26, "R"), ("TVA", 24, "R"), ("TTC", 26, "R")]
    pdf.table(12, y, bcols, brows, size=8, row_h=5.5)
    rows = blocks.totals_rows(inv, st, rng, breakdown_in_totals=False) + blocks.deposit_rows(inv, st, rng)
    y2 = _totals_block(pdf, 128, y, 70, rows, 9, 6.5, boxed=True, last_bold=not inv.deposit)
    y = max(y2, y + 6 * (len(brows) + 1)) + 6
    if inv.date:
        pdf.put(12, y, "Conditions de règlement : 30 jours - échéance le " + st.date(inv.due), 8.5)
    bank = blocks.bank_lines(inv, rng)
    if bank:
        pdf.lines_at(12, y + 6, bank, 8, first_style="B", gap=4.2)
    pdf.hline(12, 198, 268, 0.2)
    pdf.lines_at(12, 270, blocks.fr_legal_footer(inv, st, rng)[:2], 7, align="C", w=186, gap=3.5)
    pdf.set_font(pdf.family, "", 6.5)
    pdf.set_xy(12, 278)
    pdf.multi_cell(186, 3, pdf.clean(blocks.fr_legal_footer(inv, st, rng)[2]), align="C")
    return bytes(pdf.output())


def receipt(rng: random.Random, inv: Invoice) -> bytes:
    width = 40
    page_w = 80
    n = len(inv.lines)
    pdf = Canvas(rng, rng.choice(MONO), format=(page_w, 150 + 9 * n + 12 * len(inv.breakdown())))
    st = pick_style(rng, inv, ["fr_plain", "plain_dot", "fr_space"], ["suffix: EUR", "suffix:EUR", "suffix: €"])
    st.line_currency = "none"
    pdf.add_page()
    size = 7.6
    lines: list[str] = []

    def center(t):
        lines.append(t[:width].center(width))

    def leader(label, value):
        dots = width - len(label) - len(value)
        lines.append(label + "." * max(dots, 1) + value)

    inv.seller_name = inv.seller_name.upper()  # receipts print the name in capitals; the truth follows
    center(inv.seller_name)
    center(inv.seller_street)
    center(inv.seller_city)
    center("Tel " + inv.phone)
    center("SIRET " + inv.siret)
    if inv.vat:
        center("TVA " + inv.vat)
    lines.append("=" * width)
    center(blocks.title(inv) + (" N° " + inv.number if inv.number else ""))
    if inv.date:
        lines.append("Date : " + fmt.format_date(inv.date, rng.choice(["dmy_slash", "dmy_short", "dmy_dash"]), "fr")
                     + "  %02d:%02d" % (rng.randint(8, 18), rng.randint(0, 59)))
    lines.append("Ticket %04d  Caisse %d  Vendeur %02d" % (rng.randint(1, 9999), rng.randint(1, 4), rng.randint(1, 20)))
    lines.append("-" * width)
    lines.append("Client :")
    lines.append(BUYER_NAME)
    lines.append("62300 LENS")
    if inv.buyer_siret:
        lines.append("SIRET client " + inv.buyer_siret)
    if inv.po:
        lines.append("Bon de commande " + inv.po)
    lines.append("-" * width)
    for line in inv.lines:
        lines.append(line.desc[:width])
        amount = st.money(inv, line.amount, in_table=True)
        left = "  %s x %s" % (blocks.qty_text(line.qty, st), st.money(inv, line.unit, in_table=True))
        lines.append(left + " " * max(1, width - len(left) - len(amount) - 3) + amount + " " + ("A" if line.rate == inv.lines[0].rate else "B") + " ")
    lines.append("-" * width)
    for label, value in blocks.totals_rows(inv, st, rng):
        leader(label.upper(), value)
    lines.append("-" * width)
    for rate, base, vat in inv.breakdown():
        lines.append("TVA %-6s base %s" % (blocks.rate_text(rate, st), st.money(inv, base, in_table=True)))
    lines.append("=" * width)
    if inv.iban:
        lines.append("Virement IBAN")
        lines.append(inv.iban)
    else:
        leader("REGLEMENT CB", st.money(inv, inv.ttc))
    center("Merci de votre visite")
    center("A bientot !")
    y = 5
    for text in lines:
        pdf.put(4, y, text, size)
        y += size * 0.42
    return bytes(pdf.output())


def _classic_body(pdf: Canvas, rng: random.Random, inv: Invoice, st, width: float = 210) -> None:
    """A plain French invoice drawn in portrait coordinates (used alone or under a rotation)."""
    pdf.put(15, 15, inv.seller_name, 14, "B")
    pdf.lines_at(15, 23, [inv.seller_street, inv.seller_city, "Tél : " + inv.phone] + blocks.seller_id_lines(inv, st, rng), 8.5)
    pdf.put(120, 15, blocks.title(inv), 18, "B", w=75, align="R")
    y = 25
    if inv.number:
        pdf.put(120, y, rng.choice(["N° ", "Numéro : ", "Facture n° "]) + inv.number, 9.5, w=75, align="R")
        y += 5
    if inv.date:
        pdf.put(120, y, rng.choice(["Date : ", "Émise le ", "Date d'émission : "]) + st.date(inv.date), 9.5, w=75, align="R")
        y += 5
    pdf.rect_at(115, 48, 80, 30)
    pdf.lines_at(118, 51, blocks.buyer_lines(inv, st, rng), 8.5, first_style="B", gap=4.3)
    y = 85
    if inv.po:
        pdf.put(15, y, "Votre réf. commande : " + inv.po, 8.5)
    cols = [("Désignation", 80, "L"), ("Qté", 15, "R"), ("PU HT", 28, "R"), ("TVA", 17, "R"), ("Total HT", 40, "R")]
    y = pdf.table(15, y + 7, cols, blocks.line_rows(inv, st), row_h=6.5)
    y = _totals_block(pdf, 125, y + 5, 70, blocks.totals_rows(inv, st, rng), 9.5, 6.5, boxed=True)
    if inv.date:
        pdf.put(15, y + 5, "À régler avant le " + st.date(inv.due), 8.5)
    bank = blocks.bank_lines(inv, rng)
    if bank:
        pdf.lines_at(15, y + 11, bank, 8, first_style="B")


def rotated(rng: random.Random, inv: Invoice) -> bytes:
    """A portrait invoice stored as a landscape page with /Rotate 90."""
    import pypdfium2 as pdfium
    pdf = Canvas(rng, rng.choice(SANS + SERIF), orientation="L")
    st = pick_style(rng, inv, FR_AMOUNTS)
    pdf.add_page()
    with pdf.rotation(90, x=105, y=105):
        _classic_body(pdf, rng, inv, st)
    doc = pdfium.PdfDocument(bytes(pdf.output()))
    doc[0].set_rotation(90)
    import io
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def landscape(rng: random.Random, inv: Invoice) -> bytes:
    pdf = Canvas(rng, rng.choice(SANS), orientation="L")
    st = pick_style(rng, inv, FR_AMOUNTS)
    pdf.add_page()
    pdf.put(12, 12, inv.seller_name, 13, "B")
    pdf.lines_at(12, 19, [inv.seller_street, inv.seller_city, "Tél. " + inv.phone] + blocks.seller_id_lines(inv, st, rng), 8)
    pdf.put(110, 12, blocks.title(inv), 16, "B", w=75, align="C")
    info = []
    if inv.number:
        info.append("N° : " + inv.number)
    if inv.date:
        info.append("Date : " + st.date(inv.date))
    info.append("Client : " + inv.customer_no)
    if inv.po:
        info.append("Engagement : " + inv.po)
    pdf.lines_at(110, 21, info, 9, w=75, align="C", gap=4.6)
    pdf.rect_at(195, 12, 90, 36)
    pdf.lines_at(198, 15, blocks.buyer_lines(inv, st, rng), 8.5, first_style="B", gap=4.4)
    cols = [("Réf.", 16, "L"), ("Désignation", 95, "L"), ("Qté", 14, "R"), ("Unité", 16, "C"), ("P.U. HT", 28, "R"),
            ("Remise", 18, "R"), ("Montant HT", 32, "R"), ("TVA", 16, "R"), ("Montant TTC", 38, "R")]
    rows = []
    for i, line in enumerate(inv.lines):
        ttc = line.amount + line.amount * line.rate / 100
        from .model import q
        rows.append(["A%03d" % (i + 1), line.desc, blocks.qty_text(line.qty, st), rng.choice(["u", "h", "forfait", "lot"]),
                     st.money(inv, line.unit, in_table=True), "-", st.money(inv, line.amount, in_table=True),
                     blocks.rate_text(line.rate, st), st.money(inv, q(ttc), in_table=True)])
    y = pdf.table(12, 56, cols, rows, size=8, row_h=6, stripe=(245, 245, 245))
    bcols = [("Taux TVA", 22, "C"), ("Base HT", 32, "R"), ("Montant TVA", 32, "R"), ("Total TTC", 32, "R")]
    pdf.table(12, y + 8, bcols, blocks.breakdown_rows(inv, st), size=8, row_h=5.5)
    _totals_block(pdf, 205, y + 8, 80, blocks.totals_rows(inv, st, rng, breakdown_in_totals=False), 9.5, 6.5, boxed=True)
    pdf.lines_at(12, 190, blocks.fr_legal_footer(inv, st, rng)[:2], 7, w=273, align="C", gap=3.6)
    bank = blocks.bank_lines(inv, rng)
    if bank:
        pdf.put(12, 198, "   ".join(bank[1:3]), 7.5, w=273, align="C")
    return bytes(pdf.output())


def three_pages(rng: random.Random, inv: Invoice) -> bytes:
    """Long invoice: 'A reporter' / 'Report' carried-forward lines, totals on page 3 only."""
    pdf = Canvas(rng, rng.choice(SANS + SERIF))
    st = pick_style(rng, inv, FR_AMOUNTS)
    per_page = [26, 34, 40]
    cols = [("Désignation", 95, "L"), ("Qté", 15, "R"), ("PU HT", 28, "R"), ("TVA", 14, "R"), ("Montant HT", 32, "R")]
    rows = blocks.line_rows(inv, st)
    amounts = [line.amount for line in inv.lines]
    start, carried = 0, 0
    from decimal import Decimal
    carried = Decimal("0")
    for page in range(3):
        pdf.add_page()
        y = 12
        if page == 0:
            pdf.put(12, 12, inv.seller_name, 13, "B")
            pdf.lines_at(12, 19, [inv.seller_street, inv.seller_city, "Tél. " + inv.phone], 8.5)
            pdf.put(120, 12, blocks.title(inv), 16, "B", w=78, align="R")
            info = ([("Facture n° " if inv.doc_type == "invoice" else "Avoir n° ") + inv.number] if inv.number else [])
            info += (["Date : " + st.date(inv.date)] if inv.date else []) + (["Commande : " + inv.po] if inv.po else [])
            pdf.lines_at(120, 21, info, 9, w=78, align="R")
            pdf.rect_at(112, 38, 86, 30)
            pdf.lines_at(115, 41, blocks.buyer_lines(inv, st, rng), 8.5, first_style="B", gap=4.3)
            y = 74
        else:
            head = "%s (suite)" % inv.seller_name
            if inv.number:
                head += " - " + (inv.number)
            pdf.put(12, 12, head, 9, "B")
            y = 20
            pdf.put(12, y, "Report", 9, "B")
            pdf.put(12, y, st.money(inv, carried), 9, "B", w=184, align="R")
            y += 7
        chunk = rows[start:start + per_page[page]]
        y = pdf.table(12, y, cols, chunk, size=8, row_h=6)
        carried += sum(amounts[start:start + per_page[page]], Decimal("0"))
        start += per_page[page]
        if page < 2:
            pdf.put(12, y + 2, "A reporter", 9, "B")
            pdf.put(12, y + 2, st.money(inv, carried), 9, "B", w=184, align="R")
        else:
            brows = blocks.breakdown_rows(inv, st)
            pdf.table(12, y + 6, [("Taux", 16, "C"), ("Base HT", 26, "R"), ("TVA", 24, "R"), ("TTC", 26, "R")],
                      brows, size=8, row_h=5.5)
            _totals_block(pdf, 116, y + 6, 82, blocks.totals_rows(inv, st, rng, breakdown_in_totals=False), 9.5, 6.5,
                          boxed=True)
            pdf.lines_at(12, 264, blocks.seller_id_lines(inv, st, rng) + blocks.bank_lines(inv, rng)[1:2], 8, gap=4)
        pdf.put(12, 287, "Page %d/3" % (page + 1), 8, w=186, align="R")
    return bytes(pdf.output())


def two_columns(rng: random.Random, inv: Invoice) -> bytes:
    """Header in two columns; the right one holds the customer's own identifiers (decoys for the seller's)."""
    pdf = Canvas(rng, rng.choice(["DejaVu", "Liberation", "DejaVuSerif", "times"]))
    st = pick_style(rng, inv, FR_AMOUNTS)
    pdf.add_page()
    pdf.put(15, 15, inv.seller_name, 14, "B")
    left = [inv.seller_street, inv.seller_city, "Tél. " + inv.phone, "Fax " + inv.phone[:-2] + "99", inv.email]
    left += blocks.seller_id_lines(inv, st, rng)
    pdf.lines_at(15, 23, left, 8.5, gap=4.3)
    pdf.rect_at(112, 13, 85, 52, fill=(247, 247, 252))
    pdf.put(115, 15, "CLIENT", 8, "B", color=(80, 80, 140))
    right = blocks.buyer_lines(inv, st, rng, with_siret=False)
    right += ["Code client : " + inv.customer_no]
    if inv.buyer_siret:
        right.append(rng.choice(["Votre SIRET : ", "SIRET du client : ", "Identifiant client (SIRET) : "])
                     + fmt.format_siret(inv.buyer_siret, rng.choice(["spaced", "compact"])))
    right.append(rng.choice(["Votre n° TVA : ", "TVA client : "]) + blocks.OFFICE_VAT)
    right.append("Code service : " + rng.choice(["ACHATS", "COMPTA", "SERV-01"]))
    pdf.lines_at(115, 21, right, 8.5, first_style="B", gap=4.4)
    y = 74
    pdf.put(15, y, blocks.title(inv), 18, "B")
    fields = []
    if inv.number:
        fields.append(("Numéro", inv.number))
    if inv.date:
        fields.append(("Date d'émission", st.date(inv.date)))
        fields.append(("Date d'échéance", st.date(inv.due)))
    if inv.po:
        fields.append(("N° d'engagement", inv.po))
    fields.append(("Devis", inv.quote_no))
    w = 180 / len(fields)
    for i, (label, value) in enumerate(fields):
        pdf.rect_at(15 + i * w, y + 10, w, 12)
        pdf.put(17 + i * w, y + 11, label, 7, color=(100, 100, 100))
        pdf.put(17 + i * w, y + 16, value, 9, "B")
    if inv.doc_type == "credit_note":
        pdf.put(15, y + 25, blocks.CREDIT_REF["fr"] % inv.credited_invoice, 8.5)
    cols = [("Désignation", 82, "L"), ("Quantité", 20, "R"), ("Prix unit. HT", 28, "R"), ("TVA", 16, "R"),
            ("Total HT", 34, "R")]
    y = pdf.table(15, y + 31, cols, blocks.line_rows(inv, st), row_h=6.5, grid=False, head_fill=(220, 220, 235))
    rows = blocks.totals_rows(inv, st, rng) + blocks.deposit_rows(inv, st, rng)
    y = _totals_block(pdf, 120, y + 5, 75, rows, 9.5, 6.5, last_bold=not inv.deposit)
    bank = blocks.bank_lines(inv, rng)
    if bank:
        pdf.lines_at(15, y + 6, bank, 8, first_style="B")
    pdf.lines_at(15, 272, blocks.fr_legal_footer(inv, st, rng)[:2], 7, w=180, align="C", gap=3.5)
    return bytes(pdf.output())
