"""/_kiosk/health, the readiness the proxy and the container poll: 200 only when Streamlit is
ready and the database answers with its schema at head."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from starlette.applications import Starlette
from starlette.testclient import TestClient
from streamlit.web.server.starlette import starlette_app

from ui import prod


class FakeRuntime:
    def __init__(self, ready: bool):
        self.ready = ready

    @property
    def is_ready_for_browser_connection(self):
        async def answer():
            return self.ready, "ok" if self.ready else "starting"
        return answer()


def health(monkeypatch, url: str, ready: bool = True):
    monkeypatch.setattr(starlette_app, "create_streamlit_routes", lambda runtime: [])
    prod.install_health_route(url)
    with TestClient(Starlette(routes=starlette_app.create_streamlit_routes(FakeRuntime(ready)))) as client:
        return client.get(prod.HEALTH_PATH)


def test_ready_with_a_migrated_database(monkeypatch, migrated_db_url):
    answer = health(monkeypatch, migrated_db_url)
    assert answer.status_code == 200
    assert answer.json() == {"status": "ok", "streamlit": "ok", "database": "ok"}
    assert answer.headers["cache-control"] == "no-store"


def test_not_ready_while_streamlit_starts(monkeypatch, migrated_db_url):
    answer = health(monkeypatch, migrated_db_url, ready=False)
    assert answer.status_code == 503 and answer.json()["streamlit"] == "starting"


def test_not_ready_when_the_schema_is_behind(monkeypatch, fresh_db):
    answer = health(monkeypatch, fresh_db())  # empty: no alembic_version table
    assert answer.status_code == 503 and answer.json()["database"].startswith("unavailable")


def test_not_ready_without_a_database(monkeypatch):
    answer = health(monkeypatch, "postgresql://postgres@127.0.0.1:9/nothing")
    assert answer.status_code == 503
    assert answer.json() == {"status": "unavailable", "streamlit": "ok",
                             "database": "unavailable (OperationalError)"}


def test_the_production_start_refuses_to_run_without_database_url():
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    run = subprocess.run([sys.executable, "-m", "ui.prod"], cwd=Path(__file__).resolve().parents[2], env=env,
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 2
    event = json.loads(run.stdout.strip().splitlines()[-1])
    assert event["level"] == "ERROR" and "DATABASE_URL" in event["message"]
