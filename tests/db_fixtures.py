"""Database fixtures: every test that takes `db_url` runs on SQLite AND PostgreSQL.

PostgreSQL: a fresh database is created for the test session on the server named
by TEST_POSTGRES_URL (default: postgres@127.0.0.1:5432/test, trust authentication)
and dropped at the end. Where no server answers, those tests are skipped with the
reason, and a summary line says so; under CI=true they fail instead.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator

import psycopg
import pytest
from sqlalchemy import Engine, delete
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from services.db import create_db_engine, database_url, make_session_factory
from services.migrate import upgrade_to_head
from services.models import Base

PG_ADMIN_URL = database_url(os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"))
BACKENDS = ("sqlite", "postgresql")
_SKIPPED_PG: list[str] = []


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def _libpq(url: str) -> str:
    parsed = make_url(url)
    return parsed.set(drivername="postgresql").render_as_string(hide_password=False)


def _probe_postgres() -> str | None:
    """None when the server answers, else why not."""
    try:
        with psycopg.connect(_libpq(PG_ADMIN_URL), connect_timeout=3) as conn:
            conn.execute("SELECT 1")
    except Exception as exc:  # any failure means "no usable server"
        return f"{type(exc).__name__}: {str(exc).strip().splitlines()[0] if str(exc).strip() else ''}"
    return None


class PostgresServer:
    """Creates throw-away databases on the test server; drops them at the end."""

    def __init__(self) -> None:
        self.created: list[str] = []

    def _admin(self) -> psycopg.Connection:
        return psycopg.connect(_libpq(PG_ADMIN_URL), autocommit=True, connect_timeout=5)

    def new_database(self) -> str:
        name = f"kiosk_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
        with self._admin() as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        self.created.append(name)
        return make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)

    def drop_all(self) -> None:
        with self._admin() as conn:
            for name in self.created:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.created.clear()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    reason = _probe_postgres()
    if reason:
        where = make_url(PG_ADMIN_URL).render_as_string(hide_password=True)
        message = f"PostgreSQL: no server answered at {where} ({reason})"
        if in_ci():
            pytest.fail(f"{message}; under CI=true PostgreSQL tests must run (see .ci/run).", pytrace=False)
        _SKIPPED_PG.append(message)
        pytest.skip(message)
    server = PostgresServer()
    yield server
    server.drop_all()


@pytest.fixture(scope="session", params=BACKENDS)
def db_backend(request) -> str:
    return request.param


@pytest.fixture(scope="session")
def fresh_db(db_backend, tmp_path_factory, request) -> Callable[[], str]:
    """A factory of new, empty (unmigrated) databases of the current backend."""
    if db_backend == "postgresql":
        server = request.getfixturevalue("postgres_server")
        return server.new_database
    folder = tmp_path_factory.mktemp("sqlite")
    counter = iter(range(1_000_000))
    return lambda: f"sqlite:///{folder / f'kiosk-{next(counter)}.db'}"


@pytest.fixture(scope="session")
def migrated_db_url(fresh_db) -> str:
    url = fresh_db()
    upgrade_to_head(url)
    return url


@pytest.fixture
def db_url(migrated_db_url) -> Iterator[str]:
    """URL of a migrated database with empty tables (SQLite, then PostgreSQL)."""
    engine = create_db_engine(migrated_db_url)
    try:
        with engine.begin() as conn:
            for table in reversed(Base.metadata.sorted_tables):
                conn.execute(delete(table))
    finally:
        engine.dispose()
    yield migrated_db_url


@pytest.fixture
def engine(db_url) -> Iterator[Engine]:
    eng = create_db_engine(db_url)
    yield eng
    eng.dispose()


@pytest.fixture
def session_factory(engine) -> sessionmaker[Session]:
    return make_session_factory(engine)


@pytest.fixture
def session(session_factory) -> Iterator[Session]:
    with session_factory() as s:
        yield s


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    skipped = [r for r in terminalreporter.stats.get("skipped", []) if "PostgreSQL: no server" in str(r.longrepr)]
    if skipped:
        terminalreporter.section("PostgreSQL tests skipped", sep="!", yellow=True, bold=True)
        terminalreporter.write_line(f"{len(skipped)} PostgreSQL test(s) skipped; their SQLite twins ran. "
                                    f"{_SKIPPED_PG[0] if _SKIPPED_PG else ''}")
        terminalreporter.write_line("Start PostgreSQL on 127.0.0.1:5432 (trust auth, database `test`) or set "
                                    "TEST_POSTGRES_URL, then run `make test` again. Under CI=true these tests fail instead.")
