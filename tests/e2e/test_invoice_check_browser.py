"""Upload a real invoice through Chromium: verdict, form mock-up, outlined page picture, phone width."""

from __future__ import annotations

import pytest

from services.office import get_office
from tests.conftest import CORPUS
from tests.e2e.conftest import no_horizontal_overflow, open_page, upload_invoice, wait_idle, whole_page_screenshot

pytestmark = pytest.mark.e2e

CLEAN = CORPUS / "synthetic" / "inv-006.pdf"
WRONG_BUYER = CORPUS / "synthetic" / "inv-049.pdf"




def test_upload_a_real_invoice_and_see_the_verdict_and_the_outlined_page(page, server):
    open_page(page, server, "/")
    open_page(page, server, "/verifier-ma-facture")
    assert "Vérifier ma facture" in page.locator("h1").inner_text()
    upload_invoice(page, CLEAN)

    verdict = page.locator(".cp-verdict")
    assert "Votre facture est prête pour Chorus Pro" in verdict.inner_text()
    assert "inv-006.pdf" in verdict.inner_text()

    form = page.locator(".cp-form")
    office = get_office()
    assert office.siret in form.inner_text()
    assert "2021-01-342" in form.inner_text()
    assert form.locator(".cp-prefilled").count() >= 5
    assert "À SAISIR À LA MAIN" in form.inner_text().upper()

    picture = page.locator(".cp-page img").first
    picture.scroll_into_view_if_needed()
    assert page.evaluate("(img) => img.complete && img.naturalWidth > 500", picture.element_handle())
    caption = page.locator(".cp-page-caption").first.inner_text()
    assert caption.startswith("Page 1 sur 1 :") and "N° facture" in caption
    assert page.get_by_text("Page not found").count() == 0
    whole_page_screenshot(page, "invoice-check-1280")


def test_phone_width_stacks_the_form_and_links_to_the_guide_step(browser, server):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR", is_mobile=True,
                                  has_touch=True)
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        open_page(page, server, "/")
        open_page(page, server, "/verifier-ma-facture")
        upload_invoice(page, WRONG_BUYER)
        verdict = page.locator(".cp-verdict").inner_text()
        assert "À corriger avant de déposer" in verdict

        blocks = page.locator(".cp-form .cp-block")
        first, second = blocks.nth(0).bounding_box(), blocks.nth(1).bounding_box()
        assert second["y"] >= first["y"] + first["height"] - 1  # one column: stacked, not side by side
        assert no_horizontal_overflow(page)
        # The wrong SIRET is outlined in red on the page picture, and named so in its caption.
        assert "SIRET client : à corriger" in page.locator(".cp-page-caption").first.inner_text()

        whole_page_screenshot(page, "invoice-check-390")
        page.get_by_role("link", name="Voir l'étape 6 du guide de dépôt").click()
        page.wait_for_url("**/deposer-une-facture?etape=6", timeout=15_000)  # client-side navigation
        wait_idle(page)
        assert page.url.endswith("/deposer-une-facture?etape=6")
        assert "Étape 6" in page.locator("h2").first.inner_text()
    finally:
        context.close()


def test_a_png_renamed_pdf_gets_a_french_message(page, server):
    png_named_pdf = CORPUS / "synthetic" / "inv-052.pdf"
    assert png_named_pdf.read_bytes().startswith(b"\x89PNG")
    open_page(page, server, "/")
    open_page(page, server, "/verifier-ma-facture")
    upload_invoice(page, png_named_pdf)
    verdict = page.locator(".cp-verdict").inner_text()
    assert "Chorus Pro ne pourra pas utiliser ce fichier" in verdict
    assert page.locator(".cp-page img").count() == 0
