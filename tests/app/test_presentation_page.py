"""/presentation: one step per screen, next/previous, deep link, bad links, no sign-in needed."""

import pytest

from services.guides import guide_slugs, load_guide
from services.office import get_office
from services.staff_auth import ENV_USERS
from services.typography import NBSP
from tests.app.conftest import copy_values, open_page, texts

PAGE = "pages/presentation.py"


@pytest.fixture(autouse=True)
def no_staff_accounts(monkeypatch):
    monkeypatch.delenv(ENV_USERS, raising=False)


def _title(at) -> str:
    return at.title[0].value.replace(NBSP, " ")


@pytest.mark.parametrize("slug", guide_slugs())
def test_next_and_previous_walk_every_step(app, slug):
    guide = load_guide(slug, get_office())
    at = open_page(app, PAGE, guide=slug)
    assert not at.exception
    for number in range(1, guide.count + 1):
        assert _title(at) == f"{number}. {guide.steps[number - 1].title}"
        assert f"Étape {number} sur {guide.count}" in texts(at)
        assert at.button(key="presentation_prev").disabled == (number == 1)
        assert at.button(key="presentation_next").disabled == (number == guide.count)
        if number < guide.count:
            at = at.button(key="presentation_next").click().run()
            assert at.query_params["etape"] == str(number + 1)
    for number in range(guide.count - 1, 0, -1):
        at = at.button(key="presentation_prev").click().run()
        assert _title(at).startswith(f"{number}. ")


def test_deep_link_opens_the_step_with_the_office_details(app):
    office = get_office()
    guide = load_guide("deposer-une-facture", office)
    number = next(s.number for s in guide.steps if any(c.value == office.siret for c in s.copy))
    at = open_page(app, PAGE, guide="deposer-une-facture", etape=str(number))
    assert _title(at) == f"{number}. {guide.steps[number - 1].title}"
    assert office.siret in copy_values(at)
    assert not at.warning
    mistakes = [e.label for e in at.expander if e.label.startswith("Erreur fréquente")]
    assert len(mistakes) == len(guide.steps[number - 1].mistakes) > 0
    # The keyboard listener is on the page (clicked in the browser test).
    assert any("ArrowRight" in el.proto.body for el in at.get("html"))


def test_jump_to_any_step(app):
    at = open_page(app, PAGE, guide="creer-mon-compte")
    at = at.selectbox(key="presentation_creer-mon-compte_step_jump").select(4).run()
    assert _title(at).startswith("4. ")


@pytest.mark.parametrize(("etape", "expected"), [("99", "last"), ("abc", 1), ("0", 1)])
def test_bad_step_falls_back_with_a_notice(app, etape, expected):
    guide = load_guide("creer-mon-compte", get_office())
    at = open_page(app, PAGE, guide="creer-mon-compte", etape=etape)
    assert not at.exception
    number = guide.count if expected == "last" else expected
    assert _title(at).startswith(f"{number}. ")
    assert at.warning


def test_unknown_or_missing_guide_offers_the_list(app):
    at = open_page(app, PAGE, guide="[Payez ici](https://ex.am)")
    assert not at.exception
    assert _title(at) == "Mode présentation"
    assert "n'existe pas" in at.warning[0].value
    assert "Payez" not in at.warning[0].value  # a crafted link's words are never shown back
    labels = [link.proto.label for link in at.get("page_link")]
    for slug in guide_slugs():
        assert load_guide(slug, get_office()).title in labels


def test_without_a_guide_the_list_is_shown_without_a_warning(app):
    at = open_page(app, PAGE)
    assert _title(at) == "Mode présentation" and not at.warning


def test_guide_pages_offer_the_handout_and_the_presentation(app):
    at = open_page(app, "pages/deposit_guide.py", etape="3")
    assert len(at.get("download_button")) == 1
    links = [link.proto for link in at.get("page_link") if link.proto.page == "presentation"]
    assert links and links[0].query_string in ("guide=deposer-une-facture&etape=3",)
