"""`python -m services.pdf_check FILE ... --json`: JSON Lines, exit codes (DESIGN.md)."""

import json
import subprocess
import sys

from services.pdf_check.report import FIELD_NAMES
from tests.conftest import CORPUS, ROOT


def run(*args, timeout=180):
    return subprocess.run([sys.executable, "-m", "services.pdf_check", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout)


def test_json_lines_one_object_per_file_and_exit_0(tmp_path):
    png = tmp_path / "photo.pdf"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 100)
    files = [CORPUS / "synthetic" / "inv-005.pdf", CORPUS / "synthetic" / "inv-037.pdf", png,
             CORPUS / "real" / "broken-empty-0-bytes.pdf"]
    proc = run(*files, "--json")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.strip().splitlines()
    assert len(lines) == 4
    objs = [json.loads(line) for line in lines]
    assert [o["file"] for o in objs] == ["inv-005.pdf", "inv-037.pdf", "photo.pdf", "broken-empty-0-bytes.pdf"]
    assert [o["verdict"] for o in objs] == ["ready", "fix_needed", "blocked", "blocked"]
    assert "totals_mismatch" in {i["code"] for i in objs[1]["issues"]}
    assert objs[2]["issues"][0]["code"] == "not_a_pdf"
    assert objs[3]["issues"][0]["code"] == "empty_file"
    for o in objs:
        assert list(o["fields"]) == list(FIELD_NAMES)
        assert isinstance(o["elapsed_ms"], float)
        for issue in o["issues"]:
            assert set(issue) == {"code", "severity", "message", "fix"}


def test_human_output_is_french_summary():
    proc = run(CORPUS / "synthetic" / "inv-049.pdf")
    assert proc.returncode == 0
    assert "À CORRIGER" in proc.stdout
    assert "SIRET" in proc.stdout


def test_usage_errors_exit_non_zero():
    assert run().returncode == 2
    assert run("--nope", CORPUS / "synthetic" / "inv-005.pdf").returncode == 2


def test_missing_file_is_reported_not_crashed(tmp_path):
    proc = run(tmp_path / "absent.pdf", "--json")
    assert proc.returncode == 0
    obj = json.loads(proc.stdout)
    assert obj["verdict"] == "blocked"


def test_json_fields_carry_confidence_and_rule():
    proc = run(CORPUS / "synthetic" / "inv-006.pdf", "--json")
    assert proc.returncode == 0, proc.stderr
    obj = json.loads(proc.stdout)
    for name in FIELD_NAMES:
        field = obj["fields"][name]
        assert set(field) == {"value", "page", "source", "confidence", "rule"}
        assert field["confidence"] in (None, "facturx", "checked", "labelled", "guessed")
        if field["value"] is None:
            assert field["confidence"] is None
        assert field["rule"] is None or isinstance(field["rule"], str)


def test_human_summary_shows_each_confidence_and_the_values_to_check():
    from dataclasses import replace

    from services.pdf_check.__main__ import human
    from services.pdf_check.report import Field
    from services.pdf_check.rules import uncertain
    from tests.report_fixtures import report_from_labels

    base = report_from_labels(CORPUS / "synthetic" / "inv-006.pdf",
                              issues=(uncertain("total_ttc", found="4 535,33", why="deux montants « Total »"),))
    fields = dict(base.fields,
                  invoice_number=replace(base.fields["invoice_number"], confidence="labelled", rule="label"),
                  total_ht=replace(base.fields["total_ht"], confidence="checked", rule="label+sum"),
                  total_ttc=replace(base.fields["total_ttc"], confidence="guessed", rule="largest"),
                  currency=Field("EUR", source="facturx", confidence="facturx", rule="x-new-rule"),
                  seller_name=Field("Evil\x1b[2J\rCorp\u202e", source="text", confidence="labelled"))
    out = human(replace(base, fields=fields))
    lines = out.splitlines()
    assert lines[0] == "inv-006.pdf : PRÊTE à déposer"
    assert "    invoice_number = 2021-01-342  (lu après son libellé)" in lines
    assert any(line.startswith("    total_ht") and "vérifié par le calcul" in line and "donne bien le TTC" in line
               for line in lines)
    assert any(line.startswith("    total_ttc") and "4535.33  (deviné sans libellé : à vérifier" in line for line in lines)
    assert any(line.startswith("    currency") and "Factur-X ; règle « x-new-rule »" in line for line in lines)
    assert "  À vérifier (lu sans certitude) : le total TTC" in lines
    assert "  - À vérifier : Nous n'avons pas su lire le total TTC avec certitude" in out
    # A PDF's value cannot drive the terminal.
    assert "\x1b" not in out and "\r" not in out and "\u202e" not in out
    assert "Evil\\u001b[2J\\u000dCorp\\u202e" in out
