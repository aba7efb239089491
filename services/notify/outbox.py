"""The outbox: messages are rows, written in the same transaction as what they are about.

A callback request and its two e-mails commit together or not at all, so a crash can
lose neither. Senders (services.notify.sender) then *claim* due rows: a short transaction
that locks them (`FOR UPDATE SKIP LOCKED` on PostgreSQL, so two senders never wait for
each other nor take the same row; on SQLite every write transaction is `BEGIN IMMEDIATE`,
which gives the same guarantee by letting one writer in at a time) and writes a lease
(`locked_by`, `locked_until`). The SMTP conversation happens outside any transaction; the
row is then marked sent, to retry, or failed, only by the sender that holds the lease. A
sender that dies mid-way leaves a lease that runs out: another sender sends the same bytes,
same Message-ID, so the reader's mail client shows one message.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email import message_from_string, policy

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session

from services.models import OutboxMessage, utc_now
from services.notify.mail import ComposedMail, confirmation_mail, new_message_id, team_mail
from services.office import Office

log = logging.getLogger(__name__)

PENDING, SENT, FAILED = "pending", "sent", "failed"
STATUSES = (PENDING, SENT, FAILED)
KIND_LABELS = {"team": "E-mail à l'équipe", "confirmation": "Confirmation au fournisseur", "digest": "Résumé du matin"}


@dataclass(frozen=True)
class MessageView:
    """A message's delivery state, as /agents shows it."""

    id: int
    kind: str
    callback_id: int | None
    recipient: str
    subject: str
    message_id: str
    status: str
    attempts: int
    next_attempt_at: datetime
    last_error: str | None
    smtp_response: str | None
    sent_at: datetime | None
    created_at: datetime

    @property
    def retrying(self) -> bool:
        return self.status == PENDING and self.attempts > 0


@dataclass(frozen=True)
class Claimed:
    """A row a sender holds the lease on."""

    id: int
    message_id: str
    sender: str
    recipient: str
    raw: str
    attempts: int  # including this one


def _view(row: OutboxMessage) -> MessageView:
    return MessageView(row.id, row.kind, row.callback_id, row.recipient, row.subject, row.message_id, row.status,
                       row.attempts, row.next_attempt_at, row.last_error, row.smtp_response, row.sent_at,
                       row.created_at)


def add_message(session: Session, mail: ComposedMail, *, kind: str, dedup_key: str, now: datetime,
                callback_id: int | None = None) -> OutboxMessage:
    """Add one message to the caller's transaction (no commit)."""
    row = OutboxMessage(kind=kind, callback_id=callback_id, dedup_key=dedup_key, message_id=mail.message_id,
                        sender=mail.sender, recipient=mail.recipient, subject=mail.subject[:255], raw=mail.raw,
                        status=PENDING, attempts=0, next_attempt_at=now, created_at=now, updated_at=now)
    session.add(row)
    return row


def _topic_label(office: Office, topic_id: str) -> str:
    try:
        from services.triage import load_triage

        topic = load_triage(office).topic(topic_id)
    except Exception:  # noqa: BLE001 - a broken content file must not lose the request
        log.exception("topic labels unavailable")
        topic = None
    return topic.label if topic else topic_id


def enqueue_callback_mails(session: Session, *, callback, office: Office, now: datetime | None = None) -> int:
    """The team's mail and, when the supplier gave an address, their confirmation: added to
    the caller's transaction (the one that saves the request). Returns how many."""
    if office.notifications is None:
        return 0
    now = now or utc_now()
    label = _topic_label(office, callback.topic)
    try:
        mails = [("team", team_mail(callback, office=office, topic_label=label, now=now))]
    except Exception:  # noqa: BLE001 - a bug in a template must not lose the request itself
        log.exception("callback %s: team mail not built", callback.reference)
        return 0
    if callback.email:
        try:
            mails.append(("confirmation", confirmation_mail(callback, office=office, topic_label=label, now=now)))
        except (ValueError, IndexError):  # an address SMTP could not carry: the team still hears of it
            log.warning("no confirmation for %s: address not usable in a header", callback.reference)
    for kind, mail in mails:
        add_message(session, mail, kind=kind, dedup_key=f"{kind}:{callback.reference}", now=now,
                    callback_id=callback.id)
    session.flush()
    return len(mails)


# --- senders' side ---------------------------------------------------------------------------

def due_query(now: datetime, limit: int):
    """Due rows without a live lease, locked for this transaction; rows another sender is
    claiming at this instant are skipped, not waited for (PostgreSQL; SQLite has one writer)."""
    return (select(OutboxMessage)
            .where(OutboxMessage.status == PENDING, OutboxMessage.next_attempt_at <= now,
                   or_(OutboxMessage.locked_until.is_(None), OutboxMessage.locked_until < now))
            .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
            .limit(limit)
            .with_for_update(skip_locked=True))


