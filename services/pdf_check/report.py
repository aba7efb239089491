"""The checker's report: small frozen dataclasses, and their JSON form (DESIGN.md contract).

This file is the contract between the analysis (services/pdf_check/), the command line
(`python -m services.pdf_check FILE --json`), the page and the staff space. Keep the JSON
shape stable: field names, issue codes and verdicts are scored by other tools.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal

Verdict = Literal["ready", "fix_needed", "blocked"]
Severity = Literal["error", "warning", "info"]
TextLayer = Literal["full", "partial", "none"]
Source = Literal["text", "facturx"]
# How sure the checker is of a field's value, from surest to least sure:
# - facturx: read from the embedded Factur-X XML (what Chorus Pro reads);
# - checked: printed after its label AND confirmed by a check (totals that add up to the cent,
#   a SIRET/SIREN/IBAN/VAT check digit, the office's own SIRET);
# - labelled: printed after (or under) its label, with nothing to confirm it;
# - guessed: found without a label (by position or by its shape only): to be checked by the supplier.
Confidence = Literal["facturx", "checked", "labelled", "guessed"]
CONFIDENCE_LEVELS = ("facturx", "checked", "labelled", "guessed")

FIELD_NAMES = (
    "invoice_number", "invoice_date", "doc_type", "seller_name", "seller_siret", "seller_siren",
    "seller_vat", "buyer_siret", "total_ht", "total_tva", "total_ttc", "currency",
    "purchase_order", "iban",
)

# Issue codes that mean Chorus Pro will not take or read the file at all.
BLOCKING_CODES = frozenset({"not_a_pdf", "empty_file", "too_large", "encrypted", "corrupted", "timeout",
                            "scan_no_text"})


@dataclass(frozen=True)
class Box:
    """Where a value was read on its page, in PDF points from the top-left corner."""

    x0: float
    top: float
    x1: float
    bottom: float


@dataclass(frozen=True)
class Field:
    value: str | None = None
    page: int | None = None  # 1-based
    source: Source | None = None
    box: Box | None = None  # not part of the JSON contract; used to outline the value on the page
    label: str | None = None  # not in the JSON: the words printed before the value (e.g. "SIRET client :")
    confidence: Confidence | None = None  # None when there is no value
    rule: str | None = None  # short id of the rule that chose the value (e.g. "label+sum"), for "why this one?"


@dataclass(frozen=True)
class Issue:
    code: str
    severity: Severity
    message: str  # French, plain words
    fix: str  # French: what to do
    field: str | None = None  # the field it is about, when there is one


@dataclass(frozen=True)
class FacturX:
    profile: str | None
    valid: bool | None


@dataclass(frozen=True)
class PdfInfo:
    pages: int | None
    size_bytes: int
    text_layer: TextLayer | None
    encrypted: bool
    facturx: FacturX | None


@dataclass(frozen=True)
class Report:
    file: str
    verdict: Verdict
    pdf: PdfInfo
    fields: dict[str, Field]
    issues: tuple[Issue, ...]
    elapsed_ms: float
    # Page sizes in points (width, height), 1-based page -> size, for drawing boxes.
    page_sizes: dict[int, tuple[float, float]] = field(default_factory=dict)

    def to_json_dict(self) -> dict:
        """The DESIGN.md JSON object (no boxes, no page sizes)."""
        return {
            "file": self.file,
            "verdict": self.verdict,
            "pdf": {
                "pages": self.pdf.pages,
                "size_bytes": self.pdf.size_bytes,
                "text_layer": self.pdf.text_layer,
                "encrypted": self.pdf.encrypted,
                "facturx": asdict(self.pdf.facturx) if self.pdf.facturx else None,
            },
            "fields": {
                name: {"value": f.value, "page": f.page, "source": f.source,
                       "confidence": f.confidence if f.value is not None else None, "rule": f.rule}
                for name, f in ((n, self.fields.get(n, Field())) for n in FIELD_NAMES)
            },
            "issues": [
                {"code": i.code, "severity": i.severity, "message": i.message, "fix": i.fix}
                for i in self.issues
            ],
            "elapsed_ms": round(self.elapsed_ms, 1),
        }


def verdict_for(issues: tuple[Issue, ...] | list[Issue]) -> Verdict:
    """blocked: Chorus Pro won't take/read it; fix_needed: an error; ready: no error."""
    if any(i.code in BLOCKING_CODES for i in issues):
        return "blocked"
    if any(i.severity == "error" for i in issues):
        return "fix_needed"
    return "ready"
