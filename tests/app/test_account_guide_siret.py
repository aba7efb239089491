"""AppTest: the SIRET check on step 1 of « Créer mon compte »."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from services.company_directory import CompanyDirectory, TokenBucket
from services.guides import load_guide
from services.office import get_office
from tests.app.conftest import texts

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "recherche_entreprises"


def open_step(app, number: int = 1):
    app.query_params["etape"] = str(number)
    app.switch_page("pages/account_guide.py")
    app.run()
    assert not app.exception
    return app


def siret_input(app):
    return next(t for t in app.text_input if t.key.endswith("_tool_1_input"))


def alerts(app) -> str:
    return "\n".join(str(e.value) for kind in ("success", "info", "warning", "error") for e in getattr(app, kind))


@pytest.fixture
def directory(monkeypatch):
    """Point the widget at a directory served from recorded answers (by SIRET/SIREN asked)."""
    answers = {
        "51234567900025": ("siret_active", 200),
        "82345678500018": ("siret_closed", 200),
        "434567897": ("siren_several_establishments", 200),
    }
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        q = request.url.params["q"]
        calls.append(q)
        name, status = answers.get(q, ("not_found", 200))
        return httpx.Response(status, content=(FIXTURES / f"{name}.json").read_bytes())

    client = CompanyDirectory("https://recherche-entreprises.test", transport=httpx.MockTransport(handler),
                              bucket=TokenBucket(rate=1000))
    monkeypatch.setattr("ui.siret_field.company_directory", lambda: client)
    client.calls = calls
    return client


def test_step_one_has_the_siret_check_and_the_no_siret_path(app):
    open_step(app)
    assert siret_input(app).label == "Numéro de SIRET de votre entreprise"
    assert "Vérifier votre SIRET avant de le taper" in texts(app)
    expander = next(e for e in app.expander if "Je n'ai pas de numéro de SIRET" in e.label)
    inside = "\n".join(str(m.value) for m in expander.markdown)
    assert "Structure européenne hors France" in inside
    assert "Structure hors UE" in inside
    assert "Particulier" in inside
    assert "numéro de TVA intracommunautaire" in inside
    assert get_office().phone in inside


def test_other_steps_have_no_siret_field(app):
    open_step(app, 2)
    assert not any(t.key and "siret" in t.key for t in app.text_input)
    assert not [t for t in app.text_input if t.label.startswith("Numéro de SIRET")]


def test_valid_siret_with_the_directory_unreachable(app):
    # tests/conftest.py points the directory at a closed port: the real offline path.
    open_step(app)
    siret_input(app).input("512 345 679 00025").run()
    assert not app.exception
    assert "Le SIRET 512 345 679 00025 est bien tapé" in alerts(app)
    assert "vérification en ligne indisponible" in alerts(app).lower()
    assert any(b.label == "Réessayer la vérification en ligne" for b in app.button)
    assert siret_input(app).value == "512 345 679 00025"  # nothing typed is lost


def test_siren_says_what_is_missing(app):
    open_step(app)
    siret_input(app).input("434567897").run()
    assert "il manque les 5 chiffres de l'établissement" in alerts(app)


def test_mistyped_number(app):
    open_step(app)
    siret_input(app).input("5123456790002").run()
    assert [e for e in app.error if "a 13 chiffres" in str(e.value)]
    siret_input(app).input("51234567900026").run()
    assert [e for e in app.error if "clé de contrôle" in str(e.value)]


def test_the_office_siret_is_not_the_suppliers(app, directory):
    open_step(app)
    siret_input(app).input(get_office().siret).run()
    assert "C'est le SIRET de l'office" in alerts(app)
    assert directory.calls == []


def test_active_establishment_from_the_directory(app, directory):
    open_step(app)
    siret_input(app).input("51234567900025").run()
    found = [s for s in app.success if "Annuaire des entreprises" in str(s.value)]
    assert found
    assert "GITES DE L'ARTOIS" in str(found[0].value)
    assert "8 RUE DE LA GARE 62300 LENS" in str(found[0].value)


def test_closed_establishment_is_refused_and_the_active_one_listed(app, directory):
    open_step(app)
    siret_input(app).input("823 456 785 00018").run()
    assert "Chorus Pro refusera ce SIRET : utilisez celui de votre établissement actif" in alerts(app)
    assert "823 456 785 00034" in texts(app)  # the active head office
    assert "annuaire-entreprises.data.gouv.fr/entreprise/823456785" in texts(app)


def test_siren_shows_the_head_office_siret(app, directory):
    open_step(app)
    siret_input(app).input("434 567 897").run()
    assert "434 567 897 00039" in alerts(app)
    assert "3 établissements ouverts" in texts(app)


def test_retry_asks_the_directory_again(app, monkeypatch):
    answers = iter([httpx.Response(500), httpx.Response(500), httpx.Response(500),
                    httpx.Response(200, content=(FIXTURES / "siret_active.json").read_bytes())])
    client = CompanyDirectory("https://recherche-entreprises.test",
                              transport=httpx.MockTransport(lambda r: next(answers)),
                              bucket=TokenBucket(rate=1000), backoff=0.01)
    monkeypatch.setattr("ui.siret_field.company_directory", lambda: client)
    open_step(app)
    siret_input(app).input("51234567900025").run()
    assert "vérification en ligne indisponible" in alerts(app).lower()
    next(b for b in app.button if b.label == "Réessayer la vérification en ligne").click().run()
    assert "GITES DE L'ARTOIS" in alerts(app)


def test_typed_siret_survives_a_trip_to_another_step(app):
    open_step(app)
    siret_input(app).input("512 345 679 00025").run()
    next(b for b in app.button if b.label == "Suivant →").click().run()
    assert "Étape 2" in texts(app)
    next(b for b in app.button if b.label == "← Précédent").click().run()
    assert siret_input(app).value == "512 345 679 00025"


def test_every_tool_named_in_the_guides_exists():
    from services.guides import guide_slugs
    from ui.guide_tools import TOOLS

    office = get_office()
    named = {s.tool for slug in guide_slugs() for s in load_guide(slug, office).steps if s.tool}
    assert "siret_check" in named
    assert named <= set(TOOLS)


def test_the_office_siren_is_not_the_suppliers(app, directory):
    open_step(app)
    siret_input(app).input(get_office().siren).run()
    assert "C'est le SIREN de l'office" in alerts(app)
    assert directory.calls == []
