"""Self-checks of a generated invoice: are the truth values really printed? (used by the tests)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from . import formats as F

SPACES = re.compile(r"[\s\u00a0\u202f]+")


def pdf_text(data: bytes) -> list[str]:
    """Text of each page with pdfium (independent of the checker's pdfplumber)."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(data)
    try:
        out = []
        for page in doc:
            tp = page.get_textpage()
            out.append(tp.get_text_range())
            tp.close()
            page.close()
        return out
    finally:
        doc.close()


def amount_forms(value: str) -> set[str]:
    v = abs(Decimal(value))
    return {F.number(v, fmt) for fmt in F.NUMBER_FORMATS}


def date_forms(iso: str) -> set[str]:
    d = date.fromisoformat(iso)
    return {F.date_text(d, fmt, lang) for fmt in F.DATE_FORMATS for lang in F.MONTHS}


def missing_values(truth: dict, pages: list[str]) -> list[str]:
    """Names of truth fields whose value cannot be found in the text (empty list = all printed), and
    of null fields whose value IS printed (e.g. a 'missing' buyer SIRET)."""
    text = "\n".join(pages)
    flat = SPACES.sub(" ", text)
    compact = SPACES.sub("", text)
    bad = []
    for name in ("invoice_number", "seller_name", "purchase_order"):
        if truth[name] is not None and truth[name] not in flat and truth[name].upper() not in flat:
            bad.append(name)
    for name in ("seller_siret", "seller_vat", "buyer_siret", "iban"):
        if truth[name] is not None and truth[name] not in compact:
            bad.append(name)
    if truth["seller_siren"] is not None and truth["seller_siren"] not in compact:
        bad.append("seller_siren")
    if truth["invoice_date"] is not None:
        if not any(f in flat or f.upper() in flat or f.lower() in flat for f in date_forms(truth["invoice_date"])):
            bad.append("invoice_date")
    for name in ("total_ht", "total_tva", "total_ttc"):
        forms = {SPACES.sub(" ", f) for f in amount_forms(truth[name])}
        if not any(f in flat for f in forms):
            bad.append(name)
    if truth["buyer_siret"] is None and "80938923200020" in compact:
        bad.append("buyer_siret printed")
    return bad
