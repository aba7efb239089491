"""The staff's callback queue: order, filter, statuses, CSV export; and the 0003 migration
keeps existing requests valid."""

import csv
import io
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text

from services.callbacks import (
    CSV_HEADERS, STATUSES, CallbackForm, callback_queue, callbacks_csv, create_callback, get_callback,
    set_callback_status,
)
from services.db import create_db_engine
from services.migrate import downgrade_to, upgrade_to_head
from services.office import get_office
from services.support_hours import open_slots

NOW = datetime(2026, 11, 26, 9, 30, tzinfo=timezone.utc)
PARIS = ZoneInfo("Europe/Paris")


def add(session, created, message, *, slot=None, name="Paul Martin", **extra):
    office = get_office()
    form = CallbackForm(name=name, company="SARL Été", phone="0612345678", topic="autre", message=message,
                        consent=True, slot=slot.key if slot else "", **extra)
    outcome = create_callback(session=session, request=form, idempotency_key=message, client_key=message,
                              office=office, topics={"autre"}, now=created, slots=[slot] if slot else None)
    assert outcome.status == "created", outcome
    return outcome.callback.reference


def test_open_requests_first_most_urgent_on_top(session):
    office = get_office()
    slots = open_slots(office, NOW)
    soon, later_slot = slots[0], slots[-1]
    asap_old = add(session, NOW - timedelta(hours=30), "asap old")
    asap_new = add(session, NOW - timedelta(minutes=5), "asap new")
    slot_late = add(session, NOW - timedelta(minutes=20), "slot late", slot=later_slot)
    called = add(session, NOW - timedelta(hours=2), "called")
    resolved_old = add(session, NOW - timedelta(days=3), "resolved old")
    resolved_new = add(session, NOW - timedelta(hours=1), "resolved new")
    set_callback_status(session=session, reference=called, status="called", note="Messagerie", now=NOW)
    set_callback_status(session=session, reference=resolved_old, status="resolved", now=NOW)
    set_callback_status(session=session, reference=resolved_new, status="resolved", now=NOW)
    order = [c.reference for c in callback_queue(session=session)]
    # new ones by when they are due (the slot's start, or the time of the request), then called, then handled newest first
    assert soon.start > NOW - timedelta(minutes=5)
    assert order == [asap_old, asap_new, slot_late, called, resolved_new, resolved_old]
    assert [c.reference for c in callback_queue(session=session, statuses=["resolved"])] == [resolved_new, resolved_old]
    assert [c.reference for c in callback_queue(session=session, statuses=["new", "called"])] == \
        [asap_old, asap_new, slot_late, called]
    assert callback_queue(session=session, statuses=[]) == []


def test_status_moves_keep_the_first_handling_time(session):
    ref = add(session, NOW - timedelta(hours=3), "x")
    called = set_callback_status(session=session, reference=ref, status="called", note="Pas de réponse", now=NOW)
    assert called.handled_at == NOW and called.staff_note == "Pas de réponse"
    resolved = set_callback_status(session=session, reference=ref, status="resolved", note="Compte créé",
                                   now=NOW + timedelta(hours=1))
    assert resolved.status == "resolved" and resolved.handled_at == NOW and resolved.staff_note == "Compte créé"
    back = set_callback_status(session=session, reference=ref, status="new", now=NOW + timedelta(hours=2))
    assert back.handled_at is None and back.staff_note == "Compte créé"  # no note given: kept
    assert set(STATUSES) == {"new", "called", "resolved", "cancelled"}
    with pytest.raises(ValueError):
        set_callback_status(session=session, reference=ref, status="done")
    assert set_callback_status(session=session, reference="ZZZ-ZZZ", status="called") is None


def test_csv_for_excel(session):
    ref = add(session, NOW, "Bonjour,\nje n'arrive pas à « déposer »; merci", email="paul@example.fr",
              name="=HYPERLINK(\"http://x\")")
    set_callback_status(session=session, reference=ref, status="called", note="Rappelé ; messagerie",
                        now=NOW + timedelta(minutes=30))
    data = callbacks_csv(callback_queue(session=session), tz=PARIS, topic_labels={"autre": "Autre question"})
    assert data.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert tuple(rows[0]) == CSV_HEADERS and rows[0][0] == "Référence"
    row = dict(zip(rows[0], rows[1]))
    assert row["Référence"] == ref and row["Statut"] == "Rappelé"
    assert row["Demandé le"] == "26/11/2026 10:30"  # Paris time
    assert row["Traité le"] == "26/11/2026 11:00"
    assert row["Entreprise"] == "SARL Été" and row["Téléphone"] == "06 12 34 56 78"
    assert row["Message"] == "Bonjour,\nje n'arrive pas à « déposer »; merci"
    assert row["Sujet"] == "Autre question" and row["Créneau souhaité"] == "Dès que possible"
    assert row["Note de l'agent"] == "Rappelé ; messagerie"
    assert row["Nom"].startswith("'=")  # no formula runs in Excel
    assert len(rows) == 2


def test_migration_0003_keeps_existing_requests_valid(fresh_db):
    url = fresh_db()
    upgrade_to_head(url)
    downgrade_to(url, "0002")
    engine = create_db_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text(
                "INSERT INTO callback_requests (reference, idempotency_key, client_key, name, company, phone, topic, "
                "message, status, consent_at, created_at, updated_at, handled_at) VALUES "
                "('ABC-DEF', 'k1', 'c', 'Paul', 'SARL', '+33612345678', 'autre', '', 'done', "
                ":t, :t, :t, :t), ('ABC-DEG', 'k2', 'c', 'Anne', 'SAS', '+33612345679', 'autre', '', 'new', :t, :t, :t, NULL)"
            ), {"t": NOW.replace(tzinfo=None)})
        upgrade_to_head(url)
        from sqlalchemy.orm import Session
        with Session(engine) as session:
            assert get_callback(session=session, reference="ABC-DEF").status == "resolved"
            assert get_callback(session=session, reference="ABC-DEG").status == "new"
        downgrade_to(url, "0002")
        with engine.connect() as conn:
            assert sorted(conn.execute(text("SELECT status FROM callback_requests")).scalars()) == ["done", "new"]
    finally:
        engine.dispose()


def test_a_callback_is_linked_to_the_suppliers_case(session):
    """Staff calling back see which case (guide step, last check) the request comes from."""
    from services.cases import create_case

    office = get_office()
    case = create_case(session=session, retention_days=office.retention_days, guide_slug="deposer-une-facture",
                       guide_step=6, now=NOW)
    form = CallbackForm(name="Paul Martin", company="SARL Été", phone="0612345678", topic="autre",
                        message="avec dossier", consent=True)
    outcome = create_callback(session=session, request=form, idempotency_key="with-case", client_key="k1",
                              office=office, topics={"autre"}, now=NOW,
                              case_code=case.code.lower().replace("-", " "))
    assert outcome.callback.case_code == case.code
    queue = {view.reference: view for view in callback_queue(session=session)}
    assert queue[outcome.callback.reference].case_code == case.code

    # An unknown or malformed code never blocks the request: it is simply not linked.
    for key, code in (("bad-1", "ZZZ-ZZZ"), ("bad-2", "not a code"), ("bad-3", None)):
        other = create_callback(session=session, request=CallbackForm(
            name="Ana", company="Asso", phone="0612345679", topic="autre", message=key, consent=True),
            idempotency_key=key, client_key=key, office=office, topics={"autre"}, now=NOW, case_code=code)
        assert other.status == "created" and other.callback.case_code is None
