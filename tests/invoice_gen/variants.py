"""One-defect variants of a clean invoice. Each changes the truth (what is printed) and sets
expected_issues to the one code the checker should report."""

from __future__ import annotations

import random

from stdnum import luhn

from .truth import CENT, OFFICE, Invoice, siren, siret

DEFECTS = ("wrong_buyer_siret", "totals_mismatch", "invalid_seller_siret_checksum", "missing_invoice_number",
           "missing_buyer_siret", "missing_date", "wrong_currency", "invalid_vat", "scan_page")


def _bad_digit(rng: random.Random, s: str, lo: int, hi: int) -> str:
    """Change one digit in s[lo:hi] so that the Luhn key no longer holds."""
    while True:
        i = rng.randrange(lo, hi)
        d = str((int(s[i]) + rng.randint(1, 9)) % 10)
        cand = s[:i] + d + s[i + 1:]
        if not luhn.is_valid(cand):
            return cand


def apply(inv: Invoice, fam: dict, code: str, rng: random.Random) -> None:
    if code not in DEFECTS:
        raise ValueError(f"unknown defect {code!r}; one of {DEFECTS}")
    fam["defect"] = code
    inv.expected_issues = [code] if code != "scan_page" else []
    if code == "wrong_buyer_siret":
        if rng.random() < 0.6:
            inv.buyer_siret = _bad_digit(rng, OFFICE["siret"], 0, 14)   # a typo in the office SIRET
        else:
            inv.buyer_siret = siret(rng, siren(rng))                  # another valid SIRET
        fam["buyer_siret_keyword"] = True
    elif code == "totals_mismatch":
        inv.printed_ttc = inv.total_ttc + rng.choice([CENT, -CENT])
    elif code == "invalid_seller_siret_checksum":
        _french_seller(inv, rng)
        inv.seller_siret = _bad_digit(rng, inv.seller_siret, 9, 14)   # the NIC: SIREN and VAT still agree
        fam["ids_position"] = fam["ids_position"] if fam["ids_position"] != "footer" else "both"
    elif code == "missing_invoice_number":
        inv.show_number = False
    elif code == "missing_buyer_siret":
        inv.buyer_siret = None
    elif code == "missing_date":
        inv.show_date = False
        fam["show_due"] = fam["show_delivery"] = fam["show_due_text"] = False
    elif code == "wrong_currency":
        inv.currency = rng.choice(["USD", "GBP"])
        if fam["currency_style"] == "none":
            fam["currency_style"] = "after_eur"
    elif code == "invalid_vat":
        _french_seller(inv, rng)
        good = int(inv.seller_vat[2:4])
        inv.seller_vat = f"FR{(good + rng.randint(1, 96)) % 97:02d}{inv.seller_siren}"


def _french_seller(inv: Invoice, rng: random.Random) -> None:
    """SIRET and VAT defects need a French seller that prints both."""
    if inv.country != "FR":
        sir = siren(rng)
        inv.country, inv.seller_siren, inv.seller_siret = "FR", sir, siret(rng, sir)
        inv.seller_city = "62300 Lens"
        inv.seller_street = "12 rue de la Gare"
        inv.seller_phone = "03 21 00 00 00"
    if not inv.seller_vat:
        from .truth import fr_vat
        inv.seller_vat = fr_vat(inv.seller_siren)
    elif not inv.seller_vat.startswith("FR"):
        from .truth import fr_vat
        inv.seller_vat = fr_vat(inv.seller_siren)


def scan(data: bytes, fam: dict, rng: random.Random) -> bytes:
    """Replace one page (the first of a one-page invoice, else a random one) by its picture."""
    import io

    import pypdfium2 as pdfium
    from fpdf import FPDF

    doc = pdfium.PdfDocument(data)
    n = len(doc)
    target = 0 if n == 1 else rng.randrange(n)
    fam["scan_page"] = target + 1
    out = FPDF(unit="pt")
    out.set_auto_page_break(False)
    src_text = []
    for i in range(n):
        page = doc[i]
        w, h = page.get_size()
        rot = page.get_rotation()
        pw, ph = (h, w) if rot in (90, 270) else (w, h)
        out.add_page(format=(pw, ph) if pw <= ph else (ph, pw), orientation="P" if pw <= ph else "L")
        img = page.render(scale=1.4 if i == target else 2.0, grayscale=True).to_pil()
        if i == target:
            img = img.rotate(rng.uniform(-0.8, 0.8), expand=False, fillcolor=255)
            buf = io.BytesIO()
            img.save(buf, format="JPEG", quality=70)
            out.image(buf, 0, 0, pw, ph)
        else:
            src_text.append(i)
    doc.close()
    if n == 1:
        return bytes(out.output())
    # other pages keep their text: rebuild from the original pages, only the target one is a picture
    src = pdfium.PdfDocument(data)
    pic = pdfium.PdfDocument(bytes(out.output()))
    dst = pdfium.PdfDocument.new()
    for i in range(n):
        if i == target:
            dst.import_pages(pic, [i])
        else:
            dst.import_pages(src, [i])
    buf = io.BytesIO()
    dst.save(buf)
    for d in (src, pic, dst):
        d.close()
    return buf.getvalue()
