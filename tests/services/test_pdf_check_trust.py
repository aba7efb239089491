"""The checker's verdict says what it knows: how each value was found, uncertainty as a warning,
errors only for defects it can show (issue 11). Small hand-made pages, one rule each."""

import pytest

from services.office import get_office
from services.pdf_check import analyse_bytes
from tests.services.pdf_check_gen import simple_pdf

OFFICE = get_office()
SELLER = [
    (40, 40, "Atelier du Beffroi SARL"),
    (40, 56, "SIRET : 12672885600330 - TVA : FR27126728856"),
    (40, 72, f"Client : {OFFICE.name} - SIRET client : {OFFICE.siret}"),
]
LEGAL = (40, 400, "Paiement à 30 jours. Pénalités de retard : 3 fois le taux légal. Indemnité forfaitaire de 40 €.")


def check(lines):
    return analyse_bytes(simple_pdf(SELLER + lines + [LEGAL]), filename="x.pdf", office=OFFICE)


def codes(report, severity=None):
    return [i.code for i in report.issues if severity is None or i.severity == severity]


def test_labelled_totals_that_add_up_are_checked():
    report = check([(40, 110, "Facture n° F-2025-001"), (40, 126, "Date de facture : 14/03/2025"),
                    (300, 200, "Total HT 1 000,00 €"), (300, 216, "TVA 20 % 200,00 €"),
                    (300, 232, "Total TTC 1 200,00 €")])
    assert report.verdict == "ready", codes(report)
    for name in ("total_ht", "total_tva", "total_ttc"):
        assert report.fields[name].confidence == "checked"
        assert report.fields[name].rule == "label+sum"
    assert report.fields["invoice_number"].confidence == "labelled"
    assert report.fields["buyer_siret"].confidence == "checked"  # the office's own SIRET
    assert report.fields["seller_siret"].confidence == "checked"  # label and check digit
    data = report.to_json_dict()["fields"]
    assert data["total_ttc"]["confidence"] == "checked" and data["total_ttc"]["rule"] == "label+sum"


def test_totals_without_any_label_are_guessed_and_only_a_warning():
    # three amounts that add up, but no word says which total is which
    report = check([(40, 110, "Facture n° F-2025-002"), (40, 126, "Date de facture : 14/03/2025"),
                    (300, 200, "1 000,00 €"), (300, 216, "200,00 €"), (300, 232, "1 200,00 €")])
    assert report.fields["total_ttc"].value == "1200.00"
    assert report.fields["total_ttc"].confidence == "guessed"
    assert report.verdict == "ready"
    assert "uncertain_totals" in codes(report, "warning")
    assert "missing_totals" not in codes(report)
    warning = next(i for i in report.issues if i.code == "uncertain_totals")
    assert "avec certitude" in warning.message and "Total TTC" in warning.fix


def test_a_mismatch_between_clear_labels_is_an_error():
    report = check([(40, 110, "Facture n° F-2025-003"), (40, 126, "Date de facture : 14/03/2025"),
                    (300, 200, "Total HT 1 000,00 €"), (300, 216, "Total TVA 200,00 €"),
                    (300, 232, "Total TTC 1 200,01 €")])
    assert report.verdict == "fix_needed"
    assert "totals_mismatch" in codes(report, "error")


def test_net_to_pay_after_a_deposit_is_not_the_total():
    report = check([(40, 110, "Facture n° F-2025-004"), (40, 126, "Date de facture : 14/03/2025"),
                    (300, 200, "Total HT 1 000,00 €"), (300, 216, "TVA 20 % 200,00 €"),
                    (300, 232, "Total TTC 1 200,00 €"), (300, 248, "Acompte versé -500,00 €"),
                    (300, 264, "Net à payer 700,00 €")])
    assert report.fields["total_ttc"].value == "1200.00"
    assert report.verdict == "ready", codes(report)


def test_values_under_a_header_row_and_after_leaders():
    report = check([(40, 110, "N° facture"), (200, 110, "Date"), (330, 110, "N° BC"),
                    (40, 124, "2025/0042-C"), (200, 124, "14/03/2025"), (330, 124, "EJ-2025-77"),
                    (300, 200, "Total HT ............ 1 000,00 €"), (300, 216, "Total TVA ........... 200,00 €"),
                    (300, 232, "Total TTC ........... 1 200,00 €")])
    got = {k: f.value for k, f in report.fields.items()}
    assert got["invoice_number"] == "2025/0042-C"
    assert got["invoice_date"] == "2025-03-14"
    assert got["purchase_order"] == "EJ-2025-77"
    assert got["total_ttc"] == "1200.00" and report.fields["total_ttc"].confidence == "checked"
    assert report.verdict == "ready", codes(report)


