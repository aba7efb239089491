"""Phone support in Chromium: a supplier moves through a guide while an agent, in a second
browser context, follows their case by its code; a callback is marked done; nothing shows
before sign-in. Screenshots at 1280 and 390 px."""

from __future__ import annotations

import os
import re
from datetime import datetime, timedelta, timezone

import pytest
from playwright.sync_api import expect

from services.callbacks import CallbackForm, create_callback, get_callback
from services.cases import create_case, report_to_json, save_case_report
from services.db import create_db_engine, make_session_factory
from services.migrate import upgrade_to_head
from services.office import get_office
from services.stats import record_check_event
from tests.conftest import CORPUS
from tests.e2e.conftest import ARTIFACTS, open_page, screenshot, wait_idle, whole_page_screenshot
from tests.e2e.test_staff_browser import PASSWORD, sign_in, staff_server  # noqa: F401 - module fixture
from tests.services.test_cases import PNG, make_report

pytestmark = pytest.mark.e2e

SECRET_NAME = "Gisèle Confidentielle"
UPLOAD_INPUT = "[data-testid='stFileUploader'] input[type=file]"


def server_db(srv):
    """Sessions on the server's own database: the one start_server() gives it (DATABASE_URL from the
    environment, which tests/conftest.py points at a throw-away file, else e2e.db next to its log)."""
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{srv.log_path.parent / 'e2e.db'}"
    upgrade_to_head(url)  # idempotent: the server may not have drawn a page yet
    engine = create_db_engine(url)
    return engine, make_session_factory(engine)


@pytest.fixture
def db(staff_server):
    engine, sessions = server_db(staff_server)
    yield sessions
    engine.dispose()


def seed_callback(db, message, name=SECRET_NAME, hours_ago=2.0):
    with db() as session:
        outcome = create_callback(
            session=session, request=CallbackForm(name=name, company="SARL Secrète", phone="0612345678",
                                                  topic="autre", message=message, consent=True),
            idempotency_key=message, client_key=message, office=get_office(), topics={"autre"},
            now=datetime.now(timezone.utc) - timedelta(hours=hours_ago))
    assert outcome.status == "created", outcome
    return outcome.callback.reference


def seed_case(db) -> str:
    office = get_office()
    with db() as session:
        code = create_case(session=session, retention_days=office.retention_days,
                           guide_slug="deposer-une-facture", guide_step=6).code
        save_case_report(session=session, code=code, report=report_to_json(make_report()), image=PNG, consent=True,
                         retention_days=office.retention_days)
    return code


def open_tab(pg, name: str) -> None:
    pg.get_by_role("tab", name=name).click()
    wait_idle(pg)


def test_agent_follows_a_supplier_through_the_guide_in_a_second_context(browser, staff_server):
    supplier_ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    agent_ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    try:
        supplier, agent = supplier_ctx.new_page(), agent_ctx.new_page()
        for pg in (supplier, agent):
            pg.set_default_timeout(20_000)
        open_page(supplier, staff_server, "/deposer-une-facture")
        assert supplier.locator(".case-ref-code").count() == 0  # a visit alone: no code
        supplier.get_by_role("button", name="Suivant").click()
        wait_idle(supplier)
        box = supplier.locator(".case-ref")
        expect(box).to_contain_text("Donnez ce code à la personne au téléphone")
        wait_idle(supplier)  # the box is drawn before the end of the run
        code = supplier.locator(".case-ref-code").inner_text().strip()
        assert re.fullmatch(r"[2-9A-HJKMNP-Z]{3}-[2-9A-HJKMNP-Z]{3}", code), code
        box.scroll_into_view_if_needed()
        supplier.screenshot(path=str(ARTIFACTS / "case-widget-guide-1280.png"), full_page=True)

        open_page(agent, staff_server, "/agents")
        sign_in(agent, "carpentier", PASSWORD)
        agent.get_by_label("Code du fournisseur").fill(code.lower().replace("-", " "))
        agent.get_by_label("Code du fournisseur").press("Enter")
        wait_idle(agent)
        expect(agent.get_by_text(f"Dossier {code}")).to_be_visible()
        expect(agent.get_by_text(re.compile(r"étape 2 sur 8"))).to_be_visible()

        # The supplier clicks on quickly: writes are throttled, the newest step still arrives.
        for number in (3, 4, 5):
            supplier.get_by_role("button", name="Suivant").click()
            expect(supplier.get_by_role("heading", name=re.compile(rf"^Étape {number} "))).to_be_visible()
            wait_idle(supplier)
        assert supplier.locator(".case-ref-code").inner_text().strip() == code  # same code all along
        agent.get_by_role("button", name="Actualiser").click()
        # refreshed by the button, else by the 5-second auto-refresh once the pending write lands
        expect(agent.get_by_text(re.compile(r"étape 5 sur 8"))).to_be_visible(timeout=20_000)
        link = agent.get_by_role("link", name=re.compile(r"Ouvrir cette étape"))
        expect(link).to_have_attribute("href", re.compile(r"etape=5"))  # waits out the redraw
    finally:
        supplier_ctx.close()
        agent_ctx.close()


