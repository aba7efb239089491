"""Staff space and walkthrough mode in Chromium: sign-in, keyboard-driven presentation, PDF handout."""

import re

import pdfplumber
import pytest
from argon2 import PasswordHasher
from playwright.sync_api import expect

from services.guides import load_guide
from services.office import get_office
from tests.e2e.conftest import open_page, screenshot, start_server, stop_server, wait_idle

pytestmark = pytest.mark.e2e

PASSWORD = "un mot de passe assez long"
HASH = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash(PASSWORD)


def server_with_secrets(folder, text: str):
    """A server reading `text` as its secrets.toml (Streamlit's secrets.files option)."""
    secrets = folder / "secrets.toml"
    secrets.write_text(text, encoding="utf-8")
    return start_server(folder, {"STREAMLIT_SECRETS_FILES": str(secrets), "KIOSK_STAFF_USERS": ""})


@pytest.fixture(scope="module")
def staff_server(tmp_path_factory):
    """A server with one staff account in its secrets.toml."""
    srv = server_with_secrets(tmp_path_factory.mktemp("staff"), f'[staff.users]\ncarpentier = "{HASH}"\n')
    yield srv
    stop_server(srv)


def sign_in(pg, username: str, password: str) -> None:
    pg.get_by_label("Identifiant").fill(username)
    pg.get_by_label("Mot de passe", exact=True).fill(password)
    pg.get_by_role("button", name="Se connecter").click()
    wait_idle(pg)


def open_walkthrough_tab(pg) -> None:
    """The staff space has one tab per section (branch `cases` added the phone-support ones)."""
    pg.get_by_role("tab", name="Présentations et fiches").click()
    wait_idle(pg)


def pdf_text(path) -> str:
    with pdfplumber.open(path) as pdf:
        return re.sub(r"\s+", " ", "\n".join(page.extract_text() or "" for page in pdf.pages))


def test_not_configured_staff_space_shows_only_the_notice(page, server):
    open_page(page, server, "/agents")
    expect(page.locator("h1")).to_have_text("Espace agents")
    expect(page.get_by_text("pas encore configuré")).to_be_visible()
    assert page.locator("input").count() == 0
    assert page.get_by_text("Présentations et fiches").count() == 0


def test_broken_secrets_file_is_explained(page, tmp_path):
    srv = server_with_secrets(tmp_path, "[staff\nusers = 3\n")
    try:
        open_page(page, srv, "/agents")
        expect(page.get_by_text("Le fichier secrets.toml est illisible")).to_be_visible()
        assert page.locator("input").count() == 0
        assert page.get_by_text("Traceback").count() == 0
    finally:
        stop_server(srv)


def test_sign_in_wrong_then_right(page, staff_server):
    open_page(page, staff_server, "/agents")
    expect(page.get_by_role("button", name="Se connecter")).to_be_visible()
    assert page.get_by_text("Présentations et fiches").count() == 0
    screenshot(page, "agents-sign-in-1280")
    sign_in(page, "carpentier", "pas le bon")
    expect(page.get_by_text("Identifiant ou mot de passe incorrect.")).to_be_visible()
    assert page.get_by_text("Présentations et fiches").count() == 0
    # The name typed is kept, the password is not.
    assert page.get_by_label("Identifiant").input_value() == "carpentier"
    assert page.get_by_label("Mot de passe", exact=True).input_value() == ""
    sign_in(page, "carpentier", PASSWORD)
    # one tab per section (the phone-support tabs come first, branch `cases`)
    expect(page.get_by_role("tab", name="Présentations et fiches")).to_be_visible()
    expect(page.get_by_text("Connecté(e) :")).to_be_visible()
    screenshot(page, "agents-signed-in-1280")
    # A new browser session (a reload) must sign in again.
    open_page(page, staff_server, "/agents")
    expect(page.get_by_role("button", name="Se connecter")).to_be_visible()
    assert page.get_by_text("Présentations et fiches").count() == 0


def test_repeated_wrong_passwords_show_how_long_to_wait(page, staff_server):
    open_page(page, staff_server, "/agents")
    wait_message = page.get_by_text(re.compile(r"attendez \d+ secondes"))
    # The lock starts after 3 failures and lasts a few seconds: on a slow machine, keep
    # trying (at most 6 times) until one attempt lands inside it.
    for _ in range(6):
        sign_in(page, "martin", "faux")
        if wait_message.count():
            break
    expect(wait_message).to_be_visible()


