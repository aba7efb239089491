"""Deliver the e-mail outbox from the command line (for a scheduler such as cron or systemd).

    python -m services.notify --once     # queue the digest if due, send what is due, exit
    python -m services.notify --loop     # keep doing it every few seconds (Ctrl-C stops)

The database is DATABASE_URL (environment, else .streamlit/secrets.toml, else the default
SQLite file); the mail server comes from the environment or secrets.toml (see config.py).
Exit status: 0 done, 1 some messages wait or failed, 2 settings to fix.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import threading

from services.db import create_db_engine, database_url, make_session_factory
from services.migrate import upgrade_to_head
from services.notify.config import SmtpConfigError, load_smtp_config, read_secrets_file
from services.notify.sender import POLL_SECONDS, Sender
from services.office import OfficeConfigError, load_office


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m services.notify", description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--once", action="store_true", help="send what is due, then exit")
    mode.add_argument("--loop", action="store_true", help="keep sending until stopped")
    parser.add_argument("--poll", type=float, default=POLL_SECONDS, help="seconds between turns with --loop")
    parser.add_argument("--url", help="database URL (default: DATABASE_URL, secrets.toml, data/kiosk.db)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    try:
        secrets = read_secrets_file()
        office = load_office()
        smtp = load_smtp_config(secrets=secrets, environ=os.environ)
        url = database_url(args.url or os.environ.get("DATABASE_URL") or secrets.get("DATABASE_URL"))
    except (SmtpConfigError, OfficeConfigError, ValueError) as exc:
        print(f"Configuration : {exc}", file=sys.stderr)
        return 2
    if smtp is None:
        print("Aucun serveur de messagerie configuré (KIOSK_SMTP_HOST ou [smtp] dans secrets.toml) : "
              "les messages attendent dans la file.", file=sys.stderr)
        return 2
    try:
        upgrade_to_head(url)
    except Exception as exc:  # noqa: BLE001 - a short French line, not a traceback
        print(f"Base de données injoignable ({url.split('@')[-1]}) : {type(exc).__name__}", file=sys.stderr)
        return 2
    engine = create_db_engine(url)
    try:
        sender = Sender(make_session_factory(engine), office, smtp)
        if args.loop:
            stop = threading.Event()
            try:
                sender.run_forever(stop, poll_seconds=args.poll)
            except KeyboardInterrupt:
                stop.set()
            return 0
        report = sender.run_once()
        print(f"Envoyés : {report.sent} · à réessayer : {report.retrying} · en échec : {report.failed}"
              + (" · résumé du matin mis en file" if report.digests else ""))
        return 1 if report.retrying or report.failed else 0
    finally:
        engine.dispose()


if __name__ == "__main__":
    sys.exit(main())
