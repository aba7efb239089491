"""Accuracy and speed of the PDF checker on seeded random invoices with known truth (not a test).

    .venv/bin/python benchmarks/bench_generated.py --seeds 1000-1999 [--defects] [--json out.json]
                                                   [--show-misses N] [--no-speed]
    .venv/bin/python benchmarks/bench_generated.py --dump 1234 out.pdf [--defect totals_mismatch]

Tune on some seed ranges, measure on others. Prints, for clean invoices: accuracy per field
(report.fields[name].value == truth[name]), the overall share of field values right, accuracy per
family value (language=de, label_position=below...), the clean invoices that got an error (false
alarms, with their codes); with --defects: for each defect, the share reported with its code; and
the checker's time as a ratio of bare pdfplumber text extraction of the same invoices
(interleaved, best of 3).
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from services.office import get_office  # noqa: E402
from services.pdf_check import analyse_bytes  # noqa: E402
from services.pdf_check.report import FIELD_NAMES  # noqa: E402
from tests.invoice_gen import DEFECTS, generate  # noqa: E402

# family keys worth a per-value accuracy line (the rest are recorded but too fine-grained to print)
FAMILY_KEYS = ("language", "doc_type", "monospace", "label_position", "leaders", "page_format", "odd_page",
               "header_columns", "ids_position", "pages", "totals_layout", "totals_position", "number_format",
               "currency_style", "date_format", "font", "label_case", "deposit", "discount", "multi_rate", "foreign",
               "credit_sign", "neg_style", "buyer_siret_keyword", "title_has_number", "siret_style")

SHOWN_KEYS = ("language", "doc_type", "monospace", "label_position", "header_columns", "totals_layout", "pages",
              "number_format", "currency_style", "date_format")


def parse_seeds(spec: str) -> list[int]:
    out: list[int] = []
    for part in spec.split(","):
        a, _, b = part.partition("-")
        out += list(range(int(a), int(b) + 1)) if b else [int(a)]
    return out


def plumber_text(data: bytes) -> None:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            page.extract_text()
            page.close()


def pct(a: int, b: int) -> str:
    return f"{100 * a / b:5.1f} %" if b else "   -  "


def run(seeds: list[int], defects: bool, speed: bool, defect_seeds: int | None = None,
        speed_seeds: int | None = None) -> dict:
    office = get_office()
    fields = [n for n in FIELD_NAMES]
    per_field = {n: [0, 0] for n in fields}
    per_family: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    misses: list[dict] = []
    false_alarms: list[dict] = []
    clean_codes: dict[int, set[str]] = {}
    t_checker = t_plumber = 0.0
    gen_time = 0.0
    timed = 0
    for k, seed in enumerate(seeds):
        if k and k % 50 == 0:
            print(f"  ... {k}/{len(seeds)} invoices", file=sys.stderr, flush=True)
        t = time.perf_counter()
        g = generate(seed)
        gen_time += time.perf_counter() - t
        name = f"gen-{seed}.pdf"
        if speed and (speed_seeds is None or timed < speed_seeds):
            timed += 1
            c = p = float("inf")
            report = None
            for _ in range(3):  # interleaved, best of 3: noise on the shared machine hits both alike
                t = time.perf_counter()
                report = analyse_bytes(g.pdf, filename=name, office=office)
                c = min(c, time.perf_counter() - t)
                t = time.perf_counter()
                plumber_text(g.pdf)
                p = min(p, time.perf_counter() - t)
            t_checker += c
            t_plumber += p
        else:
            report = analyse_bytes(g.pdf, filename=name, office=office)
        right = 0
        for n in fields:
            got = report.fields[n].value
            ok = got == g.truth.get(n)
            per_field[n][0] += ok
            per_field[n][1] += 1
            right += ok
            if not ok:
                misses.append({"seed": seed, "field": n, "expected": g.truth.get(n), "got": got,
                               "family": {k: g.family.get(k) for k in FAMILY_KEYS}})
        for k in FAMILY_KEYS:
            cell = per_family[(k, str(g.family.get(k)))]
            cell[0] += right
            cell[1] += len(fields)
        clean_codes[seed] = {i.code for i in report.issues}
        errors = [i.code for i in report.issues if i.severity == "error"]
        if errors:
            false_alarms.append({"seed": seed, "codes": errors})
    result = {
        "seeds": [seeds[0], seeds[-1], len(seeds)],
        "fields": {n: {"right": a, "total": b} for n, (a, b) in per_field.items()},
        "overall": {"right": sum(a for a, _ in per_field.values()), "total": sum(b for _, b in per_field.values())},
        "family": {f"{k}={v}": {"right": a, "total": b} for (k, v), (a, b) in sorted(per_family.items())},
        "false_alarms": false_alarms,
        "misses": misses,
        "generation_ms_per_invoice": 1000 * gen_time / len(seeds),
    }
    if speed:
        result["speed"] = {"checker_s": t_checker, "pdfplumber_s": t_plumber, "ratio": t_checker / t_plumber,
                           "invoices": timed}
    if defects:
        result["defects"] = run_defects(seeds[:defect_seeds] if defect_seeds else seeds, office, clean_codes)
    return result


def run_defects(seeds: list[int], office, clean_codes: dict[int, set[str]]) -> dict:
    """Each defect on each seed: reported with its code? And how often the clean twin of the same seed
    already carries that code (a detection that fires on clean invoices too proves little)."""
    out = {}
    for code in DEFECTS:
        hit, total, on_clean, missed = 0, 0, 0, []
        for seed in seeds:
            g = generate(seed, defect=code)
            report = analyse_bytes(g.pdf, filename=f"gen-{seed}-{code}.pdf", office=office)
            codes = {i.code for i in report.issues}
            want = g.truth["expected_issues"]
            total += 1
            on_clean += any(w in clean_codes.get(seed, set()) for w in want)
            if all(w in codes for w in want):
                hit += 1
            elif len(missed) < 10:
                missed.append({"seed": seed, "expected": want, "got": sorted(codes)})
        out[code] = {"reported": hit, "total": total, "also_on_clean_twin": on_clean, "missed_examples": missed}
    return out


def print_result(r: dict, show_misses: int) -> None:
    n = r["seeds"][2]
    print(f"seeds {r['seeds'][0]}-{r['seeds'][1]} ({n} clean invoices; generation "
          f"{r['generation_ms_per_invoice']:.0f} ms each)")
    print("\naccuracy per field")
    for name, v in r["fields"].items():
        print(f"  {name:16s} {pct(v['right'], v['total'])}  ({v['right']}/{v['total']})")
    o = r["overall"]
    print(f"  {'OVERALL':16s} {pct(o['right'], o['total'])}  ({o['right']}/{o['total']})   goal >= 98 %")
    print("\naccuracy per family value (share of field values right)")
    last = None
    for key, v in r["family"].items():
        k = key.split("=")[0]
        if k != last:
            print(f"  {k}:")
            last = k
        print(f"    {key.split('=', 1)[1]:22s} {pct(v['right'], v['total'])}  (n={v['total'] // len(r['fields'])})")
    fa = r["false_alarms"]
    print(f"\nfalse alarms (clean invoices with an error): {len(fa)}/{n} = {pct(len(fa), n).strip()}   goal 0")
    codes = Counter(c for f in fa for c in f["codes"])
    for code, cnt in codes.most_common():
        seeds = [f["seed"] for f in fa if code in f["codes"]][:8]
        print(f"  {code:32s} {cnt:4d}   e.g. seeds {seeds}")
    if "defects" in r:
        print("\ndefects reported with the expected code")
        for code, v in r["defects"].items():
            ex = "; ".join(f"{m['seed']}: got {m['got']}" for m in v["missed_examples"][:3])
            print(f"  {code:32s} {pct(v['reported'], v['total'])}  ({v['reported']}/{v['total']}; code already on "
                  f"the clean twin {v['also_on_clean_twin']})" + (f"   missed e.g. {ex}" if ex else ""))
    if "speed" in r:
        s = r["speed"]
        print(f"\nspeed over {s['invoices']} invoices: checker {s['checker_s'] * 1000:.0f} ms, pdfplumber extract_text "
              f"{s['pdfplumber_s'] * 1000:.0f} ms -> ratio {s['ratio']:.2f} (interleaved, best of 3)")
    kinds = Counter(m["field"] for m in r["misses"])
    if kinds:
        print("\nmisses per field: " + ", ".join(f"{k} {v}" for k, v in kinds.most_common()))
    for m in r["misses"][:show_misses]:
        fam = ", ".join(f"{k}={m['family'][k]}" for k in SHOWN_KEYS)
        print(f"  seed {m['seed']:6d} {m['field']:15s} expected {m['expected']!r:28s} got {m['got']!r:28s} [{fam}]")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seeds", default="1000-1199", help="e.g. 1000-1999 or 1,2,5-9")
    ap.add_argument("--defects", action="store_true", help="also generate every defect variant of each seed")
    ap.add_argument("--json", help="write the full result (misses included) to this file")
    ap.add_argument("--show-misses", type=int, default=0, metavar="N")
    ap.add_argument("--defect-seeds", type=int, metavar="N", help="with --defects: only the first N seeds")
    ap.add_argument("--speed-seeds", type=int, metavar="N", help="time only the first N seeds (best of 3 each)")
    ap.add_argument("--no-speed", action="store_true", help="skip the timing (3 runs of each side)")
    ap.add_argument("--dump", nargs=2, metavar=("SEED", "OUT_PDF"), help="write one invoice to a file and stop")
    ap.add_argument("--defect", choices=DEFECTS, help="with --dump: the defect variant")
    a = ap.parse_args(argv)
    if a.dump:
        g = generate(int(a.dump[0]), defect=a.defect)
        Path(a.dump[1]).write_bytes(g.pdf)
        print(json.dumps({"truth": g.truth, "family": g.family}, ensure_ascii=False, indent=1))
        return
    seeds = parse_seeds(a.seeds)
    r = run(seeds, a.defects, not a.no_speed, a.defect_seeds, a.speed_seeds)
    print_result(r, a.show_misses)
    if a.json:
        Path(a.json).write_text(json.dumps(r, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
