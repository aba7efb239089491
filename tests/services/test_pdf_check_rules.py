"""Unit tests of the rules and of bad-input handling (each input blocked with its code)."""

import dataclasses

import pytest
from fpdf import FPDF

from services.office import get_office
from services.pdf_check import analyse_bytes
from services.pdf_check.facturx import parse_facturx
from services.pdf_check.report import FIELD_NAMES, Field
from services.pdf_check.rules import check_fields
from tests.services.pdf_check_gen import LAYOUTS, Truth

OFFICE = get_office()
LEGAL_TEXT = ("Échéance : 30 jours. En cas de retard, pénalités de retard et indemnité forfaitaire de 40 €. "
              "Prestation de services.")


def fields(**values):
    base = Truth().expected()
    base.update(values)
    return {name: Field(base.get(name), 1 if base.get(name) else None, "text" if base.get(name) else None,
                        confidence="labelled" if base.get(name) else None)
            for name in FIELD_NAMES}


def codes(**values):
    return [i.code for i in check_fields(fields(**values), OFFICE, text=LEGAL_TEXT, facturx=None, foreign_seller=False)]


def test_clean_fields_give_no_issue():
    assert codes() == []


def test_missing_fields_each_have_their_code():
    assert codes(invoice_number=None) == ["missing_invoice_number"]
    assert codes(invoice_date=None) == ["missing_date"]
    assert codes(seller_siret=None) == ["missing_seller_siret"]
    assert codes(buyer_siret=None) == ["missing_buyer_siret"]
    assert codes(total_ttc=None) == ["missing_totals"]


def test_seller_siret_checksum():
    issues = check_fields(fields(seller_siret="12672885600331"), OFFICE, text=LEGAL_TEXT, facturx=None,
                          foreign_seller=False)
    assert [i.code for i in issues] == ["invalid_seller_siret_checksum"]
    assert "12672885600331" in issues[0].message


def test_buyer_siret_typo_names_the_right_one():
    issues = check_fields(fields(buyer_siret="80938923200030"), OFFICE, text=LEGAL_TEXT, facturx=None,
                          foreign_seller=False)
    assert [i.code for i in issues] == ["wrong_buyer_siret"]
    assert "faute de frappe" in issues[0].message
    assert f"SIRET client : {OFFICE.siret}" in issues[0].fix


def test_vat_key_and_vat_siren_must_match():
    assert codes(seller_vat="FR28126728856") == ["invalid_vat"]  # wrong key
    assert codes(seller_vat="FR70732829320") == ["invalid_vat"]  # valid key, another company's SIREN
    assert codes(seller_vat="F27126728856") == ["invalid_vat"]  # malformed


def test_totals_must_add_up_to_the_cent():
    assert codes(total_ttc="14976.61") == ["totals_mismatch"]
    issues = check_fields(fields(total_ttc="14976.61"), OFFICE, text=LEGAL_TEXT, facturx=None, foreign_seller=False)
    assert "14\u202f976,61" in issues[0].message and "0,01" in issues[0].message


def test_currency_must_be_eur():
    assert codes(currency="USD") == ["wrong_currency"]


def test_legal_mentions_are_warnings_never_errors():
    issues = check_fields(fields(), OFFICE, text="Facture", facturx=None, foreign_seller=False)
    assert {i.code for i in issues} >= {"missing_due_date", "missing_late_penalties", "missing_recovery_indemnity"}
    assert all(i.severity in ("warning", "info") for i in issues)


def test_already_paid_invoice_suggests_cadre_a2():
    issues = check_fields(fields(), OFFICE, text=LEGAL_TEXT + " Statut : payée", facturx=None, foreign_seller=False)
    paid = [i for i in issues if i.code == "already_paid"]
    assert paid and paid[0].severity == "info" and "A2" in paid[0].fix
    # "TVA acquittée sur les encaissements" is a VAT mention, not a payment
    issues = check_fields(fields(), OFFICE, text=LEGAL_TEXT + " TVA acquittée sur les encaissements", facturx=None,
                          foreign_seller=False)
    assert "already_paid" not in {i.code for i in issues}


