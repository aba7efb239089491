"""In-process analysis: bytes in, Report out. Use worker.CheckerPool to run it isolated."""

from __future__ import annotations

import time
from decimal import Decimal
from pathlib import Path

from services.office import Office, get_office

from . import fields as F
from . import rules
from .confidence import field_confidence
from .extract import Document, PdfOpenError, add_positions, open_document, sniff_pdf
from .facturx import NOT_ACCEPTED_PROFILES, FacturXData, parse_facturx
from .parsing import compact, format_amount
from .report import FIELD_NAMES, FacturX, Field, Issue, PdfInfo, Report, verdict_for

_MAGIC = [
    (b"\x89PNG", "PNG (image)"), (b"\xff\xd8\xff", "JPEG (image)"), (b"GIF8", "GIF (image)"),
    (b"PK\x03\x04", "ZIP (archive ou document Office)"), (b"II*\x00", "TIFF (image)"), (b"MM\x00*", "TIFF (image)"),
    (b"{\\rtf", "RTF (traitement de texte)"), (b"\xd0\xcf\x11\xe0", "Word ou Excel ancien"),
    (b"<?xml", "XML"), (b"<html", "HTML (page web)"), (b"<!DOCTYPE html", "HTML (page web)"),
]


def sniff_kind(data: bytes) -> str | None:
    head = data[:16]
    for magic, name in _MAGIC:
        if head.startswith(magic):
            return name
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP (image)"
    return None


def _report(filename: str, size: int, issues: list[Issue], started: float, *, pages=None, text_layer=None,
            encrypted=False, facturx=None, fields=None, page_sizes=None) -> Report:
    issues_t = tuple(issues)
    return Report(
        file=filename,
        verdict=verdict_for(issues_t),
        pdf=PdfInfo(pages=pages, size_bytes=size, text_layer=text_layer, encrypted=encrypted, facturx=facturx),
        fields={name: (fields or {}).get(name, Field()) for name in FIELD_NAMES},
        issues=issues_t,
        elapsed_ms=(time.perf_counter() - started) * 1000,
        page_sizes=page_sizes or {},
    )


def blocked_report(filename: str, size: int, issue: Issue, elapsed_ms: float = 0.0) -> Report:
    """A report for a file that could not be analysed at all (used by the worker pool too)."""
    return Report(file=filename, verdict="blocked",
                  pdf=PdfInfo(pages=None, size_bytes=size, text_layer=None, encrypted=issue.code == "encrypted",
                              facturx=None),
                  fields={name: Field() for name in FIELD_NAMES}, issues=(issue,), elapsed_ms=elapsed_ms)


def analyse_file(path: str | Path, *, office: Office | None = None) -> Report:
    path = Path(path)
    return analyse_bytes(path.read_bytes(), filename=path.name, office=office)


def analyse_bytes(data: bytes, *, filename: str, office: Office | None = None) -> Report:
    """Analyse one uploaded file, entirely in memory. Never raises for bad input."""
    started = time.perf_counter()
    office = office or get_office()
    size = len(data)
    if size == 0:
        return _report(filename, 0, [rules.empty_file()], started)
    if size > office.max_pdf_bytes:
        return _report(filename, size, [rules.too_large(size, office)], started)
    if not sniff_pdf(data):
        return _report(filename, size, [rules.not_a_pdf(sniff_kind(data))], started)
    try:
        doc = open_document(data)
    except PdfOpenError as exc:
        issue = rules.encrypted() if exc.code == "encrypted" else rules.corrupted(str(exc))
        return _report(filename, size, [issue], started, encrypted=exc.code == "encrypted")
    except MemoryError:
        return _report(filename, size, [rules.too_heavy()], started)
    except Exception as exc:  # noqa: BLE001 - a PDF that breaks the parser is a damaged PDF to the user
        return _report(filename, size, [rules.corrupted(repr(exc))], started)
    page_sizes = {p.number: (p.width, p.height) for p in doc.pages}
    common = dict(pages=len(doc.pages), text_layer=doc.text_layer, page_sizes=page_sizes)

    fx_data: FacturXData | None = None
    found_xml = doc.facturx_xml()
    if found_xml:
        fx_data = parse_facturx(*found_xml)
    fx_info = FacturX(profile=fx_data.profile, valid=fx_data.valid) if fx_data else None

    if doc.encrypted:
        return _report(filename, size, [rules.encrypted()], started, encrypted=True, facturx=fx_info, **common)
    if doc.text_layer == "none":
        return _report(filename, size, [rules.scan_no_text(len(doc.pages))], started, facturx=fx_info, **common)

    issues: list[Issue] = []
    scans = [p.number for p in doc.pages if p.is_scan]

    try:
        fields, text = extract_fields(doc, office, fx_data)
    except MemoryError:
        return _report(filename, size, [rules.too_heavy()], started, **common)

    fields = outline_missing_boxes(doc, data, fields)

    mismatches: list[tuple[str, str, str]] = []
    if fx_data is not None:
        fields, mismatches = merge_facturx(fields, fx_data)
        issues.extend(rules.facturx_issues(fx_data, mismatches, office))

    vat = fields["seller_vat"].value
    foreign = bool(vat and not vat.startswith("F") and not fields["seller_siret"].value and not fields["seller_siren"].value)
    fields.pop("_credit_title_strong", None)
    if fields.pop("_receipt", Field()).value:
        issues.append(rules.receipt())
    field_issues = rules.check_fields(fields, office, text=text, facturx=fx_data, foreign_seller=foreign)
    if scans:
        # What is missing is most likely on the scanned page: one issue that says so, not five.
        missing = [i for i in field_issues if i.code in rules.MISSING_CODES]
        field_issues = [i for i in field_issues if i.code not in rules.MISSING_CODES]
        issues.insert(0, rules.partial_scan(scans, [i.field for i in missing if i.field]))
    issues.extend(field_issues)
    return _report(filename, size, issues, started, facturx=fx_info, fields=fields, **common)


