"""check_invoice: the pool's answer becomes a report with its page pictures, whatever goes wrong."""

from __future__ import annotations

from services import invoice_check
from services.invoice_check import CheckResult, check_invoice
from tests.report_fixtures import SYNTHETIC, FakePool, blocked_report, report_from_labels


def test_a_worker_result_is_passed_through_untouched():
    report = blocked_report("timeout")
    result = CheckResult(report, ())
    assert check_invoice(FakePool(result), b"%PDF", "f.pdf") is result


def test_a_bare_report_gets_its_pages_drawn():
    path = SYNTHETIC / "inv-006.pdf"
    result = check_invoice(FakePool(report_from_labels(path)), path.read_bytes(), path.name)
    assert [p.page for p in result.previews] == [1]
    assert result.previews[0].png.startswith(b"\x89PNG")


def test_a_refused_file_has_no_picture():
    result = check_invoice(FakePool(blocked_report("too_large", size=11 * 2**20)), b"x" * 10, "big.pdf")
    assert result.previews == ()
    assert result.report.issues[0].code == "too_large"


def test_a_picture_that_fails_does_not_hide_the_report(monkeypatch):
    def broken(data, report):
        raise ValueError("bad page")

    monkeypatch.setattr(invoice_check, "render_previews", broken)
    path = SYNTHETIC / "inv-006.pdf"
    report = report_from_labels(path)
    result = check_invoice(FakePool(report), path.read_bytes(), path.name)
    assert result.report is report and result.previews == ()


def test_the_worker_draws_the_pictures_and_refuses_bad_files_without_them():
    from services.invoice_check import WORKER_TARGET
    from services.pdf_check.worker import CheckerPool

    path = SYNTHETIC / "inv-006.pdf"
    with CheckerPool(max_workers=1, target=WORKER_TARGET) as pool:
        answer = pool.check(path.read_bytes(), path.name)
        assert isinstance(answer, CheckResult)  # drawn inside the worker, under its limits
        assert answer.report.verdict == "ready" and [p.page for p in answer.previews] == [1]
        refused = check_invoice(pool, b"", "vide.pdf")
    assert refused.report.issues[0].code == "empty_file" and refused.previews == ()
