"""Payment deadline and late-payment interest, on cases worked out by hand from the rules
(services/payment_terms.py docstring: CCP R. 2192-10, -12, -27 to -29, -31, D. 2192-35)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from services.office import DEFAULT_PATH, OfficeConfigError, get_office, parse_office
from services.payment_terms import (
    DateProblem, Interruption, PaymentTerms, RateEntry, deadline, euros, late_interest, parse_amount,
    rate_for, reminder_message,
)

TODAY = date(2030, 1, 1)


def terms(delay: int = 30, rates: dict[str, str] | None = None) -> PaymentTerms:
    rates = rates or {"2025-01-01": "3.15", "2025-07-01": "2.15", "2026-01-01": "2.15", "2028-01-01": "2.00"}
    return PaymentTerms(
        legal_delay_days=delay, recovery_indemnity=Decimal(40), margin_points=Decimal(8),
        rates=tuple(RateEntry(date.fromisoformat(k), Decimal(v)) for k, v in sorted(rates.items())),
        rates_updated=date(2026, 1, 2), rates_source="BCE",
    )


# --- the deadline: deposit day is day 0, the 30th day is the last day to pay ----------------

@pytest.mark.parametrize("deposit, due", [
    ("2026-03-01", "2026-03-31"),  # 31-day month: 1 March + 30 = 31 March
    ("2026-01-31", "2026-03-02"),  # February 2026 has 28 days: Feb 28 is day 28, March 2 day 30
    ("2028-01-31", "2028-03-01"),  # leap year: Feb 29 is day 29, March 1 day 30
    ("2028-01-30", "2028-02-29"),  # leap year: the deadline is 29 February itself
    ("2026-12-15", "2027-01-14"),  # across the year end: Dec 31 is day 16, Jan 14 day 30
])
def test_deadline_counts_calendar_days_from_the_deposit(deposit, due):
    result = deadline(date.fromisoformat(deposit), terms(), today=TODAY)
    assert result.due == date.fromisoformat(due)
    assert result.first_due == result.due


def test_interruption_opens_a_new_30_day_delay_from_completion():
    # Deposit 2 March, first deadline 1 April. Suspended 12 March (20 days left), completed 20 March:
    # a new delay of 30 days (the balance, 20, is shorter) → 19 April.
    result = deadline(date(2026, 3, 2), terms(), today=TODAY,
                      interruption=Interruption(date(2026, 3, 12), date(2026, 3, 20)))
    assert result.first_due == date(2026, 4, 1)
    assert result.new_delay_days == 30
    assert result.due == date(2026, 4, 19)


def test_interruption_keeps_a_longer_balance():
    # A 60-day buyer: deposit 2 March → 1 May. Suspended 12 March: 50 days left, more than 30,
    # so the new delay is 50 days from completion on 20 March → 9 May.
    result = deadline(date(2026, 3, 2), terms(delay=60), today=TODAY,
                      interruption=Interruption(date(2026, 3, 12), date(2026, 3, 20)))
    assert result.first_due == date(2026, 5, 1)
    assert result.new_delay_days == 50
    assert result.due == date(2026, 5, 9)


def test_interruption_not_completed_yet_has_no_deadline():
    result = deadline(date(2026, 3, 2), terms(), today=TODAY, interruption=Interruption(date(2026, 3, 12), None))
    assert result.due is None


@pytest.mark.parametrize("deposit, interruption, words", [
    ("2030-02-01", None, "futur"),
    ("2026-03-02", Interruption(date(2026, 3, 1), date(2026, 3, 20)), "avant le dépôt"),
    ("2026-03-02", Interruption(date(2026, 3, 12), date(2026, 3, 10)), "avant sa suspension"),
    ("2026-03-02", Interruption(date(2026, 3, 12), date(2030, 3, 10)), "futur"),
])
def test_impossible_dates_get_a_french_message(deposit, interruption, words):
    with pytest.raises(DateProblem, match=words):
        deadline(date.fromisoformat(deposit), terms(), today=TODAY, interruption=interruption)


# --- interest: amount × (ECB + 8) × days / 365, rate of the half-year when interest starts ---

def test_no_interest_on_or_before_the_deadline():
    assert late_interest(Decimal(1000), date(2026, 3, 31), date(2026, 3, 31), terms()) is None


def test_interest_by_hand():
    # Due 31 March 2026, paid 30 April: 30 days late (1 → 30 April). Interest starts 1 April 2026,
    # half-year of 1 January 2026: ECB 2.15 + 8 = 10.15 %.
    # 10 000 × 10.15 % × 30 / 365 = 30 450 / 365 = 83.4246… → 83.42 €; + 40 € indemnity.
    late = late_interest(Decimal("10000.00"), date(2026, 3, 31), date(2026, 4, 30), terms())
    assert (late.start, late.days) == (date(2026, 4, 1), 30)
    assert late.rate == Decimal("10.15")
    assert late.interest == Decimal("83.42")
    assert late.indemnity == Decimal(40)
    assert late.total == Decimal("123.42")
    assert late.rate_known


def test_rate_is_fixed_by_the_half_year_in_which_interest_starts():
    # Due 29 June 2025: interest starts 30 June (1st half-year, ECB 3.15 → 11.15 %) and keeps that
    # rate in July. 1 000 × 11.15 % × 30 / 365 = 3 345 / 365 = 9.1643… → 9.16 €.
    first = late_interest(Decimal(1000), date(2025, 6, 29), date(2025, 7, 29), terms())
    assert (first.rate, first.days, first.interest) == (Decimal("11.15"), 30, Decimal("9.16"))
    # Due one day later: interest starts 1 July (2nd half-year, ECB 2.15 → 10.15 %).
    # 1 000 × 10.15 % × 30 / 365 = 3 045 / 365 = 8.3424… → 8.34 €.
    second = late_interest(Decimal(1000), date(2025, 6, 30), date(2025, 7, 30), terms())
    assert (second.rate, second.days, second.interest) == (Decimal("10.15"), 30, Decimal("8.34"))


def test_leap_day_counts_as_a_day_late():
    # 15 Feb → 16 March 2028 is 30 days (29 February included); the same dates in 2027 are 29.
    # 2028 rate: ECB 2.00 + 8 = 10 %. 1 000 × 10 % × 30 / 365 = 8.2191… → 8.22 €.
    leap = late_interest(Decimal(1000), date(2028, 2, 15), date(2028, 3, 16), terms())
    assert (leap.days, leap.rate, leap.interest) == (30, Decimal("10.00"), Decimal("8.22"))
    plain = late_interest(Decimal(1000), date(2027, 2, 15), date(2027, 3, 16), terms())
    assert plain.days == 29


def test_interest_after_a_suspension():
    # The interruption case above: new deadline 19 April 2026; paid 9 May 2026 = 20 days late.
    # 2 400 × 10.15 % × 20 / 365 = 4 872 / 365 = 13.3479… → 13.35 €.
    result = deadline(date(2026, 3, 2), terms(), today=TODAY,
                      interruption=Interruption(date(2026, 3, 12), date(2026, 3, 20)))
    late = late_interest(Decimal(2400), result.due, date(2026, 5, 9), terms())
    assert (late.days, late.interest) == (20, Decimal("13.35"))


def test_a_half_year_missing_from_office_toml_uses_the_last_rate_and_says_so():
    entry, known = rate_for(date(2026, 9, 1), terms(rates={"2026-01-01": "2.15"}))
    assert (entry.start, known) == (date(2026, 1, 1), False)
    late = late_interest(Decimal(1000), date(2026, 8, 1), date(2026, 8, 31), terms(rates={"2026-01-01": "2.15"}))
    assert not late.rate_known
    assert (late.rate_semester, late.rate_from) == (date(2026, 7, 1), date(2026, 1, 1))


def test_negative_amount_is_refused():
    with pytest.raises(ValueError):
        late_interest(Decimal(-1), date(2026, 3, 31), date(2026, 4, 30), terms())


@pytest.mark.parametrize("text, value", [
    ("1250", "1250"), ("1 250,50", "1250.50"), ("1.250,50 €", "1250.50"), ("1250.5", "1250.5"),
    ("\u00a012\u202f000,00 ", "12000.00"),
])
def test_amounts_as_suppliers_type_them(text, value):
    assert parse_amount(text) == Decimal(value)


@pytest.mark.parametrize("text, words", [
    ("", "Indiquez"), ("-200", "négatif"), ("douze", "n'est pas un montant"), ("0", "plus grand"),
    ("12,345", "2 chiffres"),
])
def test_bad_amounts_get_a_french_message(text, words):
    with pytest.raises(ValueError, match=words):
        parse_amount(text)


def test_euros_and_message():
    assert euros(Decimal("1234.5")) == "1\u202f234,50\u00a0€"
    late = late_interest(Decimal("10000.00"), date(2026, 3, 31), date(2026, 4, 30), terms())
    text = reminder_message(invoice_number="F-2026-001", deposit=date(2026, 3, 1), due=date(2026, 3, 31),
                            late=late, office_display_name="Office")
    assert "F-2026-001" in text and "1er mars 2026" in text and "31 mars 2026" in text
    assert "83,42" in text and "40,00" in text and "10,15" in text


# --- office.toml ----------------------------------------------------------------------------

def test_office_toml_has_the_payment_section():
    payment = get_office().payment
    assert payment.legal_delay_days == 30
    assert payment.recovery_indemnity == Decimal(40)
    assert payment.margin_points == Decimal(8)
    assert payment.rates_source


def test_bad_payment_section_names_the_line():
    raw = DEFAULT_PATH.read_text(encoding="utf-8")
    broken = raw.replace("legal_delay_days = 30", "legal_delay_days = 0")
    with pytest.raises(OfficeConfigError, match=r"payment\.legal_delay_days"):
        parse_office(broken)
    broken = raw.replace('{ from = "2025-01-01", rate = 3.15 }', '{ from = "2025-02-01", rate = 3.15 }')
    with pytest.raises(OfficeConfigError, match=r"1er janvier"):
        parse_office(broken)


def test_office_toml_without_payment_section_switches_the_calculator_off():
    raw = DEFAULT_PATH.read_text(encoding="utf-8")
    start = raw.index("[payment]")
    end = raw.index("# The office's own sentences")
    assert parse_office(raw[:start] + raw[end:]).payment is None
