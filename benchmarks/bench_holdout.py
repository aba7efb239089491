"""Measure the PDF checker of the repository in the current directory on the held-out generator.

    cd /work/main && python /path/to/benchmarks/bench_holdout.py --seeds 0-399 [--defects] [--show-misses N]

The generator (benchmarks/holdout, next to this script) is for measuring only: tuning the checker
on it would make the numbers meaningless."""
from __future__ import annotations

import argparse
import io
import os
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, os.getcwd())  # the checker measured is the one of the current directory
sys.path.insert(1, str(Path(__file__).resolve().parent))

import pdfplumber  # noqa: E402

from holdout.gen import DEFECTS, generate  # noqa: E402

FIELDS = ["invoice_number", "invoice_date", "doc_type", "seller_name", "seller_siret", "seller_siren", "seller_vat",
          "buyer_siret", "total_ht", "total_tva", "total_ttc", "currency", "purchase_order", "iban"]


def parse_seeds(text: str) -> list[int]:
    seeds: list[int] = []
    for part in text.split(","):
        if "-" in part:
            lo, hi = part.split("-")
            seeds.extend(range(int(lo), int(hi) + 1))
        else:
            seeds.append(int(part))
    return seeds


def _get(obj, name):
    return obj[name] if isinstance(obj, dict) else getattr(obj, name)


def field_value(report, name):
    fields = _get(report, "fields")
    field = fields.get(name) if isinstance(fields, dict) else getattr(fields, name, None)
    if field is None:
        return None
    return field if isinstance(field, (str, type(None))) else _get(field, "value")


def issue_codes(report, severity: str | None = None) -> list[str]:
    return [_get(i, "code") for i in _get(report, "issues") if severity is None or _get(i, "severity") == severity]


def plumber_seconds(data: bytes) -> float:
    start = time.perf_counter()
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            page.extract_text()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", default="0-399")
    parser.add_argument("--defects", action="store_true", help="one defect per seed, cycling through all defects")
    parser.add_argument("--show-misses", type=int, default=0, metavar="N")
    args = parser.parse_args()

    from services.office import get_office
    from services.pdf_check import analyse_bytes
    office = get_office()

    ok = Counter()
    seen = Counter()
    layout_ok, layout_seen = Counter(), Counter()
    false_alarms: list[tuple[int, str, list[str]]] = []
    detected, expected_n = Counter(), Counter()
    extra_errors: list[tuple[int, str, str, list[str]]] = []
    undetected: list[tuple[int, str, str, list[str]]] = []
    misses: list[tuple[int, str, str, object, object]] = []
    t_check = t_plumber = 0.0
    seeds = parse_seeds(args.seeds)
    for seed in seeds:
        defect = DEFECTS[seed % len(DEFECTS)] if args.defects else None
        data, truth, layout = generate(seed, defect)
        name = "holdout-%04d-%s.pdf" % (seed, layout)
        start = time.perf_counter()
        report = analyse_bytes(data, filename=name, office=office)
        t_check += time.perf_counter() - start
        t_plumber += plumber_seconds(data)
        errors = issue_codes(report, "error")
        codes = issue_codes(report)
        if defect is None:
            if errors:
                false_alarms.append((seed, layout, errors))
        else:
            expected_n[defect] += 1
            if defect in codes:
                detected[defect] += 1
            else:
                undetected.append((seed, layout, defect, codes))
            others = [c for c in errors if c != defect]
            if others:
                extra_errors.append((seed, layout, defect, others))
        if truth["kind"] != "text":
            continue  # values on scanned pages are not expected to be read
        for fname in FIELDS:
            got = field_value(report, fname)
            seen[fname] += 1
            layout_seen[layout] += 1
            if got == truth[fname]:
                ok[fname] += 1
                layout_ok[layout] += 1
            else:
                misses.append((seed, layout, fname, truth[fname], got))

    total = sum(seen.values())
    print("held-out invoices: %d seeds (%s), %d text invoices measured"
          % (len(seeds), "with defects" if args.defects else "clean", seen["invoice_number"]))
    print("\nfield accuracy")
    for fname in FIELDS:
        if seen[fname]:
            print("  %-16s %5.1f %%  (%d/%d)" % (fname, 100 * ok[fname] / seen[fname], ok[fname], seen[fname]))
    if total:
        print("  %-16s %5.1f %%" % ("OVERALL", 100 * sum(ok.values()) / total))
    print("\nper layout")
    for layout in sorted(layout_seen):
        print("  %-12s %5.1f %%" % (layout, 100 * layout_ok[layout] / layout_seen[layout]))
    if not args.defects:
        print("\nfalse alarms (clean invoices with an error): %d/%d" % (len(false_alarms), len(seeds)))
        by_code = Counter(c for _, _, errs in false_alarms for c in errs)
        for code, n in by_code.most_common():
            print("  %-32s %d" % (code, n))
        for seed, layout, errs in false_alarms[:args.show_misses or 10]:
            print("    seed %d %-12s %s" % (seed, layout, ", ".join(errs)))
    else:
        print("\ndefects detected with their expected code")
        for defect in DEFECTS:
            if expected_n[defect]:
                print("  %-32s %5.1f %%  (%d/%d)" % (defect, 100 * detected[defect] / expected_n[defect],
                                                     detected[defect], expected_n[defect]))
        print("  %-32s %5.1f %%" % ("ALL", 100 * sum(detected.values()) / max(1, sum(expected_n.values()))))
        print("  undetected, by defect and layout:")
        for (defect, layout), n in sorted(Counter((d, lay) for _, lay, d, _ in undetected).items()):
            print("    %-32s %-12s %d" % (defect, layout, n))
        print("  other errors on defective invoices: %d" % len(extra_errors))
        for code, n in Counter(c for *_, others in extra_errors for c in others).most_common():
            print("    %-30s %d" % (code, n))
    print("\ntime: checker %.2f s, bare pdfplumber extract_text %.2f s, ratio x%.1f"
          % (t_check, t_plumber, t_check / max(t_plumber, 1e-9)))
    if args.show_misses:
        print("\nmisses by field and layout (count, one example: expected -> read)")
        groups: dict[tuple[str, str], list] = defaultdict(list)
        for miss in misses:
            groups[(miss[2], miss[1])].append(miss)
        for (fname, layout), items in sorted(groups.items(), key=lambda kv: (FIELDS.index(kv[0][0]), -len(kv[1]))):
            seed, _, _, want, got = items[0]
            print("  %-15s %-12s %3d  e.g. seed %d: %r -> %r" % (fname, layout, len(items), seed, want, got))
        print("\nmisses (seed, layout, field: expected -> read)")
        by_field = defaultdict(list)
        for miss in misses:
            by_field[miss[2]].append(miss)
        shown = 0
        for fname in FIELDS:
            for seed, layout, _, want, got in by_field[fname][:max(1, args.show_misses // 4)]:
                print("  %4d %-12s %-15s %r -> %r" % (seed, layout, fname, want, got))
                shown += 1
            if shown >= args.show_misses:
                break


if __name__ == "__main__":
    main()
