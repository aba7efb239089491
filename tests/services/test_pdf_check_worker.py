"""The worker pool: a hostile file answers `timeout`/`corrupted` and never hangs the caller."""

import threading

import pytest

from services.office import get_office
from services.pdf_check.worker import CheckerPool
from tests.conftest import CORPUS

FAKE = "tests.services.pdf_check_fakes:misbehave"
INVOICE = CORPUS / "synthetic" / "inv-005.pdf"


@pytest.fixture(scope="module")
def pool():
    # Generous: a loaded 2-core CI machine must not turn a normal file into a timeout.
    with CheckerPool(max_workers=2, timeout_s=8, memory_mb=512, target=FAKE) as p:
        yield p


def test_a_normal_file_is_analysed_in_a_worker(pool):
    report = pool.check(INVOICE.read_bytes(), "inv-005.pdf")
    assert report.verdict == "ready", report.issues
    assert report.fields["invoice_number"].value == "AV-22-566"
    assert pool.stats.last_peak_rss_kib > 0


def test_a_hanging_analysis_is_killed_and_answers_timeout(pool):
    before = pool.stats.killed
    report = pool.check(b"%PDF-sleep", "lent.pdf")
    assert report.verdict == "blocked"
    assert [i.code for i in report.issues] == ["timeout"]
    assert "secondes" in report.issues[0].message
    assert pool.stats.killed == before + 1
    # the pool replaced the worker and still answers
    assert pool.check(INVOICE.read_bytes(), "inv-005.pdf").verdict == "ready"


def test_memory_cap_stops_a_greedy_analysis(pool):
    report = pool.check(b"%PDF-alloc", "gros.pdf")
    assert report.verdict == "blocked"
    assert report.issues[0].code == "timeout"
    assert "mémoire" in report.issues[0].message
    assert pool.check(INVOICE.read_bytes(), "inv-005.pdf").verdict == "ready"


def test_a_crashing_worker_gives_a_report_not_an_exception(pool):
    report = pool.check(b"%PDF-crash", "plante.pdf")
    assert report.verdict == "blocked"
    assert report.issues[0].code == "corrupted"  # a crash of the PDF library: a damaged file to the user
    report = pool.check(b"%PDF-raise", "erreur.pdf")
    assert report.verdict == "blocked"
    assert report.issues[0].code == "corrupted"
    assert pool.check(INVOICE.read_bytes(), "inv-005.pdf").verdict == "ready"


def test_empty_and_oversized_files_are_refused_without_a_worker(pool):
    assert pool.check(b"", "vide.pdf").issues[0].code == "empty_file"
    big = b"%PDF-1.4\n" + b"0" * (get_office().max_pdf_bytes + 1)
    report = pool.check(big, "enorme.pdf")
    assert report.issues[0].code == "too_large"
    assert report.pdf.size_bytes == len(big)


def test_concurrent_users_share_the_bounded_pool(pool):
    data = INVOICE.read_bytes()
    results = []

    def one():
        results.append(pool.check(data, "inv-005.pdf").verdict)

    threads = [threading.Thread(target=one) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == ["ready"] * 6
    alive = [w for w in pool._workers if w.process.is_alive()]
    assert len(alive) == pool.max_workers


def test_workers_never_run_the_parent_main_script(tmp_path):
    """Under Streamlit, `__main__` is the app script; under AppTest, a temporary script.

    multiprocessing would re-run it in each worker: the pool must start workers without it.
    """
    import subprocess
    import sys
    from pathlib import Path

    marker = tmp_path / "main-was-run"
    script = tmp_path / "fake_app.py"
    script.write_text(f"open({str(marker)!r}, 'w').close()\nraise SystemExit('the app script ran in a worker')\n")
    code = f"""
import sys, types
fake = types.ModuleType("__main__")
fake.__file__ = {str(script)!r}
fake.__spec__ = None
sys.modules["__main__"] = fake
from services.pdf_check.worker import CheckerPool
with CheckerPool(max_workers=1, timeout_s=30) as pool:
    report = pool.check(open({str(INVOICE)!r}, "rb").read(), "inv-005.pdf")
print(report.verdict, [i.code for i in report.issues if i.severity == "error"])
"""
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, timeout=120)
    assert out.stdout.strip().startswith("ready"), out.stdout + out.stderr
    assert not marker.exists()
