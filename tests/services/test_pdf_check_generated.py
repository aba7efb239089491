"""Invoices in layouts the corpus never shows (generated with fpdf2): every field right."""

import pytest

from services.office import get_office
from services.pdf_check import analyse_bytes
from tests.services.pdf_check_gen import LAYOUTS, Truth

CASES = {
    "labels_left_grid": Truth(),
    "labels_above_three_pages": Truth(invoice_number="2025/0042-C", total_ht="48210.00", total_tva="9642.00",
                                      total_ttc="57852.00"),
    "english_layout": Truth(invoice_number="INV-88120"),
    "credit_note_positive": Truth(doc_type="credit_note", invoice_number="AV-2025-017", total_ht="-1250.00",
                                  total_tva="-250.00", total_ttc="-1500.00"),
    "german_layout": Truth(seller_name="Bergbau Erlebnis GmbH", seller_siret=None, seller_vat="DE136695976",
                           invoice_number="RE-2025-0311"),
    "totals_in_columns": Truth(invoice_number="25-117", seller_name="Estaminet du Beffroi", total_ht="1845.00",
                               total_tva="254.50", total_ttc="2099.50"),
}


def test_siren_only_in_the_footer_rcs_mention():
    truth = Truth(seller_name="Les Ateliers du Louvre-Lens", invoice_number="F250314-07", seller_siret=None, iban=None)
    report = analyse_bytes(LAYOUTS["footer_ids_siren_only"](truth), filename="x.pdf", office=get_office())
    got = {k: f.value for k, f in report.fields.items()}
    assert got == truth.expected(seller_siren="126728856")
    # the SIREN is a legal identifier: no error, but a warning asking for the full SIRET
    assert [i.code for i in report.issues if i.severity == "error"] == []
    warning = next(i for i in report.issues if i.code == "missing_seller_siret")
    assert warning.severity == "warning" and "126728856" in warning.message


@pytest.mark.parametrize("name", list(CASES))
def test_unseen_layout_fields(name):
    truth = CASES[name]
    report = analyse_bytes(LAYOUTS[name](truth), filename=f"{name}.pdf", office=get_office())
    got = {k: f.value for k, f in report.fields.items()}
    assert got == truth.expected()
    assert report.verdict == "ready", [i.code for i in report.issues]
    assert [i.code for i in report.issues if i.severity != "info"] == []


def test_totals_found_on_page_three_with_boxes():
    truth = CASES["labels_above_three_pages"]
    report = analyse_bytes(LAYOUTS["labels_above_three_pages"](truth), filename="x.pdf", office=get_office())
    assert report.pdf.pages == 3
    ttc = report.fields["total_ttc"]
    assert ttc.page == 3
    assert ttc.box is not None and ttc.box.x0 > 400  # outlined where it is printed
    assert report.fields["invoice_number"].box is not None
    assert set(report.page_sizes) == {1, 2, 3}


def test_buyer_siret_typo_and_missing_siret_on_generated_invoice():
    typo = Truth(buyer_siret="80938923200021")
    report = analyse_bytes(LAYOUTS["english_layout"](typo), filename="x.pdf", office=get_office())
    assert report.fields["buyer_siret"].value == "80938923200021"
    codes = {i.code for i in report.issues}
    assert "wrong_buyer_siret" in codes
    msg = next(i for i in report.issues if i.code == "wrong_buyer_siret")
    assert get_office().siret in msg.fix and "80938923200021" in msg.message
