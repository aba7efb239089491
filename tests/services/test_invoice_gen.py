"""The seeded invoice generator itself (tests/invoice_gen): deterministic, arithmetic right,
identifiers valid, every layout family reachable, and the truth really printed in the PDF."""

from __future__ import annotations

import random
import warnings
from collections import defaultdict
from decimal import Decimal

import pytest
from stdnum import iban, luhn
from stdnum.be import vat as be_vat
from stdnum.de import vat as de_vat
from stdnum.es import vat as es_vat
from stdnum.fr import siren, siret, tva
from stdnum.it import iva as it_vat
from stdnum.nl import vat as nl_vat

from tests.invoice_gen import DEFECTS, choose_family, generate, plan
from tests.invoice_gen.check import SPACES, amount_forms, missing_values, pdf_text
from tests.invoice_gen.truth import OFFICE

TRUTH_KEYS = {"doc_type", "invoice_number", "invoice_date", "seller_name", "seller_siret", "seller_siren",
              "seller_vat", "buyer_siret", "total_ht", "total_tva", "total_ttc", "currency", "purchase_order", "iban",
              "pages", "expected_issues"}
FOREIGN_VAT = {"DE": de_vat, "NL": nl_vat, "ES": es_vat, "BE": be_vat}


def test_same_seed_same_bytes_and_truth():
    for seed in (0, 7, 123):
        a, b = generate(seed), generate(seed)
        assert a.pdf == b.pdf and a.truth == b.truth and a.family == b.family
    assert generate(1).truth != generate(2).truth


def test_no_warning_from_fpdf_or_fonts():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for seed in range(25):
            generate(seed)


@pytest.mark.parametrize("seed", range(300))
def test_truth_arithmetic_and_identifiers(seed):
    inv, fam, _ = plan(seed)
    t = inv.truth()
    assert set(t) == TRUTH_KEYS
    ht, tva_, ttc = (Decimal(t[k]) for k in ("total_ht", "total_tva", "total_ttc"))
    assert ht + tva_ == ttc
    assert all(len(t[k].split(".")[1]) == 2 for k in ("total_ht", "total_tva", "total_ttc"))
    assert sum((b for _, b, _ in inv.breakdown), Decimal(0)) == inv.total_ht
    assert (ttc < 0) == (t["doc_type"] == "credit_note")
    assert t["buyer_siret"] == OFFICE["siret"] and t["currency"] == "EUR" and t["expected_issues"] == []
    if fam["foreign"]:
        assert t["seller_siret"] is None and t["seller_siren"] is None
        cc = t["seller_vat"][:2]
        assert (it_vat.is_valid(t["seller_vat"][2:]) if cc == "IT" else FOREIGN_VAT[cc].is_valid(t["seller_vat"]))
    else:
        assert siret.is_valid(t["seller_siret"]) and siren.is_valid(t["seller_siren"])
        assert t["seller_siren"] == t["seller_siret"][:9]
        assert t["seller_vat"] is None or (tva.is_valid(t["seller_vat"]) and t["seller_vat"][4:] == t["seller_siren"])
    assert t["iban"] is None or iban.is_valid(t["iban"])
    assert inv.deposit < inv.total_ttc


def test_every_family_value_occurs_over_300_seeds():
    seen = defaultdict(set)
    for seed in range(300):
        inv, fam, _ = plan(seed)
        for k, v in fam.items():
            seen[k].add(v)
    expect = {
        "language": {"fr", "en", "de", "nl", "es", "it"},
        "monospace": {"no", "ticket", "listing"},
        "label_position": {"right", "below", "table", "colon", "grid"},
        "leaders": {"none", "dots", "dashes"},
        "header_columns": {"seller_left", "seller_right", "stacked", "letter"},
        "ids_position": {"header", "footer", "both"},
        "totals_layout": {"vertical", "horizontal", "boxes"},
        "totals_position": {"last", "first"},
        "page_format": {"a4", "letter", "a4_landscape", "ticket"},
        "odd_page": {"none", "landscape", "rotated"},
        "number_format": {"fr_space", "fr_nbsp", "fr_nnbsp", "de_dot", "en_comma", "plain_dot", "plain_comma",
                          "ch_apos"},
        "currency_style": {"after_euro", "after_eur", "before_euro", "before_eur", "none", "after_euro_tight"},
        "date_format": {"slash", "dot", "dash", "iso", "slash_yy", "dot_yy", "words", "words_en_us", "words_en_uk",
                        "words_abbr"},
        "target_pages": {1, 2, 3, 4},
        "doc_type": {"invoice", "credit_note"},
        "deposit": {True, False},
        "discount": {True, False},
        "multi_rate": {True, False},
        "foreign": {True, False},
        "seller_country": {"FR", "DE", "NL", "ES", "IT", "BE"},
        "credit_sign": {"negative", "positive"},
        "label_case": {"as_is", "upper", "lower"},
    }
    for k, values in expect.items():
        assert values <= seen[k], (k, values - seen[k])
    assert len(seen["font"]) >= 10


