"""Unit tests of the value readers: amounts, dates, identifiers."""

from datetime import date
from decimal import Decimal

import pytest

from services.pdf_check.parsing import (
    french_amount, french_vat_key_ok, iban_valid, near_miss, parse_amount, parse_date, siren_valid, siret_valid,
)


@pytest.mark.parametrize("text, expected", [
    ("1 234,56 €", "1234.56"),
    ("1\u00a0234,56 €", "1234.56"),
    ("1\u202f234,56\u00a0€", "1234.56"),
    ("1.234,56", "1234.56"),
    ("1,234.56", "1234.56"),
    ("1234.56 EUR", "1234.56"),
    ("1234,56", "1234.56"),
    ("12 345 678,90", "12345678.90"),
    ("-218,48 €", "-218.48"),
    ("\u2212218,48", "-218.48"),
    ("Total TTC : 110,00", "110.00"),
    ("TVA 20 % 1 676,02 €", "1676.02"),  # the rate is not an amount
    ("TVA 5,50 % 19,22", "19.22"),
])
def test_parse_amount(text, expected):
    assert parse_amount(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["40 €", "20 %", "FR 41 132997081", "41,1765", "no amount here"])
def test_parse_amount_rejects_non_totals(text):
    assert parse_amount(text) is None


def test_french_amount_groups_with_narrow_space():
    assert french_amount(Decimal("1234.5")) == "1\u202f234,50"
    assert french_amount("-12.30") == "-12,30"


@pytest.mark.parametrize("text, expected", [
    ("26/05/2020", date(2020, 5, 26)),
    ("26-05-2020", date(2020, 5, 26)),
    ("26.05.2020", date(2020, 5, 26)),
    ("2020-05-26", date(2020, 5, 26)),
    ("26 mai 2020", date(2020, 5, 26)),
    ("le 2 mars 2022", date(2022, 3, 2)),
    ("02 Juillet 2015", date(2015, 7, 2)),
    ("1er octobre 2023", date(2023, 10, 1)),
    ("February 17, 2026", date(2026, 2, 17)),
    ("17. März 2026", date(2026, 3, 17)),
    ("Lens, le 26/05/2020", date(2020, 5, 26)),
    ("26/05/20", date(2020, 5, 26)),
])
def test_parse_date(text, expected):
    assert parse_date(text) == expected


def test_parse_date_rejects_impossible_dates():
    assert parse_date("45/13/2020") is None
    assert parse_date("pas de date") is None


def test_siret_and_siren_checksums_including_la_poste():
    assert siret_valid("80938923200020")  # the office
    assert not siret_valid("80938923200021")
    assert siren_valid("809389232")
    assert not siren_valid("809389233")
    # La Poste's establishments do not follow Luhn: the digit sum is a multiple of 5.
    assert siret_valid("35600000049837")


def test_french_vat_key_is_checked_against_siren():
    assert french_vat_key_ok("FR27126728856")
    assert not french_vat_key_ok("FR28126728856")


def test_iban_check_digits():
    assert iban_valid("FR7630003454053157829828259")
    assert not iban_valid("FR7630003454053157829828258")


def test_near_miss_spots_a_typo_not_another_number():
    assert near_miss("80938923203020", "80938923200020")
    assert near_miss("80938293200020", "80938923200020")  # two digits swapped
    assert not near_miss("12672885600330", "80938923200020")
    assert not near_miss("80938923200020", "80938923200020")
