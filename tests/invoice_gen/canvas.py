"""A thin drawing layer over fpdf2 (points, top-left origin, baseline y) with the fonts we use."""

from __future__ import annotations

import os
import tempfile
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path

from fpdf import FPDF

DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
LIBERATION = Path("/usr/share/fonts/truetype/liberation")

# font family name -> (regular file, bold file) or None for an fpdf2 core font (windows-1252 only)
FONTS = {
    "helvetica": None,
    "times": None,
    "courier": None,
    "dejavu_sans": (DEJAVU / "DejaVuSans.ttf", DEJAVU / "DejaVuSans-Bold.ttf"),
    "dejavu_condensed": (DEJAVU / "DejaVuSansCondensed.ttf", DEJAVU / "DejaVuSansCondensed-Bold.ttf"),
    "dejavu_serif": (DEJAVU / "DejaVuSerif.ttf", DEJAVU / "DejaVuSerif-Bold.ttf"),
    "dejavu_mono": (DEJAVU / "DejaVuSansMono.ttf", DEJAVU / "DejaVuSansMono-Bold.ttf"),
    "liberation_sans": (LIBERATION / "LiberationSans-Regular.ttf", LIBERATION / "LiberationSans-Bold.ttf"),
    "liberation_serif": (LIBERATION / "LiberationSerif-Regular.ttf", LIBERATION / "LiberationSerif-Bold.ttf"),
    "liberation_narrow": (LIBERATION / "LiberationSansNarrow-Regular.ttf", LIBERATION / "LiberationSansNarrow-Bold.ttf"),
    "liberation_mono": (LIBERATION / "LiberationMono-Regular.ttf", LIBERATION / "LiberationMono-Bold.ttf"),
}
MONO_FONTS = ("courier", "dejavu_mono", "liberation_mono")
PROP_FONTS = tuple(f for f in FONTS if f not in MONO_FONTS)
CORE = {"helvetica": "Helvetica", "times": "Times", "courier": "Courier"}

PAGE_SIZES = {"a4": (595.28, 841.89), "letter": (612.0, 792.0)}


# Latin, Latin Extended-A, punctuation, NBSP/NNBSP, euro and minus signs: all the invoices print
_UNICODES = [*range(0x20, 0x7F), *range(0xA0, 0x180), *range(0x2010, 0x2027), 0x202F, 0x20AC, 0x2212, 0x2122]
_CACHE = Path(tempfile.gettempdir()) / "invoice_gen-fonts-v1"


@lru_cache(maxsize=None)
def small_font(path: Path) -> Path:
    """A subset copy of a system font (about 30 KB instead of 700 KB), cached on disk once per machine:
    fpdf2 parses and subsets the whole font for every document, which would cost ~100 ms each."""
    out = _CACHE / path.name
    if not out.exists():
        import logging

        from fontTools import subset
        from fontTools.ttLib import TTFont

        logging.getLogger("fontTools.subset").setLevel(logging.ERROR)
        _CACHE.mkdir(exist_ok=True)
        font = TTFont(str(path))
        opt = subset.Options()
        opt.layout_features, opt.hinting, opt.name_IDs, opt.notdef_outline = [], False, ["*"], True
        sub = subset.Subsetter(opt)
        sub.populate(unicodes=_UNICODES)
        sub.subset(font)
        tmp = out.with_suffix(f".{os.getpid()}.tmp.ttf")
        font.save(str(tmp))
        os.replace(tmp, out)  # atomic: parallel test workers may build the same file
    return out


def core_safe(s: str) -> str:
    """What a windows-1252 core font can print: NNBSP -> NBSP, U+2212 -> '-'."""
    return s.replace("\u202f", "\u00a0").replace("\u2212", "-")


class Canvas:
    def __init__(self, font: str, size: tuple[float, float], orientation: str = "P"):
        self.pdf = FPDF(unit="pt", format=size, orientation=orientation)
        self.pdf.set_auto_page_break(False)
        self.pdf.set_margins(0, 0, 0)
        self.pdf.core_fonts_encoding = "windows-1252"
        self.pdf.set_creator("invoice_gen")
        self.pdf.set_creation_date(datetime(2024, 1, 1, tzinfo=timezone.utc))  # same seed, same bytes
        self.core = font in CORE
        self.fonts: dict[str, str] = {}
        self.family = self.use_font(font)
        self.size = size
        self.orientation = orientation

    def use_font(self, font: str) -> str:
        if font in CORE:
            return CORE[font]
        if font not in self.fonts:
            reg, bold = FONTS[font]
            self.pdf.add_font(font, "", str(small_font(reg)))
            self.pdf.add_font(font, "B", str(small_font(bold)))
            self.fonts[font] = font
        return font

    @property
    def w(self) -> float:
        return self.pdf.w

    @property
    def h(self) -> float:
        return self.pdf.h

    def add_page(self, orientation: str | None = None, format=None) -> None:
        kw = {}
        if orientation:
            kw["orientation"] = orientation
        if format:
            kw["format"] = format
        self.pdf.add_page(**kw)

    def clean(self, s: str, family: str | None = None) -> str:
        fam = family or self.family
        return core_safe(s) if fam in CORE.values() else s

    def width(self, s: str, size: float, bold: bool = False, family: str | None = None) -> float:
        fam = family or self.family
        self.pdf.set_font(fam, "B" if bold else "", size)
        return self.pdf.get_string_width(self.clean(s, fam))

    def text(self, x: float, y: float, s: str, size: float = 9, bold: bool = False, align: str = "L",
             max_w: float | None = None, family: str | None = None, grey: int = 0) -> float:
        """Draw `s` with its baseline at y; align L (x = left), R (x = right edge) or C (x = centre).
        Shrinks the size until it fits in max_w. Returns the drawn width."""
        if not s:
            return 0.0
        fam = family or self.family
        s = self.clean(s, fam)
        while True:
            w = self.width(s, size, bold, fam)
            if max_w is None or w <= max_w or size <= 5:
                break
            size -= 0.5
        self.pdf.set_text_color(grey)
        if align == "R":
            x -= w
        elif align == "C":
            x -= w / 2
        self.pdf.text(x, y, s)
        self.pdf.set_text_color(0)
        return w

    def line(self, x1: float, y1: float, x2: float, y2: float, width: float = 0.5, grey: int = 0) -> None:
        self.pdf.set_draw_color(grey)
        self.pdf.set_line_width(width)
        self.pdf.line(x1, y1, x2, y2)

    def rect(self, x: float, y: float, w: float, h: float, fill: int | None = None, width: float = 0.5) -> None:
        self.pdf.set_line_width(width)
        if fill is not None:
            self.pdf.set_fill_color(fill)
            self.pdf.rect(x, y, w, h, style="F")
        else:
            self.pdf.rect(x, y, w, h)

    def output(self) -> bytes:
        return bytes(self.pdf.output())
