"""Monospace layouts: a cash-register ticket (80 mm wide page) and an old ERP listing on A4,
both text aligned with spaces."""

from __future__ import annotations

import random

from . import formats as F
from .canvas import Canvas
from .layouts import Ctx
from .truth import OFFICE, Invoice

TICKET_W = 226.77  # 80 mm


def _lines(inv: Invoice, fam: dict, c: Ctx, cols: int, rng: random.Random) -> list[tuple[str, bool]]:
    L = c.L
    out: list[tuple[str, bool]] = []

    def centre(s: str, bold: bool = False) -> None:
        for part in _wrap(s, cols):
            out.append((part.center(cols).rstrip(), bold))

    def lr(left: str, right: str, bold: bool = False) -> None:
        lead = {"dots": ".", "dashes": "-"}.get(fam["leaders"], " ")
        room = cols - len(left) - len(right) - 2
        if room < 1:
            out.append((left, bold))
            out.append((right.rjust(cols), bold))
        else:
            out.append((left + " " + (lead * room if lead != " " else " " * room) + " " + right, bold))

    rule = ("=" if fam["leaders"] == "dashes" else "-") * cols
    ids = []
    if inv.seller_siret:
        ids.append(f"{L('siret')} {c.siret(inv.seller_siret)}".replace("::", ":"))
    if inv.seller_vat:
        ids.append(f"{L('vat')} {F.vat_text(inv.seller_vat, fam['vat_style'])}")
    centre(inv.seller_name, True)
    centre(inv.seller_street)
    centre(inv.seller_city)
    centre(f"{L('phone')} {inv.seller_phone}")
    def ident(s: str) -> None:
        """An identifier line; too long for the ticket, the number goes whole on the next line."""
        if len(s) <= cols:
            centre(s)
            return
        label, value = _split_id(s)
        centre(label)
        centre(value)

    if fam["ids_position"] in ("header", "both"):
        for s in ids:
            ident(s)
    out.append((rule, False))
    title = c.title()
    if inv.show_number:
        mark = {"fr": "N°", "en": "#", "de": "Nr.", "nl": "nr.", "es": "Nº", "it": "n."}[inv.lang]
        out.append((f"{title} {c.L.case_of(mark)} {inv.number}" if fam["title_has_number"] else title, True))
        if not fam["title_has_number"]:
            lr(c.number_label(), inv.number)
    else:
        out.append((title, True))
    if inv.show_date:
        lr(L("date"), f"{c.date(inv.issue)} {rng.randint(8, 19):02d}:{rng.randint(0, 59):02d}")
    if fam["monospace"] == "ticket":
        lr({"fr": "Ticket", "en": "Receipt", "de": "Bon", "nl": "Bon", "es": "Ticket", "it": "Scontrino"}[inv.lang],
           f"{rng.randint(1, 99999):06d}  {'Caisse' if inv.lang == 'fr' else 'POS'} {rng.randint(1, 4)}")
    if fam["show_due"]:
        lr(L("due"), c.date(inv.due))
    lr(L("customer_no"), inv.customer_no)
    if inv.purchase_order:
        lr(L("order"), inv.purchase_order)
    if inv.credit_ref:
        lr(L("credit_ref"), inv.credit_ref)
    if inv.quote:
        lr(L("quote"), inv.quote)
    out.append(("", False))
    out.append((L("client") + " :", False))
    for part in _wrap(OFFICE["name"], cols):
        out.append((part, True))
    out.append((OFFICE["street"], False))
    out.append((OFFICE["city"], False))
    if inv.buyer_siret:
        sir = c.siret(inv.buyer_siret)
        out.append((f"{L('buyer_siret')} : {sir}" if fam["buyer_siret_keyword"] else sir, False))
    if inv.buyer_vat_printed:
        out.append((f"{L('customer_vat')} : {OFFICE['vat']}", False))
    out.append((rule, False))
    codes = {r: "ABCD"[i] for i, (r, _, _) in enumerate(inv.breakdown)}  # rate letters, as on tills
    wide = cols >= 70
    if wide:
        head = f"{L('desc')[:cols - 44]:<{cols - 44}}{L('qty')[:6]:>6}{L('unit_price')[:12]:>13}" \
               f"{L('vat_rate')[:6]:>7}{L('amount')[:16]:>18}"
        out.append((head, True))
        out.append((rule, False))
    for ln in inv.lines:
        amount = c.num(ln.amount)
        if wide:
            out.append((f"{ln.desc[:cols - 45]:<{cols - 44}}{c.qty(ln.qty):>6}{c.num(ln.unit, False):>13}"
                        f"{c.rate(ln.rate) + '%':>7}{amount:>18}", False))
        else:
            out.append((ln.desc[:cols], False))
            left = f"  {c.qty(ln.qty)} x {c.num(ln.unit, False)}"
            right = f"{amount} {codes[ln.rate]}"
            out.append((left + " " * max(1, cols - len(left) - len(right)) + right, False))
    out.append((rule, False))
    for lab, val, strong in c.totals_rows():
        lr(lab, val, strong)
    if len(inv.breakdown) > 1 or not wide:
        out.append(("", False))
        for r, base, vat in inv.breakdown:
            code = codes[r]
            out.append((f"{code} {c.rate(r):>4}% {c.num(base):>{(cols - 8) // 2}} {c.num(vat):>{(cols - 8) // 2 - 1}}",
                        False))
    note = c.cur_note()
    if note:
        out.append((note, False))
    out.append((rule, False))
    if fam["monospace"] == "ticket":
        lr({"fr": "Virement", "en": "Bank transfer", "de": "Überweisung", "nl": "Overschrijving",
            "es": "Transferencia", "it": "Bonifico"}[inv.lang], c.money(inv.net_due))
    if inv.iban:
        out.append((f"{L('iban')} {F.iban_text(inv.iban, fam['iban_style'])}"[:cols] if cols >= 44
                    else f"{L('iban')}", False))
        if cols < 44:
            out.append((F.iban_text(inv.iban, "grouped"), False))
    if fam["ids_position"] in ("footer", "both"):
        for s in ids:
            ident(s)
    if inv.country == "FR":
        centre(f"{inv.seller_form} {L('capital')} {F.money(inv.capital, 'fr_space', 'after_euro')}".replace(",00", ""))
        if inv.rcs_city and inv.seller_siren:
            centre(f"RCS {inv.rcs_city} {F.siren_text(inv.seller_siren, fam['siret_style'])}")
    centre({"fr": "Merci de votre visite", "en": "Thank you!", "de": "Vielen Dank!", "nl": "Bedankt!",
            "es": "¡Gracias!", "it": "Grazie!"}[inv.lang])
    return out


