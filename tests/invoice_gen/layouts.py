"""Drawing one invoice from its truth (truth.Invoice) and its layout choices (the `family` dict).

Page-based layouts (A4, Letter, landscape, a page stored with /Rotate 90) share one renderer whose
blocks vary independently: header columns, meta block style, items table, totals block, legal
footer, page numbers and decoys. Monospace layouts (cash-register ticket, old ERP listing) are
text aligned with spaces."""

from __future__ import annotations

import io
import random
from decimal import Decimal

from . import formats as F
from .canvas import PAGE_SIZES, Canvas
from .labels import Labels
from .truth import OFFICE, Invoice

FOOT_H = 58.0   # room kept at the bottom of each page for the legal footer


class Ctx:
    """Formatting helpers bound to one invoice's choices."""

    def __init__(self, inv: Invoice, fam: dict, rng: random.Random):
        self.inv, self.fam, self.rng = inv, fam, rng
        self.L = Labels(rng, inv.lang, fam["label_case"])
        # credit notes print negative amounts, or positive amounts under a credit-note title
        self.show_sign = -1 if inv.doc_type == "credit_note" and fam["credit_sign"] == "negative" else 1

    def money(self, v: Decimal, signed: bool = True, cur: bool = True) -> str:
        v = v * self.show_sign if signed else v
        style = self.fam["currency_style"] if cur else "none"
        return F.money(v, self.fam["number_format"], style, self.fam["neg_style"], self.inv.currency)

    def num(self, v: Decimal, signed: bool = True) -> str:
        return F.number(v * (self.show_sign if signed else 1), self.fam["number_format"], self.fam["neg_style"])

    def qty(self, q: Decimal) -> str:
        dec = F.NUMBER_FORMATS[self.fam["number_format"]][1]
        s = f"{q.normalize():f}"
        return s.replace(".", dec)

    def date(self, d) -> str:
        return F.date_text(d, self.fam["date_format"], self.inv.lang)

    def rate(self, r: Decimal) -> str:
        return F.rate(r, self.fam["number_format"])

    def siret(self, s: str) -> str:
        return F.siret_text(s, self.fam["siret_style"])

    def title(self, with_number: bool = False) -> str:
        t = self.L("title_credit" if self.inv.doc_type == "credit_note" else "title_invoice")
        if not with_number:  # "FACTURE N°" / "Rechnung Nr." only make sense followed by the number
            for suffix in (" N°", " Nr.", " n.", " Nº", " N", " n°"):
                if t.upper().endswith(suffix.upper()):
                    return t[: -len(suffix)]
        return t

    def number_label(self) -> str:
        return self.L("credit_no" if self.inv.doc_type == "credit_note" else "inv_no")

    def cur_note(self) -> str | None:
        """A mention of the currency when the amounts carry no sign."""
        if self.fam["currency_style"] != "none":
            return None
        if self.inv.currency != "EUR":
            return {"USD": "Currency: USD", "GBP": "Currency: GBP"}[self.inv.currency]
        return self.L("currency_note")

    def totals_rows(self) -> list[tuple[str, str, bool]]:
        """(label, value, emphasised) rows of the totals block, in print order."""
        inv, L = self.inv, self.L
        rows: list[tuple[str, str, bool]] = []
        if inv.discount:
            rows.append((L("subtotal"), self.money(inv.gross_ht), False))
            rows.append((f"{L('discount')} {self.rate(inv.discount_pct)} %", self.money(-inv.discount), False))
        rows.append((L("ht"), self.money(inv.total_ht), False))
        if len(inv.breakdown) == 1:
            r = inv.breakdown[0][0]
            rows.append((L("tva", r=self.rate(r)), self.money(inv.total_tva), False))
        else:
            if not self.fam["vat_table"]:
                for r, base, vat in inv.breakdown:
                    if self.fam["rate_line_on"]:
                        rows.append((f"{L('vat_amt')} {self.rate(r)} % {'sur' if inv.lang == 'fr' else 'on'} "
                                     f"{self.num(base)}", self.money(vat), False))
                    else:
                        rows.append((f"{L('vat_amt')} {self.rate(r)} %", self.money(vat), False))
            tva_label = L("tva")
            if any(ch.isdigit() for ch in tva_label) or tva_label.strip().upper() in ("TVA", "VAT", "IVA", "BTW",
                                                                                       "MWST.", "TAX"):
                tva_label = {"fr": "Total TVA", "en": "Total VAT", "de": "Summe MwSt.", "nl": "Totaal btw",
                             "es": "Total IVA", "it": "Totale IVA"}[inv.lang]
                tva_label = self.L.case_of(tva_label)
            rows.append((tva_label, self.money(inv.total_tva), False))
        ttc = inv.printed_ttc if inv.printed_ttc is not None else inv.total_ttc
        rows.append((L("ttc"), self.money(ttc), True))
        if inv.deposit:
            label = L("deposit", d=self.date(inv.delivery))
            if not inv.show_date and "{d}" in L.raw("deposit"):  # no date at all on a missing_date variant
                label = L.case_of({"fr": "Acompte versé"}.get(inv.lang, L.raw("deposit")))
            rows.append((label, self.money(-inv.deposit), False))
            rows.append((L("net_due"), self.money(inv.net_due), True))
        return rows


