from services.office import get_office
from tests.app.conftest import copy_values, open_page, texts


def test_home_explains_and_links_to_both_guides(app):
    at = app.run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Faire payer votre facture par l'office"]
    body = texts(at)
    assert "Chorus Pro" in body
    office = get_office()
    # The recipient card is part of every page: name, SIRET (copyable code block), cadre.
    assert office.siret in copy_values(at)
    assert office.name in body


def test_sidebar_shows_the_support_line(app):
    at = app.run()
    office = get_office()
    sidebar = " ".join(str(m.value) for m in at.sidebar.markdown)
    assert office.contact_name in sidebar
    assert office.tel_link in sidebar
