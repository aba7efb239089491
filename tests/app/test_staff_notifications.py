"""/agents shows each request's e-mails (sent, waiting, retrying, failed) and sends one again;
says when notifications are off; opens the request named by the e-mail's link."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from services.callbacks import CallbackForm, create_callback
from services.models import OutboxMessage
from services.notify.config import SmtpConfig
from services.notify.sender import Sender
from services.office import get_office
from tests.app.conftest import open_page, texts
from tests.app.test_staff_page import clean_staff_state, clock, configured, sign_in  # noqa: F401 - fixtures
from tests.app.test_staff_phone_support import db  # noqa: F401 - fixture
from tests.smtp_server import SmtpTestServer

PAGE = "pages/staff.py"
SUPPLIER = "refuse@fournisseur.example"


@pytest.fixture(autouse=True)
def no_mail_server(monkeypatch):
    for name in ("KIOSK_SMTP_HOST", "KIOSK_SMTP_PORT", "KIOSK_SMTP_USER", "KIOSK_SMTP_PASSWORD", "KIOSK_SMTP_TLS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("KIOSK_BACKGROUND_SENDER", "0")  # the tests drive the sender themselves


def seed(db, message: str, email: str = SUPPLIER) -> str:
    with db() as session:
        outcome = create_callback(
            session=session, request=CallbackForm(name="Paul Martin", company="SARL Été", phone="0612345678",
                                                  email=email, topic="autre", message=message, consent=True),
            idempotency_key=message, client_key=message, office=get_office(), topics={"autre"},
            now=datetime.now(timezone.utc))
    return outcome.callback.reference


def staff_page(app, **query):
    return sign_in(open_page(configured(app), PAGE, **query))


def test_without_a_mail_server_staff_are_told_and_messages_wait(app, db):
    seed(db, "une demande")
    at = staff_page(app)
    assert not at.exception
    warning = " ".join(w.value for w in at.warning)
    assert "notifications par e-mail sont désactivées" in warning and "2 messages en attente" in warning
    shown = texts(at)
    assert shown.count("En attente d'envoi") == 2
    assert "E-mail à l'équipe" in shown and "Confirmation au fournisseur" in shown


def test_delivery_states_and_sending_a_failed_message_again(app, db, monkeypatch):
    reference = seed(db, "adresse refusée")
    with SmtpTestServer() as server:
        server.refuse(SUPPLIER)
        Sender(db, get_office(), SmtpConfig("127.0.0.1", server.port, tls="none", timeout=5), digests=False).run_once()
        monkeypatch.setenv("KIOSK_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("KIOSK_SMTP_PORT", str(server.port))
        monkeypatch.setenv("KIOSK_SMTP_TLS", "none")
        at = staff_page(app)
        assert not at.exception
        shown = texts(at)
        assert "Envoyé" in shown and "Échec" in shown and "550" in shown and "User unknown" in shown
        assert "1 en échec" in " ".join(w.value for w in at.warning)
        with db() as session:
            failed = session.scalars(select(OutboxMessage).where(OutboxMessage.status == "failed")).one()
        at = at.button(key=f"staff_msg_resend_{failed.id}").click().run()
        assert not at.exception
        assert "Confirmation au fournisseur : renvoi demandé, il part dans un instant." in [s.value for s in at.success]
        with db() as session:
            assert session.get(OutboxMessage, failed.id).status == "pending"
        server.accept_all()
        Sender(db, get_office(), SmtpConfig("127.0.0.1", server.port, tls="none", timeout=5), digests=False).run_once()
        at = at.run()
        assert "Échec" not in texts(at) and texts(at).count("Envoyé") == 2
        assert reference in texts(at)


def test_a_retrying_message_shows_its_last_error(app, db):
    seed(db, "serveur absent", email="")
    from tests.smtp_server import free_port

    Sender(db, get_office(), SmtpConfig("127.0.0.1", free_port(), tls="none", timeout=5), digests=False).run_once()
    at = staff_page(app)
    shown = texts(at)
    assert "Nouvel essai à" in shown and "ne répond pas" in shown and "1 essai" in shown


def test_the_link_in_the_team_mail_opens_that_request(app, db):
    first = seed(db, "première")
    wanted = seed(db, "celle du lien")
    at = staff_page(app, rappel=wanted.lower().replace("-", " "))
    assert not at.exception
    assert f"Demande {wanted}" in [s.value for s in at.subheader]
    shown = texts(at)
    assert shown.index(wanted) < shown.index(first)
    assert shown.count("celle du lien") == 1  # drawn once, above the list
    at = at.button(key="staff_cb_all").click().run()
    assert f"Demande {wanted}" not in [s.value for s in at.subheader]


@pytest.mark.parametrize("value", ["<script>alert(1)</script>", "K7F-42Q"])
def test_a_crafted_or_gone_link_is_never_echoed(app, db, value):
    at = staff_page(app, rappel=value)
    assert not at.exception
    if value == "K7F-42Q":  # a well-formed reference, purged since: said, in its canonical form
        assert "La demande K7F-42Q n'existe plus" in " ".join(w.value for w in at.warning)
    else:  # not a reference at all: ignored, never shown back
        assert "alert(1)" not in texts(at)
        assert not [s for s in at.subheader if s.value.startswith("Demande")]
