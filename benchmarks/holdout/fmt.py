"""Printed forms of amounts, dates and identifiers, in several languages."""
from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

MONTHS = {
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
           "octobre", "novembre", "décembre"],
    "de": ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
           "Oktober", "November", "Dezember"],
    "nl": ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
           "oktober", "november", "december"],
    "es": ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
           "octubre", "noviembre", "diciembre"],
    "it": ["gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto",
           "settembre", "ottobre", "novembre", "dicembre"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"],
}
WEEKDAYS_FR = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]

# how each style groups thousands and marks decimals
AMOUNT_STYLES = {
    "fr_space": (" ", ","),
    "fr_nbsp": ("\u00a0", ","),
    "fr_narrow": ("\u202f", ","),
    "fr_plain": ("", ","),
    "dot_comma": (".", ","),
    "comma_dot": (",", "."),
    "plain_dot": ("", "."),
    "apostrophe": ("'", "."),
}


def format_number(value: Decimal, style: str) -> str:
    group, decimal = AMOUNT_STYLES[style]
    sign = "-" if value < 0 else ""
    units, cents = ("%.2f" % abs(value)).split(".")
    parts = []
    while len(units) > 3:
        parts.insert(0, units[-3:])
        units = units[:-3]
    parts.insert(0, units)
    return sign + group.join(parts) + decimal + cents


def format_money(value: Decimal, style: str, currency: str) -> str:
    """currency: a placement code like 'suffix:€', 'prefix:€ ', 'suffix: EUR', 'none'."""
    number = format_number(value, style)
    if currency == "none":
        return number
    place, mark = currency.split(":", 1)
    if place == "prefix":
        if number.startswith("-"):
            return "-" + mark + number[1:]
        return mark + number
    return number + mark


def format_date(day: dt.date, form: str, lang: str) -> str:
    months = MONTHS[lang]
    if form == "dmy_slash":
        return day.strftime("%d/%m/%Y")
    if form == "dmy_dot":
        return day.strftime("%d.%m.%Y")
    if form == "dmy_dash":
        return day.strftime("%d-%m-%Y")
    if form == "iso":
        return day.isoformat()
    if form == "dmy_short":
        return day.strftime("%d/%m/%y")
    if form == "d_month_y":
        if lang == "de":
            return "%d. %s %d" % (day.day, months[day.month - 1], day.year)
        if lang == "es":
            return "%d de %s de %d" % (day.day, months[day.month - 1], day.year)
        first = "1er" if (lang == "fr" and day.day == 1) else str(day.day)
        return "%s %s %d" % (first, months[day.month - 1], day.year)
    if form == "month_d_y":
        return "%s %d, %d" % (months[day.month - 1], day.day, day.year)
    if form == "weekday_fr":
        return "%s %d %s %d" % (WEEKDAYS_FR[day.weekday()], day.day, months[day.month - 1], day.year)
    if form == "mon_abbr":
        return "%02d-%s-%d" % (day.day, months[day.month - 1][:3].capitalize(), day.year)
    raise ValueError(form)


DATE_FORMS = {
    "fr": ["dmy_slash", "dmy_slash", "dmy_dash", "dmy_dot", "d_month_y", "weekday_fr", "iso", "dmy_short"],
    "de": ["dmy_dot", "dmy_dot", "d_month_y", "iso"],
    "nl": ["dmy_dash", "d_month_y", "dmy_slash", "iso"],
    "es": ["dmy_slash", "d_month_y", "dmy_dash"],
    "it": ["dmy_slash", "d_month_y", "dmy_dot"],
    "en": ["d_month_y", "month_d_y", "dmy_slash", "iso", "mon_abbr"],
}


def pick_date_form(rng: random.Random, lang: str) -> str:
    return rng.choice(DATE_FORMS[lang])


def format_siret(siret: str, form: str) -> str:
    if form == "spaced":
        return "%s %s %s %s" % (siret[:3], siret[3:6], siret[6:9], siret[9:])
    if form == "siren_nic":
        return siret[:9] + " " + siret[9:]
    return siret


def format_vat(vat: str, spaced: bool) -> str:
    if not spaced:
        return vat
    if vat.startswith("FR"):
        return "FR %s %s %s %s" % (vat[2:4], vat[4:7], vat[7:10], vat[10:])
    return vat[:2] + " " + vat[2:]
