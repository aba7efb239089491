"""/agents, phone support: a supplier's case by its code, the callback queue, the numbers.
Nothing of it shows before sign-in. Every test runs on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pyarrow as pa

import pytest
from sqlalchemy import select

from services.callbacks import CallbackForm, create_callback, get_callback
from services.cases import create_case, move_case, report_to_json, save_case_report
from services.db import create_db_engine, make_session_factory
from services.models import CallbackRequest, Case
from services.office import get_office
from services.stats import record_check_event
from tests.app.conftest import open_page, texts
from tests.app.test_staff_page import clean_staff_state, clock, configured, sign_in  # noqa: F401 - fixtures
from tests.services.test_cases import PNG, make_report

PAGE = "pages/staff.py"
SECRET_NAME = "Gisèle Confidentielle"


@pytest.fixture
def db(db_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", db_url)
    engine = create_db_engine(db_url)
    yield make_session_factory(engine)
    engine.dispose()


def seed_case(db, *, step=4, image=True) -> str:
    office = get_office()
    with db() as session:
        code = create_case(session=session, retention_days=office.retention_days,
                           guide_slug="deposer-une-facture", guide_step=step).code
        save_case_report(session=session, code=code, report=report_to_json(make_report()), image=PNG if image else None,
                         consent=image, retention_days=office.retention_days)
    return code


def seed_callback(db, message, *, name=SECRET_NAME, created=None, case_code=None) -> str:
    office = get_office()
    with db() as session:
        outcome = create_callback(
            session=session, request=CallbackForm(name=name, company="SARL Secrète", phone="0612345678",
                                                  topic="autre", message=message, consent=True),
            idempotency_key=message, client_key=message, office=office, topics={"autre"},
            now=created or datetime.now(timezone.utc), case_code=case_code)
    return outcome.callback.reference


def staff_page(app):
    return sign_in(open_page(configured(app), PAGE))


def tab(at, label):
    return next(t for t in at.tabs if t.label == label)


def all_text(at) -> str:
    return texts(at) + "\n".join(t.label for t in at.tabs)


# --- access control -------------------------------------------------------------------------

@pytest.mark.parametrize("configure", [True, False], ids=["sign-in form", "not configured"])
def test_nothing_personal_before_sign_in(app, db, configure):
    code = seed_case(db)
    reference = seed_callback(db, "Mon message privé")
    with db() as session:
        record_check_event(session=session, report={"verdict": "ready", "issues": []})
    at = open_page(configured(app) if configure else app, PAGE)
    assert not at.exception
    shown = all_text(at)
    for secret in (code, reference, SECRET_NAME, "Mon message privé", "Dossier d'un fournisseur", "Rappels demandés",
                   "Chiffres", "F-2026-001"):
        assert secret not in shown
    assert not at.tabs and not at.get("download_button") and not at.get("vega_lite_chart")
    assert not [t for t in at.text_input if t.key == "staff_case_code"]
    assert not at.get("image")
    # even with the code typed into the session by hand, nothing is drawn
    at.session_state["staff_case_code"] = code
    at = at.run()
    assert code not in all_text(at) and "F-2026-001" not in all_text(at)


# --- « Dossier d'un fournisseur » ------------------------------------------------------------

def test_case_opened_by_its_code_shows_what_the_supplier_sees(app, db):
    code = seed_case(db, step=4)
    at = staff_page(app)
    assert [t.label for t in at.tabs][:3] == ["Dossier d'un fournisseur", "Rappels demandés", "Chiffres"]
    at.text_input(key="staff_case_code").input(" " + code.lower().replace("-", " ")).run()
    assert not at.exception
    shown = texts(at)
    assert f"Dossier {code}" in shown
    assert "étape **4 sur 8**" in shown  # the deposit guide's step
    links = [(link.proto.label, link.proto.query_string) for link in tab(at, "Dossier d'un fournisseur").get("page_link")]
    assert any(label.startswith("Ouvrir cette étape") and "etape=4" in query for label, query in links)
    assert "À corriger avant de déposer" in shown  # the verdict banner, as on the checker page
    assert "F-2026-001" in shown  # the field read on the invoice, in the form mock-up
    assert "Comment avons-nous lu ces valeurs ?" in [e.label for e in at.expander]  # as the supplier sees it
    assert "La date manque" in shown and "TVA fausse" in shown  # the issues
    assert len(tab(at, "Dossier d'un fournisseur").get("image")) == 1  # the shared picture


def test_case_without_consent_shows_no_picture(app, db):
    code = seed_case(db, image=False)
    at = staff_page(app)
    at.text_input(key="staff_case_code").input(code).run()
    assert not tab(at, "Dossier d'un fournisseur").get("image")
    assert "n'a pas partagé l'image" in texts(at)


def test_refresh_shows_the_new_step(app, db):
    code = seed_case(db, step=2)
    at = staff_page(app)
    at.text_input(key="staff_case_code").input(code).run()
    assert "étape **2 sur 8**" in texts(at)
    with db() as session:  # the supplier moves on, in their own browser
        move_case(session=session, code=code, guide_slug="creer-mon-compte", guide_step=5,
                  retention_days=get_office().retention_days)
    at = at.button(key="staff_case_refresh").click().run()
    assert not at.exception
    assert "étape **5 sur" in texts(at) and "Créer" in texts(at)


@pytest.mark.parametrize("typed, message", [
    ("ZZZ-ZZZ", "Aucun dossier ne porte le code ZZZ-ZZZ"),
    ("k7f-0o1", "n'a pas la bonne forme"),
    ("12", "n'a pas la bonne forme"),
])
def test_unknown_or_malformed_code_is_explained(app, db, typed, message):
    at = staff_page(app)
    at.text_input(key="staff_case_code").input(typed).run()
    assert not at.exception
    assert message in texts(at)
    assert at.text_input(key="staff_case_code").value == typed  # what was typed stays


def test_expired_case_is_not_shown(app, db):
    office = get_office()
    with db() as session:
        code = create_case(session=session, retention_days=office.retention_days,
                           now=datetime.now(timezone.utc) - timedelta(days=office.retention_days + 1)).code
    at = staff_page(app)
    at.text_input(key="staff_case_code").input(code).run()
    assert f"Aucun dossier ne porte le code {code}" in texts(at) and "expiré" in texts(at)


# --- « Rappels demandés » ------------------------------------------------------------------

def test_callback_queue_mark_called_then_resolved_with_a_note(app, db):
    now = datetime.now(timezone.utc)
    old = seed_callback(db, "ancienne", name="Anne Ancienne", created=now - timedelta(hours=5))
    new = seed_callback(db, "récente", name="Rémi Récent", created=now - timedelta(minutes=5))
    at = staff_page(app)
    queue = tab(at, "Rappels demandés")
    shown = texts(at)
    assert shown.index("Anne Ancienne") < shown.index("Rémi Récent")  # waiting longest on top
    assert "2 demandes" in shown
    csv_button = next(b for b in at.get("download_button") if b.key == "staff_cb_csv")
    assert not csv_button.proto.disabled and csv_button.proto.label == "Exporter en CSV"
    assert queue

    at.text_area(key=f"staff_cb_note_{old}").input("Pas de réponse, messagerie").run()
    at = at.button(key=f"staff_cb_called_{old}").click().run()
    assert not at.exception
    assert f"Demande {old} : « Rappelé »." in [s.value for s in at.success]
    with db() as session:
        row = get_callback(session=session, reference=old)
    assert row.status == "called" and row.staff_note == "Pas de réponse, messagerie" and row.handled_at

    at = at.button(key=f"staff_cb_resolved_{old}").click().run()
    with db() as session:
        assert get_callback(session=session, reference=old).status == "resolved"
    # the default filter (new + called) now shows only the other one
    assert "Anne Ancienne" not in texts(at) and "Rémi Récent" in texts(at)
    at.multiselect(key="staff_cb_filter").set_value(["resolved"]).run()
    assert "Anne Ancienne" in texts(at) and "Rémi Récent" not in texts(at)
    assert "Pas de réponse, messagerie" in [t.value for t in at.text_area]
    # nothing was deleted
    with db() as session:
        assert len(session.scalars(select(CallbackRequest)).all()) == 2
    assert new


def test_the_queue_names_the_suppliers_case(app, db):
    from services.cases import create_case

    with db() as session:
        case = create_case(session=session, retention_days=get_office().retention_days,
                           guide_slug="deposer-une-facture", guide_step=6)
    seed_callback(db, "avec dossier", case_code=case.code)
    at = staff_page(app)
    tab(at, "Rappels demandés")
    assert f"Dossier du fournisseur : **{case.code}**" in texts(at)


def test_hostile_callback_text_is_shown_as_text(app, db):
    seed_callback(db, "**gras** <script>alert(1)</script> [lien](http://x)", name="<b>Zoé</b>")
    at = staff_page(app)
    shown = texts(at)
    assert "\\<script\\>" in shown or "&lt;script" in shown
    assert "[lien](http://x)" not in shown and "<b>Zoé</b>" not in shown


# --- « Chiffres » -----------------------------------------------------------------------------

def test_numbers_tab_draws_charts(app, db):
    with db() as session:
        for verdict, codes in (("ready", ()), ("fix_needed", ("missing_date",)), ("fix_needed", ("missing_date",))):
            record_check_event(session=session, report={"verdict": verdict,
                                                         "issues": [{"code": c, "severity": "error"} for c in codes]})
    ref = seed_callback(db, "x")
    at = staff_page(app)
    numbers = tab(at, "Chiffres")
    metrics = {m.label: m.value for m in numbers.metric}
    assert metrics["Factures vérifiées"] == "3" and metrics["Rappels demandés"] == "1"
    charts = numbers.get("vega_lite_chart")
    assert len(charts) >= 4
    drawn = {json.loads(c.proto.spec).get("title"): pa.ipc.open_stream(c.proto.data.data).read_all().to_pylist()
             for c in charts}
    assert sum(row["Vérifications"] for row in drawn["Vérifications par semaine"]) == 3
    assert {row["Résultat"]: row["Factures"] for row in drawn["Résultats des vérifications"]} == {
        "Prête": 1, "À corriger": 2, "Bloquée": 0}
    assert drawn["Problèmes trouvés (nombre de factures)"][0]["Problème"] == "Date absente"
    assert sum(row["Demandes"] for row in drawn["Demandes de rappel par semaine"]) == 1
    assert ref


def test_idle_expiry_hides_the_case_even_from_the_auto_refresh(app, db, clock):
    code = seed_case(db)
    at = staff_page(app)
    at.text_input(key="staff_case_code").input(code).run()
    assert f"Dossier {code}" in texts(at)
    clock.now += 31 * 60  # nobody touched the screen for longer than idle_minutes
    at = at.button(key="staff_case_refresh").click().run()
    assert not at.exception
    assert code not in all_text(at) and "F-2026-001" not in all_text(at)
    assert at.text_input(key="staff_login_password")  # back to the sign-in form


def test_refresh_guard_of_the_live_view(clock):
    """The 5-second refresh runs without the page's gate: it asks staff_still_signed_in first."""
    from streamlit.testing.v1 import AppTest

    def script():
        import streamlit as st

        from services.staff_auth import start_session
        from ui import staff_login
        from ui.staff_cases import staff_still_signed_in

        if "started" not in st.session_state:
            st.session_state["started"] = True
            st.session_state[staff_login.SESSION_KEY] = start_session("carpentier", "password", staff_login.clock())
        st.write(f"alive={staff_still_signed_in(refreshed=st.session_state.get('refresh', False))}")

    at = AppTest.from_function(script).run()
    assert at.markdown[0].value == "alive=True"
    clock.now += 20 * 60
    at.session_state["refresh"] = True  # a click on « Actualiser » is activity
    assert at.run().markdown[0].value == "alive=True"
    clock.now += 20 * 60  # 20 min after that click: still within 30
    at.session_state["refresh"] = False
    assert at.run().markdown[0].value == "alive=True"
    clock.now += 11 * 60  # 31 min without a click: the auto-refresh alone does not keep it open
    assert at.run().markdown[0].value == "alive=False"
    del at.session_state[staff_login_key()]
    assert at.run().markdown[0].value == "alive=False"


def staff_login_key() -> str:
    from ui import staff_login

    return staff_login.SESSION_KEY


def test_a_database_outage_gets_a_french_message_in_each_tab(app, db, monkeypatch):
    at = staff_page(app)

    def down():
        raise RuntimeError("connection refused")

    monkeypatch.setattr("ui.db.get_database", down)
    at = at.run()
    assert not at.exception
    errors = [e.value for e in at.error]
    for what in ("les dossiers", "les rappels", "les chiffres"):
        assert f"La base de données ne répond pas : {what} ne peuvent pas être affichés." in errors
