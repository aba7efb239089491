"""Made-up business identifiers with valid (or deliberately broken) check digits."""
from __future__ import annotations

import random

from stdnum import iban as std_iban
from stdnum import luhn
from stdnum.es import ccc as es_ccc
from stdnum.es import cif as es_cif
from stdnum.eu import vat as eu_vat
from stdnum.iso7064 import mod_11_10

OFFICE_SIRET = "80938923200020"
OFFICE_SIREN = OFFICE_SIRET[:9]


def _digits(rng: random.Random, n: int, first_nonzero: bool = True) -> str:
    out = str(rng.randint(1, 9)) if first_nonzero else str(rng.randint(0, 9))
    return out + "".join(str(rng.randint(0, 9)) for _ in range(n - 1))


def fr_vat_key(siren: str) -> str:
    return "%02d" % ((12 + 3 * (int(siren) % 97)) % 97)


def fr_siren(rng: random.Random) -> str:
    body = _digits(rng, 8)
    return body + luhn.calc_check_digit(body)


def fr_siret(rng: random.Random, siren: str) -> str:
    body = siren + "000" + str(rng.randint(1, 9)) if rng.random() < 0.6 else siren + _digits(rng, 4, False)
    return body + luhn.calc_check_digit(body)


def fr_vat(siren: str) -> str:
    return "FR" + fr_vat_key(siren) + siren


def break_siret_nic(rng: random.Random, siret: str) -> str:
    """Change one NIC digit so SIREN and VAT still agree but the Luhn key fails."""
    pos = rng.randint(9, 13)
    new = str((int(siret[pos]) + rng.randint(1, 9)) % 10)
    return siret[:pos] + new + siret[pos + 1:]


def break_digit(rng: random.Random, number: str, start: int = 0) -> str:
    positions = [i for i, c in enumerate(number) if c.isdigit() and i >= start]
    pos = rng.choice(positions)
    new = str((int(number[pos]) + rng.randint(1, 9)) % 10)
    return number[:pos] + new + number[pos + 1:]


def break_vat(rng: random.Random, vat: str) -> str:
    """Make a VAT number whose check digits no longer match."""
    while True:
        broken = _break_vat_once(rng, vat)
        if not eu_vat.is_valid(broken):
            return broken


def _break_vat_once(rng: random.Random, vat: str) -> str:
    if vat.startswith("FR"):
        key = int(vat[2:4])
        return "FR" + "%02d" % ((key + rng.randint(1, 96)) % 97) + vat[4:]
    if vat.startswith("ES"):
        # the last character is the check (digit or letter): change one body digit
        return vat[:3] + break_digit(rng, vat[3:-1]) + vat[-1]
    if vat.startswith("NL"):
        return vat[:2] + break_digit(rng, vat[2:11]) + vat[11:]
    return vat[:2] + break_digit(rng, vat[2:])


def foreign_vat(rng: random.Random, country: str) -> str:
    if country == "DE":
        body = _digits(rng, 8)
        return "DE" + body + mod_11_10.calc_check_digit(body)
    if country == "NL":
        while True:
            body = _digits(rng, 8)
            check = sum((9 - i) * int(d) for i, d in enumerate(body)) % 11
            if check < 10:
                return "NL" + body + str(check) + "B" + "%02d" % rng.choice([1, 1, 1, 2, 3])
    if country == "BE":
        body = "0" + _digits(rng, 7)
        return "BE" + body + "%02d" % (97 - int(body) % 97)
    if country == "ES":
        body = rng.choice("AB") + _digits(rng, 7, False)
        digit, _letter = es_cif.calc_check_digits(body)
        return "ES" + body + digit
    if country == "IT":
        body = _digits(rng, 7, False) + "%03d" % rng.randint(1, 100)
        return "IT" + body + luhn.calc_check_digit(body)
    raise ValueError(country)


def _with_iban_check(country: str, bban: str) -> str:
    return country + std_iban.calc_check_digits(country + "00" + bban) + bban


def iban_for(rng: random.Random, country: str) -> str:
    if country == "FR":
        bank, branch, account = _digits(rng, 5), _digits(rng, 5, False), _digits(rng, 11, False)
        key = 97 - (89 * int(bank) + 15 * int(branch) + 3 * int(account)) % 97
        return _with_iban_check("FR", bank + branch + account + "%02d" % key)
    if country == "DE":
        return _with_iban_check("DE", _digits(rng, 8) + _digits(rng, 10, False))
    if country == "NL":
        return _with_iban_check("NL", rng.choice(["ABNA", "INGB", "RABO", "SNSB", "TRIO"]) + _digits(rng, 10, False))
    if country == "BE":
        # real Belgian bank codes: stdnum checks the bank exists
        first = rng.choice(["001", "068", "310", "363", "735", "979"]) + _digits(rng, 7, False)
        check = int(first) % 97 or 97
        return _with_iban_check("BE", first + "%02d" % check)
    if country == "ES":
        bank, branch, account = _digits(rng, 4), _digits(rng, 4, False), _digits(rng, 10, False)
        return _with_iban_check("ES", bank + branch + es_ccc.calc_check_digits(bank + branch + "00" + account) + account)
    if country == "IT":
        return _with_iban_check("IT", rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") + _digits(rng, 5, False)
                                + _digits(rng, 5, False) + _digits(rng, 12, False))
    raise ValueError(country)


def group4(value: str) -> str:
    return " ".join(value[i:i + 4] for i in range(0, len(value), 4))


def fr_rib_line(iban: str) -> tuple[str, str, str, str]:
    bban = iban[4:]
    return bban[:5], bban[5:10], bban[10:21], bban[21:23]
