"""Printed forms of amounts, dates and identifiers (pure functions, no randomness here)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

NBSP, NNBSP = "\u00a0", "\u202f"

# number format name -> (thousands separator, decimal separator)
NUMBER_FORMATS = {
    "fr_space": (" ", ","),       # 1 234,56
    "fr_nbsp": (NBSP, ","),       # 1 234,56 with U+00A0
    "fr_nnbsp": (NNBSP, ","),     # 1 234,56 with U+202F (LibreOffice, recent Word)
    "de_dot": (".", ","),         # 1.234,56
    "en_comma": (",", "."),       # 1,234.56
    "plain_dot": ("", "."),       # 1234.56
    "plain_comma": ("", ","),     # 1234,56
    "ch_apos": ("'", "."),        # 1'234.56 (Swiss-made software)
}
NEEDS_UNICODE = {"fr_nnbsp"}

# currency placement name -> how the sign sits around the number
CURRENCY_STYLES = ("after_euro", "after_eur", "before_euro", "before_eur", "none", "after_euro_tight")

# negative amount styles
NEG_STYLES = ("minus", "parentheses", "trailing_minus", "unicode_minus")


def group(whole: str, sep: str) -> str:
    if not sep:
        return whole
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return sep.join(groups)


def number(value: Decimal, fmt: str, neg: str = "minus", decimals: int = 2) -> str:
    thousands, dec = NUMBER_FORMATS[fmt]
    q = Decimal(1).scaleb(-decimals)
    whole, _, frac = f"{abs(value.quantize(q)):.{decimals}f}".partition(".")
    body = group(whole, thousands) + (dec + frac if decimals else "")
    if value >= 0:
        return body
    return {"minus": "-" + body, "parentheses": "(" + body + ")", "trailing_minus": body + "-",
            "unicode_minus": "\u2212" + body}[neg]


def money(value: Decimal, fmt: str, cur: str = "after_euro", neg: str = "minus", code: str = "EUR") -> str:
    """An amount with its currency sign; `code` is the ISO currency (EUR, USD, GBP)."""
    n = number(value, fmt, neg)
    sign = {"EUR": "€", "USD": "$", "GBP": "£"}[code]
    space = NBSP if fmt in ("fr_nbsp", "fr_nnbsp") else " "
    if cur == "after_euro":
        return n + space + sign
    if cur == "after_euro_tight":
        return n + sign
    if cur == "after_eur":
        return n + " " + code
    if cur == "before_euro":
        return sign + n if code != "EUR" or fmt in ("en_comma", "plain_dot") else sign + " " + n
    if cur == "before_eur":
        return code + " " + n
    return n


def rate(r: Decimal, fmt: str) -> str:
    """A VAT rate: 20 / 5,5 / 5.5 / 2,10 ..."""
    dec = NUMBER_FORMATS[fmt][1]
    s = f"{r.normalize():f}"
    return s.replace(".", dec)


MONTHS = {
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
           "novembre", "décembre"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"],
    "de": ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
           "November", "Dezember"],
    "nl": ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
           "november", "december"],
    "es": ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
           "noviembre", "diciembre"],
    "it": ["gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre",
           "novembre", "dicembre"],
}

DATE_FORMATS = ("slash", "dot", "dash", "iso", "slash_yy", "dot_yy", "words", "words_en_us", "words_en_uk",
                "words_abbr")


def date_text(d: date, fmt: str, lang: str) -> str:
    if fmt == "slash":
        return d.strftime("%d/%m/%Y")
    if fmt == "dot":
        return d.strftime("%d.%m.%Y")
    if fmt == "dash":
        return d.strftime("%d-%m-%Y")
    if fmt == "iso":
        return d.isoformat()
    if fmt == "slash_yy":
        return d.strftime("%d/%m/%y")
    if fmt == "dot_yy":
        return d.strftime("%d.%m.%y")
    months = MONTHS[lang]
    m = months[d.month - 1]
    if fmt == "words_en_us" or (fmt == "words" and lang == "en"):
        return f"{MONTHS['en'][d.month - 1]} {d.day}, {d.year}"
    if fmt == "words_en_uk":
        return f"{d.day} {MONTHS['en'][d.month - 1]} {d.year}"
    if fmt == "words_abbr":
        abbr = m[:3] if lang != "fr" or d.month not in (6, 7) else m[:4]
        if lang == "en":
            return f"{d.day:02d}-{MONTHS['en'][d.month - 1][:3]}-{d.year}"
        return f"{d.day} {abbr}. {d.year}" if len(m) > 4 else f"{d.day} {m} {d.year}"
    # full words in the document's language
    if lang == "fr":
        return f"{'1er' if d.day == 1 else d.day} {m} {d.year}"
    if lang == "de":
        return f"{d.day}. {m} {d.year}"
    if lang == "es":
        return f"{d.day} de {m} de {d.year}"
    return f"{d.day} {m} {d.year}"  # nl, it


def grouped(s: str, sizes: tuple[int, ...], sep: str = " ") -> str:
    out, pos = [], 0
    for size in sizes:
        if pos >= len(s):
            break
        out.append(s[pos:pos + size])
        pos += size
    if pos < len(s):
        out.append(s[pos:])
    return sep.join(out)


def siret_text(siret: str, style: str) -> str:
    if style == "grouped":
        return grouped(siret, (3, 3, 3, 5))
    if style == "siren_nic":
        return siret[:9] + " " + siret[9:]
    return siret


def siren_text(siren: str, style: str) -> str:
    return grouped(siren, (3, 3, 3)) if style != "compact" else siren


def vat_text(vat: str, style: str) -> str:
    if style == "compact":
        return vat
    if vat.startswith("FR"):
        return f"FR {vat[2:4]} {grouped(vat[4:], (3, 3, 3))}"
    return vat[:2] + " " + vat[2:]


def iban_text(iban: str, style: str) -> str:
    return grouped(iban, (4,) * 8) if style == "grouped" else iban