def test_foreign_seller_is_not_asked_for_a_siret():
    issues = check_fields(fields(seller_siret=None, seller_siren=None, seller_vat="DE812871812"), OFFICE,
                          text=LEGAL_TEXT, facturx=None, foreign_seller=True)
    assert "missing_seller_siret" not in {i.code for i in issues}


# ------------------------------------------------------------------ bad input

def _one_code(data, name="f.pdf"):
    report = analyse_bytes(data, filename=name, office=OFFICE)
    return report.verdict, [i.code for i in report.issues]


def test_not_a_pdf_is_decided_by_content_not_name():
    assert _one_code(b"\x89PNG\r\n\x1a\n" + b"\0" * 50, "facture.pdf") == ("blocked", ["not_a_pdf"])
    assert _one_code(b"PK\x03\x04" + b"\0" * 50, "facture.pdf") == ("blocked", ["not_a_pdf"])
    good = LAYOUTS["english_layout"](Truth())
    verdict, _ = _one_code(good, "facture.png")  # a real PDF with a wrong name is still read
    assert verdict == "ready"


def test_empty_and_too_large():
    assert _one_code(b"") == ("blocked", ["empty_file"])
    small = dataclasses.replace(OFFICE, max_pdf_mb=1)
    report = analyse_bytes(b"%PDF-1.4\n" + b"x" * (2 * 1024 * 1024), filename="big.pdf", office=small)
    assert [i.code for i in report.issues] == ["too_large"]
    assert "1 Mo" in report.issues[0].message


def test_truncated_pdf_is_corrupted():
    good = LAYOUTS["english_layout"](Truth())
    assert _one_code(good[:200]) == ("blocked", ["corrupted"])
    assert _one_code(b"%PDF-1.7\n%garbage") == ("blocked", ["corrupted"])


@pytest.mark.parametrize("user_password", ["secret", ""])
def test_encrypted_pdfs_are_refused(user_password):
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.text(20, 20, "Facture n 2025-1 du 14/03/2025, Total TTC 120,00 EUR")
    pdf.set_encryption(owner_password="owner", user_password=user_password)
    verdict, found = _one_code(bytes(pdf.output()))
    assert (verdict, found) == ("blocked", ["encrypted"])


def test_scan_without_text_is_blocked_with_advice():
    from io import BytesIO

    from PIL import Image

    img = Image.new("RGB", (400, 560), "white")
    buf = BytesIO()
    img.save(buf, format="PNG")
    pdf = FPDF()
    pdf.add_page()
    pdf.image(BytesIO(buf.getvalue()), x=0, y=0, w=210)
    report = analyse_bytes(bytes(pdf.output()), filename="scan.pdf", office=OFFICE)
    assert report.verdict == "blocked"
    assert [i.code for i in report.issues] == ["scan_no_text"]
    assert report.pdf.text_layer == "none"
    assert "imprimer" in report.issues[0].fix.lower()


def test_photo_with_a_browser_header_is_still_a_scan():
    from io import BytesIO

    from PIL import Image

    buf = BytesIO()
    Image.new("RGB", (300, 420), "white").save(buf, format="PNG")
    pdf = FPDF()
    pdf.add_page()
    pdf.image(BytesIO(buf.getvalue()), x=0, y=0, w=210, h=297)
    pdf.set_font("helvetica", size=8)
    pdf.text(10, 5, "https://mail.example.com/u/0/#inbox 11/10/2021 14:02")
    report = analyse_bytes(bytes(pdf.output()), filename="photo.pdf", office=OFFICE)
    assert [i.code for i in report.issues] == ["scan_no_text"]


# ------------------------------------------------------------------ Factur-X XML