# Long invoices: header fields live on the first pages and totals on the last ones; the
# pages in between (line items) are searched only when the focus pages had nothing.
FOCUS_HEAD, FOCUS_TAIL = 2, 2


def focus_pages(doc: Document) -> set[int] | None:
    n = len(doc.pages)
    if n <= FOCUS_HEAD + FOCUS_TAIL + 2:
        return None
    pages = set(range(1, FOCUS_HEAD + 1)) | set(range(n - FOCUS_TAIL + 1, n + 1))
    return pages | {p.number for p in doc.pages if p.rows is not None}


_TOTALS_RANK = {"checked": 3, "labelled": 2, "guessed": 1}


def extract_fields(doc: Document, office: Office, fx: FacturXData | None) -> tuple[dict[str, Field], str]:
    every_line = F.all_lines(doc)
    focus = focus_pages(doc)
    lines = every_line if focus is None else [ln for ln in every_line if ln.page in focus]
    text = "\n".join(p.text for p in doc.pages)
    xml_date = fx.values.get("invoice_date") if fx and fx.valid else None

    out: dict[str, Field] = {}

    def put(name: str, found: F.Found | None, value: str | None = None) -> None:
        if found is None:
            out[name] = Field()
            return
        box = found.box
        if box is None and found.raw and doc.pages[found.page - 1].rows is not None:
            box = F.locate(doc, found.page, found.raw)
        confidence, rule = field_confidence(name, found, office.siret)
        out[name] = Field(value=value if value is not None else found.value, page=found.page, source="text", box=box,
                          label=found.label or None, confidence=confidence, rule=rule)

    put("invoice_number", F.find_invoice_number(doc, lines) or (
        F.find_invoice_number(doc, every_line) if focus else None))
    put("invoice_date", F.find_invoice_date(doc, lines, xml_date) or (
        F.find_invoice_date(doc, every_line, xml_date) if focus else None))
    doc_type, dt_page, strong = F.find_doc_type(doc, lines)

    seller_siret, buyer_siret = F.find_sirets(doc, lines, office.siret, (office.name, office.display_name))
    put("seller_siret", seller_siret)
    put("buyer_siret", buyer_siret)
    buyer_sirens = {office.siren}
    if buyer_siret:
        buyer_sirens.add(buyer_siret.value[:9])
    if seller_siret:
        put("seller_siren", F.Found(seller_siret.value[:9], seller_siret.page, seller_siret.raw, seller_siret.box,
                                    seller_siret.score))
    else:
        put("seller_siren", F.find_siren(lines, buyer_sirens) or (F.find_siren(every_line, buyer_sirens) if focus else None))
    put("seller_vat", F.find_seller_vat(lines, buyer_sirens) or (
        F.find_seller_vat(every_line, buyer_sirens) if focus else None))
    put("iban", F.find_iban(lines) or (F.find_iban(every_line) if focus else None))
    put("purchase_order", F.find_purchase_order(doc, lines) or (
        F.find_purchase_order(doc, every_line) if focus else None))

    totals = F.find_totals(doc, lines)
    if focus is not None and (totals.ttc is None or totals.confidence != "checked"):
        wider = F.find_totals(doc, every_line)
        if _TOTALS_RANK.get(wider.confidence, 0) > _TOTALS_RANK.get(totals.confidence, 0):
            totals = wider
    if totals.ttc is not None and totals.ttc.value < 0 and doc_type != "credit_note" and not (fx and fx.valid):
        doc_type = "credit_note"  # a negative grand total is a credit note whatever its title
    near = set()
    for key, name in (("ht", "total_ht"), ("tva", "total_tva"), ("ttc", "total_ttc")):
        c = totals[key]
        if c is None:
            out[name] = Field()
            continue
        value = -abs(c.value) if doc_type == "credit_note" else c.value
        box = c.box or (F.locate(doc, c.page, c.raw) if c.raw and doc.pages[c.page - 1].rows is not None else None)
        out[name] = Field(value=format_amount(value), page=c.page, source="text", box=box,
                          confidence=totals.confidence, rule=totals.rule)
        near.add(c.line_key)
    out["doc_type"] = Field(value=doc_type, page=dt_page, source="text",
                            confidence="labelled" if strong or F.has_title(doc, lines) else "guessed",
                            rule="title" if strong else "default")
    out["_credit_title_strong"] = Field(value="1" if strong else None)
    out["_receipt"] = Field(value="1" if F.is_receipt(doc, lines) else None)
    put("currency", F.find_currency(doc, lines, near))
    office_names = (office.name, office.display_name)
    put("seller_name", F.find_seller_name(doc, lines, office_names))
    return out, text


