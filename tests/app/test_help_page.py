"""AppTest of /aide: triage → right channel; callback form → reference and a row (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from sqlalchemy import func, select

from services.db import create_db_engine, make_session_factory
from services.models import CallbackRequest
from services.office import get_office
from services.references import is_reference
from services.support_hours import phone_line_status
from tests.app.conftest import texts


@pytest.fixture
def help_page(app, db_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", db_url)
    app.switch_page("pages/help.py")
    return app.run()


def html_bodies(at) -> str:
    return "\n".join(el.proto.body for el in at.get("html"))


def rows(db_url):
    engine = create_db_engine(db_url)
    try:
        with make_session_factory(engine)() as session:
            return session.scalars(select(CallbackRequest).order_by(CallbackRequest.id)).all()
    finally:
        engine.dispose()


def fill(at, **values):
    defaults = {"name": "Marie Durand", "company": "Boulangerie Durand", "phone": "06 12 34 56 78"}
    for field, value in {**defaults, **values}.items():
        if field == "message":
            at.text_area(key="aide_cb_message").input(value)
        elif field == "consent":
            at.checkbox(key="aide_cb_consent").set_value(value)
        elif field == "topic":
            at.selectbox(key="aide_cb_topic").set_value(value)
        else:
            at.text_input(key=f"aide_cb_{field}").input(value)
    if "consent" not in values:
        at.checkbox(key="aide_cb_consent").check()
    return at


def send(at):
    at.button(key="FormSubmitter:aide_callback_form-Envoyer ma demande de rappel").click()
    return at.run()


def test_page_shows_the_line_and_live_status(help_page):
    assert not help_page.exception
    office = get_office()
    bodies = html_bodies(help_page)
    assert office.phone in bodies and office.tel_link in bodies
    assert phone_line_status(office, datetime.now(timezone.utc)).text in bodies
    assert "du lundi au vendredi, de 9h à 17h" in bodies


@pytest.mark.parametrize("topic,channel,not_channel", [
    ("mot-de-passe", "Le support national de Chorus Pro", "Le service comptabilité de l'office"),
    ("paiement", "Le service comptabilité de l'office", "Le support national de Chorus Pro"),
])
def test_topic_shows_its_fix_and_the_channel_that_owns_it(help_page, topic, channel, not_channel):
    at = help_page.radio(key="aide_topic").set_value(topic).run()
    assert not at.exception
    shown = texts(at)
    assert channel in shown and not_channel not in shown
    assert at.selectbox(key="aide_cb_topic").value == topic  # the form follows the triage
    assert at.query_params["sujet"] == [topic] or at.query_params["sujet"] == topic


def test_guide_links_keep_the_step(help_page):
    at = help_page.radio(key="aide_topic").set_value("destinataire").run()
    links = [(link.proto.page, link.proto.query_string) for link in at.get("page_link")]
    assert any(q == "etape=6" for _, q in links), links


def test_submit_shows_reference_and_saves_one_row(help_page, db_url):
    at = help_page.radio(key="aide_topic").set_value("paiement").run()
    at = send(fill(at, message="<b>Facture F-12</b> **urgent**"))
    assert not at.exception
    bodies = html_bodies(at)
    saved = rows(db_url)
    assert len(saved) == 1
    ref = saved[0].reference
    assert is_reference(ref) and ref in bodies
    assert saved[0].topic == "paiement" and saved[0].phone == "+33612345678"
    # Markup typed in the message comes back as text, never as HTML or Markdown.
    assert "&lt;b&gt;Facture F-12&lt;/b&gt; **urgent**" in bodies
    assert "<b>Facture" not in bodies
    assert "06 12 34 56 78" in texts(at)


def test_a_second_click_on_the_same_form_saves_nothing_new(help_page, db_url):
    at = send(fill(help_page, topic="autre"))
    first = at.session_state["aide_cb_done"].reference
    # The second click of a double click reaches the server after the first one.
    del at.session_state["aide_cb_done"]
    at = send(at.run())
    assert at.session_state["aide_cb_done"].reference == first
    assert len(rows(db_url)) == 1


def test_bad_inputs_get_french_messages_and_keep_what_was_typed(help_page, db_url):
    long_message = "Mon problème est long." * 230  # 5,060 characters
    at = send(fill(help_page, name="", phone="12", siret="73282932000075", email="marie@", topic="autre",
                   message=long_message, consent=False))
    assert not at.exception
    errors = "\n".join(e.value for e in at.error)
    for words in ("Indiquez votre nom", "numéro de téléphone n'existe pas", "n'est pas un SIRET valide",
                  "adresse email n'est pas valide", "5\u202f060 caractères", "Cochez la case"):
        assert words in errors
    assert at.text_input(key="aide_cb_phone").value == "12"
    assert at.text_input(key="aide_cb_siret").value == "73282932000075"
    assert at.text_input(key="aide_cb_company").value == "Boulangerie Durand"
    assert at.text_area(key="aide_cb_message").value == long_message
    assert rows(db_url) == []
    # Fixing the fields sends the same form.
    at.text_input(key="aide_cb_name").input("Marie Durand")
    at.text_input(key="aide_cb_phone").input("0612345678")
    at.text_input(key="aide_cb_siret").input("")
    at.text_input(key="aide_cb_email").input("")
    at.text_area(key="aide_cb_message").input("Court.")
    at.checkbox(key="aide_cb_consent").check()
    at = send(at)
    assert len(rows(db_url)) == 1 and at.session_state["aide_cb_done"]


def test_rate_limit_is_explained(help_page, db_url):
    at = help_page
    for n in range(3):
        at = send(fill(at, topic="autre", message=f"demande {n}"))
        assert at.session_state["aide_cb_done"]
        at.button(key="aide_cb_again").click()
        at = at.run()
    at = send(fill(at, topic="autre", message="une de trop"))
    assert "Vous avez déjà envoyé 3 demandes" in "\n".join(w.value for w in at.warning)
    assert len(rows(db_url)) == 3
    assert at.text_area(key="aide_cb_message").value == "une de trop"


def test_the_address_limit_follows_the_supplier_to_another_server(app, db_url, monkeypatch):
    """A new browser session for each request (the proxy sent the browser to another server, or
    the server restarted): the session limit starts afresh, the address limit does not."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    import services.callbacks as callbacks
    import ui.client

    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setattr(ui.client, "current_client_address", lambda: "203.0.113.7")
    monkeypatch.setattr(callbacks, "ADDRESS_RATE_LIMIT", 2)
    warnings = []
    for n in range(3):
        st.cache_resource.clear()  # nothing in memory carries over from one server to the next
        at = AppTest.from_file(app._script_path, default_timeout=30)
        at.switch_page("pages/help.py").run()
        at = send(fill(at, topic="autre", message=f"demande {n}"))
        warnings.append("\n".join(w.value for w in at.warning))
    assert len(rows(db_url)) == 2
    assert "connexion internet" in warnings[2] and "connexion internet" not in warnings[1]
    assert rows(db_url)[0].address_key not in (None, "203.0.113.7")


