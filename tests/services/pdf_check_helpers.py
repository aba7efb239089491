"""Shared helpers for the checker tests: corpus labels and cached in-process analyses."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from services.office import get_office
from services.pdf_check import analyse_bytes
from services.pdf_check.report import FIELD_NAMES, Report
from tests.conftest import CORPUS

DESIGN_CODES = frozenset({
    "not_a_pdf", "empty_file", "too_large", "encrypted", "corrupted", "timeout", "scan_no_text", "partial_scan",
    "missing_invoice_number", "missing_date", "missing_seller_siret", "invalid_seller_siret_checksum",
    "missing_buyer_siret", "wrong_buyer_siret", "missing_totals", "totals_mismatch", "wrong_currency", "invalid_vat",
    "facturx_invalid", "facturx_profile_not_accepted",
})


@lru_cache(maxsize=None)
def labels(folder: str) -> tuple[dict, ...]:
    return tuple(json.loads((CORPUS / folder / "labels.json").read_text(encoding="utf-8")))


def all_labels() -> list[tuple[str, dict]]:
    return [(folder, lab) for folder in ("real", "synthetic") for lab in labels(folder)]


@lru_cache(maxsize=None)
def report_for(folder: str, name: str) -> Report:
    path = Path(CORPUS) / folder / name
    return analyse_bytes(path.read_bytes(), filename=name, office=get_office())


def text_invoices() -> list[tuple[str, dict]]:
    """Invoices whose values can be read from a text layer (the accuracy goal's scope)."""
    return [(f, lab) for f, lab in all_labels() if lab["kind"] in ("text", "mixed") and lab.get("doc_type") != "other"]


def field_accuracy() -> dict[str, tuple[int, int]]:
    """field -> (right, total) over every labelled value (null labels included) of text invoices."""
    out = {name: [0, 0] for name in FIELD_NAMES}
    for folder, lab in text_invoices():
        report = report_for(folder, lab["file"])
        for name in FIELD_NAMES:
            out[name][1] += 1
            if report.fields[name].value == lab.get(name):
                out[name][0] += 1
    return {k: (v[0], v[1]) for k, v in out.items()}
