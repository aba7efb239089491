"""Report objects built by hand (and from the corpus labels), to test the page without the analysis.

`report_from_labels` takes a corpus PDF and its labels.json entry, and finds where each labelled
value is printed with pdfplumber's search, so the page picture has real boxes to outline.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

from services.pdf_check.report import FIELD_NAMES, Box, Field, Issue, PdfInfo, Report, verdict_for
from tests.conftest import CORPUS

SYNTHETIC = CORPUS / "synthetic"
REAL = CORPUS / "real"


@lru_cache(maxsize=4)
def labels(folder: Path) -> dict[str, dict]:
    return {item["file"]: item for item in json.loads((folder / "labels.json").read_text())}


def _amount_pattern(value: str) -> str:
    """'3812.01' printed as '3812,01', '3 812,01' or '3.812,01'."""
    negative = value.startswith("-")
    whole, _, cents = value.lstrip("-").partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return ("-?" if negative else "") + r"[\s.\u202f\u00a0]?".join(groups) + "," + cents


def _search_pattern(name: str, value: str) -> str:
    if name.startswith("total_"):
        return _amount_pattern(value)
    if name in ("seller_siret", "buyer_siret", "iban", "seller_vat", "seller_siren"):
        return r"\s?".join(re.escape(c) for c in value)
    if name == "invoice_date":
        y, m, d = value.split("-")
        return rf"({d}/{m}/{y}|{y}-{m}-{d}|{d}-{m}-{y}|{int(d)}\w* \w+ {y})"
    return re.escape(value)


def report_from_labels(path: Path, *, issues: tuple[Issue, ...] = (), file_name: str | None = None) -> Report:
    """A report whose values are the labelled truth, each boxed where pdfplumber finds it."""
    import pdfplumber

    truth = labels(path.parent)[path.name]
    fields: dict[str, Field] = {}
    sizes: dict[int, tuple[float, float]] = {}
    with pdfplumber.open(path) as pdf:
        pages = len(pdf.pages)
        for number, page in enumerate(pdf.pages, start=1):
            sizes[number] = (float(page.width), float(page.height))
        for name in FIELD_NAMES:
            value = truth.get(name)
            if value is None:
                fields[name] = Field()
                continue
            found = Field(value=value, page=1, source="text")
            if name not in ("doc_type", "currency"):
                for number, page in enumerate(pdf.pages, start=1):
                    hits = page.search(_search_pattern(name, value), regex=True)
                    if hits:
                        hit = hits[-1] if name.startswith("total_") else hits[0]
                        box = Box(hit["x0"], hit["top"], hit["x1"], hit["bottom"])
                        found = Field(value=value, page=number, source="text", box=box)
                        if not name.startswith("total_"):
                            break
                    page.close()
            fields[name] = found
    return Report(
        file=file_name or path.name,
        verdict=verdict_for(issues),
        pdf=PdfInfo(pages=pages, size_bytes=path.stat().st_size, text_layer="full", encrypted=False, facturx=None),
        fields=fields,
        issues=issues,
        elapsed_ms=42.0,
        page_sizes=sizes,
    )


def issue(code: str, severity: str = "error", field: str | None = None) -> Issue:
    """An issue with recognisable French words, so tests can find them on the page."""
    return Issue(code=code, severity=severity, message=f"Message pour {code}.", fix=f"Correction pour {code}.",
                 field=field)


def blocked_report(code: str, *, file_name: str = "facture.pdf", size: int = 10) -> Report:
    issues = (issue(code),)
    return Report(
        file=file_name, verdict=verdict_for(issues),
        pdf=PdfInfo(pages=None, size_bytes=size, text_layer=None, encrypted=code == "encrypted", facturx=None),
        fields={name: Field() for name in FIELD_NAMES}, issues=issues, elapsed_ms=1.0,
    )


class FakePool:
    """Stands in for services.pdf_check.worker.CheckerPool: answers with prepared reports."""

    def __init__(self, answer):
        self.answer = answer  # a Report, or a function (data, filename) -> Report
        self.calls: list[tuple[int, str]] = []

    def check(self, data: bytes, filename: str) -> Report:
        self.calls.append((len(data), filename))
        return self.answer(data, filename) if callable(self.answer) else self.answer
