"""AppTest of /suivre-ma-facture: every status, the ?statut= deep link, the payment calculator
and its bad input (a clear French message, nothing lost), and the links that lead here."""

from __future__ import annotations

import html

from datetime import date, datetime, timedelta

import pytest

from services.invoice_status import load_statuses
from services.office import get_office
from tests.app.conftest import open_page, texts

PAGE = "pages/track_invoice.py"
OFFICE = get_office()
GUIDE = load_statuses(OFFICE)


def today() -> date:
    return datetime.now(OFFICE.tz).date()


def html_bodies(at) -> str:
    return "\n".join(el.proto.body for el in at.get("html"))


@pytest.mark.parametrize("code", GUIDE.codes)
def test_every_status_by_deep_link(app, code):
    at = open_page(app, PAGE, statut=code)
    assert not at.exception
    status = GUIDE.get(code)
    assert at.selectbox(key="suivi_status").value == code
    assert f"« {status.label} »" in [s.value for s in at.subheader]
    body = texts(at)
    assert status.meaning.split(".")[0] in body
    assert html.escape(GUIDE.actor_label(status)) in html_bodies(at)
    assert 'class="current"' in html_bodies(at)
    if status.supplier_acts:
        assert "Ce que vous devez faire" in body and "1." in body


def test_deep_link_takes_a_label_too(app):
    at = open_page(app, PAGE, statut="à recycler")
    assert at.selectbox(key="suivi_status").value == "A_RECYCLER"


def test_unknown_status_link_is_not_echoed(app):
    at = open_page(app, PAGE, statut="<b>PIRATE</b>")
    assert not at.exception
    assert "n'existe pas" in texts(at)
    assert "PIRATE" not in texts(at)
    assert at.selectbox(key="suivi_status").value is None


def test_picking_a_status_updates_the_link(app):
    at = open_page(app, PAGE)
    assert not at.subheader
    at.selectbox(key="suivi_status").set_value("SUSPENDUE").run()
    assert at.query_params["statut"] == ["SUSPENDUE"] or at.query_params["statut"] == "SUSPENDUE"
    assert "« Suspendue »" in [s.value for s in at.subheader]


def test_urgent_statuses_come_first_in_the_list(app):
    at = open_page(app, PAGE)
    assert at.selectbox(key="suivi_status").options[:3] == ["À recycler", "Suspendue", "Rejetée"]


# --- the payment calculator ---------------------------------------------------------------

def calculator(app):
    return open_page(app, PAGE)


def test_on_time_invoice_shows_the_deadline(app):
    at = calculator(app)
    deposit = today() - timedelta(days=10)
    at.date_input(key="suivi_deposit").set_value(deposit).run()
    assert not at.exception
    due = deposit + timedelta(days=30)
    body = texts(at)
    assert "Date limite de paiement" in body
    assert "il reste 20 jours" in body
    assert str(due.year) in body


def test_late_invoice_shows_interest_indemnity_and_a_message(app):
    at = calculator(app)
    at.date_input(key="suivi_deposit").set_value(today() - timedelta(days=45)).run()
    assert "dépassé de **15 jours**" in texts(at)
    at.text_input(key="suivi_amount").input("2 400,00").run()
    at.text_input(key="suivi_number").input("F-2026-117").run()
    body = texts(at)
    assert not at.exception
    assert "Intérêts de retard" in body and "40,00" in body
    message = at.code[0].value
    assert "F-2026-117" in message and "Bonjour" in message


def test_paid_late_shows_interest_without_message(app):
    at = calculator(app)
    at.date_input(key="suivi_deposit").set_value(today() - timedelta(days=90)).run()
    at.checkbox(key="suivi_paid").check().run()
    at.date_input(key="suivi_paid_on").set_value(today() - timedelta(days=50)).run()
    at.text_input(key="suivi_amount").input("1000").run()
    body = texts(at)
    assert "dépassé de **10 jours**" in body and "au jour du paiement" in body
    assert not at.code


