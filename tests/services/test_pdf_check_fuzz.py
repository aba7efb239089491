"""Seeded random invoices (labels, placements, formats, page counts drawn at random): accuracy
and no false alarm on layouts nobody tuned the checker for."""

from services.office import get_office
from services.pdf_check import analyse_bytes
from tests.services.pdf_check_fuzz import random_invoice

SEEDS = range(1000, 1060)  # not the seeds used while developing (0-199)


def test_random_layouts_accuracy_and_no_false_alarm():
    office = get_office()
    right = total = 0
    per_field: dict[str, list[int]] = {}
    alarms = []
    for seed in SEEDS:
        data, expected = random_invoice(seed)
        report = analyse_bytes(data, filename=f"random-{seed}.pdf", office=office)
        for name, value in expected.items():
            ok = report.fields[name].value == value
            right += ok
            total += 1
            per_field.setdefault(name, [0, 0])
            per_field[name][0] += ok
            per_field[name][1] += 1
        errors = [i.code for i in report.issues if i.severity == "error"]
        if errors:
            alarms.append((seed, errors))
    assert right / total >= 0.97, per_field
    assert all(r / t >= 0.9 for r, t in per_field.values()), per_field
    assert alarms == []
