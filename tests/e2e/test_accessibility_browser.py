"""axe-core on every page of app.py's menu, at 1280 px and 390 px, and in the states that
matter (checker verdict, callback form open and with errors, staff space signed in):
no violation of any impact."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from tests.conftest import CORPUS
from tests.e2e.a11y import app_page_paths, describe, record, run_axe
from tests.e2e.test_french_browser import english_words
from tests.e2e.conftest import browser_page, open_page, start_server, stop_server, upload_invoice, wait_idle

pytestmark = pytest.mark.e2e

WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}
PASSWORD = "un mot de passe assez long"
INVOICE = CORPUS / "synthetic" / "inv-006.pdf"


@pytest.fixture(scope="module")
def a11y_server(tmp_path_factory):
    """One server for the module, with one staff account so the signed-in space is checked too."""
    folder = tmp_path_factory.mktemp("a11y")
    hashed = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash(PASSWORD)
    secrets = folder / "secrets.toml"
    secrets.write_text(f'[staff.users]\ncarpentier = "{hashed}"\n', encoding="utf-8")
    srv = start_server(folder, {"STREAMLIT_SECRETS_FILES": str(secrets), "KIOSK_STAFF_USERS": ""})
    yield srv
    stop_server(srv)


@pytest.fixture(params=list(WIDTHS), ids=list(WIDTHS))
def a11y_page(browser, a11y_server, request):
    width, height = WIDTHS[request.param]
    with browser_page(browser, a11y_server, request, width, height) as pg:
        pg.a11y_name = request.param
        yield pg


def slug(path: str) -> str:
    return path.strip("/").replace("/", "-") or "accueil"


def axe_report(pg, name: str) -> str:
    """axe's violations in the page's present state, as text ("" when none)."""
    violations = run_axe(pg)
    record(f"{name}-{pg.a11y_name}", violations)
    return f"axe on {name} ({pg.a11y_name}):\n{describe(violations)}\n" if violations else ""


def assert_no_violation(pg, name: str) -> None:
    report = axe_report(pg, name)
    assert not report, report
    assert english_words(pg) == [], f"Streamlit's English words left on {name}"


@pytest.mark.parametrize("path", app_page_paths(), ids=slug)
def test_every_page_has_no_axe_violation(a11y_page, a11y_server, path):
    open_page(a11y_page, a11y_server, path)
    assert_no_violation(a11y_page, slug(path))


def test_checker_with_a_verdict(a11y_page, a11y_server):
    open_page(a11y_page, a11y_server, "/verifier-ma-facture")
    upload_invoice(a11y_page, INVOICE)
    assert_no_violation(a11y_page, "verifier-ma-facture-verdict")


def test_callback_form_open_then_with_errors(a11y_page, a11y_server):
    pg = a11y_page
    open_page(pg, a11y_server, "/aide?sujet=paiement")
    pg.get_by_role("button", name="Envoyer ma demande de rappel").wait_for()
    report = axe_report(pg, "aide-formulaire")
    pg.get_by_role("button", name="Envoyer ma demande de rappel").click()
    wait_idle(pg)
    report += axe_report(pg, "aide-erreurs")
    assert not report, report
    assert english_words(pg) == []


def test_staff_space_signed_in(a11y_page, a11y_server):
    pg = a11y_page
    open_page(pg, a11y_server, "/agents")
    pg.get_by_label("Identifiant").fill("carpentier")
    pg.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    pg.get_by_role("button", name="Se connecter").click()
    wait_idle(pg)
    pg.get_by_role("tab", name="Présentations et fiches").wait_for()
    report = axe_report(pg, "agents-connecte")
    for number, tab in enumerate(pg.get_by_role("tab").all()[1:], start=2):  # every tab, not only the first
        tab.click()
        wait_idle(pg)
        report += axe_report(pg, f"agents-connecte-onglet{number}")
    assert not report, report
    assert english_words(pg) == []


def test_unknown_address(a11y_page, a11y_server):
    open_page(a11y_page, a11y_server, "/nimporte")
    assert_no_violation(a11y_page, "nimporte")


def test_phone_menu_open(browser, a11y_server, request):
    """At 390 px the menu is folded away; opened, it is checked too."""
    with browser_page(browser, a11y_server, request, 390, 844) as pg:
        pg.a11y_name = "phone"
        open_page(pg, a11y_server, "/")
        pg.get_by_role("button", name="Déplier le menu").click()
        pg.get_by_role("navigation", name="Pages du kiosque").wait_for()
        pg.wait_for_timeout(400)  # the slide-in animation
        assert_no_violation(pg, "menu-ouvert")
