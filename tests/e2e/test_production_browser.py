"""Production as plain processes: two kiosk servers started with the production command
(`python -m ui.prod`, the Dockerfile's CMD) on one throw-away PostgreSQL database, nginx from
deploy/nginx/ in front, Chromium through the proxy.

A supplier goes home, through a guide, checks a real PDF (verdict and page pictures), asks for
a callback; the server they are on is stopped; their page reconnects through nginx to the other
server, and an agent signed in there finds the callback and the supplier's case. No page breaks
the Content-Security-Policy; the headers are checked through the proxy.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time

import httpx
import pytest
from argon2 import PasswordHasher
from playwright.sync_api import expect

from tests.conftest import CORPUS
from tests.e2e.conftest import (
    ROOT, Server, free_port, open_page, screenshot, stop_server, upload_invoice, wait_idle, wait_until_ready,
)
from tests.e2e.proxy import start_proxy

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]

# What the Dockerfile runs (tests/test_deploy.py keeps them in step), plus loopback options.
PRODUCTION_COMMAND = [sys.executable, "-m", "ui.prod"]
PASSWORD = "un mot de passe assez long"
HASH = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash(PASSWORD)
INVOICE = CORPUS / "synthetic" / "inv-049.pdf"
# Logs a violation even where Chromium would only report it to a report-uri.
CSP_LISTENER = """document.addEventListener('securitypolicyviolation', e =>
  console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));"""


def start_production_servers(tmp_dir, env_extra: dict, count: int = 2) -> list[Server]:
    """`count` servers started together (they race for the migrations), ready when
    /_kiosk/health says so (Streamlit up and database at head)."""
    env = {**os.environ, **env_extra}
    servers = []
    for _ in range(count):
        port = free_port()
        log_path = tmp_dir / f"kiosk-{port}.log"
        process = subprocess.Popen(
            [*PRODUCTION_COMMAND, "--server.port", str(port), "--server.address", "127.0.0.1"],
            cwd=ROOT, env=env, stdout=log_path.open("w"), stderr=subprocess.STDOUT)
        servers.append(Server(f"http://127.0.0.1:{port}", process, log_path))
    for srv in servers:  # all started at once: waiting for each in turn costs no more
        wait_until_ready(srv.process, f"{srv.url}/_kiosk/health", what="kiosk server", log=srv.log, timeout=90)
    return servers


@pytest.fixture(scope="module")
def production(postgres_server, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("production")
    database = postgres_server.new_database()  # empty: the servers migrate it
    servers = start_production_servers(tmp, {
        "DATABASE_URL": database,
        "KIOSK_STAFF_USERS": f"agent.test:{HASH}",
        "KIOSK_SERVERS": "2",
        "STREAMLIT_SERVER_COOKIE_SECRET": "shared-by-every-server-of-the-test",
        "STREAMLIT_SECRETS_FILES": str(tmp / "no-secrets.toml"),
    })
    proxy = start_proxy(tmp, [int(srv.url.rsplit(":", 1)[1]) for srv in servers])
    yield proxy, servers, database
    proxy.stop()
    for srv in servers:
        stop_server(srv)
    for srv in servers:
        for line in srv.log().splitlines():
            assert line.startswith("{"), f"not a JSON log line: {line[:200]}"


def new_page(browser, violations: list[str]):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    context.add_init_script(CSP_LISTENER)
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    pg.on("console", lambda msg: violations.append(f"{pg.url}: {msg.text}")
          if ("Content Security Policy" in msg.text or "CSP violation" in msg.text) else None)
    return context, pg


def sign_in(pg, username: str, password: str) -> None:
    pg.get_by_label("Identifiant").fill(username)
    pg.get_by_label("Mot de passe", exact=True).fill(password)
    pg.get_by_role("button", name="Se connecter").click()
    wait_idle(pg)


def test_headers_through_the_proxy(production):
    proxy, _servers, _database = production
    home = httpx.get(proxy.url + "/")
    assert home.status_code == 200
    csp = home.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "'unsafe-eval'" not in csp
    script_src = re.search(r"script-src ([^;]+)", csp).group(1)
    assert "'unsafe-inline'" not in script_src and "'sha256-" in script_src  # inline scripts by hash only
    assert home.headers["x-content-type-options"] == "nosniff"
    assert home.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert home.headers["x-frame-options"] == "DENY"
    assert re.match(r"kiosk_server=[0-9a-f]{32}; Path=/; HttpOnly; SameSite=Lax", home.headers["set-cookie"])
    # Once the browser has its cookie, nginx sends no new one.
    cookie = home.headers["set-cookie"].split(";")[0]
    again = httpx.get(proxy.url + "/", headers={"Cookie": cookie})
    assert "kiosk_server" not in again.headers.get("set-cookie", "")
    script = re.search(r'src="\.?/?(static/js/[^"]+\.js)"', home.text).group(1)
    asset = httpx.get(f"{proxy.url}/{script}", headers={"Accept-Encoding": "gzip"})
    assert asset.headers.get("content-encoding") == "gzip"
    assert asset.headers["x-content-type-options"] == "nosniff"
    health = httpx.get(proxy.url + "/_kiosk/health")
    assert health.status_code == 200 and health.json() == {"status": "ok", "streamlit": "ok", "database": "ok"}
    # A file far above the upload limit is refused by nginx before any server holds it.
    big = httpx.post(proxy.url + "/_stcore/upload_file/x/y", content=b"0" * (30 * 1024 * 1024))
    assert big.status_code == 413


def test_staff_sign_in_throttled_across_servers(production, browser):
    """Wrong passwords on one server lock the name on the other too (counters in the database)."""
    _proxy, (first, second), _database = production
    violations: list[str] = []
    context_a, on_first = new_page(browser, violations)
    context_b, on_second = new_page(browser, violations)
    try:
        open_page(on_first, first, "/agents")
        open_page(on_second, second, "/agents")
        wait_message = re.compile(r"attendez \d+ secondes")
        for _ in range(6):
            sign_in(on_first, "martin", "faux")
            if on_first.get_by_text(wait_message).count():
                break
        expect(on_first.get_by_text(wait_message)).to_be_visible()
        sign_in(on_second, "martin", "faux")
        expect(on_second.get_by_text(wait_message)).to_be_visible()
    finally:
        context_a.close()
        context_b.close()


def test_supplier_journey_survives_losing_their_server(production, browser):
    proxy, servers, _database = production
    violations: list[str] = []
    before = len(proxy.access_log())
    context, pg = new_page(browser, violations)
    agent_context, agent = new_page(browser, violations)
    try:
        entry = Server(proxy.url, servers[0].process, servers[0].log_path)  # the proxy's address
        open_page(pg, entry, "/")
        expect(pg.locator("h1").first).to_contain_text("Faire payer votre facture")
        open_page(pg, entry, "/deposer-une-facture")
        pg.get_by_role("button", name="Suivant").click()
        wait_idle(pg)
        expect(pg.get_by_role("heading", name=re.compile(r"^Étape 2 "))).to_be_visible()

        for path in ("/creer-mon-compte", "/suivre-ma-facture?statut=A_RECYCLER",
                     "/presentation?guide=deposer-une-facture&etape=3"):
            open_page(pg, entry, path)

        open_page(pg, entry, "/verifier-ma-facture")
        upload_invoice(pg, INVOICE)
        expect(pg.locator(".cp-verdict")).to_be_visible()
        pg.locator("img").last.scroll_into_view_if_needed()  # the page pictures (/media) load
        wait_idle(pg)
        assert pg.evaluate("() => [...document.images].every(i => i.complete && i.naturalWidth > 0)")
        code = pg.locator(".case-ref-code").inner_text().strip()
        verdict = pg.locator(".cp-verdict").inner_text().splitlines()[1].strip()
        screenshot(pg, "production-checker")

        open_page(pg, entry, "/aide?sujet=paiement")
        pg.get_by_role("textbox", name="Votre nom", exact=True).fill("Marie Prod")
        pg.get_by_role("textbox", name="Votre entreprise ou association", exact=True).fill("SARL Prod")
        pg.get_by_role("textbox", name="Téléphone où vous joindre", exact=True).fill("06 12 34 56 78")
        pg.get_by_text("J'accepte que l'office garde ces informations").click()
        pg.get_by_role("button", name="Envoyer ma demande de rappel").click()
        wait_idle(pg)
        reference = pg.locator(".callback-ref").inner_text().strip()

        # Sticky: every request of this browser went to one server.
        upstreams = {line["upstream"] for line in proxy.access_log()[before:] if line["upstream"]}
        assert len(upstreams) == 1, upstreams
        port = upstreams.pop().rsplit(":", 1)[1]
        lost = next(srv for srv in servers if srv.url.endswith(f":{port}"))
        other = next(srv for srv in servers if srv is not lost)

        stop_server(lost)
        # The same page, not reloaded, reconnects through nginx to the other server: a click works
        # again once it has (a click made while it reconnects may be dropped: try again).
        answer = pg.get_by_text("Le support national de Chorus Pro")
        deadline = time.monotonic() + 60
        while not answer.count() and time.monotonic() < deadline:
            pg.get_by_role("radiogroup").get_by_text("J'ai perdu mon mot de passe ou mon identifiant",
                                                     exact=True).click()
            try:
                answer.wait_for(timeout=5_000)
            except Exception:  # noqa: BLE001 - still reconnecting
                pass
        expect(answer).to_be_visible()

        # An agent, through the proxy (so on the remaining server), finds what the supplier left.
        open_page(agent, entry, f"/agents?rappel={reference}")
        sign_in(agent, "agent.test", PASSWORD)
        expect(agent.get_by_text("Marie Prod").first).to_be_visible()
        agent.get_by_role("tab", name="Dossier d'un fournisseur").click()
        wait_idle(agent)
        agent.get_by_label("Code du fournisseur").fill(code)
        agent.get_by_label("Code du fournisseur").press("Enter")
        wait_idle(agent)
        expect(agent.get_by_text(f"Dossier {code}")).to_be_visible()
        expect(agent.locator(".cp-verdict")).to_contain_text(verdict)
        screenshot(agent, "production-agent-after-failover")
        after = {line["upstream"] for line in proxy.access_log() if line["path"].startswith("/agents")}
        assert other.url.rsplit("/", 1)[1] in ",".join(after)
        assert violations == [], "\n".join(sorted(set(v.split(": ", 1)[1] for v in violations)))
    finally:
        context.close()
        agent_context.close()
