"""The supplier's case code on the guides and the checker page: created on the first move or
check (never for a visit), following the step with throttled writes, sharing the page picture
only when ticked. Every test runs on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import select

import ui.case_ref as case_ref
import ui.checker_view as checker_view
from services.db import create_db_engine, make_session_factory
from services.models import Case, CheckEvent, CheckEventIssue
from services.references import parse_reference
from tests.app.conftest import open_page
from tests.report_fixtures import SYNTHETIC, FakePool, issue, report_from_labels

GUIDE = "pages/deposit_guide.py"
CHECKER = "pages/invoice_check.py"


class FakeClock:
    def __init__(self):
        self.now = 1_000.0

    def __call__(self):
        return self.now


@pytest.fixture
def clock(monkeypatch):
    fake = FakeClock()
    monkeypatch.setattr(case_ref, "clock", fake)
    return fake


@pytest.fixture
def db(db_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", db_url)
    engine = create_db_engine(db_url)
    yield make_session_factory(engine)
    engine.dispose()


def cases(db) -> list[Case]:
    with db() as session:
        return list(session.scalars(select(Case)))


def shown_code(at) -> str | None:
    for el in at.get("html"):
        if "case-ref-code" in el.proto.body:
            assert "Donnez ce code à la personne au téléphone" in el.proto.body
            start = el.proto.body.index('data-case-code="') + len('data-case-code="')
            return el.proto.body[start:start + 7]
    return None


def next_step(at):
    return at.button(key="guide_deposer-une-facture_step_next").click().run()


def test_a_visit_creates_nothing_the_first_move_creates_the_case(app, db, clock):
    at = open_page(app, GUIDE)
    assert not at.exception
    assert shown_code(at) is None and cases(db) == []
    at = at.run()  # reruns (a widget, a refresh) are still just a visit
    assert cases(db) == []
    at = next_step(at)
    code = shown_code(at)
    assert code and parse_reference(code) == code
    assert at.session_state["case_ref_code"] == code
    [row] = cases(db)
    assert (row.code, row.guide_slug, row.guide_step) == (code, "deposer-une-facture", 2)


def test_quick_clicks_are_coalesced_then_the_last_step_is_written(app, db, clock):
    at = next_step(open_page(app, GUIDE))  # creates the case at step 2
    clock.now += 0.3
    at = next_step(at)  # step 3: too soon, kept for later
    clock.now += 0.3
    at = next_step(at)  # step 4
    assert [c.guide_step for c in cases(db)] == [2]
    clock.now += 2.5
    at = at.run()  # the next run (or the small timer) writes the newest step
    assert [c.guide_step for c in cases(db)] == [4]
    clock.now += 5
    at = at.button(key="guide_deposer-une-facture_step_prev").click().run()  # late enough: written at once
    assert [c.guide_step for c in cases(db)] == [3]
    assert len(cases(db)) == 1 and shown_code(at) == cases(db)[0].code


def test_asking_for_a_code_on_the_first_screen(app, db, clock):
    at = open_page(app, GUIDE)
    at = at.button(key="case_ref_deposer-une-facture_ask").click().run()
    code = shown_code(at)
    assert code
    [row] = cases(db)
    assert (row.code, row.guide_step) == (code, 1)
    at = at.run()
    assert shown_code(at) == code and len(cases(db)) == 1  # one case per session


def test_guide_keeps_working_without_a_database(app, monkeypatch, clock):
    monkeypatch.setenv("DATABASE_URL", "postgresql://postgres@127.0.0.1:9/absent")
    at = next_step(open_page(app, GUIDE))
    assert not at.exception
    assert "Étape 2" in at.header[0].value
    assert shown_code(at) is None
    assert any("Code dossier indisponible" in c.value for c in at.caption)


@pytest.fixture
def fake_pool(monkeypatch):
    pool = FakePool(None)
    monkeypatch.setattr(checker_view, "get_checker_pool", lambda: pool)
    return pool


def test_check_records_an_anonymous_event_and_fills_the_case(app, db, clock, fake_pool):
    path = SYNTHETIC / "inv-006.pdf"
    fake_pool.answer = report_from_labels(path, file_name="facture-secrète.pdf",
                                          issues=(issue("missing_date"), issue("invalid_vat", "warning")))
    at = open_page(app, CHECKER)
    assert shown_code(at) is None and cases(db) == []
    at.file_uploader[0].set_value(("facture-secrète.pdf", path.read_bytes(), "application/pdf"))
    at = at.run()
    assert not at.exception, at.exception
    code = shown_code(at)
    assert code
    [row] = cases(db)
    assert row.code == code and row.last_report["verdict"] == fake_pool.answer.verdict
    assert row.last_report["fields"]["invoice_number"]["value"]
    assert not row.consent
    with db() as session:
        assert session.scalar(select(Case.page_image)) is None  # not shared: not kept
        events = list(session.scalars(select(CheckEvent)))
        codes = sorted(session.scalars(select(CheckEventIssue.code)))
    assert len(events) == 1 and codes == ["invalid_vat", "missing_date"]

    at = at.run()  # a rerun does not count the same check twice
    with db() as session:
        assert len(list(session.scalars(select(CheckEvent)))) == 1

    at.checkbox(key=case_ref.SHARE_KEY).check().run()
    with db() as session:
        image = session.scalar(select(Case.page_image))
        assert session.scalar(select(Case.consent))
    assert image and image.startswith(b"\x89PNG")
    at.checkbox(key=case_ref.SHARE_KEY).uncheck().run()
    with db() as session:
        assert session.scalar(select(Case.page_image)) is None
