"""Reading printed values: amounts, dates, identifiers. Pure functions, no PDF here."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from stdnum import iban as iban_mod
from stdnum.fr import siren as siren_mod
from stdnum.fr import siret as siret_mod
from stdnum.fr import tva as tva_mod

# Spaces that may group thousands: normal, no-break, narrow no-break, thin.
SPACES = " \u00a0\u202f\u2009\u2007"
_SP = f"[{SPACES}]"

# An amount as printed, with a two-digit decimal part (totals always have one).
AMOUNT_RE = re.compile(
    r"(?<![\w.,/-])"
    r"(?P<sign>[-\u2212]\s?)?"
    r"(?P<num>"
    rf"\d{{1,3}}(?:{_SP}\d{{3}})+[.,]\d{{2}}"  # 1 234,56 / 1 234.56
    r"|\d{1,3}(?:\.\d{3})+,\d{2}"  # 1.234,56
    r"|\d{1,3}(?:,\d{3})+\.\d{2}"  # 1,234.56
    r"|\d{1,3}(?:'\d{3})+[.,]\d{2}"  # 1'234.56
    r"|\d+[.,]\d{2}"  # 1234,56
    r")"
    r"(?P<trail>-)?"
    r"(?![\d])(?!\s?%)(?![.,]\d)"
)


def parse_amount(text: str) -> Decimal | None:
    """'1 234,56 €' -> Decimal('1234.56'); '-1.234,56' -> Decimal('-1234.56'); None if no amount."""
    match = AMOUNT_RE.search(text)
    if not match:
        return None
    return amount_from_match(match)


def amount_from_match(match: re.Match) -> Decimal | None:
    num = match.group("num")
    digits = re.sub(rf"[{SPACES}',.]", "", num[:-3]) + "." + num[-2:]
    try:
        value = Decimal(digits)
    except InvalidOperation:
        return None
    if match.group("sign") or match.group("trail"):
        value = -value
    return value


def format_amount(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01')):.2f}"


def french_amount(value: Decimal | str) -> str:
    """Decimal('1234.5') -> '1 234,50' (narrow no-break space grouping)."""
    v = Decimal(value).quantize(Decimal("0.01"))
    sign = "-" if v < 0 else ""
    whole, frac = f"{abs(v):.2f}".split(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return sign + "\u202f".join(groups) + "," + frac


MONTHS = {
    # French
    "janvier": 1, "janv": 1, "février": 2, "fevrier": 2, "févr": 2, "fevr": 2, "mars": 3, "avril": 4, "avr": 4,
    "mai": 5, "juin": 6, "juillet": 7, "juil": 7, "août": 8, "aout": 8, "septembre": 9, "sept": 9,
    "octobre": 10, "oct": 10, "novembre": 11, "nov": 11, "décembre": 12, "decembre": 12, "déc": 12, "dec": 12,
    # English
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
    "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sep": 9,
    "october": 10, "november": 11, "december": 12,
    # German / Dutch
    "januar": 1, "jänner": 1, "februar": 2, "märz": 3, "maerz": 3, "juni": 6, "juli": 7, "oktober": 10,
    "dezember": 12, "januari": 1, "februari": 2, "maart": 3, "mei": 5, "augustus": 8, "okt": 10, "dez": 12,
    "fév": 2, "fev": 2, "mrt": 3,
    # Spanish / Italian
    "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7, "agosto": 8,
    "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11, "diciembre": 12, "ene": 1, "ago": 8,
    "dic": 12, "gennaio": 1, "febbraio": 2, "aprile": 4, "maggio": 5, "giugno": 6, "luglio": 7,
    "settembre": 9, "ottobre": 10, "dicembre": 12, "gen": 1, "mag": 5, "giu": 6, "lug": 7, "set": 9, "ott": 10,
}
_MONTH_ALT = "|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True))

_D_ISO = r"(?P<y1>(?:19|20)\d{2})(?P<s1>[-/.])(?P<m1>\d{1,2})(?P=s1)(?P<d1>\d{1,2})"  # ISO, 2024/07/05
_D_NUM = r"(?P<a2>\d{1,2})\s?(?P<s2>[/.\-])\s?(?P<b2>\d{1,2})\s?(?P=s2)\s?(?P<y2>(?:19|20)?\d{2})"  # 26/05/2020
_D_WORDS = (rf"(?P<d3>\d{{1,2}})(?:er|st|nd|rd|th|º)?\.?(?:\s+de)?(?:\s+|-)(?P<m3>{_MONTH_ALT})\.?,?(?:\s+de[l]?)?"
            rf"(?:\s+|-)(?P<y3>(?:19|20)\d{{2}})")  # 26 mai 2020, 26-mai-2020
_D_MONTH_FIRST = rf"(?P<m4>{_MONTH_ALT})\.?\s+(?P<d4>\d{{1,2}})(?:st|nd|rd|th)?\s?,?\s+(?P<y4>(?:19|20)\d{{2}})"  # May 26, 2020
_D_COMPACT = r"(?P<y5>(?:19|20)\d{2})(?P<m5>[01]\d)(?P<d5>[0-3]\d)(?=\s|$)"  # 20200526 (XML, some ERPs)

DATE_RE = re.compile(rf"(?<![\d])(?:{_D_ISO}|{_D_NUM}|{_D_WORDS}|{_D_MONTH_FIRST}|{_D_COMPACT})(?![\d])", re.IGNORECASE)
# The same without the month-first form, which is costly to try at every position: that one
# runs only on lines holding a month name.
_DATE_DIGIT_FIRST = re.compile(rf"(?<![\d])(?:{_D_ISO}|{_D_NUM}|{_D_WORDS}|(?P<m4>(?!))(?P<d4>)(?P<y4>)|{_D_COMPACT})(?![\d])",
                               re.IGNORECASE)
_DATE_MONTH_FIRST = re.compile(rf"(?<![\w])(?:(?P<y1>(?!))(?P<s1>)(?P<m1>)(?P<d1>)|(?P<a2>(?!))(?P<s2>)(?P<b2>)(?P<y2>)|"
                               rf"(?P<d3>(?!))(?P<m3>)(?P<y3>)|{_D_MONTH_FIRST}|(?P<y5>(?!))(?P<m5>)(?P<d5>))(?![\d])",
                               re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+")


def iter_dates(text: str):
    """Date matches in `text`, left to right (same groups as DATE_RE)."""
    found = list(_DATE_DIGIT_FIRST.finditer(text))
    if any(w.lower() in MONTHS for w in _WORD.findall(text)):
        found.extend(_DATE_MONTH_FIRST.finditer(text))
        found.sort(key=lambda m: m.start())
    return found


def _mk(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def date_readings(match: re.Match) -> list[date]:
    """Every sensible reading of a matched date, the usual (day first) one first."""
    g = match.groupdict()
    if g["y1"]:
        found = _mk(int(g["y1"]), int(g["m1"]), int(g["d1"]))
        return [found] if found else []
    if g["a2"]:
        y = int(g["y2"])
        if y < 100:
            y += 2000
        a, b = int(g["a2"]), int(g["b2"])
        readings = [_mk(y, b, a), _mk(y, a, b)]  # day/month first, then month/day (US)
        out = []
        for r in readings:
            if r and r not in out:
                out.append(r)
        return out
    if g["d3"]:
        found = _mk(int(g["y3"]), MONTHS[g["m3"].lower()], int(g["d3"]))
        return [found] if found else []
    if g["m4"]:
        found = _mk(int(g["y4"]), MONTHS[g["m4"].lower()], int(g["d4"]))
        return [found] if found else []
    if g["y5"]:
        found = _mk(int(g["y5"]), int(g["m5"]), int(g["d5"]))
        return [found] if found else []
    return []


def parse_date(text: str) -> date | None:
    """'26/05/2020', '26-05-2020', '26.05.2020', '2020-05-26', '26 mai 2020', 'May 26, 2020' -> date."""
    for match in iter_dates(text):
        readings = date_readings(match)
        if readings:
            return readings[0]
    return None


def digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def compact(text: str) -> str:
    return re.sub(rf"[{SPACES}.\-]", "", text).upper()


def siret_valid(number: str) -> bool:
    return siret_mod.is_valid(number)


def siren_valid(number: str) -> bool:
    return siren_mod.is_valid(number)


def french_vat_key_ok(vat: str) -> bool:
    """FR + 2-character key + SIREN: stdnum checks the key against the SIREN."""
    return tva_mod.is_valid(vat)


def iban_valid(number: str) -> bool:
    return iban_mod.is_valid(number)


def near_miss(candidate: str, reference: str) -> bool:
    """True when `candidate` is `reference` with one or two digits changed, or two swapped."""
    if candidate == reference or len(candidate) != len(reference):
        return False
    diffs = [i for i, (a, b) in enumerate(zip(candidate, reference)) if a != b]
    if len(diffs) <= 2:
        return True
    return False
