"""A thin drawing layer over fpdf2 plus the per-invoice printing style (fonts, amount and date forms)."""
from __future__ import annotations

import datetime as dt
import re
import random
from dataclasses import dataclass
from decimal import Decimal

from fpdf import FPDF

from . import fmt
from .model import Invoice

DEJAVU = "/usr/share/fonts/truetype/dejavu/"
LIBERATION = "/usr/share/fonts/truetype/liberation/"
TTF = {
    "DejaVu": (DEJAVU + "DejaVuSans.ttf", DEJAVU + "DejaVuSans-Bold.ttf"),
    "DejaVuCond": (DEJAVU + "DejaVuSansCondensed.ttf", DEJAVU + "DejaVuSansCondensed-Bold.ttf"),
    "DejaVuSerif": (DEJAVU + "DejaVuSerif.ttf", DEJAVU + "DejaVuSerif-Bold.ttf"),
    "DejaVuMono": (DEJAVU + "DejaVuSansMono.ttf", DEJAVU + "DejaVuSansMono-Bold.ttf"),
    "Liberation": (LIBERATION + "LiberationSans-Regular.ttf", LIBERATION + "LiberationSans-Bold.ttf"),
    "LibSerif": (LIBERATION + "LiberationSerif-Regular.ttf", LIBERATION + "LiberationSerif-Bold.ttf"),
    "LibNarrow": (LIBERATION + "LiberationSansNarrow-Regular.ttf", LIBERATION + "LiberationSansNarrow-Bold.ttf"),
    "LibMono": (LIBERATION + "LiberationMono-Regular.ttf", LIBERATION + "LiberationMono-Bold.ttf"),
}
CORE = {"helvetica", "times", "courier"}
SANS = ["DejaVu", "DejaVuCond", "Liberation", "LibNarrow", "helvetica"]
SERIF = ["DejaVuSerif", "LibSerif", "times"]
MONO = ["DejaVuMono", "LibMono", "courier"]


@dataclass
class Style:
    """How one invoice prints its amounts and dates."""
    amount: str
    currency: str  # placement code for fmt.format_money, e.g. "suffix: €"
    line_currency: str  # placement used inside the line table (often none)
    date_form: str
    lang: str
    siret_form: str
    vat_spaced: bool

    def money(self, inv: Invoice, value: Decimal, *, in_table: bool = False, signed: bool = True) -> str:
        value = inv.sign(value) if signed else value
        return fmt.format_money(value, self.amount, self.line_currency if in_table else self.currency)

    def date(self, day: dt.date) -> str:
        return fmt.format_date(day, self.date_form, self.lang)


CURRENCY_MARKS = {"EUR": ["suffix: €", "suffix: €", "suffix: EUR", "prefix:€ ", "prefix:€", "prefix:EUR "],
                  "USD": ["suffix: USD", "prefix:$", "prefix:US$ ", "prefix:USD "]}


def pick_style(rng: random.Random, inv: Invoice, amounts: list[str], currencies: list[str] | None = None) -> Style:
    marks = CURRENCY_MARKS[inv.currency]
    if currencies and inv.currency == "EUR":
        marks = currencies
    currency = rng.choice(marks)
    line_currency = rng.choice(["none", "none", currency])
    return Style(amount=rng.choice(amounts), currency=currency, line_currency=line_currency,
                 date_form=fmt.pick_date_form(rng, inv.lang), lang=inv.lang,
                 siret_form=rng.choice(["compact", "compact", "spaced", "siren_nic"]),
                 vat_spaced=rng.random() < 0.25)


