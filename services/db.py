"""One database engine from DATABASE_URL, and a session factory.

The URL comes from the caller (the UI reads it from the environment or Streamlit
secrets), else from the DATABASE_URL environment variable, else a SQLite file under
data/ in the project. SQLite runs in WAL mode with a busy timeout and takes its write
lock at the start of each transaction, so concurrent submissions queue instead of
failing; PostgreSQL is reached through psycopg 3 (`postgresql+psycopg://`).

The schema is never created here: migrations (services.migrate) own it.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from services.office import PROJECT_ROOT

DEFAULT_URL = "sqlite:///data/kiosk.db"
SQLITE_BUSY_TIMEOUT_MS = 15_000


class DatabaseUrlError(ValueError):
    """DATABASE_URL names a database the kiosk cannot use."""


def database_url(explicit: str | None = None) -> str:
    """The URL to use: the caller's, else DATABASE_URL, else the default SQLite file.

    Short forms are completed: `postgres://` and `postgresql://` use psycopg 3, and a
    relative SQLite path is taken from the project folder, not the current folder.
    """
    raw = (explicit or os.environ.get("DATABASE_URL") or DEFAULT_URL).strip()
    for prefix in ("postgres://", "postgresql://"):
        if raw.startswith(prefix):
            raw = "postgresql+psycopg://" + raw[len(prefix):]
    try:
        url = make_url(raw)
    except Exception as exc:  # sqlalchemy raises ArgumentError, keep the message short
        raise DatabaseUrlError(f"DATABASE_URL illisible : {exc}") from None
    backend = url.get_backend_name()
    if backend == "sqlite":
        database = url.database or ""
        if database and database != ":memory:" and not database.startswith("file:"):
            path = Path(database)
            if not path.is_absolute():
                path = PROJECT_ROOT / path
            url = url.set(database=str(path))
    elif backend == "postgresql":
        if url.drivername != "postgresql+psycopg":
            url = url.set(drivername="postgresql+psycopg")
    else:
        raise DatabaseUrlError(f"Base de données non prise en charge : {backend} (SQLite ou PostgreSQL).")
    return url.render_as_string(hide_password=False)


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def _prepare_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        # Take the write lock up front: a deferred transaction that reads, then writes,
        # fails at once with "database is locked" when another writer got in between;
        # an immediate one waits for the busy timeout instead.
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def create_db_engine(url: str | None = None, *, echo: bool = False) -> Engine:
    """A new engine for `url` (see `database_url`). Create it once per process."""
    resolved = database_url(url)
    if is_sqlite(resolved):
        database = make_url(resolved).database or ""
        if database and database != ":memory:" and not database.startswith("file:"):
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            resolved,
            echo=echo,
            connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
        )
        _prepare_sqlite(engine)
        return engine
    return create_engine(resolved, echo=echo, pool_pre_ping=True, pool_size=5, max_overflow=10,
                         connect_args={"connect_timeout": 5})


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions bound to `engine`; objects stay readable after commit."""
    return sessionmaker(bind=engine, expire_on_commit=False)


# --- one server at a time -----------------------------------------------------------------
# Several kiosk servers share one database. Work that must not run twice at once (the retention
# purge, a callback's rate-limit check and insert) holds a lock named after it until its
# transaction ends: a PostgreSQL advisory lock, or on SQLite the database's single write lock,
# which every transaction takes when it begins (BEGIN IMMEDIATE, above).


def lock_id(name: str) -> int:
    """The 64-bit number PostgreSQL's advisory locks take, derived from a readable name."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


def hold_lock(session: Session, name: str) -> None:
    """Wait for the lock `name`; it is released when the session's transaction ends."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": lock_id(name)})
    else:
        session.execute(text("SELECT 1"))  # begins the transaction, hence takes the write lock


def try_lock(session: Session, name: str) -> bool:
    """Take the lock `name` if nobody holds it (until the transaction ends); False otherwise.
    On SQLite this waits for the write lock like any transaction (busy timeout), then True."""
    if session.get_bind().dialect.name == "postgresql":
        return bool(session.scalar(text("SELECT pg_try_advisory_xact_lock(:id)"), {"id": lock_id(name)}))
    session.execute(text("SELECT 1"))
    return True
