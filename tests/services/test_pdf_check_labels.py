"""Label and format variants, one small page each: the value must be found whatever the wording."""

import pytest

from services.office import get_office
from services.pdf_check import analyse_bytes
from tests.services.pdf_check_gen import NBSP, NNBSP, simple_pdf

BASE = ["Brasserie du Terril SARL", "SIRET 126 728 856 00330 - TVA FR27126728856",
        "OFFICE TOURISME ET PATRIMOINE DE LA CALL", "SIRET client : 80938923200020"]


def field(lines, name):
    report = analyse_bytes(simple_pdf(BASE + lines), filename="x.pdf", office=get_office())
    return report.fields[name].value


@pytest.mark.parametrize("line, expected", [
    ("Facture n° FA-2025-001", "FA-2025-001"),
    ("FACTURE N°FA2025001", "FA2025001"),
    ("N° de facture : 2025/0042", "2025/0042"),
    ("Numéro de facture 25-117", "25-117"),
    ("Réf. facture F250314", "F250314"),
    ("Invoice No. INV-88120", "INV-88120"),
    ("Rechnungsnummer: RE-2025-0311", "RE-2025-0311"),
    ("FACTURE F2025-0077", "F2025-0077"),
])
def test_invoice_number_labels(line, expected):
    assert field([line, "Date : 14/03/2025"], "invoice_number") == expected


@pytest.mark.parametrize("line, expected", [
    ("Date de facture : 14/03/2025", "2025-03-14"),
    ("Date : 14-03-2025", "2025-03-14"),
    ("Lens, le 14 mars 2025", "2025-03-14"),
    ("Émise le 2025-03-14", "2025-03-14"),
    ("Invoice date: March 14, 2025", "2025-03-14"),
    ("Rechnungsdatum: 14.03.2025", "2025-03-14"),
    ("Date d'émission 14-mars-2025", "2025-03-14"),
])
def test_invoice_date_formats_and_the_due_date_is_not_taken(line, expected):
    assert field(["Échéance : 13/04/2025", line, "Facture n° F1"], "invoice_date") == expected


@pytest.mark.parametrize("amount, expected", [
    (f"1{NNBSP}234,56{NBSP}€", "1234.56"),
    (f"1{NBSP}234,56 €", "1234.56"),
    ("1 234,56 €", "1234.56"),
    ("1.234,56 EUR", "1234.56"),
    ("1234.56 EUR", "1234.56"),
    ("EUR 1,234.56", "1234.56"),
])
def test_total_formats(amount, expected):
    lines = ["Facture n° F1", "Date : 14/03/2025", f"Total TTC {amount}"]
    assert field(lines, "total_ttc") == expected


@pytest.mark.parametrize("line, expected", [
    ("Bon de commande n° BC-2025-0042", "BC-2025-0042"),
    ("N° d'engagement : EJ1234567890", "EJ1234567890"),
    ("Commande n° CMD-36113", "CMD-36113"),
    ("Votre réf. commande : 4501205383", "4501205383"),
    ("Purchase order: PO-7788", "PO-7788"),
])
def test_purchase_order_labels(line, expected):
    assert field(["Facture n° F1", line], "purchase_order") == expected


def test_quote_number_in_a_line_is_not_the_order():
    assert field(["Facture n° F1", "Visite guidée selon devis n° D1234"], "purchase_order") is None


@pytest.mark.parametrize("line", ["SIRET client : 809.389.232.00020", "SIRET client : 809 389 232 00020",
                                  "N° SIRET : 80938923200020", "80938923200020"])
def test_buyer_siret_forms(line):
    lines = ["Brasserie du Terril SARL", "SIRET 126 728 856 00330", "OFFICE TOURISME ET PATRIMOINE DE LA CALL", line,
             "Facture n° F1"]
    report = analyse_bytes(simple_pdf(lines), filename="x.pdf", office=get_office())
    assert report.fields["buyer_siret"].value == "80938923200020"
    assert report.fields["seller_siret"].value == "12672885600330"


def test_iban_grouped_compact_and_rib_style():
    for line in ("IBAN : FR76 3000 3454 0531 5782 9828 259", "IBAN FR7630003454053157829828259",
                 "IBAN : FR76 30003 45405 31578298282 59"):
        assert field(["Facture n° F1", line], "iban") == "FR7630003454053157829828259"
    assert field(["Facture n° F1", "IBAN : FR76 **** **** **** 259"], "iban") is None  # masked
