"""Delete personal data once office.toml's retention period is over.

Callback requests and case references older than `retention_days` (by creation
date) are deleted; a case's shared page picture goes with its row, a request's e-mails
(services.notify) with the request, and the team's digests once they are as old. The anonymous check
events (services.stats) hold nothing personal and are kept. The kiosk calls `purge_if_due` when it starts and at most once an
hour afterwards; it runs the purge when the last one is a day old or more.

Several servers share the database: one purges at a time. The purge holds the lock
`retention:purge` (services.db: a PostgreSQL advisory lock, SQLite's write lock) from the
moment it reads the last purge's time until it commits the new one, so a server that asks
meanwhile gets "not due" at once (PostgreSQL) or waits and then finds it done (SQLite).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.db import hold_lock, try_lock
from services.models import CallbackRequest, Case, KioskMeta, OutboxMessage, utc_now
from services.notify.outbox import purge_digests

LAST_PURGE_KEY = "last_purge_at"
PURGE_EVERY = timedelta(days=1)
PURGE_LOCK = "retention:purge"


@dataclass(frozen=True)
class PurgeResult:
    callbacks: int
    cases: int
    cutoff: datetime
    images: int = 0  # shared page pictures among the deleted cases
    messages: int = 0  # e-mails of the deleted requests, and old digests (services.notify)


def purge_expired(*, session: Session, retention_days: int, now: datetime | None = None) -> PurgeResult:
    """Delete what was created before now − retention_days; record the time. Commits.
    Waits for a purge another server is running."""
    now = now or utc_now()
    hold_lock(session, PURGE_LOCK)
    cutoff = now - timedelta(days=retention_days)
    images = session.scalar(
        select(func.count()).select_from(Case).where(Case.created_at < cutoff, Case.page_image.isnot(None))) or 0
    cases = session.execute(delete(Case).where(Case.created_at < cutoff)).rowcount
    # A request's e-mails go with it (explicitly: not every SQLite connection enforces the
    # foreign key's ON DELETE CASCADE), and so do old morning digests.
    expired = select(CallbackRequest.id).where(CallbackRequest.created_at < cutoff)
    messages = session.execute(delete(OutboxMessage).where(OutboxMessage.callback_id.in_(expired))).rowcount or 0
    messages += purge_digests(session, cutoff=cutoff)
    callbacks = session.execute(delete(CallbackRequest).where(CallbackRequest.created_at < cutoff)).rowcount
    meta = session.get(KioskMeta, LAST_PURGE_KEY)
    if meta is None:
        session.add(KioskMeta(key=LAST_PURGE_KEY, value=now.isoformat(), updated_at=now))
    else:
        meta.value, meta.updated_at = now.isoformat(), now
    try:
        session.commit()
    except IntegrityError:
        # Another process recorded its purge at the same moment: the rows are gone either way.
        session.rollback()
    return PurgeResult(callbacks=callbacks or 0, cases=cases or 0, cutoff=cutoff, images=images, messages=messages)


def last_purge(*, session: Session) -> datetime | None:
    value = session.scalar(select(KioskMeta.value).where(KioskMeta.key == LAST_PURGE_KEY))  # as committed
    return datetime.fromisoformat(value) if value else None


def purge_if_due(*, session: Session, retention_days: int, now: datetime | None = None,
                 every: timedelta = PURGE_EVERY) -> PurgeResult | None:
    """Run `purge_expired` if the last purge is `every` old or more (or never ran), and no
    other server is purging right now (then None at once: that one does the work)."""
    now = now or utc_now()
    try:
        if not try_lock(session, PURGE_LOCK):
            session.rollback()
            return None
        last = last_purge(session=session)  # read under the lock: a purge that just ended is seen
        if last is not None and now - last < every:
            session.rollback()
            return None
        return purge_expired(session=session, retention_days=retention_days, now=now)  # commits: lock released
    except BaseException:
        session.rollback()
        raise
