"""Randomised invoices (seeded, reproducible): labels, placements, number and date formats and
page counts drawn at random, to measure the checker on layouts nobody tuned it for."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from stdnum import iban as iban_mod
from stdnum import luhn

from tests.services.pdf_check_gen import NBSP, NNBSP, _pdf, _text

OFFICE_SIRET = "80938923200020"
MONTHS_FR = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
             "novembre", "décembre"]
NAMES = ["Boulangerie", "Atelier", "Transports", "Imprimerie", "Traiteur", "Compagnie", "Studio", "Menuiserie",
         "Gîtes", "Librairie"]
PLACES = ["du Terril", "de la Souchez", "des Flandres", "Lensois", "du Louvre", "de l'Artois", "Saint-Pierre",
          "des Mineurs"]
FORMS = ["", " SARL", " SAS", " EURL", " SASU"]


def _siren(rng: random.Random) -> str:
    body = "".join(str(rng.randint(0, 9)) for _ in range(8))
    body = str(rng.randint(1, 9)) + body[1:]
    return body + luhn.calc_check_digit(body)


def _siret(rng: random.Random, siren: str) -> str:
    nic = "".join(str(rng.randint(0, 9)) for _ in range(4))
    body = siren + nic
    return body + luhn.calc_check_digit(body)


def _vat(siren: str) -> str:
    key = (12 + 3 * (int(siren) % 97)) % 97
    return f"FR{key:02d}{siren}"


def _iban(rng: random.Random) -> str:
    bban = "".join(str(rng.randint(0, 9)) for _ in range(23))
    return "FR" + iban_mod.calc_check_digits("FR00" + bban) + bban


def _group(digits: str, sizes) -> str:
    out, pos = [], 0
    for size in sizes:
        out.append(digits[pos:pos + size])
        pos += size
    return " ".join(out)


def _amount(value: Decimal, style: str) -> str:
    sign = "-" if value < 0 else ""
    whole, frac = f"{abs(value):.2f}".split(".")
    groups = []
    w = whole
    while w:
        groups.insert(0, w[-3:])
        w = w[:-3]
    if style == "fr_nnbsp":
        return sign + NNBSP.join(groups) + "," + frac + NBSP + "€"
    if style == "fr_nbsp":
        return sign + NBSP.join(groups) + "," + frac + " €"
    if style == "fr_space":
        return sign + " ".join(groups) + "," + frac
    if style == "de":
        return sign + ".".join(groups) + "," + frac + " EUR"
    if style == "plain_comma":
        return sign + whole + "," + frac + " €"
    return sign + whole + "." + frac + " EUR"


def _date(d: date, style: str) -> str:
    return {
        "slash": d.strftime("%d/%m/%Y"), "dash": d.strftime("%d-%m-%Y"), "dot": d.strftime("%d.%m.%Y"),
        "iso": d.isoformat(), "words": f"{d.day} {MONTHS_FR[d.month - 1]} {d.year}",
    }[style]


def random_invoice(seed: int) -> tuple[bytes, dict[str, str | None]]:
    rng = random.Random(seed)
    siren = _siren(rng)
    siret = _siret(rng, siren)
    seller = f"{rng.choice(NAMES)} {rng.choice(PLACES)}{rng.choice(FORMS)}"
    credit = rng.random() < 0.15
    number = rng.choice(["F", "FA-", "", "INV-", "2025/"]) + str(rng.randint(10, 99999)).zfill(rng.choice([3, 5]))
    if credit:
        number = "AV-" + str(rng.randint(100, 9999))
    issued = date(2025, 1, 1) + timedelta(days=rng.randint(0, 364))
    po = rng.choice([None, f"EJ{rng.randint(10**9, 10**10 - 1)}", f"BC-2025-{rng.randint(1, 999):04d}",
                     f"CMD-{rng.randint(1000, 99999)}"])
    iban = rng.choice([None, _iban(rng)])
    buyer_style = rng.choice(["SIRET client : {}", "N° SIRET : {}", "Siret : {}", "SIRET destinataire : {}", "{}"])
    buyer_grouped = rng.random() < 0.4
    amount_style = rng.choice(["fr_nnbsp", "fr_nbsp", "fr_space", "de", "plain_comma", "dot"])
    date_style = rng.choice(["slash", "dash", "dot", "iso", "words"])
    rates = rng.sample([Decimal("20"), Decimal("10"), Decimal("5.5")], rng.choice([1, 1, 2, 3]))
    n_lines = rng.randint(2, 70)
    lines = []
    for i in range(n_lines):
        rate = rng.choice(rates)
        ht = Decimal(rng.randint(500, 250000)) / 100
        lines.append((f"Prestation {i + 1} – {rng.choice(['visite', 'repas', 'impression', 'transport'])}", ht, rate))
    total_ht = sum((ht for _, ht, _ in lines), Decimal("0"))
    by_rate: dict[Decimal, Decimal] = {}
    for _, ht, rate in lines:
        by_rate[rate] = by_rate.get(rate, Decimal("0")) + ht
    tva_by_rate = {r: (b * r / 100).quantize(Decimal("0.01")) for r, b in by_rate.items()}
    total_tva = sum(tva_by_rate.values(), Decimal("0"))
    total_ttc = total_ht + total_tva
    sign = Decimal("-1") if credit else Decimal("1")
    printed_sign = sign if (credit and rng.random() < 0.5) else Decimal("1")

    pdf = _pdf()
    pdf.add_page()
    header = rng.choice(["left", "right"])
    sx = 40 if header == "left" else 330
    fx = 330 if header == "left" else 40
    _text(pdf, sx, 50, seller, 13, True)
    _text(pdf, sx, 66, f"{rng.randint(1, 200)} rue {rng.choice(PLACES)}, 62{rng.randint(100, 999)} Lens")
    siret_print = _group(siret, (3, 3, 3, 5)) if rng.random() < 0.5 else siret
    id_place = rng.choice(["header", "footer"])
    if id_place == "header":
        _text(pdf, sx, 80, f"SIRET : {siret_print}")
        vat = _vat(siren)
        _text(pdf, sx, 94, f"TVA intracom. : {vat if rng.random() < 0.5 else vat[:2] + ' ' + vat[2:4] + ' ' + vat[4:]}")
    title = "AVOIR" if credit else rng.choice(["FACTURE", "Facture"])
    _text(pdf, fx, 50, title, 16, True)
    num_label = rng.choice(["Facture n°", "N° de facture", "Numéro de facture", "Réf. facture", "Invoice No"])
    if credit:
        num_label = rng.choice(["Avoir n°", "N° d'avoir"])
    date_label = rng.choice(["Date", "Date de facture", "Date d'émission", "Émise le"])
    placement = rng.choice(["inline", "above", "column"])
    fields = [(num_label, number), (date_label, _date(issued, date_style))]
    if rng.random() < 0.2:
        # the number in the title: "FACTURE N° F00123"
        pdf.set_fill_color(255, 255, 255)
        pdf.rect(fx - 2, 36, 200, 18, style="F")
        _text(pdf, fx, 50, f"{title} N° {number}", 16, True)
        fields = fields[1:]
    if po:
        fields.append((rng.choice(["Bon de commande n°", "N° d'engagement", "Commande n°", "Votre réf. commande"]), po))
    y = 80
    for label, value in fields:
        if placement == "inline":
            _text(pdf, fx, y, f"{label} : {value}")
            y += 16
        elif placement == "above":
            _text(pdf, fx, y, label, 8, True)
            _text(pdf, fx, y + 13, value)
            y += 30
        else:
            _text(pdf, fx, y, label)
            _text(pdf, fx + 120, y, value)
            y += 16
    _text(pdf, fx, y + 4, f"Échéance : {_date(issued + timedelta(days=30), date_style)}", 8)
    if credit:
        _text(pdf, fx, y + 18, f"Avoir sur facture n° F{rng.randint(100, 999)} du {_date(issued - timedelta(days=20), date_style)}", 8)
    by = max(y + 40, 150)
    _text(pdf, 40, by, "OFFICE TOURISME ET PATRIMOINE DE LA CALL", 10, True)
    _text(pdf, 40, by + 14, "16 place Jean Jaurès, 62300 LENS")
    buyer_value = _group(OFFICE_SIRET, (3, 3, 3, 5)) if buyer_grouped else OFFICE_SIRET
    _text(pdf, 40, by + 28, buyer_style.format(buyer_value))

    yy = by + 70
    page_no = 1
    _text(pdf, 40, yy, "Désignation            Qté     P.U. HT     TVA     Montant HT", 8, True)
    yy += 16
    for text, ht, rate in lines:
        if yy > 740:
            _text(pdf, 40, 820, f"{seller} - SIRET {siret} - Page {page_no}", 6)
            pdf.add_page()
            page_no += 1
            yy = 60
            _text(pdf, 40, yy, f"{title} {number} (suite)", 8)
            yy += 20
        _text(pdf, 40, yy, text, 8)
        _text(pdf, 300, yy, f"{rate:g} %", 8)
        _text(pdf, 380, yy, _amount(ht * printed_sign, amount_style), 8)
        yy += 13
    if yy > 600:
        pdf.add_page()
        page_no += 1
        yy = 80
    tlabels = rng.choice([("Total HT", "Total TVA", "Total TTC"), ("Montant HT", "Montant TVA", "Montant TTC"),
                          ("Sous-total HT", "TVA", "Net à payer"), ("Total hors taxes", "Total TVA", "Total TTC")])
    yy += 20
    if rng.random() < 0.25:
        # totals as a table: labels on one row, amounts under them
        x = 200
        for label, value in zip(("Total HT", "Total TVA", "Total TTC"), (total_ht, total_tva, total_ttc)):
            _text(pdf, x, yy, label, 9, True)
            _text(pdf, x, yy + 16, _amount(value * printed_sign, amount_style), 9)
            x += 120
        yy += 50
        if rng.random() < 0.5 and not credit:
            deposit = (total_ttc / 3).quantize(Decimal("0.01"))
            _text(pdf, 300, yy, "Acompte versé")
            _text(pdf, 430, yy, _amount(deposit, amount_style))
            _text(pdf, 300, yy + 15, "Net à payer")
            _text(pdf, 430, yy + 15, _amount(total_ttc - deposit, amount_style))
        return _finish(pdf, rng, seller, siret, siren, iban, id_place, yy + 40, credit, number, issued, po, sign,
                       total_ht, total_tva, total_ttc)
    _text(pdf, 300, yy, tlabels[0])
    _text(pdf, 430, yy, _amount(total_ht * printed_sign, amount_style))
    yy += 15
    if len(tva_by_rate) > 1 and rng.random() < 0.5:
        for rate, amount in sorted(tva_by_rate.items(), reverse=True):
            _text(pdf, 300, yy, f"TVA {rate:g} %".replace(".", ","))
            _text(pdf, 430, yy, _amount(amount * printed_sign, amount_style))
            yy += 15
    _text(pdf, 300, yy, tlabels[1] if len(tva_by_rate) > 1 or tlabels[1] != "TVA" else f"TVA {rates[0]:g} %")
    _text(pdf, 430, yy, _amount(total_tva * printed_sign, amount_style))
    yy += 15
    _text(pdf, 300, yy, tlabels[2], bold=True)
    _text(pdf, 430, yy, _amount(total_ttc * printed_sign, amount_style), bold=True)
    yy += 30
    if rng.random() < 0.3 and not credit:
        deposit = (total_ttc / 4).quantize(Decimal("0.01"))
        _text(pdf, 300, yy, "Acompte versé")
        _text(pdf, 430, yy, _amount(deposit, amount_style))
        _text(pdf, 300, yy + 15, "Reste à payer")
        _text(pdf, 430, yy + 15, _amount(total_ttc - deposit, amount_style))
        yy += 40
    return _finish(pdf, rng, seller, siret, siren, iban, id_place, yy, credit, number, issued, po, sign,
                   total_ht, total_tva, total_ttc)


def _finish(pdf, rng, seller, siret, siren, iban, id_place, yy, credit, number, issued, po, sign,
            total_ht, total_tva, total_ttc):
    if iban:
        ib = " ".join(iban[i:i + 4] for i in range(0, len(iban), 4)) if rng.random() < 0.5 else iban
        _text(pdf, 40, yy, f"Règlement par virement - IBAN : {ib} - BIC : CMCIFR2A", 8)
    _text(pdf, 40, yy + 14, "En cas de retard, pénalités au taux de 3 fois le taux d'intérêt légal et indemnité "
                           "forfaitaire de 40 € pour frais de recouvrement.", 7)
    _text(pdf, 40, 800, f"{seller} - SAS au capital de {rng.choice(['1 000,00', '10 000', '50 000,00'])} € - "
                       f"SIRET {siret} - TVA {_vat(siren)}" if id_place == "footer" or rng.random() < 0.5 else
          f"{seller} - Prestation de services", 6)
    expected = {
        "invoice_number": number, "invoice_date": issued.isoformat(),
        "doc_type": "credit_note" if credit else "invoice", "seller_name": seller, "seller_siret": siret,
        "seller_siren": siren, "seller_vat": _vat(siren), "buyer_siret": OFFICE_SIRET,
        "total_ht": f"{total_ht * sign:.2f}", "total_tva": f"{total_tva * sign:.2f}",
        "total_ttc": f"{total_ttc * sign:.2f}", "currency": "EUR", "purchase_order": po, "iban": iban,
    }
    return bytes(pdf.output()), expected
