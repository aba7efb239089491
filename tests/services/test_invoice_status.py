"""content/statuts.yaml loads; each status says who acts, what to do and where it goes next."""

from __future__ import annotations

import pytest

from services.guides import ContentError
from services.invoice_status import STATUS_PATH, load_statuses, parse_statuses
from services.office import get_office

# Every status a supplier can see in « Factures émises » (domain facts, section 5.2).
SECTION_5_2 = ("DEPOSEE", "EN_COURS_ACHEMINEMENT", "MISE_A_DISPOSITION", "A_RECYCLER", "SUSPENDUE", "COMPLETEE",
               "REJETEE", "SERVICE_FAIT", "MANDATEE", "MISE_A_DISPOSITION_COMPTABLE", "MISE_EN_PAIEMENT",
               "COMPTABILISEE", "ABANDONNEE", "SUPPRIMEE")


@pytest.fixture(scope="module")
def guide():
    return load_statuses(get_office())


def test_every_status_of_section_5_2_is_explained(guide):
    assert set(SECTION_5_2) <= set(guide.codes)
    for status in guide.statuses:
        assert status.meaning and status.todo and guide.actor_label(status)
        assert "{" not in status.todo + status.meaning  # placeholders filled


def test_statuses_where_the_supplier_acts_come_first(guide):
    first = [s.code for s in guide.ordered()[:3]]
    assert first == ["A_RECYCLER", "SUSPENDUE", "REJETEE"]
    for status in guide.ordered()[:3]:
        assert status.supplier_acts
        assert "1." in status.todo  # step by step


@pytest.mark.parametrize("typed, code", [
    ("A_RECYCLER", "A_RECYCLER"), ("à recycler", "A_RECYCLER"), ("A-RECYCLER", "A_RECYCLER"),
    ("  Mise en paiement ", "MISE_EN_PAIEMENT"), ("mise_a_disposition_comptable", "MISE_A_DISPOSITION_COMPTABLE"),
    ("En cours d’acheminement", "EN_COURS_ACHEMINEMENT"), ("rejetée", "REJETEE"),
])
def test_find_what_the_supplier_typed(guide, typed, code):
    assert guide.find(typed).code == code


@pytest.mark.parametrize("typed", ["", None, "<script>", "PAYEE_DEUX_FOIS"])
def test_unknown_text_finds_nothing(guide, typed):
    assert guide.find(typed) is None


def test_timeline_of_a_status_on_the_normal_path(guide):
    steps = guide.timeline(guide.get("SERVICE_FAIT"))
    assert [s.state for s in steps] == ["done", "done", "done", "current", "next", "later", "later"]
    assert steps[-1].code == "MISE_EN_PAIEMENT"


def test_timeline_of_a_suspended_invoice_goes_through_completee(guide):
    steps = guide.timeline(guide.get("SUSPENDUE"))
    codes = [s.code for s in steps]
    assert codes[codes.index("SUSPENDUE") + 1] == "COMPLETEE"
    assert codes[-1] == "MISE_EN_PAIEMENT"


def test_a_rejected_invoice_goes_nowhere(guide):
    steps = guide.timeline(guide.get("REJETEE"))
    assert steps[-1].code == "REJETEE" and steps[-1].state == "current"


def test_a_broken_file_gets_a_french_message():
    raw = STATUS_PATH.read_text(encoding="utf-8")
    with pytest.raises(ContentError, match="actor"):
        parse_statuses(raw.replace("actor: supplier", "actor: quelqu'un", 1), get_office())
    with pytest.raises(ContentError, match="champ inconnu"):
        parse_statuses(raw.replace("SIRET **{siret}**", "SIRET **{sirette}**"), get_office())
    with pytest.raises(ContentError, match="next"):
        parse_statuses(raw.replace("next: [COMPLETEE, SERVICE_FAIT]", "next: [COMPLETE]"), get_office())


def test_links_point_to_real_pages_and_guide_steps(guide):
    from services.guides import load_guide
    from tests.services.test_triage import GUIDE_PAGES, KNOWN_PAGES

    counts = {slug: load_guide(slug, get_office()).count for slug in GUIDE_PAGES}
    links = [link for status in guide.statuses for link in status.links]
    assert links
    for link in links:
        assert link.is_page and link.page_path in KNOWN_PAGES, link
        if link.page_path in GUIDE_PAGES:
            assert 1 <= int(link.query["etape"]) <= counts[link.page_path], link
