"""content/aide.yaml: every topic of the issue, a fix, working links, the right owner."""

from dataclasses import replace

import pytest

from services.guides import ContentError, load_guide
from services.office import get_office
from services.triage import load_triage, parse_triage

GUIDE_PAGES = {"creer-mon-compte", "deposer-une-facture"}
KNOWN_PAGES = GUIDE_PAGES | {"verifier-ma-facture", "aide", "suivre-ma-facture", ""}


@pytest.fixture
def triage():
    return load_triage(get_office())


def test_every_problem_of_the_issue_is_there(triage):
    labels = " | ".join(t.label.lower() for t in triage.topics)
    for words in ("créer mon compte", "email d'activation", "mot de passe", "destinataire",
                  "ne lit pas ma facture", "rejetée ou suspendue", "quand serai-je payé", "pas de numéro de siret",
                  "autre"):
        assert words in labels
    assert len(set(triage.topic_ids)) == len(triage.topics)


def test_owners(triage):
    owner = {t.id: t.owner for t in triage.topics}
    for topic in ("creer-compte", "email-activation", "mot-de-passe", "sans-siret"):
        assert owner[topic] == "chorus_pro"
    for topic in ("destinataire", "facture-rejetee", "paiement", "autre"):
        assert owner[topic] == "office"


def test_links_point_to_real_guide_steps_or_the_checker(triage):
    office = get_office()
    counts = {slug: load_guide(slug, office).count for slug in GUIDE_PAGES}
    for topic in triage.topics:
        for link in topic.links:
            assert link.is_page, link
            assert link.page_path in KNOWN_PAGES, link
            if link.page_path in GUIDE_PAGES:
                step = int(link.query["etape"])
                assert 1 <= step <= counts[link.page_path], link
    assert any(link.target == "/verifier-ma-facture" for link in triage.topic("facture-illisible").links)


def test_office_details_come_from_office_toml(triage):
    office = get_office()
    assert office.siret in triage.topic("destinataire").fix
    assert f"**{office.recipient_is_state_answer}**" in triage.topic("destinataire").fix
    national = triage.channels["chorus_pro"]
    assert {link.target for link in national.links} == {office.assistant_url, office.contact_url, office.community_url}
    assert "du lundi au vendredi, de 9h à 17h" in triage.channels["office"].text
    other = replace(office, siret="73282932000074", contact_name="M. Martin")
    changed = load_triage(other)
    assert "73282932000074" in changed.topic("destinataire").fix
    assert "M. Martin" in changed.channels["office"].text
    for topic in triage.topics:
        assert "{" not in topic.fix and "{" not in topic.label


@pytest.mark.parametrize("raw,words", [
    ("topics: [", "YAML illisible"),
    ("channels: {}\ntopics: []", "canal chorus_pro"),
    ("channels: {chorus_pro: {title: a}, office: {title: b}}\ntopics:\n - {id: x, label: l, fix: f, owner: moi}", "owner"),
    ("channels: {chorus_pro: {title: a}, office: {title: b}}\ntopics:\n - {id: x, label: '{inconnu}', fix: f, owner: office}", "champ inconnu"),
    ("channels: {chorus_pro: {title: a}, office: {title: b}}\ntopics:\n - {id: x, label: l, fix: f, owner: office, links: [{label: a, to: 'javascript:x'}]}", "https"),
])
def test_content_mistakes_are_named(raw, words):
    with pytest.raises(ContentError, match=words):
        parse_triage(raw, get_office())