def test_handout_downloaded_from_the_staff_space(page, staff_server, tmp_path):
    office = get_office()
    guide = load_guide("deposer-une-facture", office)
    open_page(page, staff_server, "/agents")
    sign_in(page, "carpentier", PASSWORD)
    open_walkthrough_tab(page)
    card = page.locator(".st-key-staff_guide_deposer-une-facture")
    with page.expect_download() as info:
        card.get_by_role("button", name=re.compile("Télécharger la fiche PDF")).click()
    download = info.value
    assert download.suggested_filename.startswith("fiche-deposer-une-facture-")
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    text = pdf_text(path)
    for step in guide.steps:
        title = " ".join(step.title.split())
        assert f"{step.number}. {title}" in text
    assert office.siret in text and office.phone in text and "Étape" in text and "«" in text


def test_handout_downloaded_from_a_guide_page(page, server, tmp_path):
    office = get_office()
    open_page(page, server, "/creer-mon-compte")
    with page.expect_download() as info:
        page.get_by_role("button", name=re.compile("Télécharger la fiche PDF")).click()
    path = tmp_path / "fiche.pdf"
    info.value.save_as(path)
    text = pdf_text(path)
    assert load_guide("creer-mon-compte", office).title in text and office.siret in text


def test_presentation_driven_by_the_keyboard(page, server):
    guide = load_guide("deposer-une-facture", get_office())
    open_page(page, server, "/presentation?guide=deposer-une-facture")
    expect(page.locator("h1")).to_have_text(f"1. {guide.steps[0].title}")
    page.wait_for_function("window.__kioskPresentationKeys === true")  # the key listener is installed
    # Each key once the step is drawn, as a presenter would: the heading changes before the
    # run that draws the step's buttons has finished (a key then was seen lost once under load).
    page.keyboard.press("ArrowRight")
    expect(page.locator("h1")).to_have_text(f"2. {guide.steps[1].title}")
    expect(page).to_have_url(re.compile(r"etape=2"))
    wait_idle(page)
    page.keyboard.press("ArrowRight")
    expect(page.locator("h1")).to_have_text(f"3. {guide.steps[2].title}")
    wait_idle(page)
    page.keyboard.press("ArrowLeft")
    expect(page.locator("h1")).to_have_text(f"2. {guide.steps[1].title}")
    wait_idle(page)
    page.keyboard.press("PageDown")  # what a presenter's remote sends
    expect(page.locator("h1")).to_have_text(f"3. {guide.steps[2].title}")
    wait_idle(page)
    screenshot(page, "presentation-1280")


def test_arrows_typed_in_a_field_do_not_change_the_step(page, server):
    open_page(page, server, "/presentation?guide=creer-mon-compte&etape=2")
    page.get_by_text("Aller à une étape, imprimer, quitter").click()
    field = page.get_by_role("combobox", name="Aller à l'étape")
    field.click()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Escape")
    wait_idle(page)
    expect(page.locator("h1")).to_contain_text("2. ")
    assert page.url.endswith("etape=2")


def test_presentation_at_the_last_step_stays_there(page, server):
    guide = load_guide("creer-mon-compte", get_office())
    open_page(page, server, f"/presentation?guide=creer-mon-compte&etape={guide.count}")
    page.keyboard.press("ArrowRight")
    wait_idle(page)
    expect(page.locator("h1")).to_have_text(f"{guide.count}. {guide.steps[-1].title}")


def test_guide_page_and_staff_space_link_to_the_presentation(page, staff_server):
    open_page(page, staff_server, "/deposer-une-facture?etape=4")
    page.get_by_role("link", name="Mode présentation").click()
    wait_idle(page)
    expect(page).to_have_url(re.compile(r"/presentation\?guide=deposer-une-facture&etape=4$"))
    expect(page.locator("h1")).to_contain_text("4. ")
    open_page(page, staff_server, "/agents")
    sign_in(page, "carpentier", PASSWORD)
    open_walkthrough_tab(page)
    page.get_by_role("link", name="Mode présentation").first.click()
    wait_idle(page)
    expect(page).to_have_url(re.compile(r"/presentation\?guide="))
    expect(page.locator("h1")).to_contain_text("1. ")


@pytest.mark.parametrize("path", ["/presentation?guide=deposer-une-facture&etape=6", "/agents"])
def test_phone_width(browser, staff_server, path):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    pg = context.new_page()
    try:
        open_page(pg, staff_server, path)
        if path == "/agents":
            sign_in(pg, "carpentier", PASSWORD)
        overflow = pg.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{path} scrolls sideways by {overflow}px at 390px"
        screenshot(pg, ("agents" if path == "/agents" else "presentation") + "-390")
    finally:
        context.close()
