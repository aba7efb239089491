"""The kiosk speaks French to assistive technology: lang="fr" on every page, Streamlit's own
words translated, a French « Page introuvable », readable at 200 % text and 320 px."""

from __future__ import annotations

import re

import httpx
import pytest
from playwright.sync_api import expect

from tests.e2e.a11y import app_page_paths
from tests.conftest import CORPUS
from tests.e2e.conftest import browser_page, no_horizontal_overflow, open_page, upload_invoice, whole_page_screenshot

pytestmark = pytest.mark.e2e

# Streamlit's chrome strings the kiosk translates (ui/static/kiosk_fr.js). One of them showing
# up again means a Streamlit upgrade changed a string and the translation no longer applies.
ENGLISH = re.compile(
    r"^(Skip to main content|Sidebar|Collapse sidebar|Expand sidebar|App pages|Link to heading|Close|Upload|"
    r"file upload|Add files|add icon|Choose an option|Open|Clear value|progress|Choose date|dd|yyyy|Show password|"
    r"Page not found|Help for .*|Remove .*|(day|month|year), .*|.*MB per file.*|.*\d(KB|MB))$"
)
# Every text node and every accessible label, placeholder and title outside lang="en" passages.
WORDS_JS = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, parent = node.parentElement;
    if (!parent || parent.closest('script, style, noscript, body [lang="en"]')) continue;
    if (parent.closest('[data-testid="stIconMaterial"]')) continue;  // icon ligatures, aria-hidden
    const text = node.nodeValue.trim();
    if (text) out.push(text);
  }
  for (const el of document.querySelectorAll('[aria-label], [placeholder], [title]')) {
    if (el.closest('body [lang="en"]')) continue;
    for (const name of ['aria-label', 'placeholder', 'title']) {
      const value = (el.getAttribute(name) || '').trim();
      if (value) out.push(value);
    }
  }
  return out;
}"""


def english_words(pg) -> list[str]:
    return sorted({text for text in pg.evaluate(WORDS_JS) if ENGLISH.match(text)})


def test_every_address_is_served_in_french(server):
    """The HTML itself, before any script runs: what a screen reader gets first."""
    for path in [*app_page_paths(), "/nimporte"]:
        page = httpx.get(server.url + path, timeout=10).text
        assert re.search(r'<html\b[^>]*\blang="fr"', page), path
        assert 'lang="en"' not in page.split("<noscript>")[0], path  # English only inside the <noscript> note


@pytest.mark.parametrize("path", app_page_paths(), ids=lambda p: p.strip("/") or "accueil")
def test_page_language_and_chrome_in_french(page, server, path):
    open_page(page, server, path)
    assert page.evaluate("document.documentElement.lang") == "fr"
    assert english_words(page) == []
    if path == "/verifier-ma-facture":
        button = page.locator("[data-testid='stFileUploaderDropzone'] button")
        expect(button).to_have_accessible_name("Choisir un fichier")


def test_skip_link_and_sidebar_buttons_in_french(browser, server, request):
    with browser_page(browser, server, request, 390, 844) as pg:
        open_page(pg, server, "/")
        skip = pg.get_by_role("link", name="Aller au contenu principal")
        expect(skip).to_have_count(1)
        pg.keyboard.press("Tab")
        expect(skip).to_be_focused()
        pg.keyboard.press("Enter")  # it works too: the focus goes to the page's content
        assert pg.evaluate("document.activeElement.closest('[data-testid=stMain]') !== null")
        expect(pg.get_by_role("button", name="Déplier le menu")).to_be_visible()
        pg.get_by_role("button", name="Déplier le menu").click()
        expect(pg.get_by_role("navigation", name="Pages du kiosque")).to_be_visible()
        assert english_words(pg) == []


def test_unknown_address_says_page_introuvable_in_french(page, server):
    open_page(page, server, "/nimporte")
    expect(page.locator("h1")).to_have_text("Page introuvable")
    expect(page.get_by_text("« /nimporte » ne correspond à aucune page du kiosque.")).to_be_visible()
    page.wait_for_timeout(500)  # Streamlit's dialog, when it comes, comes with the first run
    assert page.get_by_role("dialog").count() == 0
    assert page.url.endswith("/nimporte")  # the address stays as typed
    for name in ("Accueil", "Créer mon compte Chorus Pro", "Déposer une facture",
                 "Vérifier ma facture avant de la déposer", "Suivre ma facture", "Trouver de l'aide, être rappelé"):
        expect(page.get_by_role("main").get_by_role("link", name=name)).to_be_visible()
    page.get_by_role("main").get_by_role("link", name="Déposer une facture").click()
    page.wait_for_url("**/deposer-une-facture", timeout=15_000)
    expect(page.locator("h1")).not_to_have_text("Page introuvable")


@pytest.mark.parametrize("path", app_page_paths(), ids=lambda p: p.strip("/") or "accueil")
def test_text_zoom_200_and_320_px_need_no_sideways_scrolling(browser, server, request, path):
    """RGAA 10.4 (text at 200 %) and 10.11 (320 px wide): nothing wider than the window.
    Text zoom is the browser's minimum font size doubled: 32 px instead of 16 px."""
    with browser_page(browser, server, request, 320, 640) as pg:
        open_page(pg, server, path)
        assert no_horizontal_overflow(pg), f"{path} at 320 px"
        pg.evaluate("document.documentElement.style.fontSize = '200%'")
        pg.wait_for_timeout(300)
        assert no_horizontal_overflow(pg), f"{path} at 320 px with text at 200 %"
        assert cut_text(pg) == [], f"{path}: text cut at 200 %"


def cut_text(pg) -> list[str]:
    """Elements whose own text is wider than their box and hidden (ellipsis or overflow: hidden)."""
    return pg.evaluate("""() => {
        const cut = [];
        for (const el of document.querySelectorAll('[data-testid="stMain"] *, [data-testid="stSidebar"] *')) {
            const own = [...el.childNodes].some(n => n.nodeType === 3 && n.nodeValue.trim());
            if (!own || !el.getClientRects().length || el.clientWidth <= 1) continue;  // visually hidden on purpose
            const style = getComputedStyle(el);
            const hides = ['hidden', 'clip'].includes(style.overflowX) || style.textOverflow === 'ellipsis';
            if (hides && el.scrollWidth > el.clientWidth + 1) cut.push(el.tagName + ': ' + el.textContent.trim().slice(0, 60));
        }
        return cut;
    }""")


def test_checker_verdict_at_320_px_with_text_at_200(browser, server, request):
    with browser_page(browser, server, request, 320, 640) as pg:
        open_page(pg, server, "/verifier-ma-facture")
        pg.evaluate("document.documentElement.style.fontSize = '200%'")
        upload_invoice(pg, CORPUS / "synthetic" / "inv-006.pdf")
        pg.wait_for_timeout(300)
        assert no_horizontal_overflow(pg)
        assert cut_text(pg) == []
        assert english_words(pg) == []  # the uploader's file chip and buttons too
        whole_page_screenshot(pg, "verifier-320-texte-200")


def test_unknown_nested_address_is_not_a_blank_page(page, server):
    """/aide/xyz: Streamlit's index.html would load its scripts from /aide/static/ and show nothing."""
    open_page(page, server, "/aide/nimporte")
    expect(page.locator("h1")).to_have_text("Page introuvable")
    assert page.url.endswith("/page-introuvable")
    assert page.get_by_role("dialog").count() == 0
