"""What a Chorus Pro invoice status means for the supplier, from content/statuts.yaml.

Each status (Chorus Pro's `statutFacture` code, domain facts section 5.2) has its label as the
portal shows it, who acts next, what to do now and where the invoice goes next. The words are
data that the office's staff edit; this module loads them, finds the status a supplier typed
(« a recycler », « À recycler », A_RECYCLER) and draws the short timeline around it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from services.guides import CONTENT_DIR, ContentError, fill, load_yaml_mapping
from services.office import Office
from services.triage import Link, parse_links

STATUS_PATH = CONTENT_DIR / "statuts.yaml"
ACTORS = ("supplier", "office", "accountant", "chorus_pro", "nobody")
_CODE_RE = re.compile(r"^[A-Z][A-Z_]*$")


@dataclass(frozen=True)
class Status:
    code: str
    label: str
    aliases: tuple[str, ...]
    actor: str
    meaning: str
    todo: str
    at: str | None  # the step of the normal path where an off-path status appears
    next: tuple[str, ...] | None  # where it goes next; None = the rest of the normal path
    urgent: bool = False
    links: tuple[Link, ...] = ()

    @property
    def supplier_acts(self) -> bool:
        return self.actor == "supplier"


@dataclass(frozen=True)
class TimelineStep:
    code: str
    label: str
    state: str  # "done", "current", "next" or "later"


@dataclass(frozen=True)
class StatusGuide:
    path: tuple[str, ...]
    actors: dict[str, str]
    statuses: tuple[Status, ...]

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(s.code for s in self.statuses)

    def get(self, code: str | None) -> Status | None:
        return next((s for s in self.statuses if s.code == code), None)

    def actor_label(self, status: Status) -> str:
        return self.actors[status.actor]

    def find(self, text: str | None) -> Status | None:
        """The status a supplier typed or a link named: code, label or alias, in any case,
        with or without accents, dashes or underscores. None when nothing matches."""
        wanted = _normalise(text or "")
        if not wanted:
            return None
        for status in self.statuses:
            names = (status.code, status.label, *status.aliases)
            if wanted in {_normalise(n) for n in names}:
                return status
        return None

    def timeline(self, status: Status) -> tuple[TimelineStep, ...]:
        """The normal path up to this status, the status itself, then where it goes next."""
        label = {s.code: s.label for s in self.statuses}
        steps: list[TimelineStep] = []
        if status.code in self.path:
            index = self.path.index(status.code)
            steps += [TimelineStep(c, label[c], "done") for c in self.path[:index]]
            steps.append(TimelineStep(status.code, status.label, "current"))
            after = list(self.path[index + 1:])
        else:
            anchor = self.path.index(status.at) if status.at else -1
            steps += [TimelineStep(c, label[c], "done") for c in self.path[:anchor + 1]]
            steps.append(TimelineStep(status.code, status.label, "current"))
            after = list(status.next or ())
            if after and after[-1] in self.path:
                after += list(self.path[self.path.index(after[-1]) + 1:])
        for position, code in enumerate(after):
            steps.append(TimelineStep(code, label[code], "next" if position == 0 else "later"))
        return tuple(steps)

    def ordered(self) -> tuple[Status, ...]:
        """Statuses for a picker: those where the supplier must act first, then the rest
        in the order of the file."""
        return tuple(sorted(self.statuses, key=lambda s: not s.urgent))


def _normalise(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    bare = bare.replace("’", "'")
    return re.sub(r"[\s_\-']+", " ", bare).strip()


def _text(node: dict, key: str, where: str, values: dict[str, str], required: bool = True) -> str:
    value = node.get(key)
    if value is None or not str(value).strip():
        if required:
            raise ContentError(f"{where} : « {key} » manquant.")
        return ""
    return fill(str(value), values, where).strip()


def parse_statuses(raw: str, office: Office, source: str = "statuts.yaml") -> StatusGuide:
    """Build the status guide from YAML text, with the office's details filled in."""
    data = load_yaml_mapping(raw, source, "les statuts des factures")
    values = office.placeholders()
    actors_node = data.get("actors")
    if not isinstance(actors_node, dict):
        raise ContentError(f"{source} : section « actors » manquante.")
    actors = {}
    for key in ACTORS:
        if not actors_node.get(key):
            raise ContentError(f"{source}, actors : « {key} » manquant.")
        actors[key] = fill(str(actors_node[key]), values, f"{source}, actors")
    path = data.get("path")
    if not isinstance(path, list) or not path:
        raise ContentError(f"{source} : « path » doit être la liste des étapes du chemin normal.")
    path = tuple(str(code) for code in path)
    nodes = data.get("statuses")
    if not isinstance(nodes, list) or not nodes:
        raise ContentError(f"{source} : aucun statut.")
    statuses, seen = [], set()
    for index, node in enumerate(nodes, start=1):
        where = f"{source}, statut {index}"
        if not isinstance(node, dict):
            raise ContentError(f"{where} : format incorrect.")
        code = str(node.get("code") or "")
        if not _CODE_RE.match(code):
            raise ContentError(f"{where} : « code » doit être un code Chorus Pro en majuscules (ex. : A_RECYCLER).")
        where = f"{source}, statut {code}"
        if code in seen:
            raise ContentError(f"{where} : en double.")
        seen.add(code)
        actor = node.get("actor")
        if actor not in ACTORS:
            raise ContentError(f"{where} : « actor » doit être l'un de {', '.join(ACTORS)}.")
        aliases = node.get("aliases") or []
        if not isinstance(aliases, list):
            raise ContentError(f"{where} : « aliases » doit être une liste.")
        next_codes = node.get("next")
        if next_codes is not None and not isinstance(next_codes, list):
            raise ContentError(f"{where} : « next » doit être une liste de codes.")
        statuses.append(Status(
            code=code, label=_text(node, "label", where, values), aliases=tuple(str(a) for a in aliases),
            actor=actor, meaning=_text(node, "meaning", where, values), todo=_text(node, "todo", where, values),
            at=str(node["at"]) if node.get("at") else None,
            next=tuple(str(c) for c in next_codes) if next_codes is not None else None,
            urgent=bool(node.get("urgent")),
            links=parse_links(node.get("links"), values, where),
        ))
    known = {s.code for s in statuses}
    for code in path:
        if code not in known:
            raise ContentError(f"{source}, path : « {code} » n'a pas de bloc dans « statuses ».")
    for status in statuses:
        where = f"{source}, statut {status.code}"
        if status.code not in path and status.at is not None and status.at not in path:
            raise ContentError(f"{where} : « at » doit être une étape de « path ».")
        if status.code not in path and status.at is None and status.next is None:
            raise ContentError(f"{where} : hors du chemin normal, il lui faut « at » ou « next ».")
        for code in status.next or ():
            if code not in known:
                raise ContentError(f"{where} : « next » cite « {code} », qui n'a pas de bloc.")
    return StatusGuide(path, actors, tuple(statuses))


def load_statuses(office: Office) -> StatusGuide:
    return parse_statuses(STATUS_PATH.read_text(encoding="utf-8"), office, source=STATUS_PATH.name)
