"""/mentions-legales, /accessibilite, /donnees-personnelles and the footer that links them:
the office's values from office.toml, « information en cours de mise à jour » for an empty one
(and /agents lists it), the RGAA criteria never declared passed unless checked."""

from __future__ import annotations

import html

import pytest

from services.legal import AUTOMATED, NOT_EVALUATED, PENDING
from services.office import DEFAULT_PATH, get_office
from tests.report_fixtures import SYNTHETIC, report_from_labels
from ui.case_ref import SHARE_KEY
from tests.app.conftest import open_page, texts
from tests.app.test_case_widget import CHECKER, GUIDE, clock, db, fake_pool, shown_code  # noqa: F401 - fixtures
from tests.app.test_staff_page import PAGE as STAFF_PAGE
from tests.app.test_staff_page import clean_staff_state, configured, sign_in  # noqa: F401 - fixture

LEGAL = "pages/legal_notice.py"
ACCESSIBILITY = "pages/accessibility.py"
PRIVACY = "pages/privacy.py"
PAGE_FILES = ["pages/home.py", "pages/account_guide.py", "pages/deposit_guide.py", "pages/invoice_check.py",
              "pages/track_invoice.py", "pages/help.py", STAFF_PAGE, LEGAL, ACCESSIBILITY, PRIVACY,
              "pages/not_found.py"]
FILLED = {
    'legal_form = ""': 'legal_form = "Établissement public industriel et commercial (EPIC)"',
    'street = ""': 'street = "12 rue de l\'Essai"',
    'publication_director = ""': 'publication_director = "Mme Exemple, directrice"',
    'contact_email = ""': 'contact_email = "contact@office-essai.example"',
    'dpo_contact = ""': 'dpo_contact = "M. Protection, dpo@agglo-essai.example"',
    'host_name = ""': 'host_name = "Hébergeur Essai SAS"',
    'host_address = ""': 'host_address = "1 avenue du Serveur, 59000 Lille"',
    'host_phone = ""': 'host_phone = "03 20 00 00 00"',
    'server_logs_retention = ""': 'server_logs_retention = "6 mois"',
}


@pytest.fixture
def office_toml(tmp_path, monkeypatch):
    """Run the app with an edited copy of office.toml: office_toml({old: new, ...})."""

    def use(replacements: dict[str, str]):
        text = DEFAULT_PATH.read_text(encoding="utf-8")
        for old, new in replacements.items():
            assert old in text, old
            text = text.replace(old, new, 1)
        path = tmp_path / "office.toml"
        path.write_text(text, encoding="utf-8")
        monkeypatch.setenv("OFFICE_TOML", str(path))
        get_office.cache_clear()
        return get_office()

    yield use
    monkeypatch.delenv("OFFICE_TOML", raising=False)
    get_office.cache_clear()


def visit(app, page: str):
    """Open a page through app.py. The default page is the first run itself (switching to it
    by its file would run the file alone, without app.py's frame)."""
    return app.run() if page == "pages/home.py" else open_page(app, page)


FOOTER = ["Mentions légales", "Accessibilité", "Données personnelles"]


def footer_labels(at) -> list[str]:
    return [link.proto.label for link in at.main.get("page_link") if link.proto.label in FOOTER]


# --- the footer -----------------------------------------------------------------------------

@pytest.mark.parametrize("page", PAGE_FILES)
def test_the_footer_is_on_every_page(app, page):
    at = visit(configured(app), page)
    assert not at.exception
    assert footer_labels(at) == ["Mentions légales", "Accessibilité", "Données personnelles"]
    captions = [c.value for c in at.caption]
    assert "Accessibilité\u00a0: non conforme · Office de Tourisme et Patrimoine de la CALL" in captions


def test_every_page_of_the_navigation_is_covered(app):
    at = app.run()
    registered = {page["script_path"].split("/pages/")[-1] for page in at._registered_pages.values()}
    assert registered == {p.removeprefix("pages/") for p in PAGE_FILES} | {"presentation.py"}


def test_no_footer_in_walkthrough_mode(app):
    at = open_page(app, "pages/presentation.py", guide="deposer-une-facture", etape="3")
    assert not at.exception
    assert footer_labels(at) == []


def in_order(node) -> list:
    """Every element of the main area, in the order drawn."""
    found = []
    for child in getattr(node, "children", {}).values():
        found.append(child)
        found.extend(in_order(child))
    return found


