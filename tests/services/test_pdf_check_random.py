"""The checker on seeded random invoices (tests/invoice_gen): the accuracy goals.

Goals: >= 98 % of field values right over clean invoices, no error on a clean invoice, and every
one-defect variant reported with its code. Seeds 0-99 by default (about half a minute); set
GEN_SEEDS=0-299 for the full run. Tune with benchmarks/bench_generated.py on other seeds.
"""

from __future__ import annotations

import os
from functools import lru_cache

import pytest

from services.office import get_office
from services.pdf_check import analyse_bytes
from services.pdf_check.report import FIELD_NAMES
from tests.invoice_gen import DEFECTS, generate



def _seeds() -> list[int]:
    a, _, b = os.environ.get("GEN_SEEDS", "0-99").partition("-")
    return list(range(int(a), int(b or a) + 1))


DEFECT_SEEDS = (3, 11, 40, 77)


@lru_cache(maxsize=None)
def _report(seed: int, defect: str | None = None):
    g = generate(seed, defect=defect)
    return g, analyse_bytes(g.pdf, filename=f"gen-{seed}.pdf", office=get_office())


def test_field_accuracy_on_clean_invoices():
    right = total = 0
    per_field = {n: 0 for n in FIELD_NAMES}
    seeds = _seeds()
    for seed in seeds:
        g, report = _report(seed)
        for name in FIELD_NAMES:
            ok = report.fields[name].value == g.truth[name]
            right += ok
            per_field[name] += ok
            total += 1
    worst = sorted(per_field.items(), key=lambda kv: kv[1])[:5]
    assert right / total >= 0.98, f"{100 * right / total:.1f} % right; worst fields {worst} of {len(seeds)}"


def test_no_error_on_clean_invoices():
    alarms = {}
    for seed in _seeds():
        _, report = _report(seed)
        errors = [i.code for i in report.issues if i.severity == "error"]
        if errors:
            alarms[seed] = errors
    assert alarms == {}


@pytest.mark.parametrize("defect", DEFECTS)
def test_every_defect_is_reported(defect):
    """Reported on the variant, and not already on the clean twin of the same seed (a code the
    checker gives every invoice detects nothing)."""
    missed = {}
    for seed in DEFECT_SEEDS:
        g, report = _report(seed, defect)
        _, clean = _report(seed)
        want = set(g.truth["expected_issues"])
        codes = {i.code for i in report.issues}
        clean_codes = {i.code for i in clean.issues}
        if not want <= codes or want & clean_codes:
            missed[seed] = {"variant": sorted(codes), "clean twin": sorted(clean_codes)}
    assert missed == {}, f"expected {defect}"
