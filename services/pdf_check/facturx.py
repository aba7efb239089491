"""Factur-X / ZUGFeRD / XRechnung: the CII XML embedded in the PDF.

Parsed with lxml in a locked-down mode (no DTD, no entity expansion, no network), namespace
agnostic (ZUGFeRD 1.0 and Factur-X 1.0/ZUGFeRD 2.x use different namespaces and paths).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

MAX_XML_BYTES = 5 * 1024 * 1024

# Guideline ID -> profile code (same spelling as the corpus labels).
_PROFILES = [
    (r"xrechnung", "XRECHNUNG"),
    (r"ferd:crossindustrydocument:invoice:1p0:extended", "ZUGFERD1-EXTENDED"),
    (r"ferd:crossindustrydocument:invoice:1p0:comfort", "ZUGFERD1-COMFORT"),
    (r"ferd:crossindustrydocument:invoice:1p0:basic", "ZUGFERD1-BASIC"),
    (r"extended", "EXTENDED"),
    (r"basicwl|basic-wl|basic_wl", "BASICWL"),
    (r"minimum", "MINIMUM"),
    (r"basic", "BASIC"),
    (r"en16931|urn:cen\.eu", "EN16931"),
]

PROFILE_LABELS = {
    "MINIMUM": "MINIMUM", "BASICWL": "BASIC WL", "BASIC": "BASIC", "EN16931": "EN 16931",
    "EXTENDED": "EXTENDED", "XRECHNUNG": "XRECHNUNG", "ZUGFERD1-BASIC": "ZUGFeRD 1.0 BASIC",
    "ZUGFERD1-COMFORT": "ZUGFeRD 1.0 COMFORT", "ZUGFERD1-EXTENDED": "ZUGFeRD 1.0 EXTENDED",
}

# MINIMUM and BASIC WL carry no invoice lines: they are not complete invoices under EN 16931
# (and the French reform does not accept them as invoices); ZUGFeRD 1.0 predates the CII D16B
# syntax Chorus Pro reads (IN_DP_E2_CII_FACTURX).
NOT_ACCEPTED_PROFILES = frozenset({"MINIMUM", "BASICWL", "ZUGFERD1-BASIC", "ZUGFERD1-COMFORT", "ZUGFERD1-EXTENDED"})


@dataclass(frozen=True)
class FacturXData:
    filename: str
    valid: bool
    profile: str | None
    guideline: str | None
    error: str | None = None
    type_code: str | None = None
    values: dict[str, str] = field(default_factory=dict)


def profile_of(guideline: str | None) -> str | None:
    if not guideline:
        return None
    low = guideline.lower()
    for pattern, name in _PROFILES:
        if re.search(pattern, low):
            return name
    return None


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                           huge_tree=False, remove_comments=True, remove_pis=True)


def _first(root, *paths: str) -> str | None:
    for path in paths:
        found = root.xpath(path)
        for node in found:
            text = node if isinstance(node, str) else node.text
            if text and text.strip():
                return text.strip()
    return None


def _ln(*names: str) -> str:
    """XPath through local names: _ln('A', 'B') -> //*[local-name()='A']/*[local-name()='B']."""
    return "//" + "/".join(f"*[local-name()='{n}']" for n in names)


def _amount(text: str | None) -> str | None:
    if text is None:
        return None
    try:
        from decimal import Decimal

        return f"{Decimal(text.strip()).quantize(Decimal('0.01')):.2f}"
    except Exception:  # noqa: BLE001
        return None


