"""classify_identifier: what a supplier typed as their SIRET, in plain French."""

import pytest

from services.siret import classify_identifier, compact_identifier, format_display


@pytest.mark.parametrize("typed", [
    "80938923200020",
    "809 389 232 00020",
    "809.389.232.00020",
    "809-389-232-00020",
    "809\u00a0389\u00a0232\u202f00020",  # non-breaking spaces from a PDF copy
    " SIRET : 809 389 232 00020 ",
])
def test_valid_siret_whatever_the_separators(typed):
    check = classify_identifier(typed)
    assert check.kind == "siret" and check.is_valid_siret
    assert check.problem is None
    assert check.compact == "80938923200020"
    assert check.display == "809 389 232 00020"
    assert check.siren == "809389232"
    assert "bien tapé" in check.message
    assert check.fix == ""


@pytest.mark.parametrize("number", [
    "35600000000048",  # La Poste's head office: ordinary Luhn
    "35600000049837",  # a La Poste establishment: digit sum multiple of 5, fails Luhn
])
def test_la_poste_exception(number):
    from stdnum import luhn

    check = classify_identifier(number)
    assert check.kind == "siret", check.message
    if number == "35600000049837":
        assert not luhn.is_valid(number)  # proves the exception is what makes it pass


def test_la_poste_establishment_with_wrong_digit_sum_is_refused():
    check = classify_identifier("35600000049838")
    assert check.kind == "invalid" and check.problem == "checksum"


def test_siren_says_the_establishment_digits_are_missing():
    check = classify_identifier("809 389 232")
    assert check.kind == "siren"
    assert not check.is_valid_siret
    assert check.siren == "809389232"
    assert check.display == "809 389 232"
    assert "il manque les 5 chiffres de l'établissement" in check.message
    assert "5 chiffres" in check.fix


def test_nine_digits_that_are_not_a_siren():
    check = classify_identifier("809389233")
    assert check.kind == "invalid" and check.problem == "siren_checksum"
    assert check.siren is None


@pytest.mark.parametrize("typed, length, gap", [
    ("8093892320002", 13, "Il en manque 1."),
    ("809389232000201", 15, "Il y en a 1 de trop."),
    ("80938923", 8, "Il en manque 6."),
])
def test_wrong_length_says_how_many_digits(typed, length, gap):
    check = classify_identifier(typed)
    assert check.kind == "invalid" and check.problem == "length"
    assert f"a {length} chiffres" in check.message
    assert gap in check.message


def test_letter_o_instead_of_zero_is_named():
    check = classify_identifier("8O9 389 232 00020")
    assert check.kind == "invalid" and check.problem == "letters"
    assert "la lettre O" in check.message


def test_other_characters_are_listed_once():
    check = classify_identifier("809389232000a0a#")
    assert check.problem == "letters"
    assert check.message.count("« a »") == 1
    assert "« # »" in check.message


def test_checksum_error_in_the_establishment_digits():
    check = classify_identifier("80938923200021")
    assert check.kind == "invalid" and check.problem == "checksum"
    assert "clé de contrôle" in check.message
    assert "5 derniers chiffres" in check.message
    assert check.display == "80938923200021"  # not grouped: it is not a SIRET


def test_checksum_error_in_the_siren_digits():
    check = classify_identifier("80938923300020")
    assert check.problem == "checksum"
    assert "9 premiers chiffres" in check.message


def test_swapped_digits_are_caught():
    check = classify_identifier("80938923200002")  # last two digits swapped
    assert check.kind == "invalid"


@pytest.mark.parametrize("typed", ["", "   ", None, " - . "])
def test_empty_input_is_not_an_error(typed):
    check = classify_identifier(typed)
    assert check.kind == "empty" and check.message == "" and check.problem is None


def test_helpers():
    assert compact_identifier("n° SIRET 809.389.232-00020") == "80938923200020"
    assert format_display("80938923200020") == "809 389 232 00020"
    assert format_display("12345") == "12345"
