"""Test launcher: the kiosk whose checker is unsure of the total TTC (`python -m tests.e2e.doubtful_checker`).

The real analysis runs on the uploaded PDF (in this process, no worker pool); then, as the
analysis will once it reports its own uncertainty, each value gets a confidence and the total
TTC an uncertain_totals warning, and the page pictures are drawn from that report. Lets the
browser tests see « à vérifier » before the analysis emits it. Never used outside tests.
"""

from __future__ import annotations

import sys
from dataclasses import replace

import ui.checker_view as checker_view
from services.invoice_check import CheckResult
from services.page_preview import render_previews
from services.pdf_check.analyse import analyse_bytes
from services.pdf_check.report import Report, verdict_for
from services.pdf_check.rules import uncertain
from ui.serve import main

_CONFIDENCE = {"seller_siret": ("checked", "label+checksum"), "buyer_siret": ("checked", "label+office"),
               "total_ht": ("checked", "label+sum"), "total_tva": ("checked", "label+sum"),
               "iban": ("checked", "label+checksum"), "total_ttc": ("labelled", "label")}


def with_doubts(report: Report) -> Report:
    """The report as the analysis will give it when it cannot choose between two « Total » rows."""
    fields = {}
    for name, found in report.fields.items():
        confidence, rule = _CONFIDENCE.get(name, ("labelled", "label"))
        fields[name] = replace(found, confidence=confidence, rule=rule) if found.value else found
    issues = report.issues
    if report.verdict != "blocked" and fields.get("total_ttc") and fields["total_ttc"].value:
        issues = (*issues, uncertain("total_ttc", found=fields["total_ttc"].value.replace(".", ","),
                                     why="deux lignes « Total » portent des montants différents"))
    return replace(report, fields=fields, issues=issues, verdict=verdict_for(issues))


class DoubtfulPool:
    def check(self, data: bytes, filename: str) -> CheckResult:
        report = with_doubts(analyse_bytes(data, filename=filename))
        return CheckResult(report, render_previews(data, report))


if __name__ == "__main__":
    pool = DoubtfulPool()
    checker_view.get_checker_pool = lambda: pool
    sys.exit(main())
