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