def parse_facturx(filename: str, data: bytes) -> FacturXData:
    if len(data) > MAX_XML_BYTES:
        return FacturXData(filename, False, None, None, "fichier XML trop gros")
    if b"<!ENTITY" in data[:4096]:
        return FacturXData(filename, False, None, None, "XML avec déclarations d'entités (refusé)")
    try:
        root = etree.fromstring(data, parser=_parser())
    except etree.XMLSyntaxError as exc:
        return FacturXData(filename, False, None, None, f"XML mal formé ({exc.msg})")
    except Exception as exc:  # noqa: BLE001 - any parser failure means an unreadable XML
        return FacturXData(filename, False, None, None, f"XML illisible ({type(exc).__name__})")
    local = etree.QName(root).localname
    guideline = _first(root, _ln("GuidelineSpecifiedDocumentContextParameter", "ID"))
    profile = profile_of(guideline)
    if local not in ("CrossIndustryInvoice", "CrossIndustryDocument"):
        return FacturXData(filename, False, profile, guideline, f"ce n'est pas une facture CII (élément racine {local})")
    doc_id = _first(root, _ln("ExchangedDocument", "ID"), _ln("HeaderExchangedDocument", "ID"))
    type_code = _first(root, _ln("ExchangedDocument", "TypeCode"), _ln("HeaderExchangedDocument", "TypeCode"))
    issue = _first(root, _ln("ExchangedDocument", "IssueDateTime", "DateTimeString"),
                   _ln("HeaderExchangedDocument", "IssueDateTime", "DateTimeString"))
    values: dict[str, str] = {}
    if doc_id:
        values["invoice_number"] = doc_id
    if issue and re.fullmatch(r"\d{8}", issue):
        values["invoice_date"] = f"{issue[0:4]}-{issue[4:6]}-{issue[6:8]}"
    if type_code:
        values["doc_type"] = "credit_note" if type_code in ("381", "396", "532") else "invoice"
    seller = root.xpath(_ln("SellerTradeParty"))
    buyer = root.xpath(_ln("BuyerTradeParty"))
    if seller:
        s = seller[0]
        name = _first(s, "./*[local-name()='Name']")
        if name:
            values["seller_name"] = name
        for node in s.xpath(".//*[local-name()='SpecifiedLegalOrganization']/*[local-name()='ID']"):
            ident = re.sub(r"\s", "", node.text or "")
            if re.fullmatch(r"\d{14}", ident):
                values.setdefault("seller_siret", ident)
                values.setdefault("seller_siren", ident[:9])
            elif re.fullmatch(r"\d{9}", ident):
                values.setdefault("seller_siren", ident)
        for node in s.xpath(".//*[local-name()='SpecifiedTaxRegistration']/*[local-name()='ID']"):
            if (node.get("schemeID") or "").upper() == "VA" and node.text:
                values.setdefault("seller_vat", re.sub(r"[\s.]", "", node.text).upper())
    if buyer:
        for node in buyer[0].xpath(".//*[local-name()='SpecifiedLegalOrganization']/*[local-name()='ID']"):
            ident = re.sub(r"\s", "", node.text or "")
            if re.fullmatch(r"\d{14}", ident):
                values.setdefault("buyer_siret", ident)
    summation = ("SpecifiedTradeSettlementHeaderMonetarySummation", "SpecifiedTradeSettlementMonetarySummation")
    for key, tag in (("total_ht", "TaxBasisTotalAmount"), ("total_ttc", "GrandTotalAmount")):
        val = _amount(_first(root, *(_ln(s, tag) for s in summation)))
        if val is not None:
            values[key] = val
    if "total_ht" not in values:
        # ZUGFeRD 1.0 BASIC has no TaxBasisTotalAmount: the base is the total minus the tax
        grand = _amount(_first(root, *(_ln(s, "GrandTotalAmount") for s in summation)))
        tax = _amount(_first(root, *(_ln(s, "TaxTotalAmount") for s in summation)))
        lines_total = _amount(_first(root, *(_ln(s, "LineTotalAmount") for s in summation)))
        if grand is not None and tax is not None:
            from decimal import Decimal

            values["total_ht"] = f"{Decimal(grand) - Decimal(tax):.2f}"
        elif lines_total is not None:
            values["total_ht"] = lines_total
    currency = _first(root, _ln("InvoiceCurrencyCode"))
    if currency:
        values["currency"] = currency.upper()
    taxes = []
    for summ in summation:
        taxes.extend(root.xpath(_ln(summ, "TaxTotalAmount")))
    if taxes:
        chosen = [t for t in taxes if not currency or (t.get("currencyID") or currency) == currency] or taxes
        val = _amount(chosen[0].text)
        if val is not None:
            values["total_tva"] = val
    po = _first(root, _ln("BuyerOrderReferencedDocument", "IssuerAssignedID"),
                _ln("BuyerOrderReferencedDocument", "ID"))
    if po:
        values["purchase_order"] = po
    iban = _first(root, _ln("PayeePartyCreditorFinancialAccount", "IBANID"))
    if iban:
        values["iban"] = re.sub(r"\s", "", iban).upper()
    valid = bool(doc_id and type_code and guideline)
    error = None if valid else "éléments obligatoires absents (numéro, type ou profil)"
    return FacturXData(filename, valid, profile, guideline, error, type_code, values)