def _split_id(s: str) -> tuple[str, str]:
    """'N° TVA intracom. FR 12 345 678 901' -> ('N° TVA intracom.', 'FR 12 345 678 901')."""
    words = s.split(" ")
    for i, w in enumerate(words):
        if any(ch.isdigit() for ch in w) or (len(w) == 2 and w.isupper() and i + 1 < len(words)
                                            and words[i + 1][:1].isdigit()):
            return " ".join(words[:i]), " ".join(words[i:])
    return s, ""


def _wrap(s: str, cols: int) -> list[str]:
    words, lines, cur = s.split(), [], ""
    for w in words:
        if cur and len(cur) + 1 + len(w) > cols:
            lines.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}" if cur else w
    if cur:
        lines.append(cur)
    return lines


def render(inv: Invoice, fam: dict, rng: random.Random) -> tuple[bytes, list[int], int]:
    c = Ctx(inv, fam, rng)
    ticket = fam["monospace"] == "ticket"
    cols = rng.choice([32, 38, 42]) if ticket else rng.choice([80, 88, 96])
    lines = _lines(inv, fam, c, cols, rng)
    margin = 8.0 if ticket else 40.0
    page_w = TICKET_W if ticket else 595.28
    size = (page_w - 2 * margin) / (cols * 0.602)
    size = min(size, 10.0)
    lh = size * 1.25
    if ticket:
        cv = Canvas(fam["font"], (page_w, 30 + lh * (len(lines) + 2)))
        cv.add_page()
        y = 20 + lh
        for s, bold in lines:
            cv.text(margin, y, s, size, bold, max_w=page_w - 2 * margin)  # a long line shrinks, never overflows
            y += lh
        return cv.output(), [], 1
    cv = Canvas(fam["font"], (595.28, 841.89))
    per_page = int((841.89 - 100) / lh)
    pages = [lines[i:i + per_page] for i in range(0, len(lines), per_page)]
    for p, chunk in enumerate(pages, 1):
        cv.add_page()
        y = 50.0
        if len(pages) > 1:
            cv.text(page_w - margin, 30, c.L("page", p=p, n=len(pages)), size, align="R")
        for s, bold in chunk:
            cv.text(margin, y, s, size, bold, max_w=page_w - 2 * margin)
            y += lh
    return cv.output(), [], len(pages)
