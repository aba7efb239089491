"""Engine and URL handling."""

from pathlib import Path

import pytest
from sqlalchemy import text

from services.db import DEFAULT_URL, DatabaseUrlError, create_db_engine, database_url
from services.office import PROJECT_ROOT


def test_default_is_a_sqlite_file_under_data(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert DEFAULT_URL == "sqlite:///data/kiosk.db"
    assert database_url() == f"sqlite:///{PROJECT_ROOT / 'data' / 'kiosk.db'}"


def test_environment_and_short_postgres_forms(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@db:5432/kiosk")
    assert database_url() == "postgresql+psycopg://u:p@db:5432/kiosk"
    assert database_url("postgresql://h/k") == "postgresql+psycopg://h/k"
    assert database_url("sqlite:////tmp/x.db") == "sqlite:////tmp/x.db"


def test_unsupported_or_broken_urls_are_refused():
    with pytest.raises(DatabaseUrlError):
        database_url("mysql://root@localhost/x")
    with pytest.raises(DatabaseUrlError):
        database_url("not a url")


def test_sqlite_file_gets_its_folder_wal_and_busy_timeout(tmp_path):
    path = tmp_path / "new" / "folder" / "kiosk.db"
    engine = create_db_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 5000
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert path.parent.is_dir()
    finally:
        engine.dispose()


def test_data_folder_is_ignored_by_git():
    assert "data/" in Path(PROJECT_ROOT / ".gitignore").read_text().split()


def test_engine_reaches_the_database(engine):
    with engine.connect() as conn:
        assert conn.execute(text("SELECT 1")).scalar() == 1
