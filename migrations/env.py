"""Alembic environment: the same URL and engine settings as the kiosk.

URL, in order: `config.attributes["url"]` (services.migrate), `-x url=...` on the
alembic command line, DATABASE_URL, the default SQLite file.
"""

from __future__ import annotations

import logging.config

from alembic import context
from sqlalchemy import text

from services.db import create_db_engine, database_url
from services.models import Base

config = context.config
if config.config_file_name and not config.attributes.get("skip_logging"):
    logging.config.fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = Base.metadata
# Any number; every kiosk process uses the same one to take turns migrating PostgreSQL.
_PG_LOCK_ID = 7_242_031


def _url() -> str:
    return database_url(config.attributes.get("url") or context.get_x_argument(as_dictionary=True).get("url"))


def run_migrations_offline() -> None:
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True,
                      render_as_batch=True, compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    engine = create_db_engine(_url())
    try:
        with engine.connect() as connection:
            with connection.begin():
                if connection.dialect.name == "postgresql":
                    # Two kiosk processes starting together must not both create the tables.
                    connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _PG_LOCK_ID})
                context.configure(connection=connection, target_metadata=target_metadata,
                                  render_as_batch=True, compare_type=True, transactional_ddl=True)
                context.run_migrations()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
