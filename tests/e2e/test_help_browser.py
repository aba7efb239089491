"""/aide in Chromium: choose a topic, see its channel, ask for a callback, find the row.

Runs once against SQLite and once against PostgreSQL (one Streamlit server each).
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from services.db import create_db_engine, make_session_factory
from services.models import CallbackRequest
from services.office import get_office
from services.references import is_reference
from tests.e2e.conftest import browser_page, open_page, screenshot, start_server, stop_server, wait_idle

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def help_server(migrated_db_url, tmp_path_factory):
    srv = start_server(tmp_path_factory.mktemp("e2e-help"), {"DATABASE_URL": migrated_db_url})
    yield srv
    stop_server(srv)


@pytest.fixture(params=[(1280, 900), (390, 844)], ids=["desktop", "phone"])
def help_page(browser, help_server, request):
    width, height = request.param
    with browser_page(browser, help_server, request, width, height) as pg:
        yield pg


def find_row(url: str, reference: str) -> CallbackRequest | None:
    engine = create_db_engine(url)
    try:
        with make_session_factory(engine)() as session:
            return session.scalars(select(CallbackRequest).where(CallbackRequest.reference == reference)).first()
    finally:
        engine.dispose()


def open_help(pg, server, path: str = "/aide") -> None:
    open_page(pg, server, path)
    # Streamlit 1.67 shows "Page not found" on the very first deep link a fresh server
    # gets, then draws the right page anyway (seen on /creer-mon-compte too): close it.
    dialog = pg.get_by_role("dialog").filter(has_text="Page not found")
    if dialog.count():
        pg.keyboard.press("Escape")
        dialog.wait_for(state="detached")


def full_screenshot(pg, name: str) -> None:
    """Streamlit scrolls inside its main block: grow the window to show the whole page."""
    size = dict(pg.viewport_size)
    height = pg.evaluate("Math.max(...[...document.querySelectorAll('[data-testid=stMain], [data-testid=stAppViewContainer]')]"
                         ".map(e => e.scrollHeight), document.body.scrollHeight)")
    pg.set_viewport_size({"width": size["width"], "height": min(int(height) + 40, 6000)})
    pg.wait_for_timeout(200)
    screenshot(pg, name)
    pg.set_viewport_size(size)


def choose_topic(pg, label: str) -> None:
    pg.get_by_role("radiogroup").get_by_text(label, exact=True).click()
    wait_idle(pg)


def test_topic_channel_and_callback(help_page, help_server, migrated_db_url, db_backend, request):
    pg = help_page
    size = "phone" if pg.viewport_size["width"] < 600 else "desktop"
    open_help(pg, help_server)
    assert "Trouver de l'aide" in pg.locator("h1").first.inner_text()

    choose_topic(pg, "J'ai perdu mon mot de passe ou mon identifiant")
    pg.get_by_text("Le support national de Chorus Pro").wait_for()
    office = get_office()
    claudia = pg.locator(f'a[href="{office.assistant_url}"]')
    assert "ClaudIA" in claudia.first.inner_text()
    assert pg.locator(f'a[href="{office.contact_url}"]').count() == 1

    choose_topic(pg, "Quand serai-je payé ?")
    pg.get_by_text("Le service comptabilité de l'office").wait_for()
    assert "sujet=paiement" in pg.url
    full_screenshot(pg, f"aide-topic-{size}-{db_backend}")

    pg.get_by_role("textbox", name="Votre nom", exact=True).fill("Marie Durand")
    pg.get_by_role("textbox", name="Votre entreprise ou association", exact=True).fill("Boulangerie <b>Durand</b>")
    pg.get_by_role("textbox", name="Téléphone où vous joindre", exact=True).fill("06 12 34 56 78")
    pg.get_by_role("textbox", name="Votre message (facultatif)", exact=True).fill(f"Facture F-12, test {size} {db_backend}")
    pg.get_by_text("J'accepte que l'office garde ces informations").click()
    pg.get_by_role("button", name="Envoyer ma demande de rappel").click()
    wait_idle(pg)
    pg.get_by_text("Votre demande de rappel est bien enregistrée.").wait_for()

    reference = pg.locator(".callback-ref").inner_text().strip()
    assert is_reference(reference)
    assert "Boulangerie <b>Durand</b>" in pg.locator(".echo").inner_text()  # shown as typed, not as HTML
    full_screenshot(pg, f"aide-done-{size}-{db_backend}")

    row = find_row(migrated_db_url, reference)
    assert row is not None
    assert (row.name, row.phone, row.topic) == ("Marie Durand", "+33612345678", "paiement")
    assert row.company == "Boulangerie <b>Durand</b>"


def test_bad_phone_keeps_what_was_typed(help_page, help_server):
    pg = help_page
    open_help(pg, help_server, "/aide?sujet=destinataire")
    pg.get_by_text("Le service comptabilité de l'office").wait_for()
    pg.get_by_role("textbox", name="Votre nom", exact=True).fill("Paul")
    pg.get_by_role("textbox", name="Votre entreprise ou association", exact=True).fill("SARL Paul")
    pg.get_by_role("textbox", name="Téléphone où vous joindre", exact=True).fill("12")
    pg.get_by_text("J'accepte que l'office garde ces informations").click()
    pg.get_by_role("button", name="Envoyer ma demande de rappel").click()
    wait_idle(pg)
    pg.get_by_text("Ce numéro de téléphone n'existe pas").wait_for()
    assert pg.get_by_role("textbox", name="Téléphone où vous joindre", exact=True).input_value() == "12"
    assert pg.get_by_role("textbox", name="Votre nom", exact=True).input_value() == "Paul"
