"""Click through the real app in Chromium: home, both guides, deep links, copy."""

import pytest

from services.office import get_office
from tests.e2e.conftest import open_page, screenshot, wait_idle

pytestmark = pytest.mark.e2e


def test_home_links_to_each_guide(page, server):
    open_page(page, server, "/")
    assert page.locator("h1").count() == 1
    assert "Faire payer votre facture" in page.locator("h1").inner_text()
    page.get_by_role("link", name="créer mon compte Chorus Pro").click()
    wait_idle(page)
    assert page.url.endswith("/creer-mon-compte")
    assert "Créer mon compte Chorus Pro" in page.locator("h1").inner_text()
