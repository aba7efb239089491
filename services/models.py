"""The kiosk's tables, as typed SQLAlchemy 2 models.

Migrations in migrations/versions/ create and change these tables; keep both in step
(tests/services/test_migrations.py compares them).

Times are stored in UTC. `UTCDateTime` gives back timezone-aware datetimes on SQLite
and PostgreSQL alike, so code never mixes naive and aware values.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, LargeBinary, MetaData, String, Text, TypeDecorator
from sqlalchemy.orm import DeclarativeBase, Mapped, deferred, mapped_column

# Stable constraint names, so later migrations can refer to them on both databases.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


class UTCDateTime(TypeDecorator):
    """An aware datetime stored as UTC; naive values are refused."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: pass an aware datetime (UTC)")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON()}


class CallbackRequest(Base):
    """A supplier asks the office's support line to call back. Personal data: purged."""

    __tablename__ = "callback_requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Short code read on the phone, e.g. K7F-42Q (services.references).
    reference: Mapped[str] = mapped_column(String(16), unique=True)
    # One per form submission: a double click or a rerun finds the same row.
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    # Hash of the browser session, for the rate limit; not personal data.
    client_key: Mapped[str] = mapped_column(String(64), index=True)
    # Hash of the client's address (services.client_address), for the rate limit across servers:
    # the browser session changes when it reconnects to another server, the address does not.
    address_key: Mapped[str | None] = mapped_column(String(64), index=True)
    name: Mapped[str] = mapped_column(String(120))
    company: Mapped[str] = mapped_column(String(200))
    siret: Mapped[str | None] = mapped_column(String(14))
    # E.164, e.g. +33321726653.
    phone: Mapped[str] = mapped_column(String(20))
    email: Mapped[str | None] = mapped_column(String(254))
    topic: Mapped[str] = mapped_column(String(64))
    message: Mapped[str] = mapped_column(Text, default="")
    # Start and end of the slot the supplier chose; null means "as soon as possible".
    preferred_start: Mapped[datetime | None]
    preferred_end: Mapped[datetime | None]
    # new → called → resolved (or cancelled); the staff space moves it along (services.callbacks).
    status: Mapped[str] = mapped_column(String(16), default="new", index=True)
    staff_note: Mapped[str | None] = mapped_column(Text)
    consent_at: Mapped[datetime]
    created_at: Mapped[datetime] = mapped_column(default=utc_now, index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utc_now, onupdate=utc_now)
    handled_at: Mapped[datetime | None]


class Case(Base):
    """A supplier's case reference for phone support: what the checker saw and where
    the supplier is stuck. Personal data: purged with the callbacks."""

    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    # Last PDF check report, in the checker's JSON form (DESIGN.md).
    last_report: Mapped[dict[str, Any] | None]
    guide_slug: Mapped[str | None] = mapped_column(String(64))
    guide_step: Mapped[int | None]
    # The supplier agreed to share the picture of their invoice's page with the office.
    consent: Mapped[bool] = mapped_column(Boolean, default=False)
    # PNG of the checked invoice's first page (values outlined), kept only with `consent`.
    # Deferred: the staff view loads it, nothing else does.
    page_image: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    callback_id: Mapped[int | None] = mapped_column(ForeignKey("callback_requests.id", ondelete="SET NULL"))
    # The Chorus Pro status the supplier last looked at on /suivre-ma-facture (e.g. A_RECYCLER),
    # whether the kiosk read it live in Chorus Pro (else the supplier picked it), and when.
    invoice_status: Mapped[str | None] = mapped_column(String(40))
    invoice_status_live: Mapped[bool | None] = mapped_column(Boolean)
    invoice_status_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utc_now, index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utc_now, onupdate=utc_now)


class CheckEvent(Base):
    """One invoice check, for the office's numbers: when and what verdict. Anonymous (no
    file name, no value, no session): kept after the retention purge."""

    __tablename__ = "check_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    verdict: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(default=utc_now, index=True)


class CheckEventIssue(Base):
    """An issue code found by one check (each code once per check)."""

    __tablename__ = "check_event_issues"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("check_events.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(64), index=True)
    severity: Mapped[str] = mapped_column(String(16))


class KioskMeta(Base):
    """Small key/value facts about the installation, e.g. the last retention purge."""

    __tablename__ = "kiosk_meta"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(255))
    updated_at: Mapped[datetime] = mapped_column(default=utc_now, onupdate=utc_now)


class OutboxMessage(Base):
    """An e-mail to send (services.notify): written in the same transaction as what it is
    about, delivered later by a sender, exactly once as the recipient sees it.

    `raw` is the whole message, ready for SMTP, with its Message-ID: a retry after a crash
    sends the very same bytes, so a mail client shows a possible second copy as one.
    Personal data: deleted with its callback request (ON DELETE CASCADE), digests after the
    retention period."""

    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # 'team' (a callback for the office), 'confirmation' (to the supplier), 'digest'.
    kind: Mapped[str] = mapped_column(String(16))
    callback_id: Mapped[int | None] = mapped_column(
        ForeignKey("callback_requests.id", ondelete="CASCADE"), index=True)
    # One message per purpose ('team:K7F-42Q', 'digest:2026-12-02'): a second writer fails.
    dedup_key: Mapped[str] = mapped_column(String(80), unique=True)
    message_id: Mapped[str] = mapped_column(String(255), unique=True)
    sender: Mapped[str] = mapped_column(String(254))
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(255))
    raw: Mapped[str] = mapped_column(Text)
    # pending (first try or retrying) → sent, or failed (permanent refusal, or too many tries).
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utc_now, index=True)
    # The claim: a sender owns the row until `locked_until` (a lease; a crashed sender's
    # claim runs out and another one takes the row over).
    locked_by: Mapped[str | None] = mapped_column(String(64))
    locked_until: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    # The server's answer to the accepted message (e.g. '250 2.0.0 Ok: queued as 4F2A').
    smtp_response: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utc_now, index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utc_now, onupdate=utc_now)


class LoginFailure(Base):
    """Wrong staff passwords counted for one key (a name, a browser session, a client address),
    shared by every server (services.staff_auth.LoginThrottle). Only a hash of the key is kept;
    a row is deleted on success or an hour after its last failure."""

    __tablename__ = "login_failures"

    key_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer)
    last_failure_at: Mapped[datetime] = mapped_column(index=True)
    locked_until: Mapped[datetime]
