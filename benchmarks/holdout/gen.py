"""Held-out invoice generator: generate(seed, defect) -> (pdf_bytes, truth, layout_name).

Used only to measure the PDF checker; its layouts were designed without reading the checker."""
from __future__ import annotations

import random
from decimal import Decimal

import pypdfium2 as pdfium

from . import ids, layouts_fr, layouts_intl, scan
from .model import CENT, Line, build_invoice, q

# name -> (draw function, language, seller country, build options)
LAYOUTS = {
    "odoo": (layouts_fr.odoo, "fr", "FR", {}),
    "artisan": (layouts_fr.artisan, "fr", "FR", {}),
    "receipt": (layouts_fr.receipt, "fr", "FR", {"n_lines": (1, 4)}),
    "rotated": (layouts_fr.rotated, "fr", "FR", {}),
    "landscape": (layouts_fr.landscape, "fr", "FR", {"multi_rate": True, "n_lines": (2, 9)}),
    "three_pages": (layouts_fr.three_pages, "fr", "FR", {"n_lines": (62, 70)}),
    "two_columns": (layouts_fr.two_columns, "fr", "FR", {}),
    "english": (layouts_intl.english, "en", "FR", {}),
    "rechnung": (layouts_intl.rechnung, "de", "DE", {}),
    "factuur": (layouts_intl.factuur, "nl", "NL", {}),
    "factura": (layouts_intl.factura, "es", "ES", {}),
    "fattura": (layouts_intl.fattura, "it", "IT", {}),
    "belge": (layouts_intl.belge, "fr", "BE", {}),
}
DEFECTS = ["missing_invoice_number", "missing_date", "missing_buyer_siret", "wrong_buyer_siret", "totals_mismatch",
           "invalid_seller_siret_checksum", "invalid_vat", "wrong_currency", "scan_no_text", "partial_scan"]
DEPOSIT_LAYOUTS = {"artisan", "two_columns"}


def _layout_for(seed: int, defect: str | None) -> str:
    names = list(LAYOUTS)
    if defect == "invalid_seller_siret_checksum":
        names = [n for n in names if LAYOUTS[n][2] == "FR"]
    if defect == "partial_scan":
        names = ["three_pages"]
    return names[seed % len(names)]


def generate(seed: int, defect: str | None = None) -> tuple[bytes, dict, str]:
    if defect is not None and defect not in DEFECTS:
        raise ValueError("unknown defect %r" % defect)
    rng = random.Random("holdout:%d:%s" % (seed, defect))
    layout = _layout_for(seed, defect)
    draw, lang, country, options = LAYOUTS[layout]
    inv = build_invoice(rng, lang, country, **options)

    if rng.random() < 0.13:
        inv.doc_type = "credit_note"
        inv.print_negative = rng.random() < 0.65
        inv.credited_invoice = inv.number[:-1] + str((int(inv.number[-1]) + 3) % 10) if inv.number[-1].isdigit() \
            else inv.number + "0"
        inv.deposit = None
        inv.notes.append("credit note, %s amounts" % ("negative" if inv.print_negative else "positive"))
    else:
        if rng.random() < 0.15:
            first = inv.lines[0]
            label = {"fr": "Remise commerciale 5 %", "de": "Rabatt 5 %", "nl": "Korting 5%", "es": "Descuento 5 %",
                     "it": "Sconto 5%", "en": "Discount 5%"}[lang]
            inv.lines.append(Line(label, Decimal(1), -q(first.amount * Decimal("0.05")), first.rate))
            inv.notes.append("discount line")
    if inv.doc_type == "invoice" and layout in DEPOSIT_LAYOUTS and rng.random() < 0.3:
        inv.deposit = (inv.ttc * Decimal("0.3")).quantize(Decimal("1"))
        inv.notes.append("deposit deducted")
    if len(inv.breakdown()) > 1:
        inv.notes.append("multi-rate VAT")

    expected: list[str] = [] if defect is None else [defect]
    if defect == "missing_invoice_number":
        inv.number = None
    elif defect == "missing_date":
        inv.date = inv.due = None
    elif defect == "missing_buyer_siret":
        inv.buyer_siret = None
    elif defect == "wrong_buyer_siret":
        inv.buyer_siret = ids.break_digit(rng, ids.OFFICE_SIRET)
    elif defect == "totals_mismatch":
        inv.ttc_shift = CENT if rng.random() < 0.5 else -CENT
    elif defect == "invalid_seller_siret_checksum":
        inv.siret = ids.break_siret_nic(rng, inv.siret)
    elif defect == "invalid_vat":
        inv.vat = ids.break_vat(rng, inv.vat)
    elif defect == "wrong_currency":
        inv.currency = "USD"

    data = draw(rng, inv)
    kind = "text"
    if defect == "scan_no_text":
        data, kind = scan.scan_all(data, rng), "scan"
    elif defect == "partial_scan":
        data, kind = scan.scan_one_page(data, rng.randrange(3), rng), "mixed"
    pages = len(pdfium.PdfDocument(data))
    return data, inv.truth(pages, layout, expected, kind), layout
