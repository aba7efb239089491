"""Bring the database schema up to date with Alembic.

    python -m services.migrate            # DATABASE_URL, else the default SQLite file
    python -m services.migrate --url URL

The kiosk calls `upgrade_to_head` once per process when it starts; `make run` calls
this module before Streamlit. Never `create_all`: the migrations are the schema.
"""

from __future__ import annotations

import argparse
import sys

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from services.db import database_url
from services.office import PROJECT_ROOT

ALEMBIC_INI = PROJECT_ROOT / "alembic.ini"


def alembic_config(url: str | None = None) -> Config:
    config = Config(str(ALEMBIC_INI))
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    config.attributes["url"] = database_url(url)
    # The caller (Streamlit, pytest) owns logging; do not reconfigure it.
    config.attributes["skip_logging"] = True
    return config


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade_to_head(url: str | None = None) -> str:
    """Apply every missing migration to the database at `url`; returns the head revision."""
    command.upgrade(alembic_config(url), "head")
    return head_revision()


def downgrade_to(url: str | None, revision: str) -> None:
    command.downgrade(alembic_config(url), revision)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m services.migrate", description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="database URL (default: DATABASE_URL, else data/kiosk.db)")
    args = parser.parse_args(argv)
    url = database_url(args.url)
    head = upgrade_to_head(url)
    shown = url.split("@")[-1] if "@" in url else url
    print(f"Database {shown}: schema at revision {head}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
