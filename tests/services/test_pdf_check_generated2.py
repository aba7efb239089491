"""More unseen layouts (generated with fpdf2): every field right, no error on a clean invoice."""

import pytest

from services.office import get_office
from services.pdf_check import analyse_bytes
from tests.services.pdf_check_gen import Truth
from tests.services.pdf_check_gen2 import LAYOUTS2

CASES = {
    "two_columns_montant": Truth(invoice_number="FA-2025-0198", seller_name="Les Gueules Noires Tours"),
    "fait_a_footer_far": Truth(invoice_number="2025-031", invoice_date="2025-03-03", seller_name="Duo Canaris",
                               total_ht="850.00", total_tva="170.00", total_ttc="1020.00", purchase_order="BC25-0077"),
    "english_amounts_euro_first": Truth(invoice_number="P2503-114", seller_name="Hôtel du Louvre-Lens",
                                        total_ht="4520.00", total_tva="452.00", total_ttc="4972.00"),
    "credit_note_parentheses": Truth(doc_type="credit_note", invoice_number="AV25-009",
                                     seller_name="Cars du Pays Minier", total_ht="-1250.00",
                                     total_tva="-250.00", total_ttc="-1500.00"),
    "header_table_reversed": Truth(invoice_number="F-25-0402", seller_name="Vélos du Bassin Minier",
                                   total_ht="360.00", total_tva="72.00", total_ttc="432.00", purchase_order="RC-8812"),
    "credit_note_minus": Truth(doc_type="credit_note", invoice_number="AV-0031", seller_name="Théâtre de la Fosse",
                               total_ht="-120.00", total_tva="-24.00", total_ttc="-144.00"),
    "letter_style": Truth(invoice_number="2025-07", seller_name="Jeanne Delattre", total_ht="600.00",
                          total_tva="120.00", total_ttc="720.00"),
    "columns_drawn_apart": Truth(invoice_number="FC250314", seller_name="Domaine de la Chaîne des Terrils",
                                 total_ht="3200.00", total_tva="460.00", total_ttc="3660.00",
                                 purchase_order="1300012345", extra={"tva10": "180.00", "tva20": "280.00"}),
    "label_above_boxes": Truth(invoice_number="25/0311", seller_name="Les Brasseurs de Liévin",
                               total_ht="1480.00", total_tva="296.00", total_ttc="1776.00", purchase_order="BC-2025-118"),
    "discount_and_deposit": Truth(invoice_number="F2504-0007", invoice_date="2025-04-01", seller_name="Atelier Couleurs",
                                  total_ht="900.00", total_tva="180.00", total_ttc="1080.00",
                                  extra={"sub": "1000.00", "disc": "100.00", "dep": "300.00", "net": "780.00"}),
    "short_labels_two_digit_year": Truth(invoice_number="A-5521", seller_name="Imprimerie Dufour",
                                         total_ht="2350.00", total_tva="470.00", total_ttc="2820.00",
                                         purchase_order="EJ-2025-7781"),
    "vat_breakdown_table": Truth(invoice_number="R-2025-214", seller_name="Le Relais des Corons",
                                 total_ht="1500.00", total_tva="180.00", total_ttc="1680.00", purchase_order="CDE-4471",
                                 extra={"b10": "1200.00", "t10": "120.00", "b20": "300.00", "t20": "60.00"}),
    "credit_note_english_minus": Truth(doc_type="credit_note", invoice_number="CN-0077", seller_name="Northern Lights Ltd",
                                       total_ht="-1250.00", total_tva="-250.00", total_ttc="-1500.00",
                                       purchase_order="PO-55120"),
}

# The name as printed at the top of the page (corpus convention), not the footer's "Imprimerie Dufour SARL".
EXPECTED_OVERRIDES = {"short_labels_two_digit_year": {"seller_name": "IMPRIMERIE DUFOUR"}}


@pytest.mark.parametrize("name", list(CASES))
def test_more_unseen_layouts_fields(name):
    truth = CASES[name]
    report = analyse_bytes(LAYOUTS2[name](truth), filename=f"{name}.pdf", office=get_office())
    got = {k: f.value for k, f in report.fields.items()}
    assert got == truth.expected(**EXPECTED_OVERRIDES.get(name, {}))
    assert report.verdict == "ready", [i.code for i in report.issues]
    assert [i.code for i in report.issues if i.severity != "info"] == []
