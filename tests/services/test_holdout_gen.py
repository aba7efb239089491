"""The held-out generator's own truth must be right, or the benchmark measures nothing."""
from __future__ import annotations

import io
import re
import sys
from decimal import Decimal
from pathlib import Path

import pdfplumber
import pytest
from stdnum import iban
from stdnum.eu import vat as eu_vat
from stdnum.fr import siret

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

from holdout.gen import DEFECTS, LAYOUTS, generate  # noqa: E402

SEEDS = range(len(LAYOUTS))


def _text(data: bytes) -> str:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def _squash(text: str) -> str:
    return re.sub(r"[\s\u00a0\u202f.,'€$]|EUR|USD", "", text)


def test_same_seed_gives_same_invoice():
    first, second = generate(3), generate(3)
    assert first[1] == second[1] and first[2] == second[2]
    assert len(first[0]) == len(second[0])


@pytest.mark.parametrize("seed", SEEDS)
def test_clean_invoice_truth_is_consistent_and_printed(seed):
    data, truth, layout = generate(seed)
    assert truth["layout"] == layout and truth["expected_issues"] == []
    ht, tva, ttc = (Decimal(truth[k]) for k in ("total_ht", "total_tva", "total_ttc"))
    assert ht + tva == ttc
    assert (ttc < 0) == (truth["doc_type"] == "credit_note")
    assert truth["buyer_siret"] == "80938923200020"
    if truth["seller_siret"]:
        assert siret.is_valid(truth["seller_siret"])
        assert truth["seller_siren"] == truth["seller_siret"][:9]
        assert truth["seller_vat"][4:] == truth["seller_siren"]
    assert eu_vat.is_valid(truth["seller_vat"])
    if truth["iban"]:
        assert iban.is_valid(truth["iban"])
    text = _squash(_text(data))
    for key in ("invoice_number", "seller_siret", "seller_vat", "buyer_siret", "iban", "purchase_order"):
        if truth[key]:
            assert _squash(truth[key]) in text, key
    for key in ("total_ht", "total_tva", "total_ttc"):
        assert _squash(truth[key].lstrip("-")) in text, key
    assert truth["seller_name"] in _text(data)


@pytest.mark.parametrize("defect", DEFECTS)
def test_each_defect_is_in_the_truth(defect):
    data, truth, _ = generate(1, defect)
    assert truth["expected_issues"] == [defect]
    if defect == "totals_mismatch":
        assert abs(Decimal(truth["total_ht"]) + Decimal(truth["total_tva"]) - Decimal(truth["total_ttc"])) == Decimal("0.01")
    if defect == "invalid_seller_siret_checksum":
        assert not siret.is_valid(truth["seller_siret"])
    if defect == "invalid_vat":
        assert not eu_vat.is_valid(truth["seller_vat"])
    if defect == "wrong_buyer_siret":
        assert truth["buyer_siret"] != "80938923200020" and not siret.is_valid(truth["buyer_siret"])
    if defect == "scan_no_text":
        assert _text(data).strip() == ""
    if defect == "partial_scan":
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            texts = [bool((p.extract_text() or "").strip()) for p in pdf.pages]
        assert True in texts and False in texts
    if defect in ("missing_invoice_number", "missing_date", "missing_buyer_siret"):
        key = {"missing_invoice_number": "invoice_number", "missing_date": "invoice_date",
               "missing_buyer_siret": "buyer_siret"}[defect]
        assert truth[key] is None
