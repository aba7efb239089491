"""benchmarks/bench_load.py in a tiny configuration, so that it cannot rot (the figures are
the benchmark's business, not this test's)."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.e2e, pytest.mark.postgres]


def test_two_suppliers_for_a_few_seconds(postgres_server):
    run = subprocess.run([sys.executable, "benchmarks/bench_load.py", "--users", "2", "--seconds", "4",
                          "--servers", "1", "--check-every", "2", "--think", "1", "--idle-views", "3"],
                         cwd=ROOT, capture_output=True, text=True, timeout=180)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "errors 0" in run.stdout and "checks" in run.stdout
