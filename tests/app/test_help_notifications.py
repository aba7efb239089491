"""/aide: a callback request saves its e-mails with it, and the receipt says a confirmation is on
its way (SQLite and PostgreSQL)."""

from __future__ import annotations

from sqlalchemy import select

from services.db import create_db_engine, make_session_factory
from services.models import CallbackRequest, OutboxMessage
from services.office import get_office
from tests.app.conftest import texts
from tests.app.test_help_page import fill, help_page, send  # noqa: F401 - fixture


def saved(db_url):
    engine = create_db_engine(db_url)
    try:
        with make_session_factory(engine)() as session:
            return (session.scalars(select(CallbackRequest)).all(),
                    session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all())
    finally:
        engine.dispose()


def test_the_request_and_its_two_mails_are_saved_together(help_page, db_url):
    at = help_page.radio(key="aide_topic").set_value("paiement").run()
    at = send(fill(at, email="marie@boulangerie.example", message="Facture F-12"))
    assert not at.exception
    (request,), messages = saved(db_url)
    assert [(m.kind, m.recipient, m.callback_id) for m in messages] == [
        ("team", get_office().notifications.team_email, request.id),
        ("confirmation", "marie@boulangerie.example", request.id)]
    assert all(m.status == "pending" and request.reference in m.subject for m in messages)
    assert "Une confirmation avec cette référence part à votre adresse" in texts(at)
    assert "marie@boulangerie" in texts(at)


def test_without_an_address_only_the_office_is_mailed_and_nothing_is_promised(help_page, db_url):
    at = help_page.radio(key="aide_topic").set_value("paiement").run()
    at = send(fill(at))
    (request,), messages = saved(db_url)
    assert [m.kind for m in messages] == ["team"]
    assert "Une confirmation" not in texts(at)
