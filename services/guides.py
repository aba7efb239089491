"""The step-by-step guides, loaded from content/guides/*.yaml.

The words and pictures are data that office staff can edit; this module loads them,
fills the office's details in ({siret}, {phone}…) and answers navigation questions
(which step a `?etape=N` link points to).
"""

from __future__ import annotations

import copy
import functools
import re
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

import yaml

from services.office import PROJECT_ROOT, Office

CONTENT_DIR = PROJECT_ROOT / "content"
GUIDES_DIR = CONTENT_DIR / "guides"
IMAGES_DIR = CONTENT_DIR / "img"
_PLACEHOLDER_RE = re.compile(r"\{([a-z_]+)\}")
_TOOL_RE = re.compile(r"^[a-z_]+$")


class ContentError(ValueError):
    """A content file is malformed or uses an unknown placeholder."""


@dataclass(frozen=True)
class CopyValue:
    label: str
    value: str


@dataclass(frozen=True)
class Mistake:
    problem: str
    fix: str


@dataclass(frozen=True)
class Step:
    number: int
    title: str
    do: str
    see: str
    copy: tuple[CopyValue, ...]
    mistakes: tuple[Mistake, ...]
    image: Path
    alt: str
    svg: str  # the illustration's markup, office details filled in and XML-escaped
    tool: str | None = None  # an interactive tool shown on this step (e.g. "siret_check"), by name


@dataclass(frozen=True)
class Guide:
    slug: str
    title: str
    intro: str
    steps: tuple[Step, ...]

    @property
    def count(self) -> int:
        return len(self.steps)


@dataclass(frozen=True)
class StepChoice:
    """Which step to show for a requested `?etape=` value, and why if it was changed."""

    number: int
    notice: str | None = None


def fill(text: str, values: dict[str, str], where: str) -> str:
    """Replace {name} placeholders with the office's values; unknown names are an error."""

    def replace(match: re.Match) -> str:
        key = match.group(1)
        if key not in values:
            raise ContentError(f"{where} : champ inconnu {{{key}}}.")
        return values[key]

    return _PLACEHOLDER_RE.sub(replace, text)


def _require(node: dict, key: str, where: str) -> object:
    if key not in node or node[key] is None:
        raise ContentError(f"{where} : « {key} » manquant.")
    return node[key]


@functools.lru_cache(maxsize=64)
def _parsed_yaml(raw: str) -> object:
    return yaml.safe_load(raw)


def load_yaml_mapping(raw: str, source: str, what: str) -> dict:
    """Parse a content file that must hold one YAML mapping; errors name the file in French.

    Pages read their content file at every run; parsing it was most of a page's time (pure-Python
    YAML), so the result is kept per text: an edited file is a new text, parsed again. Callers get
    their own copy."""
    try:
        data = _parsed_yaml(raw)
    except yaml.YAMLError as exc:
        raise ContentError(f"{source} : YAML illisible ({exc}).") from None
    if not isinstance(data, dict):
        raise ContentError(f"{source} : le fichier doit décrire {what}.")
    return copy.deepcopy(data)


def parse_guide(raw: str, office: Office, source: str = "guide") -> Guide:
    """Build a Guide from YAML text, with the office's details filled in."""
    data = load_yaml_mapping(raw, source, "un guide")
    values = office.placeholders()
    svg_values = {key: escape(value) for key, value in values.items()}
    steps = []
    raw_steps = _require(data, "steps", source)
    if not isinstance(raw_steps, list) or not raw_steps:
        raise ContentError(f"{source} : aucune étape.")
    for index, node in enumerate(raw_steps, start=1):
        where = f"{source}, étape {index}"
        if not isinstance(node, dict):
            raise ContentError(f"{where} : format incorrect.")
        tool = node.get("tool")
        if tool is not None and (not isinstance(tool, str) or not _TOOL_RE.match(tool)):
            raise ContentError(f"{where} : « tool » doit être un nom en minuscules (par exemple siret_check).")
        image = IMAGES_DIR / str(_require(node, "image", where))
        if not image.is_file():
            raise ContentError(f"{where} : illustration introuvable ({image.name}).")
        steps.append(
            Step(
                number=index,
                title=fill(str(_require(node, "title", where)), values, where),
                do=fill(str(_require(node, "do", where)), values, where),
                see=fill(str(node.get("see") or ""), values, where),
                copy=tuple(
                    CopyValue(fill(str(c["label"]), values, where), fill(str(c["value"]), values, where))
                    for c in node.get("copy") or []
                ),
                mistakes=tuple(
                    Mistake(fill(str(m["problem"]), values, where), fill(str(m["fix"]), values, where))
                    for m in node.get("mistakes") or []
                ),
                image=image,
                alt=fill(str(_require(node, "alt", where)), values, where).strip(),
                svg=fill(image.read_text(encoding="utf-8"), svg_values, f"{where}, {image.name}"),
                tool=tool,
            )
        )
    return Guide(
        slug=str(_require(data, "slug", source)),
        title=fill(str(_require(data, "title", source)), values, source),
        intro=fill(str(data.get("intro") or ""), values, source).strip(),
        steps=tuple(steps),
    )


def load_guide(slug: str, office: Office) -> Guide:
    path = GUIDES_DIR / f"{slug}.yaml"
    if not path.is_file():
        raise ContentError(f"Guide introuvable : {slug}")
    return parse_guide(path.read_text(encoding="utf-8"), office, source=path.name)


def guide_slugs() -> list[str]:
    return sorted(p.stem for p in GUIDES_DIR.glob("*.yaml"))


def choose_step(requested: str | None, count: int) -> StepChoice:
    """Turn a `?etape=` value into a step number between 1 and `count`.

    Anything unreadable or out of range falls back to a real step with a notice,
    so a mistyped link still opens the guide.
    """
    if requested is None or str(requested).strip() == "":
        return StepChoice(1)
    text = str(requested).strip()
    # ASCII digits only ("²" and other Unicode digits pass isdigit() but not int()). The
    # typed value is never repeated back: a crafted link must not put its words (or a
    # Markdown link) inside the kiosk's own message.
    if not re.fullmatch(r"-?[0-9]+", text):
        return StepChoice(1, "Ce lien demande une étape qui n'existe pas : voici l'étape 1.")
    number = int(text)
    if number < 1:
        return StepChoice(1, f"Il n'y a pas d'étape {number} : voici l'étape 1.")
    if number > count:
        return StepChoice(count, f"Ce guide a {count} étapes : voici la dernière.")
    return StepChoice(number)


def svg_markup(step: Step) -> str:
    """The step's SVG, with its text alternative set as role=img + aria-label."""
    svg = re.sub(r"<\?xml[^>]*\?>", "", step.svg).strip()
    label = step.alt.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    # Put the alternative text on the root element, whatever the file says.
    svg = re.sub(r"\srole=\"[^\"]*\"", "", svg, count=1)
    svg = re.sub(r"\saria-label=\"[^\"]*\"", "", svg, count=1)
    return svg.replace("<svg", f'<svg role="img" aria-label="{label}"', 1)