def test_a_street_number_or_a_street_date_is_never_read():
    report = check([(40, 110, "Facture n° 16 rue du 8 Mai 1945"), (40, 126, "Date de facture : 14/03/2025"),
                    (300, 200, "Total HT 10,00 €"), (300, 216, "Total TVA 2,00 €"), (300, 232, "Total TTC 12,00 €")])
    assert report.fields["invoice_number"].value is None
    assert report.fields["invoice_date"].value == "2025-03-14"


def test_an_invoice_number_with_no_label_is_absent_and_an_error():
    report = check([(40, 126, "Date de facture : 14/03/2025"), (300, 200, "Total HT 10,00 €"),
                    (300, 216, "Total TVA 2,00 €"), (300, 232, "Total TTC 12,00 €")])
    assert "missing_invoice_number" in codes(report, "error")


def test_a_credit_note_names_its_own_number_not_the_cancelled_invoice():
    report = check([(40, 100, "AVOIR"), (40, 116, "Bezug: Rechnung Nr. 9896"), (40, 132, "Avoir n° AV-2025-17"),
                    (40, 148, "Date : 14/03/2025"), (300, 200, "Total HT -10,00 €"), (300, 216, "Total TVA -2,00 €"),
                    (300, 232, "Total TTC -12,00 €")])
    assert report.fields["doc_type"].value == "credit_note"
    assert report.fields["invoice_number"].value == "AV-2025-17"


def test_a_till_receipt_is_told_apart():
    report = check([(40, 100, "TICKET DE CAISSE"), (40, 116, "N° 000123 du 14/03/2025"),
                    (300, 232, "TOTAL TTC 12,00 €")])
    assert "receipt_not_invoice" in codes(report, "warning")
    assert "receipt_not_invoice" not in codes(check([(40, 100, "FACTURE"), (40, 116, "Ticket n° 12")]))


def test_a_foreign_vat_number_with_a_wrong_check_digit_is_an_error():
    lines = [(40, 40, "Bergbau Erlebnis GmbH"), (40, 56, "USt-IdNr. DE136695977"),
             (40, 72, f"SIRET client : {OFFICE.siret}"), (40, 110, "Rechnung Nr. RE-1"), (40, 126, "Datum: 14.03.2025"),
             (300, 200, "Nettobetrag 10,00 €"), (300, 216, "MwSt. 19 % 1,90 €"), (300, 232, "Gesamtbetrag 11,90 €")]
    report = analyse_bytes(simple_pdf(lines), filename="x.pdf", office=OFFICE)
    assert report.fields["seller_vat"].value == "DE136695977"
    assert "invalid_vat" in codes(report, "error")
    lines[1] = (40, 56, "TVA : BE 0453.620.302")
    report = analyse_bytes(simple_pdf(lines), filename="x.pdf", office=OFFICE)
    assert report.fields["seller_vat"].value == "BE0453620302"


def test_no_vat_totals_printed_on_one_line_are_both_read():
    # one printed amount per label, even when both labels show the same value
    report = check([(40, 110, "Facture n° F-2025-010"), (40, 126, "Date de facture : 14/03/2025"),
                    (200, 200, "Total HT : 100,00 EUR      Total TTC : 100,00 EUR"),
                    (40, 230, "TVA non applicable, art. 293 B du CGI")])
    assert report.fields["total_ht"].value == "100.00" and report.fields["total_ttc"].value == "100.00"
    assert report.verdict == "ready", codes(report)


def test_a_dash_before_a_vat_amount_is_not_a_minus_that_breaks_the_totals():
    report = check([(40, 110, "Facture n° F-2025-011"), (40, 126, "Date de facture : 14/03/2025"),
                    (300, 200, "Total HT - 100,00 EUR"), (300, 216, "TVA 20 % - 20,00 EUR"),
                    (300, 232, "Total TTC 120,00 EUR")])
    assert "totals_mismatch" not in codes(report, "error")
    assert report.fields["doc_type"].value == "invoice"
    assert [report.fields[k].value for k in ("total_ht", "total_tva", "total_ttc")] == ["100.00", "20.00", "120.00"]


def test_totals_a_few_cents_off_between_labels_are_an_error():
    report = check([(40, 110, "Facture n° F-2025-012"), (40, 126, "Date de facture : 14/03/2025"),
                    (300, 200, "Base HT"), (300, 212, "6 978,43 EUR"), (300, 230, "Total TVA"), (300, 242, "202,92 EUR"),
                    (300, 260, "TOTAL TOUTES TAXES COMPRISES"), (300, 272, "7 181,36 EUR")])
    assert "totals_mismatch" in codes(report, "error")


@pytest.mark.timeout(10)
def test_hostile_lines_do_not_make_the_patterns_backtrack():
    from services.pdf_check.amounts import _header_kind
    from services.pdf_check.fields import _NUM_TITLE, _RUNNING_HEADER

    assert _header_kind("Total TTC " + "%" * 60 + "x") is None
    assert _NUM_TITLE.match("FACTURE " + "1" * 20_000 + "!") is None
    assert _RUNNING_HEADER.match("ACME" + " " * 5000 + "x") is None
