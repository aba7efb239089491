"""Click through the real app in Chromium: home, both guides, deep links, copy, phone width."""

import re

import pytest
from playwright.sync_api import expect

from services.guides import load_guide
from services.office import get_office
from tests.e2e.conftest import open_page, screenshot, wait_idle

pytestmark = pytest.mark.e2e

PAGES = ["/", "/creer-mon-compte", "/deposer-une-facture"]


def test_home_links_to_each_guide(page, server):
    open_page(page, server, "/")
    assert page.locator("h1").count() == 1
    assert "Faire payer votre facture" in page.locator("h1").inner_text()
    screenshot(page, "home-1280")
    page.get_by_role("link", name="créer mon compte Chorus Pro").click()
    expect(page.locator("h1")).to_have_text("Créer mon compte Chorus Pro")
    assert page.url.endswith("/creer-mon-compte")
    # The sidebar navigation moves between pages too.
    page.locator("[data-testid='stSidebarNav'] a", has_text="Déposer une facture").click()
    expect(page.locator("h1")).to_contain_text("Déposer une facture")
    assert page.url.endswith("/deposer-une-facture")


@pytest.mark.parametrize("path", PAGES)
def test_every_page_has_the_recipient_card_and_one_h1(page, server, path):
    office = get_office()
    open_page(page, server, path)
    assert page.locator("h1").count() == 1
    card = page.locator(".recipient-card")
    assert office.name in card.inner_text()
    assert office.siret in card.inner_text()
    assert page.get_by_text("Page not found").count() == 0
    # Headings never skip a level (h1 then h2 then h3).
    levels = [int(tag[1]) for tag in page.locator("h1, h2, h3, h4").evaluate_all("els => els.map(e => e.tagName)")]
    assert levels[0] == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:])), levels


def test_follow_the_deposit_guide_to_its_last_step(page, server):
    guide = load_guide("deposer-une-facture", get_office())
    open_page(page, server, "/deposer-une-facture")
    for number in range(1, guide.count + 1):
        expect(page.locator("h2").first).to_contain_text(f"Étape {number} :")
        expect(page.get_by_text(f"Étape {number} sur {guide.count}")).to_have_count(1)
        # Every illustration has a text alternative.
        picture = page.locator("figure.guide-figure img")
        assert len(picture.get_attribute("alt")) > 20
        assert picture.evaluate("img => img.complete && img.naturalWidth > 0")
        if number < guide.count:
            wait_idle(page)  # no stale copy of the button left from the previous run
            page.get_by_role("button", name="Suivant").click()
            expect(page).to_have_url(re.compile(rf"etape={number + 1}$"))
    expect(page.get_by_role("link", name="Retour à l'accueil")).to_have_count(1)
    expect(page.get_by_role("button", name="Suivant")).to_have_count(0)  # waits out the rerun
    screenshot(page, "deposit-last-step-1280")


def test_deep_link_and_out_of_range(page, server):
    open_page(page, server, "/creer-mon-compte?etape=4")
    assert page.locator("h2").first.inner_text().startswith("Étape 4 :")
    open_page(page, server, "/creer-mon-compte?etape=99")
    count = load_guide("creer-mon-compte", get_office()).count
    assert page.locator("h2").first.inner_text().startswith(f"Étape {count} :")
    assert page.get_by_text("voici la dernière").count() == 1


def test_copy_the_siret(browser, server):
    office = get_office()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.url)
    pg = context.new_page()
    try:
        open_page(pg, server, "/deposer-une-facture?etape=6")
        button = pg.locator(".recipient-card button.kiosk-copy")
        button.click()
        assert pg.evaluate("navigator.clipboard.readText()") == office.siret
        assert "Copié" in button.inner_text()
        # The step's own copy block copies the same SIRET.
        pg.evaluate("navigator.clipboard.writeText('')")
        pg.locator("[data-testid='kiosk-copy-siret-du-destinataire'] button").click()
        assert pg.evaluate("navigator.clipboard.readText()") == office.siret
    finally:
        context.close()


def test_keyboard_reaches_the_next_button(page, server):
    open_page(page, server, "/creer-mon-compte")
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.innerText || ''").startswith("Suivant"):
            break
    else:
        pytest.fail("Tab never reached the Next button")
    page.keyboard.press("Enter")
    expect(page.locator("h2").first).to_contain_text("Étape 2 :")


@pytest.mark.parametrize("path", PAGES)
def test_phone_width_has_no_horizontal_scroll(browser, server, path):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    pg = context.new_page()
    try:
        open_page(pg, server, path)
        overflow = pg.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{path} scrolls sideways by {overflow}px at 390px"
        cut = pg.locator("[data-testid='stPageLink'] a *").evaluate_all(
            "els => els.filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.innerText)")
        assert not cut, f"link labels cut off at 390px: {cut}"
        screenshot(pg, f"{path.strip('/') or 'home'}-390")
    finally:
        context.close()


def test_a_deep_link_as_first_visit_of_a_fresh_server(browser, tmp_path):
    """The first request a new server gets can be a deep link from an email: no "Page not found"."""
    from tests.e2e.conftest import start_server, stop_server

    fresh = start_server(tmp_path)
    try:
        pg = browser.new_page()
        open_page(pg, fresh, "/deposer-une-facture?etape=3")
        assert pg.locator("h2").first.inner_text().startswith("Étape 3 :")
        assert pg.get_by_text("Page not found").count() == 0
        pg.close()
    finally:
        stop_server(fresh)
