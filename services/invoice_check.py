"""Check one uploaded invoice for the page: the report, then the pictures of its pages.

Both run inside the checker's worker process (`CheckerPool(target=WORKER_TARGET)`), under its
wall-clock limit and memory cap: drawing a hostile PDF's page is as risky as reading it. The
uploaded bytes are only held in memory for the time of the call: nothing is written here.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Protocol

from services.office import Office
from services.page_preview import PagePreview, render_previews
from services.pdf_check.analyse import analyse_bytes  # imported here so the fork server preloads it
from services.pdf_check.report import Report

log = logging.getLogger(__name__)

# What each worker process of the pool runs: the analysis, then the page pictures.
WORKER_TARGET = "services.invoice_check:analyse_with_previews"


class Checker(Protocol):
    def check(self, data: bytes, filename: str) -> Report | CheckResult: ...


@dataclass(frozen=True)
class CheckResult:
    report: Report
    previews: tuple[PagePreview, ...]


def _previews(data: bytes, report: Report, filename: str) -> tuple[PagePreview, ...]:
    try:
        return render_previews(data, report)
    except Exception:  # noqa: BLE001 - hostile files: a picture that fails must not hide the report
        # The file name may carry the supplier's name: the logs give the size only.
        log.warning("page preview failed (%d bytes)", len(data), exc_info=True)
        return ()


def analyse_with_previews(data: bytes, *, filename: str, office: Office | None = None) -> CheckResult:
    """Worker-side: the checker's analysis, then the pages with the found values outlined."""
    report = analyse_bytes(data, filename=filename, office=office)
    return CheckResult(report, _previews(data, report, filename))


def check_invoice(checker: Checker, data: bytes, filename: str) -> CheckResult:
    """Ask the pool; it answers a CheckResult, or a bare Report when it refused the file itself
    (empty, too large, timeout…) or runs the plain analysis: then draw here, if anything can be."""
    answer = checker.check(data, filename)
    if isinstance(answer, CheckResult):
        return answer
    return CheckResult(answer, _previews(data, answer, filename))
