"""The phone line's status, from office.toml's schedule in Europe/Paris with French holidays."""

from dataclasses import replace
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from services.office import TimeRange, get_office
from services.support_hours import (
    format_day, holiday_name, hours_summary, next_opening, open_slots, phone_line_status,
)

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def office():
    return get_office()


def paris(*args) -> datetime:
    return datetime(*args, tzinfo=PARIS)


def test_friday_1659_is_open_until_17h(office):
    status = phone_line_status(office, paris(2026, 11, 27, 16, 59))  # a Friday
    assert status.is_open
    assert status.text == "Ouvert maintenant, jusqu'à 17h"
    assert status.closes_at == paris(2026, 11, 27, 17, 0)


def test_friday_1700_is_closed_until_monday(office):
    status = phone_line_status(office, paris(2026, 11, 27, 17, 0))
    assert not status.is_open
    assert status.text == "Fermé — réouvre lundi à 9h"
    assert status.reopens_at == paris(2026, 11, 30, 9, 0)


def test_friday_morning_before_opening_reopens_today(office):
    status = phone_line_status(office, paris(2026, 11, 27, 8, 15))
    assert status.text == "Fermé — réouvre à 9h"


def test_saturday_is_closed(office):
    status = phone_line_status(office, paris(2026, 11, 28, 11, 0))
    assert not status.is_open
    assert status.text == "Fermé — réouvre lundi à 9h"


def test_sunday_evening_reopens_tomorrow(office):
    assert phone_line_status(office, paris(2026, 11, 29, 20, 0)).text == "Fermé — réouvre demain à 9h"


def test_14_july_is_closed_even_on_a_tuesday(office):
    status = phone_line_status(office, paris(2026, 7, 14, 10, 0))  # Tuesday
    assert not status.is_open
    assert status.holiday == "Fête nationale"
    assert status.text == "Fermé aujourd'hui, jour férié (Fête nationale) — réouvre demain à 9h"


def test_easter_monday_is_closed(office):
    status = phone_line_status(office, paris(2026, 4, 6, 10, 0))  # Easter Monday 2026
    assert not status.is_open
    assert status.holiday
    assert status.reopens_at == paris(2026, 4, 7, 9, 0)


def test_ascension_closes_and_friday_after_is_open(office):
    assert not phone_line_status(office, paris(2026, 5, 14, 10, 0)).is_open  # Ascension, Thursday
    status = phone_line_status(office, paris(2026, 5, 13, 18, 0))
    assert status.text == "Fermé — réouvre vendredi à 9h"
    assert phone_line_status(office, paris(2026, 5, 15, 10, 0)).is_open


def test_holiday_on_a_weekday_before_a_weekend(office):
    # 1 May 2026 is a Friday: closed from Thursday 17h until Monday.
    status = phone_line_status(office, paris(2026, 4, 30, 17, 30))
    assert status.text == "Fermé — réouvre lundi à 9h"
    assert status.reopens_at == paris(2026, 5, 4, 9, 0)


def test_night_of_october_clock_change(office):
    # 25 October 2026, 3h CEST becomes 2h CET. 02:30 happens twice.
    first = datetime(2026, 10, 25, 0, 30, tzinfo=timezone.utc)   # 02:30 CEST
    second = datetime(2026, 10, 25, 1, 30, tzinfo=timezone.utc)  # 02:30 CET
    for now in (first, second):
        status = phone_line_status(office, now)
        assert not status.is_open
        assert status.text == "Fermé — réouvre demain à 9h"
        # Monday 9h in winter time is 8h UTC, not 7h.
        assert status.reopens_at.astimezone(timezone.utc) == datetime(2026, 10, 26, 8, 0, tzinfo=timezone.utc)
    # Friday before the change, 17h CEST: reopening is 9h CET: 65 hours later, not the usual 64.
    friday = paris(2026, 10, 23, 17, 0)
    reopen = next_opening(office, friday)
    assert reopen.astimezone(timezone.utc) - friday.astimezone(timezone.utc) == timedelta(hours=65)


def test_spring_clock_change_keeps_9h(office):
    status = phone_line_status(office, paris(2026, 3, 28, 12, 0))  # Saturday before the change
    assert status.reopens_at.astimezone(timezone.utc) == datetime(2026, 3, 30, 7, 0, tzinfo=timezone.utc)
    status = phone_line_status(office, datetime(2026, 3, 30, 7, 0, tzinfo=timezone.utc))
    assert status.is_open


def test_lunch_break_and_office_changes_are_followed(office):
    split = replace(office, hours={**office.hours, "friday": (TimeRange(time(9), time(12)), TimeRange(time(13, 30), time(17)))})
    assert phone_line_status(split, paris(2026, 11, 27, 11, 0)).text == "Ouvert maintenant, jusqu'à 12h"
    assert phone_line_status(split, paris(2026, 11, 27, 12, 30)).text == "Fermé — réouvre à 13h30"
    assert "de 9h à 12h et de 13h30 à 17h" in hours_summary(split)


def test_naive_datetime_is_refused(office):
    with pytest.raises(ValueError):
        phone_line_status(office, datetime(2026, 11, 27, 10, 0))


def test_hours_summary_from_office_toml(office):
    assert hours_summary(office) == "du lundi au vendredi, de 9h à 17h"
    saturday = replace(office, hours={**office.hours, "saturday": (TimeRange(time(9), time(12)),)})
    assert hours_summary(saturday) == "du lundi au vendredi, de 9h à 17h ; le samedi, de 9h à 12h"


def test_holiday_subdivision_from_office_toml(office):
    # Alsace-Moselle has Good Friday and 26 December; the rest of France does not.
    assert holiday_name(office, date(2026, 12, 26)) is None
    alsace = replace(office, holidays_subdivision="57")
    assert holiday_name(alsace, date(2026, 12, 26))


def test_open_slots_skip_closed_days_and_past_windows(office):
    slots = open_slots(office, paris(2026, 7, 13, 15, 30), days=2)  # Monday, 15:30; 14 July closed
    days = sorted({s.start.date() for s in slots})
    assert days == [date(2026, 7, 13), date(2026, 7, 15)]
    assert slots[0].start == paris(2026, 7, 13, 15, 0) and slots[0].label == "Aujourd'hui, 15h – 17h"
    assert slots[1].label == "Mercredi, 9h – 11h"
    late = open_slots(office, paris(2026, 7, 13, 16, 30), days=1)
    assert late[0].start.date() == date(2026, 7, 15)  # under an hour left today: not offered
    assert all(s.start.tzinfo is not None for s in slots)


def test_format_day():
    today = date(2026, 11, 26)
    assert format_day(today, today) == "aujourd'hui"
    assert format_day(date(2026, 11, 27), today) == "demain"
    assert format_day(date(2026, 11, 30), today) == "lundi"
    assert format_day(date(2026, 12, 8), today) == "mardi 8 décembre"
    assert format_day(date(2027, 1, 1), today) == "vendredi 1er janvier"
