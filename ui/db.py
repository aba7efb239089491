"""The kiosk's database, shared by every session of the Streamlit process.

The URL comes from DATABASE_URL (environment), else `DATABASE_URL` in
.streamlit/secrets.toml, else the default SQLite file. Migrations run once per
process and URL, when the first page is drawn; the retention purge runs then and
is re-checked at most once an hour (it runs when the last one is a day old).
"""

from __future__ import annotations

import logging
import os
import threading
import time
from dataclasses import dataclass

import streamlit as st
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from services.db import create_db_engine, database_url, make_session_factory
from services.migrate import upgrade_to_head
from services.office import Office
from services.retention import purge_if_due

log = logging.getLogger(__name__)
_PURGE_CHECK_EVERY_S = 3600


@dataclass(frozen=True)
class Database:
    url: str
    engine: Engine
    sessions: sessionmaker[Session]


def configured_url() -> str:
    url = os.environ.get("DATABASE_URL")
    if not url:
        try:
            url = st.secrets.get("DATABASE_URL")
        except Exception:  # no secrets.toml: not an error
            url = None
    return database_url(url)


@st.cache_resource(show_spinner=False)
def _open(url: str) -> Database:
    upgrade_to_head(url)
    engine = create_db_engine(url)
    return Database(url, engine, make_session_factory(engine))


class _PurgeClock:
    """When this process last asked the database whether a purge is due."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.checked_at: float | None = None


@st.cache_resource(show_spinner=False)
def _purge_clock(url: str) -> _PurgeClock:
    return _PurgeClock()


def get_database() -> Database:
    """The migrated database; raises if it cannot be reached (callers explain it)."""
    return _open(configured_url())


def run_housekeeping(office: Office) -> None:
    """Purge expired personal data if due. Never stops the page: errors are logged."""
    try:
        db = get_database()
        clock = _purge_clock(db.url)
        if not clock.lock.acquire(blocking=False):
            return
        try:
            if clock.checked_at is not None and time.monotonic() - clock.checked_at < _PURGE_CHECK_EVERY_S:
                return
            with db.sessions() as session:
                purge_if_due(session=session, retention_days=office.retention_days)
            clock.checked_at = time.monotonic()
        finally:
            clock.lock.release()
    except Exception:  # the guides must keep working without a database
        log.exception("database housekeeping failed")


def database_or_error(what: str) -> Database | None:
    """The database, or None after a French message that `what` cannot be shown."""
    try:
        return get_database()
    except Exception:  # noqa: BLE001 - a database outage must not break the staff page
        log.exception("database unavailable")
        st.error(f"La base de données ne répond pas : {what} ne peuvent pas être affichés.")
        return None
