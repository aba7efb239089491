"""« Je n'ai pas de numéro de SIRET »: what to choose on Chorus Pro, loaded from content/sans-siret.yaml."""

from __future__ import annotations

from dataclasses import dataclass

from services.guides import CONTENT_DIR, ContentError, fill, load_yaml_mapping
from services.office import Office

NO_SIRET_PATH = CONTENT_DIR / "sans-siret.yaml"
# Chorus Pro's identifier types for a structure (API typeIdentifiantStructure).
CHORUS_IDENTIFIER_TYPES = ("SIRET", "UE_HORS_FRANCE", "HORS_UE", "RIDET", "TAHITI", "PARTICULIER", "AUTRE")


@dataclass(frozen=True)
class NoSiretCase:
    who: str  # who you are, in the supplier's words
    choose: str  # the choice as Chorus Pro names it
    code: str | None  # Chorus Pro's technical name, for phone support (None when unsure)
    identifier: str  # what to type instead of a SIRET


@dataclass(frozen=True)
class NoSiretGuide:
    title: str
    intro: str
    cases: tuple[NoSiretCase, ...]
    outro: str


def parse_no_siret(raw: str, office: Office, source: str = "sans-siret.yaml") -> NoSiretGuide:
    data = load_yaml_mapping(raw, source, "les cas sans SIRET")
    if not isinstance(data.get("cases"), list) or not data["cases"]:
        raise ContentError(f"{source} : il faut une liste « cases ».")
    values = office.placeholders()
    cases = []
    for index, node in enumerate(data["cases"], start=1):
        where = f"{source}, cas {index}"
        if not isinstance(node, dict):
            raise ContentError(f"{where} : format incorrect.")
        missing = [k for k in ("who", "choose", "identifier") if not node.get(k)]
        if missing:
            raise ContentError(f"{where} : « {missing[0]} » manquant.")
        code = str(node.get("code") or "").strip() or None
        if code is not None and code not in CHORUS_IDENTIFIER_TYPES:
            raise ContentError(f"{where} : code « {code} » inconnu ({', '.join(CHORUS_IDENTIFIER_TYPES)}).")
        cases.append(NoSiretCase(
            who=fill(str(node["who"]), values, where).strip(),
            choose=fill(str(node["choose"]), values, where).strip(),
            code=code,
            identifier=fill(str(node["identifier"]), values, where).strip(),
        ))
    return NoSiretGuide(
        title=fill(str(data.get("title") or "Je n'ai pas de numéro de SIRET"), values, source).strip(),
        intro=fill(str(data.get("intro") or ""), values, source).strip(),
        cases=tuple(cases),
        outro=fill(str(data.get("outro") or ""), values, source).strip(),
    )


def load_no_siret(office: Office) -> NoSiretGuide:
    return parse_no_siret(NO_SIRET_PATH.read_text(encoding="utf-8"), office)
