"""Personal data is deleted once office.toml's retention period is over."""

from dataclasses import replace
from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from services.callbacks import CallbackForm, create_callback
from services.models import CallbackRequest, Case
from services.office import get_office
from services.retention import last_purge, purge_expired, purge_if_due

NOW = datetime(2026, 11, 26, 9, 30, tzinfo=timezone.utc)
FORM = CallbackForm(name="Paul", company="SARL Paul", phone="0612345678", topic="autre", consent=True)


def _add(session, days_ago, message):
    office = get_office()
    outcome = create_callback(session=session, request=replace(FORM, message=message), idempotency_key=message,
                              client_key=message, office=office, topics={"autre"}, now=NOW - timedelta(days=days_ago))
    assert outcome.status == "created"
    return outcome.callback.reference


def test_requests_older_than_retention_are_deleted(session):
    retention = get_office().retention_days
    old = _add(session, retention + 1, "old")
    kept = _add(session, retention - 1, "recent")
    session.add(Case(code="AAA-AAA", consent=True, created_at=NOW - timedelta(days=retention + 5), updated_at=NOW))
    session.add(Case(code="BBB-BBB", consent=True, created_at=NOW, updated_at=NOW))
    session.commit()
    result = purge_expired(session=session, retention_days=retention, now=NOW)
    assert (result.callbacks, result.cases) == (1, 1)
    left = session.scalars(select(CallbackRequest.reference)).all()
    assert left == [kept] and old not in left
    assert session.scalars(select(Case.code)).all() == ["BBB-BBB"]


def test_purge_runs_on_start_then_once_a_day(session):
    old = _add(session, 400, "very old")
    assert last_purge(session=session) is None
    first = purge_if_due(session=session, retention_days=90, now=NOW)  # first start: runs
    assert first is not None and first.callbacks == 1
    assert last_purge(session=session) == NOW
    _add(session, 400, "another old one")
    assert purge_if_due(session=session, retention_days=90, now=NOW + timedelta(hours=5)) is None
    later = purge_if_due(session=session, retention_days=90, now=NOW + timedelta(days=1, minutes=1))
    assert later is not None and later.callbacks == 1
    assert session.scalars(select(CallbackRequest)).all() == []
    assert old


def test_purge_takes_cases_with_their_pictures_and_nothing_else(session):
    from services.cases import create_case, save_case_report
    from services.models import CheckEvent, KioskMeta
    from services.stats import record_check_event

    retention = get_office().retention_days
    old_time = NOW - timedelta(days=retention + 1)
    old = create_case(session=session, retention_days=retention, now=old_time)
    save_case_report(session=session, code=old.code, report={"verdict": "ready"}, image=b"png", consent=True,
                     retention_days=retention, now=old_time)
    old_plain = create_case(session=session, retention_days=retention, now=old_time)
    recent = create_case(session=session, retention_days=retention, now=NOW - timedelta(days=1))
    save_case_report(session=session, code=recent.code, report={"verdict": "ready"}, image=b"png2", consent=True,
                     retention_days=retention, now=NOW)
    record_check_event(session=session, report={"verdict": "ready", "issues": []}, now=old_time)
    record_check_event(session=session, report={"verdict": "blocked", "issues": [{"code": "not_a_pdf"}]},
                       now=NOW - timedelta(days=retention * 3))
    kept = _add(session, retention - 1, "recent")
    result = purge_expired(session=session, retention_days=retention, now=NOW)
    assert (result.cases, result.images, result.callbacks) == (2, 1, 0)
    assert session.scalars(select(Case.code)).all() == [recent.code]
    assert session.scalars(select(Case.page_image)).all() == [b"png2"]
    assert old_plain.code and old.code
    # anonymous numbers and the rest are kept
    assert len(session.scalars(select(CheckEvent)).all()) == 2
    assert session.scalars(select(CallbackRequest.reference)).all() == [kept]
    assert session.get(KioskMeta, "last_purge_at") is not None
