"""Check one uploaded invoice for the page: the report, then the pictures of its pages.

The analysis runs in the checker's worker pool (time and memory limits). The uploaded bytes
are only held in memory for the time of the call: nothing is written here.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Protocol

from services.page_preview import PagePreview, render_previews
from services.pdf_check.report import Report

log = logging.getLogger(__name__)


class Checker(Protocol):
    def check(self, data: bytes, filename: str) -> Report: ...


@dataclass(frozen=True)
class CheckResult:
    report: Report
    previews: tuple[PagePreview, ...]


def check_invoice(checker: Checker, data: bytes, filename: str) -> CheckResult:
    """Analyse `data` with the pool, then draw the pages that carry found values."""
    report = checker.check(data, filename)
    try:
        previews = render_previews(data, report)
    except Exception:  # noqa: BLE001 - hostile files: a picture that fails must not hide the report
        log.warning("page preview failed for %r", filename, exc_info=True)
        previews = ()
    return CheckResult(report, previews)
