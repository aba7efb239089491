"""The PDF checker: what Chorus Pro will read in an invoice, before it is deposited.

Public API (stable, used by the page and the command line):
- analyse_bytes(data, *, filename, office) -> Report   (in this process)
- analyse_file(path, *, office) -> Report
- worker.CheckerPool(max_workers, timeout_s, memory_mb).check(data, filename) -> Report  (isolated)
- chorus.chorus_prefill(report, office=None) -> tuple[PrefillRow, ...]
"""

from .analyse import analyse_bytes, analyse_file
from .report import FIELD_NAMES, Box, FacturX, Field, Issue, PdfInfo, Report, verdict_for

__all__ = ["analyse_bytes", "analyse_file", "Report", "Field", "Issue", "PdfInfo", "FacturX", "Box",
           "FIELD_NAMES", "verdict_for"]