def test_future_deposit_date_gets_a_message_and_keeps_the_input(app):
    at = calculator(app)
    future = today() + timedelta(days=3)
    at.text_input(key="suivi_amount").input("500").run()
    at.date_input(key="suivi_deposit").set_value(future).run()
    assert not at.exception
    assert any("futur" in e.value for e in at.error)
    assert at.date_input(key="suivi_deposit").value == future
    assert at.text_input(key="suivi_amount").value == "500"


def test_suspension_before_the_invoice_gets_a_message(app):
    at = calculator(app)
    deposit = today() - timedelta(days=20)
    at.date_input(key="suivi_deposit").set_value(deposit).run()
    at.checkbox(key="suivi_suspended").check().run()
    at.date_input(key="suivi_suspended_on").set_value(deposit - timedelta(days=5)).run()
    assert any("avant le dépôt" in e.value for e in at.error)
    assert at.date_input(key="suivi_deposit").value == deposit


def test_payment_before_the_invoice_gets_a_message(app):
    at = calculator(app)
    deposit = today() - timedelta(days=20)
    at.date_input(key="suivi_deposit").set_value(deposit).run()
    at.checkbox(key="suivi_paid").check().run()
    at.date_input(key="suivi_paid_on").set_value(deposit - timedelta(days=1)).run()
    assert any("avant le dépôt" in e.value for e in at.error)


def test_suspended_and_not_completed_says_the_delay_is_stopped(app):
    at = calculator(app)
    deposit = today() - timedelta(days=20)
    at.date_input(key="suivi_deposit").set_value(deposit).run()
    at.checkbox(key="suivi_suspended").check().run()
    at.date_input(key="suivi_suspended_on").set_value(deposit + timedelta(days=5)).run()
    assert "délai de paiement est arrêté" in texts(at)
    at.date_input(key="suivi_completed_on").set_value(deposit + timedelta(days=10)).run()
    assert "Nouveau délai de 30 jours" in texts(at)


@pytest.mark.parametrize("typed, words", [("-250", "négatif"), ("deux cents", "n'est pas un montant")])
def test_bad_amount_gets_a_message_and_keeps_everything(app, typed, words):
    at = calculator(app)
    deposit = today() - timedelta(days=60)
    at.date_input(key="suivi_deposit").set_value(deposit).run()
    at.text_input(key="suivi_number").input("F-1").run()
    at.text_input(key="suivi_amount").input(typed).run()
    assert not at.exception
    assert any(words in e.value for e in at.error)
    assert at.text_input(key="suivi_amount").value == typed
    assert at.text_input(key="suivi_number").value == "F-1"
    assert at.date_input(key="suivi_deposit").value == deposit


def test_sources_are_cited(app):
    at = calculator(app)
    body = texts(at)
    assert "R. 2192-10" in body and "D. 2192-35" in body and "BCE" in body


# --- the ways in ----------------------------------------------------------------------------

def _links(at) -> list[str]:
    """URL paths of the page links in the main area (not the sidebar)."""
    return [link.proto.page for link in at.main.get("page_link")]


def test_home_links_here(app):
    at = app.run()
    assert "suivre-ma-facture" in _links(at)


def test_aide_payment_topic_links_here(app):
    at = open_page(app, "pages/help.py", sujet="paiement")
    assert "suivre-ma-facture" in _links(at)


def test_end_of_the_deposit_guide_links_here(app):
    at = open_page(app, "pages/deposit_guide.py", etape="8")
    assert "suivre-ma-facture" in _links(at)


def test_what_was_typed_survives_a_visit_to_another_page(app):
    at = calculator(app)
    deposit = today() - timedelta(days=45)
    at.date_input(key="suivi_deposit").set_value(deposit).run()
    at.text_input(key="suivi_amount").input("1 000").run()
    at = at.switch_page("pages/home.py").run()
    at = at.switch_page(PAGE).run()
    assert at.date_input(key="suivi_deposit").value == deposit
    assert at.text_input(key="suivi_amount").value == "1 000"
    assert "Intérêts de retard" in texts(at)
