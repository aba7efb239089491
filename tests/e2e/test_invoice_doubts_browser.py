"""A value the checker is not sure of, through Chromium: « à vérifier » on the form, the verdict still
« prête », and « Comment avons-nous lu ces valeurs ? », at computer and phone widths.

The invoices are drawn here with fpdf2: one whose total TTC is printed without any label (the
analysis should find it but not be sure of it), one with two « Total » rows that disagree.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fpdf import FPDF

from tests.e2e.conftest import (
    browser_page, no_horizontal_overflow, open_page, start_server, stop_server, upload_invoice,
    whole_page_screenshot,
)

pytestmark = pytest.mark.e2e

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")


def _invoice(path: Path, totals: str) -> Path:
    """A clean one-page invoice for the office; only its totals block changes."""
    pdf = FPDF(format="A4", unit="pt")
    pdf.set_auto_page_break(False)
    pdf.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.add_page()

    def text(x: float, y: float, s: str, size: float = 10, bold: bool = False) -> None:
        pdf.set_font("DejaVu", "B" if bold else "", size)
        pdf.text(x, y, s)

    text(50, 60, "Atelier Vitrail Dumont", 14, True)
    text(50, 78, "12 rue des Verriers, 62300 Lens")
    text(50, 92, "SIRET : 732 829 320 00074")
    text(50, 106, "TVA intracommunautaire : FR44732829320")
    text(330, 140, "Client : Office de Tourisme et Patrimoine", 10, True)
    text(330, 154, "SIRET client : 809 389 232 00020")
    text(50, 200, "FACTURE", 18, True)
    text(50, 224, "Facture n° VD-2025-118")
    text(50, 238, "Date de facture : 03/11/2025")
    text(50, 252, "Engagement n° EJ2025-00512")
    text(50, 300, "Restauration du vitrail de l'entrée")
    text(450, 300, "1 250,00 €")
    text(330, 380, "Total HT")
    text(450, 380, "1 250,00 €")
    text(330, 396, "TVA 20 %")
    text(450, 396, "250,00 €")
    if totals == "unlabelled":
        text(450, 420, "1 500,00 €", 12, True)  # the total TTC, without any label
    else:  # two « Total » rows that disagree
        text(330, 420, "Total")
        text(450, 420, "1 500,00 €")
        text(330, 440, "Total")
        text(450, 440, "1 550,00 €")
    text(50, 520, "Paiement par virement à 30 jours. IBAN : FR76 3000 3454 0531 5782 9828 259")
    text(50, 536, "En cas de retard, pénalités au taux de 3 fois le taux d'intérêt légal.")
    text(50, 550, "Indemnité forfaitaire pour frais de recouvrement : 40 €.")
    text(50, 564, "Opération : prestation de services.")
    pdf.output(str(path))
    return path




def _open_explainer(page) -> str:
    summary = page.get_by_text("Comment avons-nous lu ces valeurs ?")
    summary.click()
    details = page.locator("[data-testid='stExpanderDetails']").filter(has_text="Total TTC")
    details.wait_for(state="visible")
    return details.inner_text().replace("\u00a0", " ")  # French spacing glues « : » to its word


def test_real_analysis_of_a_total_without_label_asks_to_check_it(page, server, tmp_path):
    pdf = _invoice(tmp_path / "total-sans-libelle.pdf", "unlabelled")
    open_page(page, server, "/")
    open_page(page, server, "/verifier-ma-facture")
    upload_invoice(page, pdf)
    verdict = page.locator(".cp-verdict").inner_text()
    assert "prête pour Chorus Pro" in verdict and "Vérifiez" in verdict
    assert page.locator(".cp-form .cp-field[data-status='to_check']").count() >= 1
    assert "À VÉRIFIER" in page.locator(".cp-form").inner_text().upper()


@pytest.fixture(scope="module")
def doubtful_server(tmp_path_factory):
    """The kiosk whose real analysis is followed by an uncertain total (tests/e2e/doubtful_checker.py)."""
    srv = start_server(tmp_path_factory.mktemp("e2e-doubts"), module="tests.e2e.doubtful_checker")
    yield srv
    stop_server(srv)


@pytest.mark.parametrize("width", [1280, 390])
def test_an_uncertain_total_reads_a_verifier_and_the_invoice_stays_ready(browser, doubtful_server, request,
                                                                           tmp_path, width):
    pdf = _invoice(tmp_path / "deux-totaux.pdf", "two_totals")
    with browser_page(browser, doubtful_server, request, width=width, height=900) as page:
        open_page(page, doubtful_server, "/")
        open_page(page, doubtful_server, "/verifier-ma-facture")
        upload_invoice(page, pdf)

        verdict = page.locator(".cp-verdict").inner_text()
        assert "Votre facture est prête pour Chorus Pro" in verdict
        assert ("Prête à déposer. Vérifiez le total TTC sur le formulaire de Chorus Pro : "
                "nous ne l'avons pas lu avec certitude.") in verdict
        assert "corriger" not in verdict.lower()

        to_check = page.locator(".cp-form .cp-field[data-status='to_check']")
        assert to_check.count() == 2  # Montant TTC and Net à payer: the same amount
        ttc = to_check.filter(has_text="Montant TTC")
        assert "1\u202f500,00\u00a0€" in ttc.inner_text()
        assert "À VÉRIFIER" in ttc.inner_text().upper()
        assert ttc.locator(".cp-badge .cp-icon[aria-hidden='true']").count() == 1  # an icon, beside the words
        # Amber, not the red or orange of the other statuses.
        colours = ttc.locator(".cp-badge").evaluate("b => getComputedStyle(b).backgroundColor")
        assert colours == "rgb(255, 232, 163)"
        assert page.locator(".cp-form .cp-field[data-status='prefilled']").count() >= 4

        explained = _open_explainer(page)
        assert "lu après son libellé et vérifié par le calcul" in explained
        assert "vérifié par la clé de contrôle" in explained  # the SIRET
        assert "À vérifier : nous ne sommes pas sûrs que ce soit la bonne valeur." in explained

        caption = page.locator(".cp-page-caption").first.inner_text()
        assert "Total TTC : à vérifier" in caption
        assert no_horizontal_overflow(page)
        whole_page_screenshot(page, f"invoice-doubts-{width}")
