import pytest

from services.guides import load_guide
from services.office import get_office
from tests.app.conftest import copy_values, open_page

GUIDES = [("pages/account_guide.py", "creer-mon-compte"), ("pages/deposit_guide.py", "deposer-une-facture")]


def _step_header(at) -> str:
    return at.header[0].value


@pytest.mark.parametrize(("path", "slug"), GUIDES)
def test_next_and_previous_walk_every_step(app, path, slug):
    guide = load_guide(slug, get_office())
    at = open_page(app, path)
    assert not at.exception
    assert [t.value for t in at.title] == [guide.title]
    for number in range(1, guide.count + 1):
        assert _step_header(at) == f"Étape {number} : {guide.steps[number - 1].title}"
        assert f"Étape {number} sur {guide.count}" in at.get("progress")[0].proto.text
        if number < guide.count:
            at = at.button(key=f"guide_{slug}_step_next").click().run()
            assert at.query_params["etape"] == str(number + 1)
    # Last step: no Next button, a link onwards instead.
    assert not [b for b in at.button if b.key == f"guide_{slug}_step_next"]
    at = at.button(key=f"guide_{slug}_step_prev").click().run()
    assert _step_header(at).startswith(f"Étape {guide.count - 1} :")


@pytest.mark.parametrize(("path", "slug"), GUIDES)
def test_deep_link_opens_the_step(app, path, slug):
    app.query_params["etape"] = "3"
    at = open_page(app, path)
    assert _step_header(at).startswith("Étape 3 :")
    assert not at.warning


@pytest.mark.parametrize("bad", ["99", "0", "abc"])
def test_out_of_range_deep_link_is_handled(app, bad):
    at = open_page(app, "pages/deposit_guide.py", etape=bad)
    assert not at.exception
    count = load_guide("deposer-une-facture", get_office()).count
    expected = count if bad == "99" else 1
    assert _step_header(at).startswith(f"Étape {expected} :")
    assert at.warning and "étape" in at.warning[0].value


def test_jump_to_any_step(app):
    at = open_page(app, "pages/deposit_guide.py")
    at = at.selectbox(key="guide_deposer-une-facture_step_jump").select(6).run()
    assert _step_header(at).startswith("Étape 6 :")
    assert at.query_params["etape"] == "6"


def test_done_checkbox_is_kept_for_the_session(app):
    at = open_page(app, "pages/account_guide.py")
    at = at.checkbox(key="guide_creer-mon-compte_step_done_1").check().run()
    at = at.button(key="guide_creer-mon-compte_step_next").click().run()
    assert at.checkbox(key="guide_creer-mon-compte_step_done_2").value is False
    assert "1 faite(s)" in at.get("progress")[0].proto.text
    at = at.button(key="guide_creer-mon-compte_step_prev").click().run()
    assert at.checkbox(key="guide_creer-mon-compte_step_done_1").value is True


def test_recipient_step_gives_the_siret_to_copy(app):
    office = get_office()
    guide = load_guide("deposer-une-facture", office)
    number = next(s.number for s in guide.steps if any(c.value == office.siret for c in s.copy))
    at = open_page(app, "pages/deposit_guide.py", etape=str(number))
    codes = copy_values(at)
    assert codes.count(office.siret) >= 2  # recipient card + the step's copy block
    assert "Non" in " ".join(str(m.value) for m in at.markdown)


def test_each_step_shows_usual_mistakes(app):
    at = open_page(app, "pages/account_guide.py")
    assert [s.value for s in at.subheader][-2:] == ["Ce que vous verrez", "Erreurs fréquentes"]
    assert len(at.expander) >= 1


def test_coming_back_through_the_menu_keeps_the_step(app):
    at = open_page(app, "pages/account_guide.py", etape="3")
    at = at.button(key="guide_creer-mon-compte_step_next").click().run()
    assert _step_header(at).startswith("Étape 4 :")
    at = open_page(at, "pages/help.py")
    at.query_params.pop("etape", None)  # the menu link carries no ?etape
    at = at.switch_page("pages/account_guide.py").run()
    assert _step_header(at).startswith("Étape 4 :")


@pytest.mark.parametrize("crafted", ["²", "[Payez ici](//ex.am)"])
def test_a_crafted_step_link_neither_crashes_nor_shows_its_words(app, crafted):
    at = open_page(app, "pages/deposit_guide.py", etape=crafted)
    assert not at.exception
    assert _step_header(at).startswith("Étape 1 :")
    assert "Payez" not in at.warning[0].value and "²" not in at.warning[0].value


def test_a_broken_content_file_gets_a_french_message_not_a_traceback(app, monkeypatch):
    import services.guides as guides

    def broken(slug, office):
        raise guides.ContentError("deposer-une-facture.yaml, étape 3 : « title » manquant.")

    monkeypatch.setattr(guides, "load_guide", broken)
    at = open_page(app, "pages/deposit_guide.py")
    assert not at.exception
    assert "un fichier du kiosque contient une erreur" in at.error[0].value
    assert any("étape 3" in c.value for c in at.caption)