CII = b"""<?xml version="1.0" encoding="UTF-8"?>
<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
 xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
 xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100">
 <rsm:ExchangedDocumentContext><ram:GuidelineSpecifiedDocumentContextParameter>
  <ram:ID>PROFILE</ram:ID></ram:GuidelineSpecifiedDocumentContextParameter></rsm:ExchangedDocumentContext>
 <rsm:ExchangedDocument><ram:ID>F-1</ram:ID><ram:TypeCode>381</ram:TypeCode>
  <ram:IssueDateTime><udt:DateTimeString format="102">20250314</udt:DateTimeString></ram:IssueDateTime></rsm:ExchangedDocument>
 <rsm:SupplyChainTradeTransaction>
  <ram:ApplicableHeaderTradeAgreement>
   <ram:SellerTradeParty><ram:Name>Vendeur SAS</ram:Name>
    <ram:SpecifiedLegalOrganization><ram:ID schemeID="0002">12672885600330</ram:ID></ram:SpecifiedLegalOrganization>
    <ram:SpecifiedTaxRegistration><ram:ID schemeID="VA">FR27126728856</ram:ID></ram:SpecifiedTaxRegistration>
   </ram:SellerTradeParty>
   <ram:BuyerTradeParty><ram:SpecifiedLegalOrganization><ram:ID schemeID="0009">80938923200020</ram:ID>
    </ram:SpecifiedLegalOrganization></ram:BuyerTradeParty>
   <ram:BuyerOrderReferencedDocument><ram:IssuerAssignedID>EJ-9</ram:IssuerAssignedID></ram:BuyerOrderReferencedDocument>
  </ram:ApplicableHeaderTradeAgreement>
  <ram:ApplicableHeaderTradeSettlement><ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>
   <ram:SpecifiedTradeSettlementHeaderMonetarySummation>
    <ram:TaxBasisTotalAmount>100.00</ram:TaxBasisTotalAmount>
    <ram:TaxTotalAmount currencyID="EUR">20.00</ram:TaxTotalAmount>
    <ram:GrandTotalAmount>120.00</ram:GrandTotalAmount>
   </ram:SpecifiedTradeSettlementHeaderMonetarySummation></ram:ApplicableHeaderTradeSettlement>
 </rsm:SupplyChainTradeTransaction>
</rsm:CrossIndustryInvoice>"""


@pytest.mark.parametrize("guideline, profile", [
    ("urn:factur-x.eu:1p0:minimum", "MINIMUM"),
    ("urn:factur-x.eu:1p0:basicwl", "BASICWL"),
    ("urn:cen.eu:en16931:2017#compliant#urn:factur-x.eu:1p0:basic", "BASIC"),
    ("urn:cen.eu:en16931:2017", "EN16931"),
    ("urn:cen.eu:en16931:2017#conformant#urn:factur-x.eu:1p0:extended", "EXTENDED"),
    ("urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_2.3", "XRECHNUNG"),
])
def test_facturx_profiles_and_values(guideline, profile):
    fx = parse_facturx("factur-x.xml", CII.replace(b"PROFILE", guideline.encode()))
    assert fx.valid and fx.profile == profile
    assert fx.values == {
        "invoice_number": "F-1", "invoice_date": "2025-03-14", "doc_type": "credit_note", "seller_name": "Vendeur SAS",
        "seller_siret": "12672885600330", "seller_siren": "126728856", "seller_vat": "FR27126728856",
        "buyer_siret": "80938923200020", "total_ht": "100.00", "total_ttc": "120.00", "total_tva": "20.00",
        "currency": "EUR", "purchase_order": "EJ-9",
    }


def test_facturx_broken_or_hostile_xml_is_invalid_without_expanding_entities():
    assert not parse_facturx("factur-x.xml", b"<rsm:Cross").valid
    bomb = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
            b"<x>&b;</x>")
    fx = parse_facturx("factur-x.xml", bomb)
    assert not fx.valid and fx.error
    ext = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'
    assert not parse_facturx("factur-x.xml", ext).valid


def test_too_large_says_the_size_with_a_french_decimal_comma():
    from services.office import get_office
    from services.pdf_check.rules import too_large

    issue = too_large(int(12.5 * 1024 * 1024), get_office())
    assert "12,5 Mo" in issue.message and "12.5" not in issue.message