@pytest.mark.parametrize("page", [LEGAL, "pages/help.py"])
def test_the_footer_comes_after_the_page(app, page):
    elements = in_order(open_page(app, page).main)
    kinds = [(el.type, str(getattr(el, "value", ""))) for el in elements]
    title = next(i for i, (kind, _) in enumerate(kinds) if kind == "title")
    footer = next(i for i, (kind, value) in enumerate(kinds) if kind == "page_link" and value == "Mentions légales")
    assert title < footer
    assert all(kind != "title" for kind, _ in kinds[footer:])


def test_the_footer_follows_the_office_status(app, office_toml):
    office_toml({'status = "non conforme"': 'status = "partiellement conforme"'})
    at = app.run()
    assert "Accessibilité\u00a0: partiellement conforme · Office de Tourisme et Patrimoine de la CALL" in \
        [c.value for c in at.caption]


# --- the three pages ------------------------------------------------------------------------

def test_legal_notice_shows_the_office(app):
    at = open_page(app, LEGAL)
    assert not at.exception
    body = texts(at)
    office = get_office()
    for value in (office.display_name, office.siret_display, office.phone, "62300 LENS"):
        assert value in body
    assert [h.value for h in at.header][:3] == ["Éditeur du site", "Directeur ou directrice de la publication",
                                                "Hébergeur"]
    # Nothing guessed: what the shipped office.toml leaves empty is said to be on its way.
    assert f"Forme juridique\u00a0: {PENDING}" in body
    assert f"Nom\u00a0: {PENDING}" in body  # the host
    assert "EPIC" not in body


def test_legal_notice_with_every_detail_filled(app, office_toml):
    office_toml(FILLED)
    at = open_page(app, LEGAL)
    body = texts(at)
    for value in ("Établissement public industriel et commercial (EPIC)", "12 rue de l'Essai, 62300 LENS",
                  "Mme Exemple, directrice", "Hébergeur Essai SAS", "1 avenue du Serveur, 59000 Lille",
                  "03 20 00 00 00", "contact@office-essai.example"):
        assert value in body
    assert PENDING not in body


def test_accessibility_statement(app):
    at = open_page(app, ACCESSIBILITY)
    assert not at.exception
    body = texts(at)
    assert "Déclaration d'accessibilité" in [t.value for t in at.title]
    assert "**non conforme**" in body and "RGAA), version 4.1" in body
    assert "5 décembre 2026" in body  # [accessibility] evaluated_on
    for words in ("HTML, CSS, JavaScript, WAI-ARIA", "Streamlit", "Chromium", "axe-core", "clavier",
                  "09 69 39 00 00", "Libre réponse 71120, 75342 Paris CEDEX 07", "formulaire.defenseurdesdroits.fr",
                  "délégué du Défenseur des droits", get_office().phone):
        assert words in body, words
    # The criteria: the automated ones with their check, every other one « non évalué ».
    assert "- **8.3** Dans chaque page web, la langue par défaut est-elle présente\u00a0?  \n" \
        f"  Résultat\u00a0: **{AUTOMATED}**. Vérifié par axe-core\u00a0: html-has-lang" in body
    assert "- **10.4** Dans chaque page web, le texte reste-t-il lisible" in body
    assert "Vérifié par un test du navigateur\u00a0: chaque page avec le texte à 200" in body
    assert "- **8.6** Pour chaque page web ayant un titre de page, ce titre est-il pertinent\u00a0?  \n" \
        f"  Résultat\u00a0: **{NOT_EVALUATED}**." in body
    assert body.count(f"Résultat\u00a0: **{NOT_EVALUATED}**") == 97
    assert body.count(f"Résultat\u00a0: **{AUTOMATED}**") == 18  # in the summary, and in its theme
    assert "9 critères sur 106" in body
    assert len(at.expander) == 13  # one per RGAA theme


def test_accessibility_status_and_date_come_from_office_toml(app, office_toml):
    office_toml({'status = "non conforme"': 'status = "partiellement conforme"',
                 "evaluated_on = 2026-12-05": "evaluated_on = 2027-01-01"})
    body = texts(open_page(app, ACCESSIBILITY))
    assert "**partiellement conforme**" in body and "1er janvier 2027" in body


