"""The footer's links in Chromium: each one opens its page in the same session, on a laptop
and on a phone, and the walkthrough mode has no footer."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import browser_page, no_horizontal_overflow, open_page, wait_idle, whole_page_screenshot

pytestmark = pytest.mark.e2e

FOOTER = ".st-key-kiosk_footer"
LINKS = [("Mentions légales", "/mentions-legales", "Mentions légales"),
         ("Accessibilité", "/accessibilite", "Déclaration d'accessibilité"),
         ("Données personnelles", "/donnees-personnelles", "Données personnelles")]


@pytest.fixture(params=[(1280, 900), (390, 844)], ids=["desktop", "phone"])
def sized_page(browser, server, request):
    width, height = request.param
    with browser_page(browser, server, request, width, height) as pg:
        pg.kiosk_width = width
        yield pg


def test_the_footer_links_open_each_page(sized_page, server):
    pg = sized_page
    open_page(pg, server, "/")
    footer = pg.locator(FOOTER)
    assert "Accessibilité\u00a0: non conforme" in footer.inner_text()
    whole_page_screenshot(pg, f"legal-footer-home-{pg.kiosk_width}")
    for label, path, title in LINKS:
        pg.locator(FOOTER).get_by_role("link", name=label, exact=True).click()
        pg.wait_for_url(f"**{path}")
        pg.get_by_role("heading", name=title, level=1).wait_for()
        wait_idle(pg)
        assert no_horizontal_overflow(pg)
        whole_page_screenshot(pg, f"legal{path.replace('/', '-')}-{pg.kiosk_width}")
    # Client-side navigation: the same Streamlit session all along (no page reload).
    assert pg.evaluate("() => performance.getEntriesByType('navigation').length") == 1


def test_no_footer_in_walkthrough_mode(page, server):
    open_page(page, server, "/presentation?guide=deposer-une-facture&etape=2")
    assert page.locator(FOOTER).count() == 0
