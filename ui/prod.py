"""Production start: `python -m ui.prod [streamlit options]` (the Dockerfile's command too).

1. Logs go to stdout, one JSON line per event (services.json_logs), Streamlit's own included.
2. DATABASE_URL (environment) is required; the schema is brought to head once, before
   serving. Two servers starting together take turns: migrations/env.py holds a PostgreSQL
   advisory lock for the whole upgrade. A database that does not answer yet (a container
   starting beside it) is retried for KIOSK_DB_WAIT_S seconds (default 60).
3. Streamlit is served by ui.serve.main with production settings (PRODUCTION_FLAGS, the
   upload limit from office.toml), plus a readiness endpoint for the reverse proxy:
   GET /_kiosk/health answers 200 when Streamlit accepts browsers AND the database answers
   with its schema at head, else 503 (JSON either way, no personal data).

Options after the command are Streamlit's and come after ours, e.g.
`python -m ui.prod --server.port 8502 --server.address 0.0.0.0`.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
import time
from collections.abc import Callable

from services.db import create_db_engine, database_url
from services.json_logs import configure_json_logging, json_handler
from services.migrate import head_revision, upgrade_to_head
from services.office import get_office

log = logging.getLogger("ui.prod")

HEALTH_PATH = "/_kiosk/health"
HEALTH_TIMEOUT_S = 3.0
# PDFs up to twice Chorus Pro's limit are accepted so that the checker explains the limit in
# French; anything bigger is refused before it reaches memory (each upload is held in RAM).
UPLOAD_MARGIN_FACTOR = 2

PRODUCTION_FLAGS = [
    "--server.headless", "true",
    "--client.toolbarMode", "viewer",
    "--client.showErrorDetails", "none",
    "--server.enableXsrfProtection", "true",
    "--server.enableCORS", "true",
    "--server.fileWatcherType", "none",
    "--server.runOnSave", "false",
    "--browser.gatherUsageStats", "false",
    "--logger.level", "info",
    # Streamlit runs a full gc.collect() after every script run: with the checker's libraries
    # loaded that was ~70% of a page view's CPU (about 200 ms on a busy 2-core machine, profiled
    # with benchmarks/bench_load.py's client). Python's own generational collector still runs.
    "--runner.postScriptGC", "false",
]


def upload_limit_mb() -> int:
    return get_office().max_pdf_mb * UPLOAD_MARGIN_FACTOR


def streamlit_args(argv: list[str]) -> list[str]:
    """The options given to Streamlit: ours, then the caller's (the last one wins)."""
    return [*PRODUCTION_FLAGS, "--server.maxUploadSize", str(upload_limit_mb()), *argv]


def shown_url(url: str) -> str:
    """The URL without user or password, for the logs."""
    return url.split("@")[-1] if "@" in url else url


def migrate_when_reachable(url: str, wait_s: float) -> str:
    deadline = time.monotonic() + wait_s
    while True:
        try:
            revision = upgrade_to_head(url)
        except Exception as exc:  # noqa: BLE001 - any failure: retry until the deadline
            if time.monotonic() >= deadline:
                raise
            log.warning("database not ready (%s), retrying", type(exc).__name__)
            time.sleep(2)
            continue
        log.info("schema at revision %s on %s", revision, shown_url(url))
        return revision


def readiness_check(url: str) -> Callable[[], dict]:
    """A blocking probe: the database answers and its schema is the code's."""
    from sqlalchemy import text

    engine = create_db_engine(url)
    head = head_revision()

    def probe() -> dict:
        with engine.connect() as connection:
            revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
        return {"database": "ok" if revision == head else f"schema {revision}, code {head}"}

    return probe


def install_health_route(url: str) -> None:
    """Add GET /_kiosk/health to the app Streamlit builds (Starlette, Streamlit ≥ 1.5x).

    Streamlit offers custom routes only through `st.App`, which would bypass ui.serve; its
    own `create_streamlit_routes(runtime)` is wrapped instead, so the route sits beside
    /_stcore/health, before the single-page fallback, and knows the runtime.
    """
    from starlette.responses import JSONResponse
    from starlette.routing import Route
    from streamlit.web.server.starlette import starlette_app

    original = starlette_app.create_streamlit_routes
    if getattr(original, "kiosk_health", False):
        return
    probe = readiness_check(url)

    def with_health(runtime):
        async def health(_request):
            ready, _message = await runtime.is_ready_for_browser_connection
            body = {"streamlit": "ok" if ready else "starting"}
            try:
                body.update(await asyncio.wait_for(asyncio.to_thread(probe), HEALTH_TIMEOUT_S))
            except Exception as exc:  # noqa: BLE001 - any failure means "not ready"
                body["database"] = f"unavailable ({type(exc).__name__})"
            ok = ready and body.get("database") == "ok"
            if not ok:
                log.warning("not ready: %s", body)
            return JSONResponse({"status": "ok" if ok else "unavailable", **body}, status_code=200 if ok else 503,
                                headers={"Cache-Control": "no-store"})

        return [Route(HEALTH_PATH, health, methods=["GET", "HEAD"]), *original(runtime)]

    with_health.kiosk_health = True
    starlette_app.create_streamlit_routes = with_health


def route_streamlit_logs_to_json() -> None:
    """Streamlit gives each of its loggers its own console handler and prints its banner with
    click: both become JSON lines."""
    from streamlit import cli_util
    from streamlit import logger as st_logger

    def setup_formatter(logger: logging.Logger) -> None:
        if hasattr(logger, "streamlit_console_handler"):
            logger.removeHandler(logger.streamlit_console_handler)
        logger.streamlit_console_handler = json_handler()
        logger.addHandler(logger.streamlit_console_handler)

    st_logger.setup_formatter = setup_formatter
    st_logger.update_formatter()
    banner = logging.getLogger("streamlit.banner")

    def print_to_cli(message: str, **_style) -> None:
        if message.strip():
            banner.info(message)

    cli_util.print_to_cli = print_to_cli


def main(argv: list[str] | None = None) -> int:
    from ui import serve

    argv = sys.argv[1:] if argv is None else argv
    configure_json_logging()
    route_streamlit_logs_to_json()
    if not os.environ.get("DATABASE_URL"):
        log.error("DATABASE_URL is not set: the production start needs the shared database")
        return 2
    url = database_url(os.environ["DATABASE_URL"])
    try:
        get_office()
        migrate_when_reachable(url, float(os.environ.get("KIOSK_DB_WAIT_S", "60")))
    except Exception:
        log.exception("start aborted")
        return 1
    install_health_route(url)
    log.info("serving with upload limit %s MB", upload_limit_mb())
    return serve.main(streamlit_args(argv))


if __name__ == "__main__":
    sys.exit(main())
