"""/suivre-ma-facture in Chromium, on a phone (390 px) and a desktop (1280 px): deep link to a
status, pick another one by typing, compute the payment date and the late interest."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from playwright.sync_api import expect

from services.office import get_office
from tests.e2e.conftest import browser_page, open_page, wait_idle, whole_page_screenshot

pytestmark = pytest.mark.e2e


@pytest.fixture(params=[(390, 844), (1280, 900)], ids=["phone", "desktop"])
def sized_page(browser, server, request):
    width, height = request.param
    with browser_page(browser, server, request, width, height) as pg:
        yield pg


def close_first_link_dialog(pg) -> None:
    # Streamlit shows "Page not found" on the very first deep link a fresh server gets (see
    # tests/e2e/test_help_browser.py); close it if it is there.
    dialog = pg.get_by_role("dialog").filter(has_text="Page not found")
    if dialog.count():
        pg.keyboard.press("Escape")
        dialog.wait_for(state="detached")


def test_status_deep_link_then_payment_calculator(sized_page, server):
    pg = sized_page
    width = pg.viewport_size["width"]
    size = "390" if width < 600 else "1280"
    open_page(pg, server, "/suivre-ma-facture?statut=A_RECYCLER")
    close_first_link_dialog(pg)
    expect(pg.locator("h1")).to_have_text("Où en est ma facture ?")
    expect(pg.locator("h3", has_text="« À recycler »")).to_be_visible()
    expect(pg.locator(".who-acts.you")).to_contain_text("Vous")
    current = pg.locator(".status-timeline li.current")
    expect(current).to_have_count(1)
    expect(current).to_contain_text("À recycler")
    # Nothing wider than the screen on a phone.
    assert pg.evaluate("document.documentElement.scrollWidth") <= width
    whole_page_screenshot(pg, f"suivre-a-recycler-{size}")

    # Type part of another status in the picker.
    picker = pg.get_by_role("combobox", name="Le statut affiché dans Chorus Pro")
    picker.click()
    picker.fill("suspen")
    pg.get_by_role("option", name="Suspendue").click()
    wait_idle(pg)
    expect(pg.locator("h3", has_text="« Suspendue »")).to_be_visible()
    assert "statut=SUSPENDUE" in pg.url

    # Payment date: deposited 45 days ago → 15 days late.
    office = get_office()
    deposit = datetime.now(office.tz).date() - timedelta(days=45)
    # Streamlit's date field is three segments (day, month, year): type the digits in order.
    pg.get_by_role("spinbutton", name="jour, Date de dépôt de la facture").click()
    pg.keyboard.type(deposit.strftime("%d%m%Y"))
    # The calendar opened with the typed day selected: closing it and leaving the field sends the value.
    pg.keyboard.press("Escape")
    pg.locator("h2", has_text="Quand serai-je payé").click()
    wait_idle(pg)
    expect(pg.get_by_text("Date limite de paiement")).to_be_visible()
    expect(pg.get_by_text("Le délai est dépassé de")).to_be_visible()
    amount = pg.get_by_role("textbox", name="Montant TTC de la facture, en euros")
    amount.fill("2 400,00")
    amount.press("Enter")
    wait_idle(pg)
    expect(pg.get_by_text("Intérêts de retard")).to_be_visible()
    expect(pg.locator("[data-testid='stCode']")).to_contain_text("Bonjour")
    assert pg.evaluate("document.documentElement.scrollWidth") <= width
    whole_page_screenshot(pg, f"suivre-calcul-{size}")
