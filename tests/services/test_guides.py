import re
from pathlib import Path

import pytest

from services.guides import (
    ContentError,
    choose_step,
    fill,
    guide_slugs,
    load_guide,
    parse_guide,
)
from services.office import get_office

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def office():
    return get_office()


def test_both_guides_exist():
    assert {"creer-mon-compte", "deposer-une-facture"} <= set(guide_slugs())


@pytest.mark.parametrize("slug", ["creer-mon-compte", "deposer-une-facture"])
def test_every_step_is_complete_and_filled(slug, office):
    guide = load_guide(slug, office)
    assert guide.count >= 6
    for step in guide.steps:
        for text in (step.title, step.do, step.see, step.alt):
            assert text.strip(), f"{slug} step {step.number} has an empty part"
            assert not re.search(r"\{[a-z_]+\}", text), f"unfilled placeholder in {slug} step {step.number}"
        assert step.mistakes, f"{slug} step {step.number} lists no usual mistake"
        assert step.image.is_file()


def test_account_guide_teaches_the_printed_steps_and_the_fixes(office):
    text = "\n".join(s.title + s.do + s.see for s in load_guide("creer-mon-compte", office).steps)
    for must in ("Vous êtes nouveau sur Chorus Pro", "SIRET", "Activer votre compte",
                 "Déposer des demandes de paiement", "Factures émises", "OUI", "mot de passe",
                 "code de sécurité"):
        assert must in text, must
    mistakes = "\n".join(m.fix for s in load_guide("creer-mon-compte", office).steps for m in s.mistakes)
    assert "60 minutes" in mistakes  # the activation link is short-lived


def test_deposit_guide_uses_the_office_details(office):
    guide = load_guide("deposer-une-facture", office)
    text = "\n".join(s.title + s.do + " ".join(c.value for c in s.copy) for s in guide.steps)
    assert office.siret in text
    assert office.name in text
    assert f"cadre de facturation {office.cadre_facturation}".lower() in text.lower()
    assert "Le destinataire est-il l'État ?" in text and "**Non**" in text
    assert "PDF non signé" in text and "Confirmer et envoyer" in text and "Virement" in text
    copies = [c.value for s in guide.steps for c in s.copy]
    assert office.siret in copies and office.cadre_facturation in copies


def test_content_never_writes_the_office_details_literally(office):
    for path in (ROOT / "content").rglob("*"):
        if path.is_file():
            raw = path.read_text(encoding="utf-8")
            assert office.siret not in raw, f"{path.name} repeats the SIRET: use {{siret}}"
            assert office.phone not in raw, f"{path.name} repeats the phone: use {{phone}}"


def test_code_never_writes_the_office_details_literally(office):
    for folder in ("services", "pages", "ui"):
        for path in (ROOT / folder).rglob("*.py"):
            raw = path.read_text(encoding="utf-8")
            assert office.siret not in raw, f"{path} repeats the SIRET"
            assert "03 21 72 66 53" not in raw, f"{path} repeats the phone number"
    assert office.siret not in (ROOT / "app.py").read_text()


def test_an_unknown_placeholder_is_an_error(office):
    with pytest.raises(ContentError, match="inconnu"):
        fill("Bonjour {nope}", office.placeholders(), "test")


def test_a_broken_guide_file_is_reported(office):
    with pytest.raises(ContentError, match="aucune étape|manquant"):
        parse_guide("slug: x\ntitle: X\nsteps: []\n", office)
    with pytest.raises(ContentError, match="illisible"):
        parse_guide("steps: [", office)
    with pytest.raises(ContentError, match="illustration introuvable"):
        parse_guide("slug: x\ntitle: X\nsteps:\n  - {title: a, do: b, alt: c, image: nope.svg}\n", office)


@pytest.mark.parametrize(
    ("requested", "number", "has_notice"),
    [(None, 1, False), ("", 1, False), ("3", 3, False), ("6", 6, False), ("99", 6, True),
     ("0", 1, True), ("-2", 1, True), ("abc", 1, True), (" 2 ", 2, False), ("²", 1, True),
     ("٣", 1, True), ("[Payez ici](//ex.am)", 1, True), ("9" * 40, 6, True)],
)
def test_choose_step(requested, number, has_notice):
    choice = choose_step(requested, 6)
    assert choice.number == number
    assert (choice.notice is not None) == has_notice
    if requested and choice.notice:
        assert requested.strip() not in choice.notice or requested.strip().lstrip("-").isdigit()
