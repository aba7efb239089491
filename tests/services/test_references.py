import random

from services.references import ALPHABET, new_reference, parse_reference, is_reference


def test_alphabet_has_no_confusable_symbols():
    for confusable in "0O1IL":
        assert confusable not in ALPHABET
    assert len(set(ALPHABET)) == len(ALPHABET) == 31


def test_new_reference_shape():
    rng = random.Random(4)
    for _ in range(500):
        ref = new_reference(rng)
        assert len(ref) == 7 and ref[3] == "-"
        assert all(ch in ALPHABET for ch in ref.replace("-", ""))
        assert is_reference(ref)


def test_references_are_spread_out():
    refs = {new_reference() for _ in range(2000)}
    assert len(refs) == 2000


def test_parse_reference_accepts_how_people_type_it():
    assert parse_reference("k7f 42q") == "K7F-42Q"
    assert parse_reference(" K7F42Q ") == "K7F-42Q"
    assert parse_reference("k7f-42q") == "K7F-42Q"


def test_parse_reference_refuses_wrong_codes():
    for text in ("", None, "K7F-42", "K7F-42QQ", "KOF-42Q", "K1F-42Q", "KLF-42Q", "K7F-4?Q"):
        assert parse_reference(text) is None
    assert not is_reference("k7f-42q")
