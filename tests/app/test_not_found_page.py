"""« Page introuvable » (ui/not_found.py): reachable, French, links to the main pages."""

from tests.app.conftest import open_page, texts
from ui.not_found import MAIN_PAGES


def test_not_found_page_is_french_with_links_to_the_main_pages(app):
    at = open_page(app, "pages/not_found.py")
    assert not at.exception
    assert [t.value for t in at.title] == ["Page introuvable"]
    assert "ne correspond à aucune page du kiosque" in texts(at)
    labels = [link.label for link in at.get("page_link")]
    assert all(label in labels for _, label, _ in MAIN_PAGES)


def test_known_pages_are_untouched(app):
    at = app.run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Faire payer votre facture par l'office"]
