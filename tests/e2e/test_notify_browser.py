"""A supplier asks for a callback in Chromium; the office's e-mail arrives at a real SMTP server
(aiosmtpd) within seconds; its link opens that request in /agents for a signed-in agent."""

import re
import time

import pytest
from argon2 import PasswordHasher
from playwright.sync_api import expect

from services.office import get_office
from tests.e2e.conftest import free_port, open_page, screenshot, start_server, stop_server, wait_idle
from tests.e2e.test_staff_browser import sign_in
from tests.smtp_server import SmtpTestServer

pytestmark = pytest.mark.e2e

PASSWORD = "un mot de passe assez long"
HASH = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash(PASSWORD)


@pytest.fixture(scope="module")
def smtp():
    with SmtpTestServer() as server:
        yield server


@pytest.fixture(scope="module")
def mail_server(tmp_path_factory, smtp):
    folder = tmp_path_factory.mktemp("e2e-notify")
    secrets = folder / "secrets.toml"
    secrets.write_text(f'[staff.users]\ncarpentier = "{HASH}"\n', encoding="utf-8")
    port = free_port()
    # Its own database: the suite's shared one (tests/conftest.py) holds other tests' unsent
    # e-mails, which this server's sender would deliver to our SMTP server first.
    srv = start_server(folder, {**smtp.env(), "DATABASE_URL": f"sqlite:///{folder / 'notify.db'}",
                                "STREAMLIT_SECRETS_FILES": str(secrets), "KIOSK_STAFF_USERS": "",
                                "KIOSK_URL": f"http://127.0.0.1:{port}", "KIOSK_BACKGROUND_SENDER": "1"}, port=port)
    yield srv
    stop_server(srv)


def test_callback_mail_arrives_and_its_link_opens_the_request(page, mail_server, smtp):
    office = get_office()
    open_page(page, mail_server, "/aide?sujet=paiement")
    dialog = page.get_by_role("dialog").filter(has_text="Page not found")
    if dialog.count():
        page.keyboard.press("Escape")
    page.get_by_role("textbox", name="Votre nom", exact=True).fill("Marie Durand")
    page.get_by_role("textbox", name="Votre entreprise ou association", exact=True).fill("Boulangerie Durand")
    page.get_by_role("textbox", name="Téléphone où vous joindre", exact=True).fill("06 12 34 56 78")
    page.get_by_role("textbox", name="Email (facultatif)", exact=True).fill("marie@boulangerie.example")
    page.get_by_role("textbox", name="Votre message (facultatif)", exact=True).fill("Facture F-12\nnon payée")
    page.get_by_text("J'accepte que l'office garde ces informations").click()
    page.get_by_role("button", name="Envoyer ma demande de rappel").click()
    wait_idle(page)
    page.get_by_text("Votre demande de rappel est bien enregistrée.").wait_for()
    asked = time.monotonic()
    reference = page.locator(".callback-ref").inner_text().strip()

    received = smtp.wait_for(2, timeout=60)
    delay = time.monotonic() - asked
    assert delay < 60, delay
    team = next(r for r in received if r.rcpt_tos == (office.notifications.team_email,))
    confirmation = next(r for r in received if r.rcpt_tos == ("marie@boulangerie.example",))
    assert reference in team.message["Subject"] and reference in confirmation.message["Subject"]
    assert "Facture F-12\nnon payée" in team.text()
    link = re.search(r"http://127\.0\.0\.1:\d+/agents\?rappel=[A-Z0-9-]+", team.text()).group(0)
    assert link == f"{mail_server.url}/agents?rappel={reference}"

    # The agent follows the link: signs in, and the request is open, its e-mails marked sent.
    open_page(page, mail_server, link.removeprefix(mail_server.url))
    sign_in(page, "carpentier", PASSWORD)
    expect(page.get_by_role("heading", name=f"Demande {reference}")).to_be_visible()
    card = page.locator(f".st-key-staff_cb_{reference}").first
    expect(card).to_contain_text("Marie Durand")
    expect(card).to_contain_text("Envoyé")
    expect(page.get_by_role("tab", name="Rappels demandés", selected=True)).to_be_visible()
    screenshot(page, "agents-lien-email-1280")
    assert len(smtp.received) == 2  # delivered once each
