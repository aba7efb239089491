"""Alembic migrations own the schema: they build it, match the models, and go back."""

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from services.db import create_db_engine
from services.migrate import current_revision, downgrade_to, head_revision, main, upgrade_to_head
from services.models import Base

TABLES = {"callback_requests", "cases", "kiosk_meta", "check_events", "check_event_issues", "outbox_messages",
          "login_failures", "alembic_version"}


def test_upgrade_builds_every_table_and_is_idempotent(fresh_db):
    url = fresh_db()
    engine = create_db_engine(url)
    try:
        assert current_revision(engine) is None
        assert upgrade_to_head(url) == head_revision()
        assert upgrade_to_head(url) == head_revision()  # a second start changes nothing
        assert current_revision(engine) == head_revision()
        assert TABLES <= set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_models_match_migrations(migrated_db_url):
    engine = create_db_engine(migrated_db_url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            diff = compare_metadata(context, Base.metadata)
    finally:
        engine.dispose()
    assert diff == []


def test_cases_migration_can_be_undone_and_redone(fresh_db):
    url = fresh_db()
    upgrade_to_head(url)
    downgrade_to(url, "0001")
    engine = create_db_engine(url)
    try:
        assert "cases" not in inspect(engine).get_table_names()
        assert "callback_requests" in inspect(engine).get_table_names()
        downgrade_to(url, "base")
        assert inspect(engine).get_table_names() == ["alembic_version"]
        upgrade_to_head(url)
        assert TABLES <= set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_command_line_entry(fresh_db, capsys):
    url = fresh_db()
    assert main(["--url", url]) == 0
    out = capsys.readouterr().out
    assert f"revision {head_revision()}" in out


def test_outbox_migration_can_be_undone_and_redone(fresh_db):
    url = fresh_db()
    upgrade_to_head(url)
    downgrade_to(url, "0004")  # the revision before the outbox's (0005)
    engine = create_db_engine(url)
    try:
        assert "outbox_messages" not in inspect(engine).get_table_names()
        assert "callback_requests" in inspect(engine).get_table_names()
        upgrade_to_head(url)
        assert "outbox_messages" in inspect(engine).get_table_names()
    finally:
        engine.dispose()