def test_accessibility_status_not_stated_yet(app, office_toml):
    office_toml({'status = "non conforme"': 'status = ""', "evaluated_on = 2026-12-05": 'evaluated_on = ""'})
    at = open_page(app, ACCESSIBILITY)
    assert f"**{PENDING}**" in texts(at)
    assert f"Accessibilité\u00a0: {PENDING} · Office de Tourisme et Patrimoine de la CALL" in [c.value for c in at.caption]


def test_privacy_notice(app):
    at = open_page(app, PRIVACY)
    assert not at.exception
    body = texts(at)
    for words in ("article 6.1.e", "Demande de rappel", "Code dossier", "Image de la page de votre facture",
                  "Vérification d'une facture", "Connexion des agents", "E-mails envoyés par le kiosque",
                  "Journaux du serveur", "accès", "rectification", "effacement", "limitation", "opposition",
                  "cnil.fr", "3 place de Fontenoy, TSA 80715, 75334 Paris Cedex 07", "Délégué à la protection"):
        assert words in body, words
    assert "90 jours après la demande" in body  # [data] retention_days
    assert "ni sur disque ni dans sa base de données" in body


def test_privacy_notice_follows_the_retention_period(app, office_toml):
    office_toml({"retention_days = 90": "retention_days = 45"})
    body = texts(open_page(app, PRIVACY))
    assert "45 jours après la demande" in body and "90 jours" not in body


def test_privacy_notice_with_the_dpo_filled(app, office_toml):
    office_toml(FILLED)
    body = texts(open_page(app, PRIVACY))
    assert "M. Protection, dpo@agglo-essai.example" in body and "6 mois" in body
    assert PENDING not in body


# --- missing values: the public page says so, /agents lists them ------------------------------

def test_an_empty_value_is_pending_in_public_and_listed_for_staff(app, office_toml):
    filled_but_director = {k: v for k, v in FILLED.items() if "publication_director" not in k}
    office_toml(filled_but_director)
    body = texts(open_page(app, LEGAL))
    assert PENDING in body and "Mme Exemple" not in body

    at = sign_in(open_page(configured(app), STAFF_PAGE))
    assert not at.exception
    (warning,) = [w.value for w in at.warning if "office.toml" in w.value]
    assert "À compléter dans office.toml" in warning
    assert "`[legal] publication_director`" in warning
    assert "legal_form" not in warning and "host_name" not in warning


def test_staff_see_no_list_when_everything_is_filled(app, office_toml):
    office_toml(FILLED)
    at = sign_in(open_page(configured(app), STAFF_PAGE))
    assert not [w for w in at.warning if "office.toml" in w.value]


def test_the_shipped_office_toml_lists_what_is_unknown(app):
    at = sign_in(open_page(configured(app), STAFF_PAGE))
    (warning,) = [w.value for w in at.warning if "office.toml" in w.value]
    for key in ("legal_form", "street", "publication_director", "host_name", "dpo_contact"):
        assert f"{key}`" in warning


# --- where the data is collected ---------------------------------------------------------------

def test_the_callback_form_links_to_the_privacy_notice(app):
    at = open_page(app, "pages/help.py")
    links = [(link.proto.page, link.proto.label) for link in at.main.get("page_link")]
    assert ("donnees-personnelles", "Ce que l'office fait de ces informations (données personnelles)") in links


def test_the_case_code_says_what_it_keeps_and_how_long(app, office_toml, db, clock):
    office_toml({"retention_days = 90": "retention_days = 45"})
    at = open_page(app, GUIDE)
    at = at.button(key="case_ref_deposer-une-facture_ask").click().run()
    assert shown_code(at)
    box = html.unescape(next(el.proto.body for el in at.get("html") if "case-ref-code" in el.proto.body))
    assert ("Le kiosque garde avec ce code l'étape du guide, le statut de facture regardé et le résultat de "
            "votre dernière vérification, pendant 45 jours, puis il efface tout.") in box


def test_the_picture_sharing_box_says_how_long(app, office_toml, db, clock, fake_pool):
    office_toml({"retention_days = 90": "retention_days = 45"})
    path = SYNTHETIC / "inv-006.pdf"
    fake_pool.answer = report_from_labels(path, file_name="facture.pdf")
    at = open_page(app, CHECKER)
    at.file_uploader[0].set_value(("facture.pdf", path.read_bytes(), "application/pdf"))
    at = at.run()
    label = at.checkbox(key=SHARE_KEY).label
    assert "Le kiosque la garde avec le code, 45 jours au plus, ou jusqu'à ce que je décoche la case." in label
