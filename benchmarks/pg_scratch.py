"""A throw-away PostgreSQL database for a benchmark run, dropped afterwards."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from sqlalchemy.engine import make_url

from services.db import database_url


@contextmanager
def scratch_postgres(admin: str) -> Iterator[str | None]:
    """Yield the SQLAlchemy URL of a fresh database on `admin`'s server, or None (with a
    printed reason) when no server answers."""
    url = make_url(database_url(admin))
    name = f"kiosk_bench_{uuid.uuid4().hex[:8]}"
    libpq = url.set(drivername="postgresql").render_as_string(hide_password=False)
    try:
        with psycopg.connect(libpq, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as exc:
        print(f"PostgreSQL skipped: {exc}")
        yield None
        return
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(libpq, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