class Canvas(FPDF):
    def __init__(self, rng: random.Random, family: str, orientation: str = "P", format="A4"):
        super().__init__(orientation=orientation, unit="mm", format=format)
        self.rng = rng
        self.set_auto_page_break(False)
        self.set_margins(0, 0, 0)
        self.family = family
        for name, (regular, bold) in TTF.items():
            self.add_font(name, "", regular)
            self.add_font(name, "B", bold)
        self.set_title("Invoice")
        self.set_creator(rng.choice(["Odoo", "Sage 100c", "EBP Facturation", "LibreOffice", "DATEV",
                                     "Microsoft Word", "Invoice Ninja"]))

    def clean(self, text: str, family: str | None = None) -> str:
        if (family or self.family).startswith("Lib"):  # Liberation fonts have no U+202F glyph
            text = text.replace("\u202f", "\u00a0")
        if (family or self.family) in CORE:
            text = re.sub(r"€(?=[\d-])", "EUR ", text)  # "€12" would become "EUR12", which nobody prints
            text = (text.replace("€", "EUR").replace("\u202f", " ").replace("œ", "oe").replace("Œ", "OE")
                    .replace("’", "'").replace("…", "...").replace("–", "-"))
            text = text.encode("latin-1", "replace").decode("latin-1")
        return text

    def put(self, x: float, y: float, text: str, size: float = 9, style: str = "", w: float = 0,
            align: str = "L", h: float | None = None, family: str | None = None, color=(0, 0, 0)) -> None:
        fam = family or self.family
        self.set_font(fam, style, size)
        self.set_text_color(*color)
        self.set_xy(x, y)
        self.cell(w, h if h is not None else size * 0.45, self.clean(text, fam), align=align)

    def width(self, text: str, size: float, style: str = "", family: str | None = None) -> float:
        fam = family or self.family
        self.set_font(fam, style, size)
        return self.get_string_width(self.clean(text, fam))

    def lines_at(self, x: float, y: float, lines: list[str], size: float = 9, gap: float | None = None,
                 style: str = "", first_style: str | None = None, align: str = "L", w: float = 0,
                 family: str | None = None) -> float:
        gap = gap or size * 0.47
        for i, line in enumerate(lines):
            st = first_style if (i == 0 and first_style is not None) else style
            self.put(x, y, line, size, st, w=w, align=align, family=family)
            y += gap
        return y

    def rect_at(self, x, y, w, h, fill=None, draw=(0, 0, 0), lw=0.2):
        self.set_line_width(lw)
        if draw:
            self.set_draw_color(*draw)
        if fill:
            self.set_fill_color(*fill)
            self.rect(x, y, w, h, style="DF" if draw else "F")
        else:
            self.rect(x, y, w, h)

    def hline(self, x1, x2, y, lw=0.2, color=(0, 0, 0)):
        self.set_line_width(lw)
        self.set_draw_color(*color)
        self.line(x1, y, x2, y)

    def table(self, x: float, y: float, cols: list[tuple[str, float, str]], rows: list[list[str]],
              size: float = 8.5, row_h: float = 6, grid: bool = True, head_fill=(230, 230, 230),
              stripe=None, head_color=(0, 0, 0)) -> float:
        total_w = sum(w for _, w, _ in cols)
        if head_fill:
            self.rect_at(x, y, total_w, row_h, fill=head_fill, draw=None)
        cx = x
        for title, w, align in cols:
            self.put(cx + 1, y, title, size, "B", w=w - 2, align=align, h=row_h, color=head_color)
            cx += w
        if grid:
            self.rect_at(x, y, total_w, row_h)
        y += row_h
        for i, row in enumerate(rows):
            if stripe and i % 2 == 1:
                self.rect_at(x, y, total_w, row_h, fill=stripe, draw=None)
            cx = x
            for (title, w, align), value in zip(cols, row):
                self.put(cx + 1, y, value, size, w=w - 2, align=align, h=row_h)
                cx += w
            y += row_h
        if grid:
            self.rect_at(x, y - row_h * len(rows), total_w, row_h * len(rows))
            cx = x
            for _, w, _ in cols[:-1]:
                cx += w
                self.set_line_width(0.2)
                self.line(cx, y - row_h * (len(rows) + 1), cx, y)
        else:
            self.hline(x, x + total_w, y, 0.3)
        return y
