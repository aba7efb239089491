"""When the office's phone line is open: live status, next opening, callback slots.

Everything comes from office.toml: the weekly schedule (local time, Europe/Paris by
default), and the public holidays of its country/subdivision from the `holidays`
package. Opening times are built as local wall-clock times in the office's time
zone, so a daylight-saving change never shifts "9h" to 8h or 10h.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache

import holidays

from services.office import WEEKDAYS, Office, TimeRange

DAY_NAMES = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
MONTH_NAMES = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
               "septembre", "octobre", "novembre", "décembre")
# How far ahead to look for the next opening (a long closure still finds a day).
_SEARCH_DAYS = 370


@dataclass(frozen=True)
class LineStatus:
    """The phone line now: open or closed, and the sentence to show."""

    is_open: bool
    text: str  # "Ouvert maintenant, jusqu'à 17h" / "Fermé — réouvre lundi à 9h"
    closes_at: datetime | None  # when open: end of the current range (office time zone)
    reopens_at: datetime | None  # when closed: next opening (office time zone)
    holiday: str | None = None  # name of today's public holiday, if any


@dataclass(frozen=True)
class Slot:
    """A window in which the office can call back, in the office's time zone."""

    start: datetime
    end: datetime
    label: str  # "demain, 9h – 11h"

    @property
    def key(self) -> str:
        """Stable text form, for a form's value: the start as ISO 8601."""
        return self.start.isoformat()


def _must_be_aware(now: datetime) -> None:
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")


@lru_cache(maxsize=16)
def _holiday_calendar(country: str, subdivision: str | None) -> holidays.HolidayBase:
    return holidays.country_holidays(country, subdiv=subdivision, language="fr")


def holiday_name(office: Office, day: date) -> str | None:
    """The public holiday's name on `day` ('Fête nationale'), or None."""
    calendar = _holiday_calendar(office.holidays_country, office.holidays_subdivision)
    return calendar.get(day)


def ranges_on(office: Office, day: date) -> tuple[TimeRange, ...]:
    """Opening ranges on `day`: none on a public holiday."""
    if holiday_name(office, day):
        return ()
    return office.hours[WEEKDAYS[day.weekday()]]


def _at(office: Office, day: date, moment: time) -> datetime:
    return datetime.combine(day, moment, tzinfo=office.tz)


def format_hour(moment: time | datetime) -> str:
    """'9h', '17h', '13h30'."""
    return f"{moment.hour}h" if moment.minute == 0 else f"{moment.hour}h{moment.minute:02d}"


def format_day(day: date, today: date) -> str:
    """'aujourd'hui', 'demain', 'lundi' (within a week), else 'lundi 4 janvier'."""
    delta = (day - today).days
    if delta == 0:
        return "aujourd'hui"
    if delta == 1:
        return "demain"
    if 1 < delta < 7:
        return DAY_NAMES[day.weekday()]
    return f"{DAY_NAMES[day.weekday()]} {day.day if day.day > 1 else '1er'} {MONTH_NAMES[day.month - 1]}"


def next_opening(office: Office, now: datetime) -> datetime | None:
    """The next moment the line opens, strictly after `now` (None if never)."""
    _must_be_aware(now)
    local = now.astimezone(office.tz)
    for offset in range(_SEARCH_DAYS):
        day = local.date() + timedelta(days=offset)
        for span in ranges_on(office, day):
            start = _at(office, day, span.start)
            if start > local:
                return start
    return None


def phone_line_status(office: Office, now: datetime) -> LineStatus:
    """Is the office's phone line open at `now` (an aware datetime), and until when."""
    _must_be_aware(now)
    local = now.astimezone(office.tz)
    today = local.date()
    holiday = holiday_name(office, today)
    for span in ranges_on(office, today):
        start, end = _at(office, today, span.start), _at(office, today, span.end)
        if start <= local < end:
            return LineStatus(True, f"Ouvert maintenant, jusqu'à {format_hour(span.end)}", end, None, holiday)
    reopen = next_opening(office, local)
    closed = f"Fermé aujourd'hui, jour férié ({holiday})" if holiday else "Fermé"
    if reopen is None:
        return LineStatus(False, closed, None, None, holiday)
    when = format_day(reopen.date(), today)
    when = "" if when == "aujourd'hui" else f"{when} "
    return LineStatus(False, f"{closed} — réouvre {when}à {format_hour(reopen)}", None, reopen, holiday)


def open_slots(office: Office, now: datetime, *, days: int = 5, slot_minutes: int = 120,
               lead_minutes: int = 60) -> tuple[Slot, ...]:
    """Callback windows over the next `days` open days.

    Each opening range is cut into windows of `slot_minutes` (the last one may be
    shorter). A window is offered while at least `lead_minutes` of it remain, so a
    supplier is never offered a time that has passed or is about to.
    """
    _must_be_aware(now)
    local = now.astimezone(office.tz)
    today = local.date()
    slots: list[Slot] = []
    open_days = 0
    for offset in range(_SEARCH_DAYS):
        if open_days >= days:
            break
        day = today + timedelta(days=offset)
        day_slots = []
        for span in ranges_on(office, day):
            start = _at(office, day, span.start)
            end_of_range = _at(office, day, span.end)
            while start < end_of_range:
                end = min(start + timedelta(minutes=slot_minutes), end_of_range)
                if end - max(start, local) >= timedelta(minutes=lead_minutes):
                    label = f"{format_day(day, today)}, {format_hour(start)} – {format_hour(end)}"
                    day_slots.append(Slot(start, end, label[0].upper() + label[1:]))
                start = end
        if day_slots:
            open_days += 1
            slots.extend(day_slots)
    return tuple(slots)


def _ranges_text(ranges: tuple[TimeRange, ...]) -> str:
    return " et ".join(f"de {format_hour(r.start)} à {format_hour(r.end)}" for r in ranges)


def hours_summary(office: Office) -> str:
    """Opening hours in words: 'du lundi au vendredi, de 9h à 17h'.

    Consecutive days with the same hours are grouped; public holidays are closed.
    """
    groups: list[tuple[int, int, tuple[TimeRange, ...]]] = []
    for index, day in enumerate(WEEKDAYS):
        ranges = office.hours[day]
        if not ranges:
            continue
        if groups and groups[-1][1] == index - 1 and groups[-1][2] == ranges:
            groups[-1] = (groups[-1][0], index, ranges)
        else:
            groups.append((index, index, ranges))
    parts = []
    for first, last, ranges in groups:
        days = f"le {DAY_NAMES[first]}" if first == last else f"du {DAY_NAMES[first]} au {DAY_NAMES[last]}"
        parts.append(f"{days}, {_ranges_text(ranges)}")
    return " ; ".join(parts)