def test_home_links_to_help_and_sidebar_shows_status(app, db_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", db_url)
    at = app.run()
    assert not at.exception
    assert any(link.proto.page.endswith("help.py") or "aide" in link.proto.page for link in at.get("page_link"))
    status = phone_line_status(get_office(), datetime.now(timezone.utc)).text
    assert status in html_bodies(at)


def test_kiosk_start_applies_migrations_and_purges(app, fresh_db, monkeypatch):
    from datetime import timedelta

    from services.migrate import current_revision, head_revision, upgrade_to_head

    url = fresh_db()
    upgrade_to_head(url)
    engine = create_db_engine(url)
    try:
        # An old request, past the retention period, and the schema one migration behind.
        old = datetime.now(timezone.utc) - timedelta(days=get_office().retention_days + 3)
        with make_session_factory(engine)() as session:
            session.add(CallbackRequest(reference="ABC-DEF", idempotency_key="old",
                                        client_key="x", name="Ancien", company="Ancienne", phone="+33612345678",
                                        topic="autre", message="", status="new", consent_at=old, created_at=old,
                                        updated_at=old))
            session.commit()
        from services.migrate import downgrade_to
        downgrade_to(url, "0001")
        assert current_revision(engine) == "0001"
        monkeypatch.setenv("DATABASE_URL", url)
        at = app.run()
        assert not at.exception
        assert current_revision(engine) == head_revision()
        with make_session_factory(engine)() as session:
            assert session.scalar(select(func.count()).select_from(CallbackRequest)) == 0
    finally:
        engine.dispose()


def test_database_down_keeps_the_kiosk_and_what_was_typed(app, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://postgres@127.0.0.1:9/absent")
    app.switch_page("pages/help.py")
    at = app.run()
    assert not at.exception  # guides and help still work without a database
    at = send(fill(at, topic="autre", message="Mon message"))
    assert not at.exception
    assert "n'a pas pu être enregistrée" in "\n".join(e.value for e in at.error)
    assert get_office().phone in "\n".join(e.value for e in at.error)
    assert at.text_area(key="aide_cb_message").value == "Mon message"
    assert at.text_input(key="aide_cb_name").value == "Marie Durand"


def test_national_support_topic_says_what_the_office_can_do(help_page):
    at = help_page.radio(key="aide_topic").set_value("email-activation").run()
    assert "L'office ne peut pas agir sur votre compte Chorus Pro" in "\n".join(i.value for i in at.info)
    at = at.radio(key="aide_topic").set_value("paiement").run()
    assert not at.info


def test_a_supplier_with_a_case_code_gets_it_linked_to_the_callback(help_page, db_url):
    """The code the guides gave the supplier follows the callback, for the staff's queue."""
    from services.callbacks import callback_queue
    from services.cases import create_case
    from services.db import create_db_engine
    from sqlalchemy.orm import Session

    office = get_office()
    engine = create_db_engine(db_url)
    try:
        with Session(engine) as session:
            case = create_case(session=session, retention_days=office.retention_days,
                               guide_slug="creer-mon-compte", guide_step=2)
        help_page.session_state["case_ref_code"] = case.code
        at = send(fill(help_page, topic="autre"))
        assert not at.exception
        with Session(engine) as session:
            (view,) = callback_queue(session=session)
        assert view.case_code == case.code
    finally:
        engine.dispose()


def test_what_was_typed_survives_a_visit_to_another_page(help_page, db_url):
    """A supplier told their SIRET is wrong goes to check it in the account guide, then comes back."""
    at = send(fill(help_page, topic="autre", siret="123", message="Facture F-12 bloquée"))
    assert any("SIRET" in e.value for e in at.error)
    at = at.switch_page("pages/account_guide.py").run()
    at = at.switch_page("pages/help.py").run()
    assert at.text_input(key="aide_cb_name").value == "Marie Durand"
    assert at.text_input(key="aide_cb_siret").value == "123"
    assert at.text_area(key="aide_cb_message").value == "Facture F-12 bloquée"
    assert rows(db_url) == []
