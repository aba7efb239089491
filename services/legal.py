"""The legal notice, the privacy notice and the accessibility statement, from content/.

The words are content files (content/mentions-legales.yaml, content/donnees-personnelles.yaml,
content/accessibilite.yaml) with the office's details filled in as {placeholders}. A detail the
office has not given yet (an empty value in office.toml) is written « information en cours de
mise à jour », never guessed; /agents lists those details (Office.missing_details()).

The accessibility statement also holds the RGAA 4.1 criteria, each with its result: only what an
automated check of the test suite verifies is « conforme (vérification automatique) »; the
other criteria are « non évalué », never counted as passed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from services.guides import CONTENT_DIR, ContentError, fill, load_yaml_mapping
from services.office import Office
from services.support_hours import MONTH_NAMES, hours_summary

LEGAL_NOTICE_PATH = CONTENT_DIR / "mentions-legales.yaml"
PRIVACY_PATH = CONTENT_DIR / "donnees-personnelles.yaml"
ACCESSIBILITY_PATH = CONTENT_DIR / "accessibilite.yaml"

PENDING = "information en cours de mise à jour"
AUTOMATED = "conforme (vérification automatique)"
NOT_EVALUATED = "non évalué"
# What a criterion's result may say: the automated checks' two, and an audit's words for later.
RESULTS = (AUTOMATED, NOT_EVALUATED, "conforme", "non conforme", "non applicable")
RGAA_CRITERIA_COUNT = 106  # RGAA 4.1: 106 criteria in 13 themes
_CRITERION_ID_RE = re.compile(r"^(\d{1,2})\.(\d{1,2})$")


@dataclass(frozen=True)
class Section:
    heading: str
    text: str  # Markdown, office details filled in
    show_criteria: bool = False  # the accessibility statement's criteria table goes after this text


@dataclass(frozen=True)
class LegalPage:
    title: str
    intro: str
    sections: tuple[Section, ...]


@dataclass(frozen=True)
class Processing:
    """One processing of personal data, with what GDPR article 13 asks to tell."""

    title: str
    purpose: str
    data: str
    recipients: str
    retention: str


@dataclass(frozen=True)
class PrivacyNotice:
    page: LegalPage
    processings: tuple[Processing, ...]
    closing: tuple[Section, ...]  # rights, DPO, CNIL: after the processings


@dataclass(frozen=True)
class Criterion:
    id: str  # "8.3"
    title: str
    result: str  # one of RESULTS
    checks: str = ""  # the automated checks behind an AUTOMATED result


@dataclass(frozen=True)
class Theme:
    number: int
    title: str
    criteria: tuple[Criterion, ...]


@dataclass(frozen=True)
class AccessibilityStatement:
    page: LegalPage
    themes: tuple[Theme, ...]

    @property
    def criteria(self) -> tuple[Criterion, ...]:
        return tuple(c for theme in self.themes for c in theme.criteria)

    def count(self, result: str) -> int:
        return sum(1 for c in self.criteria if c.result == result)


def french_date(day: date) -> str:
    """5 décembre 2026; 1er janvier 2027."""
    number = "1er" if day.day == 1 else str(day.day)
    return f"{number} {MONTH_NAMES[day.month - 1]} {day.year}"


def legal_placeholders(office: Office) -> dict[str, str]:
    """The office's details for the legal pages: office.placeholders() plus the legal ones,
    each empty one replaced by PENDING."""
    legal = office.legal
    values = {key: (getattr(legal, key) or PENDING) for key in legal.__dataclass_fields__}
    locality = f"{office.postal_code} {office.city}"
    values["address"] = f"{legal.street}, {locality}" if legal.street else f"{locality} (rue : {PENDING})"
    values["accessibility_status"] = office.accessibility.status or PENDING
    evaluated = office.accessibility.evaluated_on
    values["evaluated_on"] = french_date(evaluated) if evaluated else PENDING
    values["hours"] = hours_summary(office)
    return {**office.placeholders(), **values}


def _text(node: dict, key: str, values: dict[str, str], where: str, required: bool = True) -> str:
    value = node.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ContentError(f"{where} : « {key} » manquant.")
        return ""
    if not isinstance(value, (str, int, float)):
        raise ContentError(f"{where} : « {key} » doit être un texte.")
    return fill(str(value), values, where).strip()


def _sections(nodes, values: dict[str, str], source: str, key: str = "sections") -> tuple[Section, ...]:
    if not isinstance(nodes, list) or not nodes:
        raise ContentError(f"{source} : il faut une liste « {key} ».")
    sections = []
    for index, node in enumerate(nodes, start=1):
        where = f"{source}, {key} {index}"
        if not isinstance(node, dict):
            raise ContentError(f"{where} : format incorrect.")
        sections.append(Section(_text(node, "heading", values, where), _text(node, "text", values, where),
                                bool(node.get("criteria_table"))))
    return tuple(sections)


def _page(data: dict, values: dict[str, str], source: str) -> LegalPage:
    return LegalPage(_text(data, "title", values, source), _text(data, "intro", values, source, required=False),
                     _sections(data.get("sections"), values, source))


def parse_legal_notice(raw: str, office: Office, source: str = "mentions-legales.yaml") -> LegalPage:
    return _page(load_yaml_mapping(raw, source, "les mentions légales"), legal_placeholders(office), source)


def parse_privacy_notice(raw: str, office: Office, source: str = "donnees-personnelles.yaml") -> PrivacyNotice:
    data = load_yaml_mapping(raw, source, "la page sur les données personnelles")
    values = legal_placeholders(office)
    nodes = data.get("processings")
    if not isinstance(nodes, list) or not nodes:
        raise ContentError(f"{source} : il faut une liste « processings ».")
    processings = []
    for index, node in enumerate(nodes, start=1):
        where = f"{source}, traitement {index}"
        if not isinstance(node, dict):
            raise ContentError(f"{where} : format incorrect.")
        processings.append(Processing(*(_text(node, key, values, where)
                                        for key in ("title", "purpose", "data", "recipients", "retention"))))
    return PrivacyNotice(_page(data, values, source), tuple(processings),
                         _sections(data.get("closing"), values, source, "closing"))


def _themes(nodes, source: str) -> tuple[Theme, ...]:
    if not isinstance(nodes, list) or not nodes:
        raise ContentError(f"{source} : il faut une liste « themes » (les critères du RGAA).")
    themes, seen = [], set()
    for index, node in enumerate(nodes, start=1):
        where = f"{source}, thème {index}"
        if not isinstance(node, dict) or not isinstance(node.get("number"), int) or not node.get("title"):
            raise ContentError(f"{where} : il faut « number » (un nombre) et « title ».")
        criteria = []
        for item in node.get("criteria") or []:
            if not isinstance(item, dict):
                raise ContentError(f"{where} : chaque critère a « id », « title » et « result ».")
            cid = str(item.get("id", "")).strip()
            match = _CRITERION_ID_RE.match(cid)
            if not match or int(match.group(1)) != node["number"]:
                raise ContentError(f"{where} : critère « {cid} » : un numéro comme {node['number']}.1.")
            if cid in seen:
                raise ContentError(f"{where} : critère {cid} en double.")
            seen.add(cid)
            result = str(item.get("result", "")).strip()
            if result not in RESULTS:
                raise ContentError(f"{where}, critère {cid} : résultat « {result} » : l'un de "
                                   + ", ".join(f"« {r} »" for r in RESULTS) + ".")
            checks = str(item.get("checks") or "").strip()
            if result == AUTOMATED and not checks:
                raise ContentError(f"{where}, critère {cid} : dites quelle vérification automatique (« checks »).")
            if not item.get("title"):
                raise ContentError(f"{where}, critère {cid} : « title » manquant.")
            criteria.append(Criterion(cid, str(item["title"]).strip(), result, checks))
        if not criteria:
            raise ContentError(f"{where} : aucun critère.")
        themes.append(Theme(node["number"], str(node["title"]).strip(), tuple(criteria)))
    if len(seen) != RGAA_CRITERIA_COUNT:
        raise ContentError(f"{source} : {len(seen)} critères ; le RGAA 4.1 en compte {RGAA_CRITERIA_COUNT}.")
    return tuple(themes)


def parse_accessibility_statement(raw: str, office: Office,
                                  source: str = "accessibilite.yaml") -> AccessibilityStatement:
    data = load_yaml_mapping(raw, source, "la déclaration d'accessibilité")
    themes = _themes(data.get("themes"), source)
    criteria = [c for theme in themes for c in theme.criteria]
    values = {
        **legal_placeholders(office),
        "criteria_total": str(len(criteria)),
        "criteria_automated": str(sum(c.result == AUTOMATED for c in criteria)),
        "criteria_not_evaluated": str(sum(c.result == NOT_EVALUATED for c in criteria)),
    }
    return AccessibilityStatement(_page(data, values, source), themes)


def _load(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def load_legal_notice(office: Office) -> LegalPage:
    return parse_legal_notice(_load(LEGAL_NOTICE_PATH), office, LEGAL_NOTICE_PATH.name)


def load_privacy_notice(office: Office) -> PrivacyNotice:
    return parse_privacy_notice(_load(PRIVACY_PATH), office, PRIVACY_PATH.name)


def load_accessibility_statement(office: Office) -> AccessibilityStatement:
    return parse_accessibility_statement(_load(ACCESSIBILITY_PATH), office, ACCESSIBILITY_PATH.name)