def test_checked_invoice_is_seen_by_the_agent_with_the_shared_picture(browser, staff_server):
    supplier_ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    agent_ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    try:
        supplier, agent = supplier_ctx.new_page(), agent_ctx.new_page()
        for pg in (supplier, agent):
            pg.set_default_timeout(30_000)
        open_page(supplier, staff_server, "/verifier-ma-facture")
        supplier.wait_for_selector(UPLOAD_INPUT, state="attached")
        supplier.set_input_files(UPLOAD_INPUT, str(CORPUS / "synthetic" / "inv-049.pdf"))
        supplier.wait_for_selector(".cp-verdict", timeout=60_000)
        wait_idle(supplier)
        code = supplier.locator(".case-ref-code").inner_text().strip()
        supplier.get_by_text("J'accepte que la personne de l'office voie l'image").click()
        wait_idle(supplier)
        supplier.locator(".st-key-case_ref_checker").scroll_into_view_if_needed()
        supplier.screenshot(path=str(ARTIFACTS / "case-widget-checker-1280.png"))

        open_page(agent, staff_server, "/agents")
        sign_in(agent, "carpentier", PASSWORD)
        agent.get_by_label("Code du fournisseur").fill(code)
        agent.get_by_label("Code du fournisseur").press("Enter")
        wait_idle(agent)
        verdict = supplier.locator(".cp-verdict").inner_text()
        expect(agent.locator(".cp-verdict")).to_contain_text(verdict.splitlines()[1].strip())
        expect(agent.get_by_alt_text("Première page de la facture du fournisseur")).to_be_visible()
        whole_page_screenshot(agent, "agents-case-1280", max_height=12_000)
    finally:
        supplier_ctx.close()
        agent_ctx.close()


def test_callback_marked_done(page, staff_server, db):
    reference = seed_callback(db, "Je n'arrive pas à déposer ma facture", name="Marc Rappel")
    open_page(page, staff_server, "/agents")
    sign_in(page, "carpentier", PASSWORD)
    open_tab(page, "Rappels demandés")
    card = page.locator(f".st-key-staff_cb_{reference}")
    expect(card).to_contain_text("Marc Rappel")
    card.get_by_label("Note (visible par les agents)").fill("Rappelé, dépôt fait ensemble")
    card.get_by_role("button", name="Marquer résolu").click()
    wait_idle(page)
    expect(page.get_by_text(f"Demande {reference} : « Résolu ».")).to_be_visible()
    with db() as session:
        done = get_callback(session=session, reference=reference)
    assert done.status == "resolved" and done.staff_note == "Rappelé, dépôt fait ensemble" and done.handled_at
    # the default filter shows what is left to do; the resolved one is under « Résolu »
    assert page.locator(f".st-key-staff_cb_{reference}").count() == 0


def test_nothing_personal_without_sign_in(page, staff_server, db):
    code = seed_case(db)
    reference = seed_callback(db, "Message très privé")
    open_page(page, staff_server, "/agents")
    body = page.locator("body").inner_text()
    for secret in (code, reference, SECRET_NAME, "Message très privé", "F-2026-001", "Rappels demandés", "Chiffres"):
        assert secret not in body
    assert page.get_by_role("tab").count() == 0 and page.locator("img[alt*='facture']").count() == 0
    assert page.get_by_label("Code du fournisseur").count() == 0
    # a wrong password does not open it either
    sign_in(page, "carpentier", "pas le bon")
    body = page.locator("body").inner_text()
    assert code not in body and SECRET_NAME not in body and page.get_by_role("tab").count() == 0


def test_staff_views_screenshots_and_phone_width(browser, staff_server, db):
    code = seed_case(db)
    for i, name in enumerate(("Anne Ancienne", "Rémi Récent")):
        seed_callback(db, f"Besoin d'aide pour le dépôt {i}", name=name, hours_ago=5 - 3 * i)
    with db() as session:
        for verdict, codes in (("ready", ()), ("fix_needed", ("missing_date", "invalid_vat")),
                               ("fix_needed", ("missing_date",)), ("blocked", ("scan_no_text",))):
            record_check_event(session=session, report={"verdict": verdict, "issues": [{"code": c} for c in codes]})
    for width in (1280, 390):
        context = browser.new_context(viewport={"width": width, "height": 900}, locale="fr-FR",
                                      is_mobile=width < 500, has_touch=width < 500)
        pg = context.new_page()
        pg.set_default_timeout(20_000)
        try:
            open_page(pg, staff_server, "/agents")
            sign_in(pg, "carpentier", PASSWORD)
            pg.get_by_label("Code du fournisseur").fill(code)
            pg.get_by_label("Code du fournisseur").press("Enter")
            wait_idle(pg)
            expect(pg.get_by_text(f"Dossier {code}")).to_be_visible()
            overflow = pg.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 1, f"case view scrolls sideways by {overflow}px at {width}px"
            if width == 390:
                whole_page_screenshot(pg, "agents-case-390", max_height=12_000)
            open_tab(pg, "Rappels demandés")
            expect(pg.get_by_text("Anne Ancienne")).to_be_visible()
            whole_page_screenshot(pg, f"agents-callbacks-{width}", max_height=12_000)
            open_tab(pg, "Chiffres")
            expect(pg.locator("[data-testid='stVegaLiteChart']").first).to_be_visible()
            pg.wait_for_timeout(500)  # charts draw after the script ends
            whole_page_screenshot(pg, f"agents-numbers-{width}", max_height=12_000)
            overflow = pg.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 1, f"numbers scroll sideways by {overflow}px at {width}px"
            if width == 390:
                open_page(pg, staff_server, "/creer-mon-compte")
                pg.get_by_role("button", name="Suivant").click()
                wait_idle(pg)
                pg.locator(".case-ref").scroll_into_view_if_needed()
                screenshot(pg, "case-widget-guide-390")
        finally:
            context.close()
