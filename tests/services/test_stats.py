"""The office's numbers: anonymous check events and callback figures, on both databases."""

from datetime import date, datetime, timedelta, timezone

from sqlalchemy import select

from services.callbacks import CallbackForm, create_callback, set_callback_status
from services.models import CheckEvent, CheckEventIssue
from services.office import get_office
from services.stats import ISSUE_LABELS, issue_label, office_numbers, record_check_event, week_start

# A Thursday; its week starts on Monday 23 November 2026.
NOW = datetime(2026, 11, 26, 15, 0, tzinfo=timezone.utc)
MONDAY = date(2026, 11, 23)


def report(verdict, *codes, file="secret-client.pdf"):
    return {"file": file, "verdict": verdict,
            "fields": {"invoice_number": {"value": "F-SECRET-42", "page": 1, "source": "text"}},
            "issues": [{"code": c, "severity": "error", "message": "m", "fix": "f"} for c in codes]}


def test_check_event_keeps_verdict_and_codes_only(session):
    event_id = record_check_event(session=session, report=report("fix_needed", "missing_date", "missing_date",
                                                                   "invalid_vat"), now=NOW)
    event = session.get(CheckEvent, event_id)
    assert event.verdict == "fix_needed" and event.created_at == NOW
    codes = sorted(session.scalars(select(CheckEventIssue.code).where(CheckEventIssue.event_id == event_id)))
    assert codes == ["invalid_vat", "missing_date"]  # each code once per check
    columns = {c.name for c in CheckEvent.__table__.columns} | {c.name for c in CheckEventIssue.__table__.columns}
    assert columns == {"id", "verdict", "created_at", "event_id", "code", "severity"}  # no file, no value


def test_checks_per_week_verdicts_and_top_issues(session):
    record_check_event(session=session, report=report("ready"), now=NOW)
    record_check_event(session=session, report=report("fix_needed", "missing_date", "invalid_vat"), now=NOW)
    record_check_event(session=session, report=report("fix_needed", "missing_date"), now=NOW - timedelta(days=3))  # Monday
    record_check_event(session=session, report=report("blocked", "scan_no_text"), now=NOW - timedelta(days=4))  # Sunday before
    record_check_event(session=session, report=report("blocked", "scan_no_text"), now=NOW - timedelta(weeks=20))  # too old
    numbers = office_numbers(session=session, weeks=4, now=NOW)
    assert numbers.since == MONDAY - timedelta(weeks=3)
    assert [(w.week, w.count) for w in numbers.checks_per_week] == [
        (MONDAY - timedelta(weeks=3), 0), (MONDAY - timedelta(weeks=2), 0), (MONDAY - timedelta(weeks=1), 1), (MONDAY, 3)]
    assert numbers.checks_total == 4
    assert numbers.verdicts == {"ready": 1, "fix_needed": 2, "blocked": 1}
    assert [(i.code, i.count) for i in numbers.top_issues] == [("missing_date", 2), ("invalid_vat", 1), ("scan_no_text", 1)]
    assert numbers.top_issues[0].label == "Date absente"


def test_issue_labels_are_french_and_unknown_codes_show_as_is():
    assert issue_label("wrong_buyer_siret") == "Mauvais SIRET de l'office"
    assert issue_label("brand_new_code") == "brand_new_code"
    assert all(label and label[0].isupper() for label in ISSUE_LABELS.values())


def _callback(session, created, message):
    outcome = create_callback(
        session=session, request=CallbackForm(name="Paul", company="SARL", phone="0612345678", topic="autre",
                                              message=message, consent=True),
        idempotency_key=message, client_key=message, office=get_office(), topics={"autre"}, now=created)
    assert outcome.status == "created"
    return outcome.callback.reference


def test_callbacks_per_week_and_median_time_to_handle(session):
    a = _callback(session, NOW - timedelta(hours=10), "a")  # this week
    b = _callback(session, NOW - timedelta(hours=5), "b")
    _callback(session, NOW - timedelta(hours=1), "c")  # not handled yet
    d = _callback(session, NOW - timedelta(days=7), "d")  # last week
    set_callback_status(session=session, reference=a, status="called", now=NOW - timedelta(hours=8))  # 2 h
    set_callback_status(session=session, reference=a, status="resolved", now=NOW)  # still 2 h: first handling
    set_callback_status(session=session, reference=b, status="resolved", now=NOW - timedelta(hours=1))  # 4 h
    set_callback_status(session=session, reference=d, status="cancelled", now=NOW - timedelta(days=6))  # 24 h
    numbers = office_numbers(session=session, weeks=2, now=NOW)
    assert [(w.week, w.count) for w in numbers.callbacks_per_week] == [(MONDAY - timedelta(weeks=1), 1), (MONDAY, 3)]
    assert numbers.callbacks_total == 4
    assert [(h.week, h.handled, h.median_hours) for h in numbers.handling_per_week] == [
        (MONDAY - timedelta(weeks=1), 1, 24.0), (MONDAY, 2, 3.0)]
    assert numbers.median_hours == 4.0


def test_empty_database_gives_zeros_not_errors(session):
    numbers = office_numbers(session=session, weeks=3, now=NOW)
    assert [w.count for w in numbers.checks_per_week] == [0, 0, 0]
    assert numbers.verdicts == {"ready": 0, "fix_needed": 0, "blocked": 0}
    assert numbers.top_issues == () and numbers.median_hours is None


def test_week_start_is_monday():
    assert week_start(date(2026, 11, 29)) == MONDAY  # Sunday
    assert week_start(MONDAY) == MONDAY


def test_every_issue_code_the_checker_emits_has_a_french_label():
    """The « Chiffres » chart shows labels, never raw codes."""
    import re
    from pathlib import Path

    from services.pdf_check.report import BLOCKING_CODES
    from services.stats import ISSUE_LABELS

    rules = (Path(__file__).resolve().parents[2] / "services" / "pdf_check" / "rules.py").read_text()
    emitted = set(re.findall(r'issue\(\s*"([a-z_]+)"', rules))
    emitted |= set(re.findall(r'^\s*\("((?:missing|invalid)_[a-z_]+)",', rules, re.M))
    emitted |= set(BLOCKING_CODES)
    from services.pdf_check.rules import UNCERTAIN_CODES

    emitted |= set(UNCERTAIN_CODES.values())
    assert len(emitted) > 20
    assert not sorted(emitted - set(ISSUE_LABELS))
