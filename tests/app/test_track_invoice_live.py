"""/suivre-ma-facture with the live look-up switched on (a ChorusClient on httpx.MockTransport),
the case code keeping the status looked at, and the staff's « Statut d'une facture » tab."""

from __future__ import annotations

from datetime import date

import httpx
import pytest

from ui import chorus_lookup
from services.cases import get_case
from services.chorus_api import ChorusClient
from services.db import create_db_engine, make_session_factory
from services.office import get_office
from tests.app.conftest import open_page, texts
from tests.app.test_staff_page import clean_staff_state, clock, configured, sign_in  # noqa: F401 - fixtures
from tests.services.test_chorus_api import OTHER_SIRET, SETTINGS, SIRET, Clock, FakeChorus, invoice

PAGE = "pages/track_invoice.py"


def use_fake(monkeypatch, fake) -> None:
    client = ChorusClient(SETTINGS, http=httpx.Client(transport=httpx.MockTransport(fake)), clock=Clock())
    monkeypatch.setattr(chorus_lookup, "get_client", lambda: client)


def search(at, siret=SIRET, number="F-2026-117"):
    at.text_input(key="chorus_lookup_siret").input(siret)
    at.text_input(key="chorus_lookup_number").input(number)
    return at.button(key="FormSubmitter:chorus_lookup_form-Chercher ma facture").click().run()


def test_off_without_credentials(app):
    at = open_page(app, PAGE)
    assert not at.exception
    assert not [t for t in at.text_input if t.key == "chorus_lookup_siret"]


def test_found_fills_the_status_and_the_deposit_date(app, monkeypatch):
    use_fake(monkeypatch, FakeChorus([invoice(statut="SUSPENDUE")]))
    at = search(open_page(app, PAGE))
    assert not at.exception
    assert "Chorus Pro indique : **« Suspendue »**" in texts(at)
    assert at.selectbox(key="suivi_status").value == "SUSPENDUE"
    assert "« Suspendue »" in [s.value for s in at.subheader]
    assert at.date_input(key="suivi_deposit").value == date(2026, 10, 17)
    assert "BOULANGERIE" not in texts(at)  # nothing else about the invoice


def test_siret_mismatch_says_no_match_and_the_manual_way(app, monkeypatch):
    use_fake(monkeypatch, FakeChorus([invoice(siret=OTHER_SIRET)]))
    at = search(open_page(app, PAGE))
    assert any("Aucune facture ne correspond" in w.value for w in at.warning)
    assert "Factures émises" in texts(at) and at.get("link_button")
    assert at.text_input(key="chorus_lookup_number").value == "F-2026-117"  # nothing lost


@pytest.mark.parametrize("status, words", [(503, "pas joignable"), (429, "trop de demandes")])
def test_api_errors_get_a_french_message(app, monkeypatch, status, words):
    use_fake(monkeypatch, FakeChorus([invoice()], search_status=status))
    at = search(open_page(app, PAGE))
    assert not at.exception
    assert any(words in e.value for e in at.error)
    assert "ClaudIA" in texts(at)


def test_bad_siret_is_refused_before_any_call(app, monkeypatch):
    fake = FakeChorus([invoice()])
    use_fake(monkeypatch, fake)
    at = search(open_page(app, PAGE), siret="732 829 320 00075")
    assert at.error and not fake.requests


# --- the case code --------------------------------------------------------------------------

@pytest.fixture
def db(db_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", db_url)
    engine = create_db_engine(db_url)
    yield make_session_factory(engine)
    engine.dispose()


def test_case_code_keeps_the_status_looked_at(app, db):
    at = open_page(app, PAGE, statut="REJETEE")
    ask = next(b for b in at.button if b.label.startswith("Au téléphone avec l'office"))
    at = ask.click().run()
    assert not at.exception
    code = at.session_state["case_ref_code"]
    with db() as session:
        case = get_case(session=session, code=code, retention_days=get_office().retention_days)
    assert (case.invoice_status, case.invoice_status_live) == ("REJETEE", False)


def test_a_visit_alone_creates_no_case(app, db):
    at = open_page(app, PAGE, statut="REJETEE")
    assert "case_ref_code" not in at.session_state


# --- staff -----------------------------------------------------------------------------------

def staff_tab(at):
    return next(t for t in at.tabs if t.label == "Statut d'une facture")


def test_staff_tab_explains_how_to_switch_it_on(app):
    at = sign_in(open_page(configured(app), "pages/staff.py"))
    assert "python -m services.chorus_api check" in "\n".join(i.value for i in staff_tab(at).info)


def test_staff_look_up_by_number_shows_the_supplier(app, monkeypatch):
    use_fake(monkeypatch, FakeChorus([invoice(statut="A_RECYCLER")]))
    at = sign_in(open_page(configured(app), "pages/staff.py"))
    at.text_input(key="staff_status_number").input("F-2026-117")
    at = at.button(key="FormSubmitter:staff_status_form-Chercher dans Chorus Pro").click().run()
    assert not at.exception
    shown = texts(at)
    assert "BOULANGERIE DURAND" in shown and SIRET in shown and "« À recycler »" in shown


def test_staff_see_the_status_on_the_case(app, db):
    from services.cases import create_case, record_case_status

    office = get_office()
    with db() as session:
        code = create_case(session=session, retention_days=office.retention_days).code
        record_case_status(session=session, code=code, status="A_RECYCLER", live=True,
                           retention_days=office.retention_days)
    at = sign_in(open_page(configured(app), "pages/staff.py"))
    at.text_input(key="staff_case_code").input(code).run()
    assert not at.exception
    assert "Statut de facture regardé : **« À recycler »** (lu en direct dans Chorus Pro" in texts(at)


def test_staff_look_up_by_siret_alone(app, monkeypatch):
    use_fake(monkeypatch, FakeChorus([invoice(number="A-1"), invoice(number="B-2", siret=OTHER_SIRET)]))
    at = sign_in(open_page(configured(app), "pages/staff.py"))
    at.text_input(key="staff_status_siret").input(SIRET)
    at = at.button(key="FormSubmitter:staff_status_form-Chercher dans Chorus Pro").click().run()
    shown = texts(at)
    assert "**A-1**" in shown and "**B-2**" not in shown
