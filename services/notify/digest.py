"""The team's morning digest: each working day at office.toml's `digest_hour`, one e-mail
listing the requests still open, oldest first, with how long each has waited in opening
hours (the phone line's weekly hours, public holidays excluded: services.support_hours).

Working day: a day the line opens (office.toml [support.hours]) that is not a public
holiday of office.toml's country/subdivision (`holidays` package). Several senders (on
several servers) may check at once: they take turns (the lock `notify:digest`, services.db),
and the digest's outbox key ('digest:2026-12-02') is unique besides, so one is queued.
A kiosk started after the hour sends that day's digest late rather than not at all.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.db import hold_lock
from services.models import CallbackRequest, KioskMeta, OutboxMessage
from services.notify.mail import DigestLine, digest_mail
from services.notify.outbox import _topic_label, add_message
from services.office import Office
from services.support_hours import ranges_on

LAST_DIGEST_KEY = "last_digest_day"
DIGEST_LOCK = "notify:digest"


def is_working_day(office: Office, day: date) -> bool:
    return bool(ranges_on(office, day))


def working_time(office: Office, start: datetime, end: datetime) -> timedelta:
    """Opening hours between two moments (nothing on closed days and public holidays)."""
    if end <= start:
        return timedelta(0)
    total = timedelta(0)
    day, last = start.astimezone(office.tz).date(), end.astimezone(office.tz).date()
    while day <= last:
        for span in ranges_on(office, day):
            opens = datetime.combine(day, span.start, tzinfo=office.tz)
            closes = datetime.combine(day, span.end, tzinfo=office.tz)
            overlap = min(closes, end) - max(opens, start)
            if overlap > timedelta(0):
                total += overlap
        day += timedelta(days=1)
    return total


def format_waited(waited: timedelta) -> str:
    """'moins d'une heure ouvrée', '3 h ouvrées', '12 h 30 ouvrées'."""
    minutes = int(waited.total_seconds() // 60)
    if minutes < 60:
        return f"{minutes} min ouvrées" if minutes else "moins d'une minute ouvrée"
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest:02d} ouvrées" if rest else f"{hours} h ouvrées"


def digest_due_day(office: Office, now: datetime) -> date | None:
    """Today (office time) if the digest may go now: a working day, at or after the hour."""
    notifications = office.notifications
    if notifications is None:
        return None
    local = now.astimezone(office.tz)
    if local.hour < notifications.digest_hour or not is_working_day(office, local.date()):
        return None
    return local.date()


def enqueue_digest_if_due(*, session: Session, office: Office, now: datetime) -> bool:
    """Queue today's digest once (if due and something is open). True if queued. Commits."""
    from services.callbacks import OPEN_STATUSES, to_view  # no cycle: callbacks imports the outbox

    day = digest_due_day(office, now)
    if day is None:
        return False
    # One sender at a time from here to the commit: without it, two first digests ever both
    # insert the kiosk_meta row and one fails with an error instead of a quiet "already queued".
    hold_lock(session, DIGEST_LOCK)
    meta = session.get(KioskMeta, LAST_DIGEST_KEY, populate_existing=True)  # as committed, not as cached
    if meta is not None and meta.value >= day.isoformat():
        session.rollback()
        return False
    key = f"digest:{day.isoformat()}"
    if session.scalar(select(OutboxMessage.id).where(OutboxMessage.dedup_key == key)) is not None:
        session.rollback()
        return False
    if meta is None:
        session.add(KioskMeta(key=LAST_DIGEST_KEY, value=day.isoformat(), updated_at=now))
    else:
        meta.value, meta.updated_at = day.isoformat(), now
    rows = list(session.scalars(select(CallbackRequest).where(CallbackRequest.status.in_(OPEN_STATUSES))
                                .order_by(CallbackRequest.created_at, CallbackRequest.id)))
    queued = False
    if rows:
        lines = [DigestLine(to_view(row), _topic_label(office, row.topic),
                            format_waited(working_time(office, row.created_at, now))) for row in rows]
        add_message(session, digest_mail(lines, office=office, day=day, now=now), kind="digest", dedup_key=key,
                    now=now)
        queued = True
    try:
        session.commit()
    except IntegrityError:  # another sender queued it at the same moment
        session.rollback()
        return False
    return queued