def claim_due(session: Session, *, worker: str, now: datetime | None = None,
              lease: timedelta = timedelta(minutes=5), limit: int = 20) -> list[Claimed]:
    """Take up to `limit` due rows (pending, due, no live lease) for `worker`. Commits."""
    now = now or utc_now()
    try:
        rows = list(session.scalars(due_query(now, limit)))
        claimed = []
        for row in rows:
            row.locked_by, row.locked_until = worker, now + lease
            row.attempts += 1
            row.updated_at = now
            claimed.append(Claimed(row.id, row.message_id, row.sender, row.recipient, row.raw, row.attempts))
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return claimed


def _finish(session: Session, claimed_id: int, worker: str, **values) -> bool:
    """Update a row this worker holds; False if the lease was lost (another sender took it)."""
    done = session.execute(
        update(OutboxMessage).where(OutboxMessage.id == claimed_id, OutboxMessage.locked_by == worker)
        .values(locked_by=None, locked_until=None, **values)
    ).rowcount
    session.commit()
    if not done:
        log.warning("outbox row %s: lease lost before it was marked", claimed_id)
    return bool(done)


def release(session: Session, claimed_ids: list[int], *, worker: str) -> int:
    """Give back rows this worker claimed but will not try now (not counted as a try). Commits."""
    if not claimed_ids:
        return 0
    done = session.execute(
        update(OutboxMessage).where(OutboxMessage.id.in_(claimed_ids), OutboxMessage.locked_by == worker)
        .values(locked_by=None, locked_until=None, attempts=OutboxMessage.attempts - 1)
    ).rowcount
    session.commit()
    return done or 0


def mark_sent(session: Session, claimed_id: int, *, worker: str, response: str, now: datetime | None = None) -> bool:
    now = now or utc_now()
    return _finish(session, claimed_id, worker, status=SENT, sent_at=now, smtp_response=response[:1000],
                   last_error=None, updated_at=now)


def mark_retry(session: Session, claimed_id: int, *, worker: str, error: str, at: datetime,
               now: datetime | None = None) -> bool:
    return _finish(session, claimed_id, worker, status=PENDING, next_attempt_at=at, last_error=error[:1000],
                   updated_at=now or utc_now())


def mark_failed(session: Session, claimed_id: int, *, worker: str, error: str, now: datetime | None = None) -> bool:
    return _finish(session, claimed_id, worker, status=FAILED, last_error=error[:1000], updated_at=now or utc_now())


# --- staff side --------------------------------------------------------------------------------

def messages_for(session: Session, callback_ids: Iterable[int]) -> dict[int, list[MessageView]]:
    """Each callback's messages (team first, then confirmation, then copies sent again)."""
    ids = list(callback_ids)
    if not ids:
        return {}
    rows = session.scalars(select(OutboxMessage).where(OutboxMessage.callback_id.in_(ids))
                           .order_by(OutboxMessage.id))
    found: dict[int, list[MessageView]] = {}
    for row in rows:
        found.setdefault(row.callback_id, []).append(_view(row))
    return found


def get_message(session: Session, message_id: int) -> MessageView | None:
    row = session.get(OutboxMessage, message_id)
    return _view(row) if row else None


def last_digest(session: Session) -> MessageView | None:
    row = session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "digest")
                          .order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc()).limit(1)).first()
    return _view(row) if row else None


def counts(session: Session) -> dict[str, int]:
    """How many messages by status (pending includes those retrying)."""
    rows = session.execute(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status))
    found = {status: 0 for status in STATUSES}
    found.update({status: count for status, count in rows})
    session.rollback()
    return found


def _with_new_message_id(raw: str, message_id: str) -> str:
    msg = message_from_string(raw, policy=policy.SMTP)
    msg.replace_header("Message-ID", message_id)
    return msg.as_string(policy=policy.SMTP)


def resend(session: Session, message_id: int, *, now: datetime | None = None) -> MessageView | None:
    """Send a message again, at once. A failed or waiting one goes back to the queue as it
    is (it never reached the reader: same Message-ID). A sent one is copied with a new
    Message-ID, so the reader's mail client shows it again. Commits."""
    now = now or utc_now()
    row = session.get(OutboxMessage, message_id)
    if row is None:
        session.rollback()
        return None
    if row.status != SENT:
        row.status, row.attempts, row.next_attempt_at = PENDING, 0, now
        row.locked_by = row.locked_until = None
        row.updated_at = now
        session.commit()
        return _view(row)
    domain = row.message_id.rsplit("@", 1)[-1].rstrip(">")
    copies = session.scalar(select(func.count()).select_from(OutboxMessage)
                            .where(OutboxMessage.dedup_key.like(f"{row.dedup_key}:copie%"))) or 0
    new_id = new_message_id(f"copie.{row.kind}.{row.id}", domain)
    mail = ComposedMail(new_id, row.sender, row.recipient, row.subject, _with_new_message_id(row.raw, new_id))
    copy = add_message(session, mail, kind=row.kind, dedup_key=f"{row.dedup_key}:copie{copies + 1}"[:80], now=now,
                       callback_id=row.callback_id)
    session.commit()
    return _view(copy)


def purge_digests(session: Session, *, cutoff: datetime) -> int:
    """Digests (personal data about several requests) older than the cutoff. No commit."""
    return session.execute(delete(OutboxMessage).where(OutboxMessage.callback_id.is_(None),
                                                       OutboxMessage.created_at < cutoff)).rowcount or 0