def test_family_draw_is_independent_of_rendering():
    fam = choose_family(random.Random(5), "de", "invoice")
    assert fam["language"] == "de" and fam["monospace"] in ("no", "ticket", "listing")
    for seed in range(60):
        _, fam, _ = plan(seed)
        assert (fam["label_position"] == "n/a") == (fam["monospace"] != "no")


@pytest.mark.parametrize("seed", range(0, 300, 6))
def test_truth_values_are_printed(seed):
    g = generate(seed)
    pages = pdf_text(g.pdf)
    assert len(pages) == g.truth["pages"]
    assert missing_values(g.truth, pages) == []
    if g.truth["pages"] > 1:
        # the TTC total is printed on one page only: the last one, or page 1 when the detail follows
        ttc_forms = {SPACES.sub(" ", f) for f in amount_forms(g.truth["total_ttc"])}
        on = [i for i, p in enumerate(pages) if any(f in SPACES.sub(" ", p) for f in ttc_forms)]
        assert on == ([0] if g.family["totals_position"] == "first" else [len(pages) - 1])


@pytest.mark.parametrize("defect", [d for d in DEFECTS if d != "scan_page"])
def test_defect_truth_is_printed(defect):
    for seed in (3, 11, 40):
        g = generate(seed, defect=defect)
        assert g.truth["expected_issues"] == [defect]
        assert missing_values(g.truth, pdf_text(g.pdf)) == []
        t = g.truth
        if defect == "totals_mismatch":
            assert abs(Decimal(t["total_ht"]) + Decimal(t["total_tva"]) - Decimal(t["total_ttc"])) == Decimal("0.01")
        elif defect == "wrong_buyer_siret":
            assert t["buyer_siret"] != OFFICE["siret"] and len(t["buyer_siret"]) == 14
        elif defect == "invalid_seller_siret_checksum":
            assert not luhn.is_valid(t["seller_siret"]) and siren.is_valid(t["seller_siren"])
        elif defect == "invalid_vat":
            assert not tva.is_valid(t["seller_vat"]) and t["seller_vat"][4:] == t["seller_siren"]
        elif defect == "wrong_currency":
            assert t["currency"] in ("USD", "GBP")
        elif defect == "missing_invoice_number":
            assert t["invoice_number"] is None
        elif defect == "missing_date":
            assert t["invoice_date"] is None
        elif defect == "missing_buyer_siret":
            assert t["buyer_siret"] is None


def test_missing_values_are_really_absent():
    for seed in (3, 11, 40):
        clean = generate(seed)
        text = "\n".join(pdf_text(generate(seed, defect="missing_invoice_number").pdf))
        assert clean.truth["invoice_number"] not in text
        g = generate(seed, defect="missing_date")
        flat = " ".join(pdf_text(g.pdf))
        from tests.invoice_gen.check import date_forms
        assert not any(f in flat for f in date_forms(clean.truth["invoice_date"]))


@pytest.mark.parametrize("seed", [0, 1, 2, 8])
def test_scan_page_has_no_text_on_that_page(seed):
    g = generate(seed, defect="scan_page")
    pages = pdf_text(g.pdf)
    assert len(pages) == g.truth["pages"]
    scanned = g.family["scan_page"] - 1
    assert pages[scanned].strip() == ""
    if len(pages) == 1:
        assert g.truth["expected_issues"] == ["scan_no_text"]
    else:
        assert g.truth["expected_issues"] == ["partial_scan"]
        assert all(p.strip() for i, p in enumerate(pages) if i != scanned)


def test_rotated_page_is_stored_portrait_with_rotate_90():
    import pypdfium2 as pdfium

    for seed in range(300):
        inv, fam, _ = plan(seed)
        if fam["odd_page"] == "rotated":
            break
    g = generate(seed)
    doc = pdfium.PdfDocument(g.pdf)
    page = doc[1]
    assert page.get_rotation() == 90
    w, h = page.get_size()
    assert w > h  # pdfium reports the rotated (displayed) size
    doc.close()


def test_no_text_off_the_page():
    import pypdfium2 as pdfium

    for seed in range(0, 300, 2):
        doc = pdfium.PdfDocument(generate(seed).pdf)
        for i in range(len(doc)):
            page = doc[i]
            w, h = page.get_size()
            if page.get_rotation() in (90, 270):  # pdfium gives the displayed size; boxes are unrotated
                w, h = h, w
            tp = page.get_textpage()
            for k in range(tp.count_chars()):
                left, bottom, right, top = tp.get_charbox(k)
                assert -1 <= left and right <= w + 1 and -1 <= bottom and top <= h + 1, (seed, i + 1, k)
            tp.close()
        doc.close()
