"""What the checker page adds on top of the analysis: the outlined page pictures.

Prints, over the corpus's text PDFs (read in place), in one process:
  (a) time to draw the page pictures / time of the analysis itself (goal: well under 1×);
  (b) the pictures' size per page (what a phone downloads);
  (c) the whole page job through the worker pool (analysis + pictures) / analysis alone.
Run: python benchmarks/bench_page_preview.py
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from services.invoice_check import WORKER_TARGET, check_invoice  # noqa: E402
from services.page_preview import render_previews  # noqa: E402
from services.pdf_check.analyse import analyse_bytes  # noqa: E402
from services.pdf_check.worker import CheckerPool  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"


def text_pdfs() -> list[Path]:
    files = []
    for folder in ("synthetic", "real"):
        for item in json.loads((CORPUS / folder / "labels.json").read_text()):
            if item.get("kind") == "text":
                files.append(CORPUS / folder / item["file"])
    return files


def main() -> None:
    files = text_pdfs()
    data = {path: path.read_bytes() for path in files}
    for path in files[:3]:  # warm imports and caches
        render_previews(data[path], analyse_bytes(data[path], filename=path.name))

    analyse_s = draw_s = 0.0
    sizes, pages = [], 0
    for path in files:
        start = time.perf_counter()
        report = analyse_bytes(data[path], filename=path.name)
        analyse_s += time.perf_counter() - start
        start = time.perf_counter()
        previews = render_previews(data[path], report)
        draw_s += time.perf_counter() - start
        pages += len(previews)
        sizes.extend(len(p.png) for p in previews)

    with CheckerPool(max_workers=1) as plain, CheckerPool(max_workers=1, target=WORKER_TARGET) as pictured:
        for pool in (plain, pictured):
            pool.check(data[files[0]], files[0].name)
        # Interleaved file by file, so that a busy machine weighs on both sides alike.
        plain_s = pictured_s = 0.0
        for path in files:
            start = time.perf_counter()
            plain.check(data[path], path.name)
            plain_s += time.perf_counter() - start
            start = time.perf_counter()
            check_invoice(pictured, data[path], path.name)
            pictured_s += time.perf_counter() - start

    print(f"files: {len(files)} text PDFs, {pages} pictures drawn")
    print(f"(a) pictures / analysis, in process: {draw_s / analyse_s:.2f}x "
          f"({draw_s * 1000 / len(files):.0f} ms vs {analyse_s * 1000 / len(files):.0f} ms per file)")
    print(f"(b) picture size: median {statistics.median(sizes) / 1024:.0f} KiB, max {max(sizes) / 1024:.0f} KiB per page")
    print(f"(c) pool job with pictures / pool job without: {pictured_s / plain_s:.2f}x "
          f"({pictured_s * 1000 / len(files):.0f} ms vs {plain_s * 1000 / len(files):.0f} ms per file)")


if __name__ == "__main__":
    main()
