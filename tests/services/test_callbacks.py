"""Callback requests: field checks (no database) and saving (SQLite and PostgreSQL)."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

import services.callbacks as callbacks_mod
from services.callbacks import (
    ADDRESS_RATE_LIMIT, MAX_MESSAGE, RATE_LIMIT, CallbackForm, check_email, check_phone, check_siret, create_callback,
    display_phone, get_callback, list_callbacks, set_callback_status, validate_callback,
)
from services.db import create_db_engine, make_session_factory
from services.models import CallbackRequest
from services.office import get_office
from services.references import is_reference
from services.support_hours import open_slots
from tests.concurrency import run_together

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 11, 26, 10, 0, tzinfo=PARIS)  # a Thursday, line open
TOPICS = {"compte", "paiement", "autre"}
GOOD = CallbackForm(name="Marie Durand", company="Boulangerie Durand", siret="732 829 320 00074",
                    phone="06 12 34 56 78", email="marie@example.fr", topic="paiement",
                    message="Facture F-12 déposée le 3, pas encore payée.", consent=True)


@pytest.fixture
def office():
    return get_office()


def submit(session, office, form=GOOD, *, key=None, client="browser-1", now=NOW):
    return create_callback(session=session, request=form, idempotency_key=key or uuid.uuid4().hex,
                           client_key=client, office=office, topics=TOPICS, now=now)


# --- checks without a database ------------------------------------------------------

def test_good_form_is_clean(office):
    result = validate_callback(GOOD, office=office, now=NOW, topics=TOPICS)
    assert result.ok, result.errors
    assert result.clean.phone == "+33612345678"
    assert result.clean.siret == "73282932000074"
    assert result.clean.preferred_start is None


@pytest.mark.parametrize("field,value,words", [
    ("name", "   ", "Indiquez votre nom"),
    ("company", "", "entreprise"),
    ("phone", "12", "n'existe pas"),
    ("phone", "abc", "illisible"),
    ("phone", "", "Indiquez un numéro"),
    ("siret", "73282932000075", "mal tapé"),
    ("siret", "7328293200", "un SIRET en a 14. Il en manque 4"),
    ("siret", "ABC", "que des chiffres"),
    ("email", "marie@", "n'est pas valide"),
    ("topic", "inconnu", "sujet"),
    ("message", "x" * 5000, "5\u202f000 caractères : 2\u202f000 au maximum"),
    ("slot", "2020-01-01T09:00:00+01:00", "plus disponible"),
    ("consent", False, "Cochez la case"),
])
def test_each_bad_field_gets_a_french_message(office, field, value, words):
    result = validate_callback(replace(GOOD, **{field: value}), office=office, now=NOW, topics=TOPICS)
    assert not result.ok
    assert list(result.errors) == [field]
    assert words in result.errors[field]


def test_optional_fields_may_be_empty(office):
    result = validate_callback(replace(GOOD, siret="", email="", message=""), office=office, now=NOW, topics=TOPICS)
    assert result.ok
    assert result.clean.siret is None and result.clean.email is None


def test_foreign_phone_and_display():
    assert check_phone("+32 2 555 12 12")[0] == "+3225551212"
    assert display_phone("+33612345678") == "06 12 34 56 78"
    assert display_phone("+3225551212").startswith("+32 2")
    assert check_email("a.b@c.fr") == ("a.b@c.fr", None)
    assert check_siret("") == (None, None)


def test_chosen_slot_is_kept_with_its_times(office):
    slot = open_slots(office, NOW)[1]
    result = validate_callback(replace(GOOD, slot=slot.key), office=office, now=NOW, topics=TOPICS)
    assert result.ok
    assert (result.clean.preferred_start, result.clean.preferred_end) == (slot.start, slot.end)


def test_message_control_characters_are_dropped_markup_kept_as_text(office):
    text = "<b>urgent</b>\x00 **gras** [lien](http://x)\n\nligne 2"
    result = validate_callback(replace(GOOD, message=text), office=office, now=NOW, topics=TOPICS)
    assert result.clean.message == "<b>urgent</b> **gras** [lien](http://x)\n\nligne 2"


def test_message_limit_is_inclusive(office):
    assert validate_callback(replace(GOOD, message="é" * MAX_MESSAGE), office=office, now=NOW, topics=TOPICS).ok


# --- saving (each test runs on SQLite and on PostgreSQL) ------------------------------

def test_create_saves_a_row_with_a_readable_reference(session, office):
    outcome = submit(session, office, replace(GOOD, message="<script>alert(1)</script>"))
    assert outcome.status == "created"
    assert is_reference(outcome.callback.reference)
    row = session.scalars(select(CallbackRequest)).one()
    assert row.reference == outcome.callback.reference
    assert row.phone == "+33612345678" and row.siret == "73282932000074"
    assert row.message == "<script>alert(1)</script>"
    assert row.status == "new"
    assert row.created_at == NOW.astimezone(timezone.utc)
    assert row.created_at.tzinfo is not None


def test_same_submission_twice_gives_one_row(session, office):
    first = submit(session, office, key="k-1")
    second = submit(session, office, key="k-1")
    assert (first.status, second.status) == ("created", "existing")
    assert second.callback.reference == first.callback.reference
    assert session.scalar(select(func.count()).select_from(CallbackRequest)) == 1


def test_same_request_typed_again_after_reload_gives_one_row(session, office):
    first = submit(session, office, key="before-reload", client="tab-1")
    again = submit(session, office, key="after-reload", client="tab-2", now=NOW + timedelta(minutes=3))
    assert again.status == "existing" and again.callback.reference == first.callback.reference
    later = submit(session, office, key="next-day", now=NOW + timedelta(days=1))
    assert later.status == "created"


def test_invalid_request_saves_nothing(session, office):
    outcome = submit(session, office, replace(GOOD, phone="12"))
    assert outcome.status == "invalid" and "phone" in outcome.errors
    assert session.scalar(select(func.count()).select_from(CallbackRequest)) == 0


def test_rate_limit_per_browser_session(session, office):
    for n in range(RATE_LIMIT):
        assert submit(session, office, replace(GOOD, message=f"m{n}")).status == "created"
    blocked = submit(session, office, replace(GOOD, message="one more"))
    assert blocked.status == "rate_limited"
    assert "attendez" in blocked.message.lower() or "réessayez" in blocked.message
    assert submit(session, office, replace(GOOD, message="other tab"), client="browser-2").status == "created"
    assert submit(session, office, replace(GOOD, message="later"), now=NOW + timedelta(minutes=11)).status == "created"


def test_rate_limit_per_client_address_across_browser_sessions(session, office):
    def from_address(n, address="203.0.113.7"):
        return create_callback(session=session, request=replace(GOOD, message=f"m{n}"), idempotency_key=f"k{n}",
                               client_key=f"browser-{n}", office=office, topics=TOPICS, now=NOW,
                               client_address=address)

    assert all(from_address(n).status == "created" for n in range(ADDRESS_RATE_LIMIT))
    blocked = from_address(99)  # a new browser session (another server), the same address
    assert blocked.status == "rate_limited" and "connexion" in blocked.message
    assert from_address(100, address="198.51.100.4").status == "created"
    stored = session.scalars(select(CallbackRequest.address_key)).all()
    assert "203.0.113.7" not in stored and len(set(stored)) == 2  # a hash, never the address


def test_reference_collision_draws_again(session, office, monkeypatch):
    taken = submit(session, office).callback.reference
    drawn = iter([taken, taken, "ABC-DEF"])
    monkeypatch.setattr(callbacks_mod, "new_reference", lambda: next(drawn))
    outcome = submit(session, office, replace(GOOD, message="second"))
    assert outcome.status == "created" and outcome.callback.reference == "ABC-DEF"


def test_get_list_and_status(session, office):
    ref = submit(session, office).callback.reference
    assert get_callback(session=session, reference=ref.lower().replace("-", " ")).reference == ref
    assert get_callback(session=session, reference="ZZZ-ZZZ") is None
    assert get_callback(session=session, reference="not a ref") is None
    assert [c.reference for c in list_callbacks(session=session, status="new")] == [ref]
    done = set_callback_status(session=session, reference=ref, status="resolved", note="Rappelée", now=NOW)
    assert done.status == "resolved" and done.staff_note == "Rappelée" and done.handled_at is not None
    assert list_callbacks(session=session, status="new") == []
    with pytest.raises(ValueError):
        set_callback_status(session=session, reference=ref, status="weird")


def test_request_survives_a_restart(db_url, office):
    engine = create_db_engine(db_url)
    with make_session_factory(engine)() as session:
        ref = submit(session, office).callback.reference
    engine.dispose()
    engine = create_db_engine(db_url)  # a new process would build a new engine from the same URL
    with make_session_factory(engine)() as session:
        found = get_callback(session=session, reference=ref)
    engine.dispose()
    assert found is not None and found.name == "Marie Durand"


def test_twenty_threads_at_once_lose_nothing(engine, office):
    factory = make_session_factory(engine)

    def one(i):
        with factory() as session:
            form = replace(GOOD, name=f"Fournisseur {i}", message=f"demande {i}")
            return submit(session, office, form, key=f"thread-{i}", client=f"browser-{i}")

    results, errors = run_together(20, one)
    assert errors == []
    assert all(r.status == "created" for r in results)
    with factory() as session:
        rows = session.scalars(select(CallbackRequest)).all()
    assert len(rows) == 20
    assert len({r.reference for r in rows}) == 20
    assert {r.name for r in rows} == {f"Fournisseur {i}" for i in range(20)}


def test_twenty_threads_same_submission_duplicate_nothing(engine, office):
    factory = make_session_factory(engine)

    def one(i):
        with factory() as session:
            # A double click seen by several server threads: same key, same form.
            return submit(session, office, key="double-click", client="browser-1")

    results, errors = run_together(20, one)
    assert errors == []
    assert sorted(r.status for r in results) == ["created"] + ["existing"] * 19
    assert len({r.callback.reference for r in results}) == 1
    with factory() as session:
        assert session.scalar(select(func.count()).select_from(CallbackRequest)) == 1
