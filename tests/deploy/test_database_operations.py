"""What the README's « Production » section tells the office to do with PostgreSQL, done for real:
two servers migrating an empty database at once, and a backup restored into another database."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.engine import make_url

from services.callbacks import CallbackForm, create_callback
from services.cases import create_case, move_case
from services.db import create_db_engine, make_session_factory
from services.migrate import current_revision, head_revision, upgrade_to_head
from services.models import Base
from services.office import get_office
from tests.db_fixtures import PostgresServer

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.postgres


def libpq(url: str) -> str:
    """The URL as pg_dump and pg_restore read it (no SQLAlchemy driver name)."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def test_two_servers_migrating_an_empty_database_at_once(postgres_server: PostgresServer):
    url = postgres_server.new_database()
    env = {**os.environ, "DATABASE_URL": url}
    runs = [subprocess.Popen([sys.executable, "-m", "services.migrate"], cwd=ROOT, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) for _ in range(3)]
    outputs = [run.communicate(timeout=120)[0] for run in runs]
    assert [run.returncode for run in runs] == [0, 0, 0], outputs
    engine = create_db_engine(url)
    try:
        assert current_revision(engine) == head_revision()
    finally:
        engine.dispose()


def _rows(url: str) -> dict[str, list[tuple]]:
    engine = create_db_engine(url)
    try:
        with engine.connect() as connection:
            tables = {table.name: sorted(map(tuple, connection.execute(select(table)).all()), key=repr)
                      for table in Base.metadata.sorted_tables}
            tables["alembic_version"] = connection.execute(text("SELECT version_num FROM alembic_version")).all()
            return tables
    finally:
        engine.dispose()


@pytest.mark.skipif(not (shutil.which("pg_dump") and shutil.which("pg_restore")),
                    reason="pg_dump/pg_restore not installed (.ci/run installs postgresql-client)")
def test_backup_and_restore_with_pg_dump(postgres_server: PostgresServer, tmp_path):
    office = get_office()
    source = postgres_server.new_database()
    upgrade_to_head(source)
    engine = create_db_engine(source)
    try:
        with make_session_factory(engine)() as session:
            for number in range(3):
                outcome = create_callback(
                    session=session, office=office, topics={"autre"}, idempotency_key=f"backup-{number}",
                    client_key=f"backup-{number}", now=datetime.now(UTC),
                    request=CallbackForm(name=f"Nom {number}", company="SARL Sauvegarde", phone="0612345678",
                                         topic="autre", message=f"message {number}", consent=True))
                assert outcome.status == "created"
            code = create_case(session=session, retention_days=office.retention_days,
                               guide_slug="deposer-une-facture", guide_step=1).code
            move_case(session=session, code=code, guide_slug="deposer-une-facture", guide_step=4,
                      retention_days=office.retention_days)
            session.commit()
    finally:
        engine.dispose()

    backup = tmp_path / "kiosk.dump"
    # The README's commands, word for word but for the URLs.
    subprocess.run(["pg_dump", "-Fc", "--no-owner", "-f", str(backup), libpq(source)], check=True)
    target = postgres_server.new_database()
    subprocess.run(["pg_restore", "--no-owner", "--exit-on-error", "-d", libpq(target), str(backup)], check=True)

    before, after = _rows(source), _rows(target)
    assert len(before["callback_requests"]) == 3 and len(before["cases"]) == 1
    assert after == before
    # The restored database is one the kiosk uses as is: nothing left to migrate.
    upgrade_to_head(target)
    assert _rows(target) == before
