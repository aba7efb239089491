"""The help page's triage tree, loaded from content/aide.yaml.

Each topic is a supplier's problem in their words, the fix in a few lines, links to
the guide step or the checker, and the channel that owns the problem: Chorus Pro's
national support or the office's accounting line.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from services.guides import CONTENT_DIR, ContentError, fill, load_yaml_mapping
from services.office import Office
from services.support_hours import hours_summary

AIDE_PATH = CONTENT_DIR / "aide.yaml"
OWNERS = ("chorus_pro", "office")


@dataclass(frozen=True)
class Link:
    label: str
    target: str  # '/creer-mon-compte?etape=2' (a kiosk page) or 'https://…'

    @property
    def is_page(self) -> bool:
        return self.target.startswith("/")

    @property
    def page_path(self) -> str:
        """'creer-mon-compte' for '/creer-mon-compte?etape=2'."""
        return urlsplit(self.target).path.strip("/")

    @property
    def query(self) -> dict[str, str]:
        return {k: v[-1] for k, v in parse_qs(urlsplit(self.target).query).items()}


@dataclass(frozen=True)
class Channel:
    id: str
    title: str
    text: str
    links: tuple[Link, ...]
    callback: str = ""  # said above the callback form when this channel owns the problem


@dataclass(frozen=True)
class Topic:
    id: str
    label: str
    fix: str
    links: tuple[Link, ...]
    owner: str


@dataclass(frozen=True)
class Triage:
    title: str
    intro: str
    topics: tuple[Topic, ...]
    channels: dict[str, Channel]

    @property
    def topic_ids(self) -> tuple[str, ...]:
        return tuple(t.id for t in self.topics)

    def topic(self, topic_id: str | None) -> Topic | None:
        return next((t for t in self.topics if t.id == topic_id), None)

    def channel_for(self, topic: Topic) -> Channel:
        return self.channels[topic.owner]


def _links(nodes, values: dict[str, str], where: str) -> tuple[Link, ...]:
    links = []
    for node in nodes or []:
        if not isinstance(node, dict) or "label" not in node or not (node.get("to") or node.get("url")):
            raise ContentError(f"{where} : chaque lien a besoin de « label » et de « to » (ou « url »).")
        target = fill(str(node.get("to") or node.get("url")), values, where).strip()
        if not (target.startswith("/") or target.startswith("https://") or target.startswith("http://")):
            raise ContentError(f"{where} : lien « {target} » : une page du kiosque (/…) ou une adresse https://.")
        links.append(Link(fill(str(node["label"]), values, where), target))
    return tuple(links)


parse_links = _links  # shared with services.invoice_status (links under a status)


def parse_triage(raw: str, office: Office, source: str = "aide.yaml") -> Triage:
    """Build the triage tree from YAML text, with the office's details filled in."""
    data = load_yaml_mapping(raw, source, "la page d'aide")
    values = {**office.placeholders(), "hours": hours_summary(office)}
    channels = {}
    for key in OWNERS:
        node = (data.get("channels") or {}).get(key)
        where = f"{source}, canal {key}"
        if not isinstance(node, dict) or not node.get("title"):
            raise ContentError(f"{where} : manquant ou sans « title ».")
        channels[key] = Channel(key, fill(str(node["title"]), values, where),
                                fill(str(node.get("text") or ""), values, where).strip(),
                                _links(node.get("links"), values, where),
                                fill(str(node.get("callback") or ""), values, where).strip())
    topics, seen = [], set()
    for index, node in enumerate(data.get("topics") or [], start=1):
        where = f"{source}, sujet {index}"
        if not isinstance(node, dict):
            raise ContentError(f"{where} : format incorrect.")
        for key in ("id", "label", "fix", "owner"):
            if not node.get(key):
                raise ContentError(f"{where} : « {key} » manquant.")
        topic_id = str(node["id"])
        if topic_id in seen:
            raise ContentError(f"{where} : identifiant « {topic_id} » en double.")
        if node["owner"] not in OWNERS:
            raise ContentError(f"{where} : « owner » doit être chorus_pro ou office.")
        seen.add(topic_id)
        topics.append(Topic(topic_id, fill(str(node["label"]), values, where), fill(str(node["fix"]), values, where).strip(),
                            _links(node.get("links"), values, where), str(node["owner"])))
    if not topics:
        raise ContentError(f"{source} : aucun sujet.")
    return Triage(fill(str(data.get("title") or "Aide"), values, source), fill(str(data.get("intro") or ""), values, source).strip(),
                  tuple(topics), channels)


def load_triage(office: Office) -> Triage:
    return parse_triage(AIDE_PATH.read_text(encoding="utf-8"), office, source=AIDE_PATH.name)