class PageRenderer:
    def __init__(self, inv: Invoice, fam: dict, rng: random.Random):
        self.c = Ctx(inv, fam, rng)
        self.inv, self.fam, self.rng = inv, fam, rng
        size = PAGE_SIZES["letter" if fam["page_format"] == "letter" else "a4"]
        orient = "L" if fam["page_format"] == "a4_landscape" else "P"
        self.cv = Canvas(fam["font"], size, orient)
        self.size = 8.5 if fam["font_size"] == "small" else 9.5 if fam["font_size"] == "medium" else 10.5
        self.lh = self.size * 1.45
        self.page_no = 0
        self.rotated_pages: list[int] = []
        self.page_texts: list = []  # callbacks drawing "Page p/n" once n is known
        self.mx = 42.0
        self.row_no = 0

    # -- pages ---------------------------------------------------------------------------------------
    def new_page(self, landscape: bool = False, rotated: bool = False) -> None:
        cv = self.cv
        if rotated:
            cv.add_page(orientation="P")
            self._rot = cv.pdf.rotation(90, x=cv.h / 2, y=cv.h / 2)
            self._rot.__enter__()
            self.pw, self.ph = cv.h, cv.w
            self.rotated_pages.append(len(cv.pdf.pages) - 1)
        else:
            cv.add_page(orientation="L" if landscape or self.fam["page_format"] == "a4_landscape" else "P")
            self.pw, self.ph = cv.w, cv.h
        self.page_no += 1
        self.y = 40.0

    def end_page(self) -> None:
        self.footer()
        if getattr(self, "_rot", None) is not None:
            self._rot.__exit__(None, None, None)
            self._rot = None

    def t(self, x, y, s, size=None, bold=False, align="L", max_w=None, grey=0):
        return self.cv.text(x, y, s, size or self.size, bold, align, max_w, grey=grey)

    # -- key/value rows -------------------------------------------------------------------------------
    def kv(self, x: float, width: float, label: str, value: str, bold_value: bool = False, style: str | None = None,
           size: float | None = None) -> None:
        """One labelled value at self.y in the family's label style, moving self.y down."""
        style = style or self.fam["label_position"]
        size = size or self.size
        lead = self.fam["leaders"]
        bold_label = self.fam["bold_labels"]
        if style == "below":
            self.t(x, self.y, label, size - 1.5, bold_label, grey=90, max_w=width)
            self.y += size + 1
            self.t(x, self.y, value, size + (1 if self.fam["value_bigger"] else 0), bold_value, max_w=width)
            self.y += size * 1.7
            return
        if style == "grid":
            lw = min(width * 0.45, 120)
            top = self.y - size - 2
            hgt = size * 1.75
            self.cv.rect(x, top, lw, hgt, fill=235)
            self.cv.pdf.set_draw_color(140)
            self.cv.rect(x, top, width, hgt, width=0.4)
            self.cv.line(x + lw, top, x + lw, top + hgt, 0.4, 140)
            self.t(x + 3, self.y, label, size - 0.5, bold_label, max_w=lw - 6)
            self.t(x + lw + 4, self.y, value, size, bold_value, max_w=width - lw - 8)
            self.y += hgt
            return
        if style == "colon":
            sep = " : " if self.inv.lang == "fr" else ": "
            lw = self.t(x, self.y, label + sep, size, bold_label, max_w=width * 0.6)
            self.t(x + lw + 1, self.y, value, size, bold_value, max_w=width - lw - 1)
            self.y += size * 1.45
            return
        # "right" (and table cells handled elsewhere): label left, value right-aligned at the column end
        lw = self.t(x, self.y, label, size, bold_label, max_w=width * 0.6)
        vw = self.cv.width(value, size, bold_value)
        if lead != "none":
            ch = "." if lead == "dots" else "-" if lead == "dashes" else "_"
            cw = self.cv.width(ch, size)
            room = width - lw - vw - 8
            if room > cw * 3:
                self.t(x + lw + 3, self.y, ch * int(room / cw), size, grey=60)
        if self.fam["value_align"] == "left" and lead == "none":
            self.t(x + min(width * 0.48, lw + 12), self.y, value, size, bold_value,
                   max_w=width - min(width * 0.48, lw + 12))
        else:
            self.t(x + width, self.y, value, size, bold_value, align="R", max_w=width - lw - 4)
        self.y += size * 1.5

    def cells(self, x: float, width: float, pairs: list[tuple[str, str]], boxed: bool = True) -> None:
        """A strip of cells: labels on a header row, values in the row below ('table' style)."""
        n = len(pairs)
        cw = width / n
        top = self.y - self.size - 3
        if boxed:
            self.cv.rect(x, top, width, self.size * 1.5 + 2, fill=225)
        for i, (lab, _) in enumerate(pairs):
            self.t(x + i * cw + 3, self.y, lab, self.size - 1, True, max_w=cw - 6)
        self.y += self.size * 1.7
        for i, (_, val) in enumerate(pairs):
            self.t(x + i * cw + 3, self.y, val, self.size, False, max_w=cw - 6)
        if boxed:
            self.cv.pdf.set_draw_color(120)
            self.cv.rect(x, top, width, self.y - top + 5)
            for i in range(1, n):
                self.cv.line(x + i * cw, top, x + i * cw, self.y + 5, 0.4, 120)
        self.y += self.size * 1.8

    # -- blocks ---------------------------------------------------------------------------------------
    def seller_block(self, x: float, y: float, width: float, align: str = "L") -> float:
        inv, c, fam = self.inv, self.c, self.fam
        ax = x + width if align == "R" else x
        self.t(ax, y, inv.seller_name, self.size + 5, True, align, max_w=width)
        y += self.size + 6
        rows = [inv.seller_street, inv.seller_city]
        if fam["seller_country_line"] and inv.country != "FR":
            rows.append({"DE": "Deutschland", "NL": "Nederland", "ES": "España", "IT": "Italia",
                         "BE": "Belgique"}[inv.country])
        rows.append(f"{c.L('phone')} {inv.seller_phone}")
        if fam["email"]:
            rows.append(inv.seller_email)
        if fam["ids_position"] in ("header", "both"):
            rows += self.seller_ids()
        for r in rows:
            self.t(ax, y, r, self.size - 0.5, False, align, max_w=width)
            y += self.lh * 0.95
        return y

    def seller_ids(self) -> list[str]:
        inv, c = self.inv, self.c
        out = []
        if inv.seller_siret:
            label = c.L("siret")
            if ":" in label or self.fam["id_colon"]:
                out.append(f"{label.rstrip(' :')} : {c.siret(inv.seller_siret)}")
            else:
                out.append(f"{label} {c.siret(inv.seller_siret)}")
        elif inv.seller_siren and inv.rcs_city:
            out.append(f"RCS {inv.rcs_city} {F.siren_text(inv.seller_siren, self.fam['siret_style'])}")
        if inv.seller_vat:
            out.append(f"{c.L('vat')}{' :' if self.fam['id_colon'] else ''} "
                       f"{F.vat_text(inv.seller_vat, self.fam['vat_style'])}")
        return out

    def client_block(self, x: float, y: float, width: float, boxed: bool) -> float:
        inv, c, fam = self.inv, self.c, self.fam
        y0 = y
        pad = 8 if boxed else 0
        x += pad
        y += pad
        if fam["sender_line"]:  # DIN 5008 / window envelope: the sender in small print above the address
            sender = f"{inv.seller_name} · {inv.seller_street} · {inv.seller_city}"
            w = self.t(x, y + 2, sender, self.size - 3, max_w=width - 2 * pad, grey=60)
            self.cv.line(x, y + 4, x + w, y + 4, 0.3, 90)
            y += self.lh
        else:
            self.t(x, y, c.L("client"), self.size - 1, True, grey=80)
            y += self.lh
        name = OFFICE["name"]
        if fam["client_name_split"]:
            for part in ("OFFICE TOURISME ET PATRIMOINE", "DE LA CALL"):
                self.t(x, y, part, self.size + 0.5, True, max_w=width - 2 * pad)
                y += self.lh
        else:
            self.t(x, y, name, self.size + 0.5, True, max_w=width - 2 * pad)
            y += self.lh
        for r in (OFFICE["street"], OFFICE["city"]):
            self.t(x, y, r, self.size, max_w=width - 2 * pad)
            y += self.lh
        extra = []
        if inv.buyer_siret:
            sir = c.siret(inv.buyer_siret)
            extra.append(f"{c.L('buyer_siret')} : {sir}" if fam["buyer_siret_keyword"] else sir)
        if fam["customer_no_in_client"]:
            extra.append(f"{c.L('customer_no')} : {inv.customer_no}")
        if inv.buyer_vat_printed:
            extra.append(f"{c.L('customer_vat')} : {F.vat_text(OFFICE['vat'], fam['vat_style'])}")
        self.rng.shuffle(extra) if fam["client_ids_shuffled"] else None
        for r in extra:
            self.t(x, y, r, self.size - 0.5, max_w=width - 2 * pad)
            y += self.lh
        if fam["ship_to"]:
            y += 3
            head = {"fr": "Adresse de livraison :", "en": "Ship to:", "de": "Lieferadresse:", "nl": "Afleveradres:",
                    "es": "Dirección de entrega:", "it": "Destinazione merce:"}[inv.lang]
            self.t(x, y, head, self.size - 1, True, grey=60)
            y += self.lh
            for r in ("Maison du Tourisme - Site du 11/19", "Rue Léon Blum, 62750 Loos-en-Gohelle"):
                self.t(x, y, r, self.size - 1, max_w=width - 2 * pad)
                y += self.lh
        if boxed:
            self.cv.pdf.set_draw_color(100)
            self.cv.rect(x - pad, y0, width, y - y0 + 2)
            y += 6
        return y

    def meta_pairs(self, letter: bool = False) -> list[tuple[str, str]]:
        inv, c, fam = self.inv, self.c, self.fam
        pairs = []
        if inv.show_number and not fam["title_has_number"] and not letter:
            pairs.append((c.number_label(), inv.number))
        if inv.show_date and not letter:
            pairs.append((c.L("date"), c.date(inv.issue)))
        if fam["show_due"]:
            pairs.append((c.L("due"), c.date(inv.due)))
        if fam["show_delivery"]:
            pairs.append((c.L("delivery"), c.date(inv.delivery)))
        if not fam["customer_no_in_client"]:
            pairs.append((c.L("customer_no"), inv.customer_no))
        if inv.purchase_order:
            pairs.append((c.L("order"), inv.purchase_order))
        if inv.quote and fam["quote_in_meta"]:
            pairs.append((c.L("quote"), inv.quote))
        return pairs

    def title_text(self) -> str:
        c, inv = self.c, self.inv
        title = c.title(with_number=self.fam["title_has_number"] and inv.show_number)
        if self.fam["title_has_number"] and inv.show_number:
            trail = title.rstrip(" .").upper()
            joiner = " " if trail.endswith(("N°", "NR", "N", "Nº")) else " N° " if inv.lang == "fr" else " No. " \
                if inv.lang == "en" else " Nr. " if inv.lang == "de" else " nº " if inv.lang == "es" else " n. " \
                if inv.lang == "it" else " nr. "
            title = title + c.L.case_of(joiner) + inv.number
        return title

    def header(self) -> None:
        """Seller, client, title and document fields on page 1."""
        fam, pw, mx = self.fam, self.pw, self.mx
        half = (pw - 2 * mx) / 2 - 10
        right_x = pw / 2 + 10
        y0 = 52.0
        if fam["header_columns"] == "seller_left":
            ys = self.seller_block(mx, y0, half)
            self.y = y0
            self.t(pw - mx, self.y, self.title_text(), self.size + 8, True, "R", max_w=half)
            self.y += self.size + 14
            if fam["label_position"] != "table":
                for lab, val in self.meta_pairs():
                    self.kv(right_x, half, lab, val, fam["bold_values"])
            yc = self.client_block(mx, max(ys, self.y) + 14, half, fam["client_boxed"]) \
                if fam["client_below_left"] else self.client_block(right_x, max(ys, self.y) + 10, half,
                                                                   fam["client_boxed"])
            self.y = max(yc, ys) + 16
        elif fam["header_columns"] == "seller_right":
            ys = self.seller_block(right_x, y0, half, align="R" if fam["seller_align_right"] else "L")
            yc = self.client_block(mx, y0 + 50, half, fam["client_boxed"])
            self.y = max(ys, yc) + 20
            self.t(mx, self.y, self.title_text(), self.size + 8, True, max_w=pw - 2 * mx)
            self.y += self.size + 14
            if fam["label_position"] != "table":
                yl = self.y
                pairs = self.meta_pairs()
                half_n = (len(pairs) + 1) // 2
                for lab, val in pairs[:half_n]:
                    self.kv(mx, half, lab, val, fam["bold_values"])
                yl, self.y = self.y, yl
                for lab, val in pairs[half_n:]:
                    self.kv(right_x, half, lab, val, fam["bold_values"])
                self.y = max(self.y, yl) + 6
        elif fam["header_columns"] == "letter":
            # business letter: "Ville, le <date>", "Objet : Facture n° <number>", then a salutation
            ys = self.seller_block(mx, y0, half)
            yc = self.client_block(right_x, y0 + 60, half, fam["client_boxed"])
            self.y = max(ys, yc) + 20
            inv, c = self.inv, self.c
            if inv.show_date:
                town = OFFICE["city"].split()[-1].title() if fam["letter_town"] == "buyer" else \
                    inv.seller_city.split(" ", 1)[-1].title()
                on = {"fr": "le ", "en": "", "de": "den ", "nl": "", "es": "a ", "it": "lì "}[inv.lang]
                self.t(pw - mx, self.y, f"{town}, {on}{c.date(inv.issue)}", self.size, align="R")
                self.y += self.lh * 2
            obj = {"fr": "Objet : ", "en": "Subject: ", "de": "Betreff: ", "nl": "Betreft: ", "es": "Asunto: ",
                   "it": "Oggetto: "}[inv.lang]
            what = self.title_text() if fam["title_has_number"] else \
                (f"{c.title().title()} {c.L.case_of('n°') if inv.lang == 'fr' else 'No.'} {inv.number}"
                 if inv.show_number else c.title().title())
            self.t(mx, self.y, obj + what, self.size + 1, True, max_w=pw - 2 * mx)
            self.y += self.lh * 1.6
            for lab, val in self.meta_pairs(letter=True):
                self.kv(mx, half, lab, val, fam["bold_values"], style="colon")
            self.y += 4
            hello = {"fr": "Madame, Monsieur,", "en": "Dear Sir or Madam,", "de": "Sehr geehrte Damen und Herren,",
                     "nl": "Geachte heer, mevrouw,", "es": "Estimados señores:", "it": "Gentili Signori,"}[inv.lang]
            self.t(mx, self.y, hello, self.size)
            self.y += self.lh * 1.4
            self.body_refs()
            return
        else:  # stacked: seller centred on top, then title, then client and fields side by side
            self.t(pw / 2, y0, self.inv.seller_name, self.size + 6, True, "C", max_w=pw - 2 * mx)
            y = y0 + self.size + 6
            info = [self.inv.seller_street + ", " + self.inv.seller_city,
                    f"{self.c.L('phone')} {self.inv.seller_phone}" + (f" - {self.inv.seller_email}"
                                                                        if fam["email"] else "")]
            if fam["ids_position"] in ("header", "both"):
                info.append(" - ".join(self.seller_ids()))
            for r in info:
                self.t(pw / 2, y, r, self.size - 1, False, "C", max_w=pw - 2 * mx)
                y += self.lh * 0.95
            self.cv.line(mx, y, pw - mx, y, 0.8, 80)
            y += 24
            self.t(mx, y, self.title_text(), self.size + 7, True, max_w=half)
            self.y = y + self.size + 12
            if fam["label_position"] != "table":
                for lab, val in self.meta_pairs():
                    self.kv(mx, half * 0.95, lab, val, fam["bold_values"])
            yc = self.client_block(right_x, y - 6, half, fam["client_boxed"])
            self.y = max(self.y, yc) + 14
        if fam["label_position"] == "table":
            self.y += 8
            self.cells(mx, pw - 2 * mx, self.meta_pairs())
        self.body_refs()

    def body_refs(self) -> None:
        """Object line, quote reference, and the cancelled invoice for a credit note."""
        inv, c, mx = self.inv, self.c, self.mx
        lines = []
        if inv.credit_ref:
            lines.append(f"{c.L('credit_ref')} {inv.credit_ref} du {c.date(inv.delivery)}"
                         if inv.lang == "fr" and inv.show_date
                         else f"{c.L('credit_ref')} {inv.credit_ref}")
        if inv.quote and not self.fam["quote_in_meta"]:
            lines.append(f"{c.L('quote')} {inv.quote}")
        if self.fam["object_line"] and self.fam["header_columns"] != "letter":
            lines.append({"fr": "Objet : prestations pour l'Office de Tourisme", "en": "Re: services for the Tourist "
                          "Office", "de": "Betreff: Leistungen für das Fremdenverkehrsamt", "nl": "Betreft: diensten "
                          "voor het VVV-kantoor", "es": "Asunto: servicios para la Oficina de Turismo",
                          "it": "Oggetto: servizi per l'Ufficio del Turismo"}[inv.lang])
        for ln in lines:
            self.t(mx, self.y, ln, self.size, max_w=self.pw - 2 * mx)
            self.y += self.lh
        if lines:
            self.y += 6

    # -- items table ----------------------------------------------------------------------------------
    def columns(self) -> list[tuple[str, str, float, str]]:
        """(key, header, width share, align) of the items table, in the family's column order."""
        L = self.c.L
        cols = [("desc", L("desc"), 0.44, "L"), ("qty", L("qty"), 0.09, "R"),
                ("unit", L("unit_price"), 0.16, "R"), ("rate", L("vat_rate"), 0.1, "R"),
                ("amount", L("amount"), 0.21, "R")]
        if self.fam["items_columns"] == "no_rate":
            cols = [c for c in cols if c[0] != "rate"]
        elif self.fam["items_columns"] == "rate_last":
            cols = [cols[0], cols[1], cols[2], cols[4], cols[3]]
        elif self.fam["items_columns"] == "ref_first":
            cols.insert(0, ("ref", {"fr": "Réf.", "en": "Code", "de": "Art.-Nr.", "nl": "Art.nr.", "es": "Ref.",
                                    "it": "Cod."}[self.inv.lang], 0.1, "L"))
        total = sum(c[2] for c in cols)
        return [(k, h, w / total, a) for k, h, w, a in cols]

    def table_header(self, cols) -> None:
        x = self.mx
        width = self.pw - 2 * self.mx
        style = self.fam["table_style"]
        if style == "filled":
            self.cv.rect(x, self.y - self.size - 4, width, self.size + 9, fill=210)
        for key, head, share, align in cols:
            cw = share * width
            if key == "amount" and self.fam["currency_style"] == "none" and self.fam["currency_in_header"]:
                head += " (€)" if self.inv.currency == "EUR" else f" ({self.inv.currency})"
            self.t(x + (cw - 3 if align == "R" else 3), self.y, head, self.size - 0.5, True, align, max_w=cw - 6)
            x += cw
        self.y += 5
        if style in ("lines", "grid"):
            self.cv.line(self.mx, self.y, self.pw - self.mx, self.y, 0.7)
        self.y += self.lh

    def item_row(self, cols, ln, idx) -> None:
        x = self.mx
        width = self.pw - 2 * self.mx
        c = self.c
        for key, _, share, align in cols:
            cw = share * width
            val = {"desc": ln.desc, "qty": c.qty(ln.qty), "unit": c.num(ln.unit, signed=False),
                   "rate": c.rate(ln.rate) + (" %" if self.fam["rate_pct"] else ""),
                   "amount": c.num(ln.amount) if not self.fam["line_amount_currency"] else c.money(ln.amount),
                   "ref": f"{idx + 101:04d}"}[key]
            self.t(x + (cw - 3 if align == "R" else 3), self.y, val, self.size - 0.5, False, align, max_w=cw - 6)
            x += cw
        if self.fam["table_style"] == "grid":
            self.cv.line(self.mx, self.y + 4, self.pw - self.mx, self.y + 4, 0.3, 150)
        self.y += self.lh

    def items(self, lines, cols, running: Decimal, page_limit: float) -> tuple[int, Decimal]:
        """Draw rows until the page is full; returns (rows drawn, running sum)."""
        n = 0
        for ln in lines:
            if self.y > page_limit:
                break
            self.row_no += 1
            self.item_row(cols, ln, self.row_no)
            running += ln.amount
            n += 1
        return n, running

    def carried(self, label_key: str, running: Decimal, page: int) -> None:
        lab = self.c.L(label_key, p=page)
        self.y += 2
        self.kv(self.pw - self.mx - 230, 230, lab, self.c.num(running), False, style="right")
        self.y += 8

    # -- totals ----------------------------------------------------------------------------------------
    def vat_table(self) -> None:
        inv, c = self.inv, self.c
        x, w = self.mx, min(300.0, (self.pw - 2 * self.mx) * 0.5)
        heads = [c.L("vat_rate"), c.L("vat_base"), c.L("vat_amt")]
        cw = w / 3
        for i, h in enumerate(heads):
            self.t(x + (i + 1) * cw - 4, self.y, h, self.size - 1, True, "R", max_w=cw - 6)
        self.y += 4
        self.cv.line(x, self.y, x + w, self.y, 0.5, 100)
        self.y += self.lh
        for r, base, vat in inv.breakdown:
            vals = [c.rate(r) + " %", c.num(base), c.num(vat)]
            for i, v in enumerate(vals):
                self.t(x + (i + 1) * cw - 4, self.y, v, self.size - 0.5, False, "R", max_w=cw - 6)
            self.y += self.lh
        self.y += 4

    def totals(self) -> None:
        fam, c = self.fam, self.c
        rows = c.totals_rows()
        width = min(250.0, (self.pw - 2 * self.mx) * 0.48)
        x = self.pw - self.mx - width
        y_start = self.y
        if len(self.inv.breakdown) > 1 and fam["vat_table"]:
            self.vat_table()
            if fam["totals_layout"] == "vertical":
                self.y = y_start  # the breakdown sits left of the totals
        if fam["totals_layout"] == "horizontal":
            main = [r for r in rows if r[0] in (c.L("ht"),) or r[2] or r is rows[-1]]
            main = rows if len(rows) <= 5 else main
            self.cells(self.mx if len(main) > 3 else self.pw / 2 - 40, (self.pw - 2 * self.mx) if len(main) > 3
                       else self.pw / 2 + 40 - self.mx, [(lab, val) for lab, val, _ in main],
                       boxed=fam["table_style"] != "plain")
            rest = [r for r in rows if r not in main]
            for lab, val, strong in rest:
                self.kv(x, width, lab, val, strong, style="right")
        elif fam["totals_layout"] == "boxes":
            self.y += 4
            for lab, val, strong in rows:
                self.kv(x, width, lab, val, strong, style="below")
        else:
            boxed = fam["totals_boxed"]
            y0 = self.y - self.size - 4
            for lab, val, strong in rows:
                if strong and boxed:
                    self.cv.rect(x - 4, self.y - self.size - 3, width + 8, self.size + 8, fill=225)
                self.kv(x, width, lab, val, strong or fam["bold_values"], style="colon"
                        if fam["label_position"] == "colon" else "right")
            if boxed:
                self.cv.pdf.set_draw_color(90)
                self.cv.rect(x - 4, y0, width + 8, self.y - y0 - self.size + 2)
        note = c.cur_note()
        self.y = max(self.y, y_start) + 6
        if note:
            self.t(self.mx, self.y, note, self.size - 1, grey=60)
            self.y += self.lh

    def bank(self) -> None:
        inv, c, fam = self.inv, self.c, self.fam
        self.y += 6
        self.t(self.mx, self.y, c.L("payment"), self.size - 1)
        self.y += self.lh
        if fam["show_due_text"]:
            self.t(self.mx, self.y, f"{c.L('due')} : {c.date(inv.due)}", self.size - 1)
            self.y += self.lh
        if inv.iban and fam["iban_position"] == "body":
            self.t(self.mx, self.y, f"{c.L('iban')} {F.iban_text(inv.iban, fam['iban_style'])}   "
                                    f"{c.L('bic')} {inv.bic}", self.size - 1, max_w=self.pw - 2 * self.mx)
            self.y += self.lh

    def footer(self) -> None:
        inv, c, fam, pw = self.inv, self.c, self.fam, self.pw
        y = self.ph - FOOT_H + 12
        self.cv.line(self.mx, y - 10, pw - self.mx, y - 10, 0.4, 150)
        parts = []
        legal_name = inv.seller_name if inv.seller_form in inv.seller_name else f"{inv.seller_name} {inv.seller_form}"
        if inv.country == "FR":
            cap = F.money(inv.capital, "fr_space" if fam["number_format"] != "fr_nnbsp" else "fr_nnbsp",
                          "after_euro", "minus").replace(",00", "")
            parts.append(f"{legal_name} {c.L('capital')} {cap}" if inv.lang == "fr" or fam["ids_position"] != "footer"
                         else f"{legal_name} - {c.L('capital')} {cap}")
            if inv.rcs_city and inv.seller_siren:
                parts.append(f"RCS {inv.rcs_city} {F.siren_text(inv.seller_siren, fam['siret_style'])}")
        else:
            parts.append(legal_name)
        if fam["ids_position"] in ("footer", "both"):
            ids = self.seller_ids()
            if inv.country == "FR" and inv.rcs_city and not inv.seller_siret:
                ids = ids[1:]  # the RCS mention is already there
            parts += ids
        lines = [" - ".join(parts)]
        if inv.iban and fam["iban_position"] == "footer":
            lines.append(f"{c.L('iban')} {F.iban_text(inv.iban, fam['iban_style'])} - {c.L('bic')} {inv.bic}")
        if inv.lang == "fr" or fam["penalty_line"]:
            lines.append(c.L("penalty"))
        for ln in lines[:3]:
            self.t(pw / 2, y, ln, self.size - 2, False, "C", max_w=pw - 2 * self.mx, grey=70)
            y += self.size
        if fam["page_numbers"] != "none":
            p = self.page_no
            yp = self.ph - 16 if fam["page_numbers"] == "bottom" else 24
            self.page_texts.append((p, yp))

    def draw_page_numbers(self) -> None:
        """Page numbers go on last, when the page count is known."""
        n = self.page_no
        pdf = self.cv.pdf
        last_w, last_h = pdf.w, pdf.h
        for p, yp in self.page_texts:
            pdf.page = p  # fpdf2 pages are 1-based
            w, h = pdf.pages[p].dimensions()
            # fpdf2 converts y with the size of the page added last: give it this page's size meanwhile
            pdf.w, pdf.h = w / pdf.k, h / pdf.k
            w, h = pdf.w, pdf.h
            label = self.c.L("page", p=p, n=n)
            if (p - 1) in self.rotated_pages:
                with pdf.rotation(90, x=h / 2, y=h / 2):
                    self.t(h - self.mx, yp if yp < 100 else w - 16, label, self.size - 1.5, align="R")
            else:
                self.t(w - self.mx, yp if yp < 100 else h - 16, label, self.size - 1.5, align="R")
        pdf.w, pdf.h = last_w, last_h

    def continuation_header(self) -> None:
        inv, c = self.inv, self.c
        label = f"{c.title()} {inv.number}" if inv.show_number else c.title()
        self.t(self.mx, self.y, inv.seller_name, self.size, True, max_w=self.pw / 2)
        self.t(self.pw - self.mx - 60, self.y, label + {"fr": " (suite)", "en": " (continued)", "de": " (Fortsetzung)",
                                                        "nl": " (vervolg)", "es": " (continuación)",
                                                        "it": " (segue)"}[inv.lang],
               self.size, align="R", max_w=self.pw / 2 - 80)
        self.y += self.lh * 2

    # -- the whole document ---------------------------------------------------------------------------
    def render(self) -> tuple[bytes, list[int], int]:
        fam, inv = self.fam, self.inv
        cols = self.columns()
        totals_room = 70 + 16 * (len(self.c.totals_rows()) + (len(inv.breakdown) + 2 if fam["vat_table"] else 0)) \
            + (40 if fam["totals_layout"] == "boxes" else 0) + 20 * len(self.c.totals_rows()) * \
            (fam["totals_layout"] == "boxes")
        remaining = list(inv.lines)
        self.new_page()
        self.header()
        running = Decimal(0)
        if fam["totals_position"] == "first":
            # summary on page 1 (one line per VAT rate), totals, then the detail on the next pages
            summary = [(k, h, w, a) for k, h, w, a in cols if k in ("desc", "amount")]
            summary = [(k, h, 0.72 if k == "desc" else 0.28, a) for k, h, _, a in summary]
            self.table_header(summary)
            for r, base, _ in inv.breakdown:
                self.item_row(summary, type(inv.lines[0])(
                    {"fr": "Prestations (détail en annexe)", "en": "Services (see details attached)",
                     "de": "Leistungen (siehe Anlage)", "nl": "Diensten (zie bijlage)",
                     "es": "Servicios (ver anexo)", "it": "Servizi (vedi allegato)"}[inv.lang]
                    + (f" - {self.c.rate(r)} %" if len(inv.breakdown) > 1 else ""),
                    Decimal(1), base, r), 0)
            self.y += 8
            self.totals()
            self.bank()
            self.end_page()
            page = 1
            while remaining:
                page += 1
                self.new_page(landscape=fam["odd_page"] == "landscape" and page == 2,
                              rotated=fam["odd_page"] == "rotated" and page == 2)
                self.continuation_header()
                if page == 2:
                    self.t(self.mx, self.y, {"fr": "Détail des prestations", "en": "Details", "de": "Einzelaufstellung",
                                             "nl": "Specificatie", "es": "Detalle", "it": "Dettaglio"}[inv.lang],
                           self.size + 2, True)
                    self.y += self.lh * 1.5
                else:
                    self.carried("carried", running, page - 1)
                self.table_header(cols)
                n, running = self.items(remaining, cols, running, self.ph - FOOT_H - 40)
                remaining = remaining[n:]
                if remaining:
                    self.carried("page_sub", running, page)
                else:
                    self.carried("subtotal", running, page)
                self.end_page()
        else:
            page = 1
            self.table_header(cols)
            while True:
                n, running = self.items(remaining, cols, running, self.ph - FOOT_H - 40)
                remaining = remaining[n:]
                if not remaining and self.y + totals_room < self.ph - FOOT_H:
                    break
                if remaining:
                    self.carried("page_sub", running, page)
                self.end_page()
                page += 1
                self.new_page(landscape=fam["odd_page"] == "landscape" and page == 2,
                              rotated=fam["odd_page"] == "rotated" and page == 2)
                self.continuation_header()
                if remaining:
                    self.carried("carried", running, page - 1)
                    self.table_header(cols)
            self.y += 10
            self.totals()
            self.bank()
            self.end_page()
        self.draw_page_numbers()
        return self.cv.output(), self.rotated_pages, self.page_no


def apply_rotation(data: bytes, pages: list[int]) -> bytes:
    """Mark the pages drawn rotated as /Rotate 90 (stored portrait, shown landscape)."""
    if not pages:
        return data
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(data)
    try:
        for i in pages:
            doc[i].set_rotation(90)
        buf = io.BytesIO()
        doc.save(buf)
        return buf.getvalue()
    finally:
        doc.close()