MAX_POSITION_PAGES = 4


def outline_missing_boxes(doc: Document, data: bytes, fields: dict[str, Field]) -> dict[str, Field]:
    """Values found on a page without positions (a footer on page 2…): read that page's
    words too, within a small page budget, so the page can outline them."""
    have = {p.number for p in doc.pages if p.rows is not None}
    wanted = []
    for f in fields.values():
        if f.value and f.page and f.box is None and f.page not in have and f.page not in wanted:
            wanted.append(f.page)
    wanted = wanted[:max(0, MAX_POSITION_PAGES - len(have))]
    if not wanted:
        return fields
    add_positions(doc, data, wanted)
    out = dict(fields)
    for name, f in fields.items():
        if f.value and f.page in wanted and f.box is None:
            raw = f.value
            if name == "invoice_date" or name.startswith("total_"):
                continue  # printed in another form than the normalised value
            box = F.locate(doc, f.page, raw)
            if box is not None:
                out[name] = Field(f.value, f.page, f.source, box, f.label, f.confidence, f.rule)
    return out


def _same(name: str, a: str, b: str) -> bool:
    if name in ("total_ht", "total_tva", "total_ttc"):
        try:
            return abs(abs(Decimal(a)) - abs(Decimal(b))) < Decimal("0.005")
        except Exception:  # noqa: BLE001
            return False
    if name in ("seller_name",):
        return a.strip().lower() == b.strip().lower() or a.lower() in b.lower() or b.lower() in a.lower()
    return compact(a) == compact(b)


# Disagreements worth telling the supplier about (the page and the XML are two invoices).
MISMATCH_FIELDS = ("invoice_number", "invoice_date", "total_ht", "total_tva", "total_ttc", "currency", "buyer_siret")


def merge_facturx(fields: dict[str, Field], fx: FacturXData) -> tuple[dict[str, Field], list[tuple[str, str, str]]]:
    """Chorus Pro reads the XML of a Factur-X, not its page: XML values win (source 'facturx'),
    keeping the page position when the page shows the same value. Where the page shows
    something else on a key field, the disagreement is reported. For a profile Chorus Pro does
    not accept as structured data, the page's values stand and the XML only confirms them."""
    if not fx.valid:
        return fields, []
    merged = dict(fields)
    mismatches = []
    # A profile Chorus Pro does not take as structured data (MINIMUM, BASIC WL, ZUGFeRD 1):
    # the kiosk advises a plain PDF deposit, where the page is what Chorus Pro reads.
    structured = fx.profile not in NOT_ACCEPTED_PROFILES
    # The XML's type code decides, except under a plain « Avoir » title (a word the page
    # cannot use for anything else); « Gutschrift » also names self-billed invoices.
    strong_title = fields.get("_credit_title_strong", Field()).value == "1"
    credit = fx.values.get("doc_type") == "credit_note" or (fields["doc_type"].value == "credit_note" and strong_title)
    for name in FIELD_NAMES:
        xml_value = fx.values.get(name)
        if xml_value is None:
            continue
        if name in ("total_ht", "total_tva", "total_ttc") and credit:
            xml_value = format_amount(-abs(Decimal(xml_value)))
        page_field = fields.get(name, Field())
        if name == "doc_type":
            # A title « Avoir » over an XML typed 380 is still a credit note to the reader.
            value = "credit_note" if credit else "invoice"
            merged[name] = Field(value, page_field.page or 1, "facturx" if xml_value == value else "text",
                                 confidence="facturx" if xml_value == value else "labelled", rule="facturx")
            continue
        if page_field.value is not None and _same(name, page_field.value, xml_value):
            merged[name] = Field(xml_value, page_field.page, "facturx", page_field.box, page_field.label, "facturx",
                                 "facturx+page")
            continue
        if not structured:
            # Chorus Pro will read the page of this PDF, not its XML: the page's value stands
            # (nothing when the page prints nothing); a disagreement is still reported.
            if page_field.value is not None and name in MISMATCH_FIELDS:
                mismatches.append((name, page_field.value, xml_value))
            continue
        merged[name] = Field(xml_value, None, "facturx", confidence="facturx", rule="facturx")
        if page_field.value is not None and name in MISMATCH_FIELDS:
            mismatches.append((name, page_field.value, xml_value))
    return merged, mismatches
