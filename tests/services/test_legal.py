"""The legal pages' content: office values filled in, missing ones pending, the RGAA criteria."""

import re

import pytest

from services.guides import ContentError
from services.legal import (
    ACCESSIBILITY_PATH, AUTOMATED, NOT_EVALUATED, PENDING, RESULTS, french_date, legal_placeholders,
    load_accessibility_statement, load_legal_notice, load_privacy_notice, parse_accessibility_statement,
)
from services.office import DEFAULT_PATH, parse_office

GOOD = DEFAULT_PATH.read_text(encoding="utf-8")
# The criteria that an automated check of the test suite verifies (axe-core on every page).
AUTOMATED_CRITERIA = {"1.1", "3.2", "6.2", "8.3", "8.4", "8.5", "10.4", "11.1", "12.7"}


@pytest.fixture
def office():
    return parse_office(GOOD)


def test_the_106_rgaa_criteria_each_with_an_honest_result(office):
    statement = load_accessibility_statement(office)
    ids = [c.id for c in statement.criteria]
    assert len(ids) == len(set(ids)) == 106
    assert [t.number for t in statement.themes] == list(range(1, 14))
    assert [len(t.criteria) for t in statement.themes] == [9, 2, 3, 13, 8, 2, 5, 10, 4, 14, 13, 11, 12]
    assert {c.result for c in statement.criteria} <= {AUTOMATED, NOT_EVALUATED}
    assert {c.id for c in statement.criteria if c.result == AUTOMATED} == AUTOMATED_CRITERIA
    assert all("axe-core" in c.checks or "test du navigateur" in c.checks
               for c in statement.criteria if c.result == AUTOMATED)
    assert statement.count(NOT_EVALUATED) == 97
    by_id = {c.id: c for c in statement.criteria}
    assert by_id["8.3"].title == "Dans chaque page web, la langue par défaut est-elle présente ?"
    assert by_id["3.2"].title.startswith("Dans chaque page web, le contraste entre la couleur du texte")


def test_the_statement_counts_what_was_checked(office):
    text = " ".join(s.text for s in load_accessibility_statement(office).page.sections)
    assert "9 critères sur 106" in text and "Les 97 autres critères ne sont pas encore évalués" in text
    assert "5 décembre 2026" in text


def _with_result(criterion: str, result: str, checks: str = "") -> str:
    raw = ACCESSIBILITY_PATH.read_text(encoding="utf-8")
    pattern = rf'(- id: "{re.escape(criterion)}"\n\s+title: [^\n]+\n\s+result: )[^\n]+(\n\s+checks: [^\n]+)?'
    replacement = rf"\g<1>{result}" + (f'\n        checks: "{checks}"' if checks else "")
    changed, count = re.subn(pattern, replacement, raw)
    assert count == 1
    return changed


def test_an_automated_result_must_say_which_check(office):
    with pytest.raises(ContentError, match="8.6.*vérification automatique"):
        parse_accessibility_statement(_with_result("8.6", AUTOMATED), office)
    statement = parse_accessibility_statement(_with_result("8.6", AUTOMATED, "axe-core : document-title"), office)
    assert statement.count(AUTOMATED) == 10


def test_an_unknown_result_is_refused(office):
    with pytest.raises(ContentError, match="12.9.*passé"):
        parse_accessibility_statement(_with_result("12.9", "passé"), office)
    assert "non applicable" in RESULTS  # an audit's words are accepted later


def test_a_missing_criterion_is_refused(office):
    raw = ACCESSIBILITY_PATH.read_text(encoding="utf-8")
    raw = re.sub(r'      - id: "13.12"\n(\s{8}[^\n]+\n)+', "", raw)
    with pytest.raises(ContentError, match="105 critères"):
        parse_accessibility_statement(raw, office)


def test_empty_details_are_pending_never_guessed(office):
    values = legal_placeholders(office)
    for key in ("legal_form", "publication_director", "dpo_contact", "host_name", "host_address", "host_phone",
                "contact_email", "server_logs_retention"):
        assert values[key] == PENDING
    assert values["address"] == f"62300 LENS (rue : {PENDING})"
    assert values["accessibility_status"] == "non conforme"


def test_filled_details_are_used(office):
    filled = parse_office(GOOD.replace('street = ""', 'street = "1 place Essai"')
                          .replace('dpo_contact = ""', 'dpo_contact = "dpo@essai.example"'))
    values = legal_placeholders(filled)
    assert values["address"] == "1 place Essai, 62300 LENS"
    assert values["dpo_contact"] == "dpo@essai.example"
    privacy = load_privacy_notice(filled)
    assert "dpo@essai.example" in [s.text for s in privacy.closing]


def test_the_privacy_notice_says_the_retention_period(office):
    for days in (90, 30):
        notice = load_privacy_notice(parse_office(GOOD.replace("retention_days = 90", f"retention_days = {days}")))
        retention = {p.title: p.retention for p in notice.processings}
        assert retention["Demande de rappel (page « Aide et rappel »)"].startswith(f"{days} jours après la demande")
        assert f"{days} jours après sa création" in retention["Code dossier (aide au téléphone)"]


def test_every_processing_has_what_article_13_asks(office):
    notice = load_privacy_notice(office)
    assert len(notice.processings) == 8
    for item in notice.processings:
        assert item.purpose and item.data and item.recipients and item.retention
    body = " ".join(s.text for s in notice.page.sections)
    assert "6.1.e" in body and "Office de Tourisme et Patrimoine de la CALL" in body


def test_the_legal_notice_names_the_office(office):
    page = load_legal_notice(office)
    publisher = page.sections[0].text
    assert "809 389 232 00020" in publisher and "03 21 72 66 53" in publisher


def test_french_dates():
    from datetime import date

    assert french_date(date(2026, 12, 5)) == "5 décembre 2026"
    assert french_date(date(2027, 1, 1)) == "1er janvier 2027"
