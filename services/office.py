"""Load and validate office.toml: the office's details, written once.

Every page reads the office's name, SIRET, phone number and opening hours from the
`Office` object returned by `load_office()`. A mistake in the file stops the app at
start with a `OfficeConfigError` naming the line to fix.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import phonenumbers
from stdnum.exceptions import ValidationError
from stdnum.fr import siret as siret_mod

from services.payment_terms import PaymentConfigError, PaymentTerms, parse_payment_terms

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PATH = PROJECT_ROOT / "office.toml"
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_RANGE_RE = re.compile(r"^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$")


_EMAIL_RE = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")


class OfficeConfigError(ValueError):
    """office.toml is missing, malformed, or holds a value that fails its check."""


@dataclass(frozen=True)
class TimeRange:
    start: time
    end: time


@dataclass(frozen=True)
class Notifications:
    """office.toml [notifications]: who receives the e-mails, who sends them, when the digest
    goes. The mail server itself (host, password…) is a secret: never in office.toml."""

    team_email: str  # the office's mailbox: one mail per callback request, the morning digest
    from_email: str  # the sender address of every message
    digest_hour: int  # local hour of the morning digest (working days only)
    kiosk_url: str  # public address of the kiosk, for the links in the mails (no trailing /)

    @property
    def domain(self) -> str:
        return self.from_email.rsplit("@", 1)[1]


# The conformity statuses the RGAA allows in an accessibility statement.
ACCESSIBILITY_STATUSES = ("non conforme", "partiellement conforme", "totalement conforme")


@dataclass(frozen=True)
class LegalDetails:
    """The office's details for the legal notice, the privacy notice and the accessibility
    statement (office.toml [office] legal_form and street, [legal]). Each one may be left
    empty until the office knows it: the public pages then say the information is being
    updated, and /agents lists what is missing (`missing_fields`). Never a guessed value."""

    legal_form: str = ""  # e.g. « Établissement public industriel et commercial (EPIC) »
    street: str = ""  # street address; city and postal code are [office] city, postal_code
    publication_director: str = ""  # directeur ou directrice de la publication (LCEN art. 6)
    contact_email: str = ""  # public address for questions about the site, personal data, accessibility
    dpo_contact: str = ""  # the data-protection officer (DPO): name, e-mail or postal address
    host_name: str = ""  # the company or body that hosts the kiosk
    host_address: str = ""
    host_phone: str = ""
    server_logs_retention: str = ""  # how long the host keeps the web server's logs, in words


@dataclass(frozen=True)
class AccessibilityInfo:
    """office.toml [accessibility]: the conformity status stated (RGAA) and when it was assessed."""

    status: str = ""  # one of ACCESSIBILITY_STATUSES, or "" when not stated yet
    evaluated_on: date | None = None


# Which office.toml line to fill for each legal detail, and what it is, for the staff's list.
LEGAL_FIELDS = (
    ("office", "legal_form", "forme juridique"),
    ("office", "street", "adresse (rue)"),
    ("legal", "publication_director", "directeur ou directrice de la publication"),
    ("legal", "contact_email", "adresse e-mail de contact"),
    ("legal", "dpo_contact", "délégué à la protection des données (DPO)"),
    ("legal", "host_name", "nom de l'hébergeur"),
    ("legal", "host_address", "adresse de l'hébergeur"),
    ("legal", "host_phone", "téléphone de l'hébergeur"),
    ("legal", "server_logs_retention", "durée de conservation des journaux du serveur"),
)


@dataclass(frozen=True)
class MissingDetail:
    section: str
    key: str
    label: str

    @property
    def where(self) -> str:
        return f"[{self.section}] {self.key}"


@dataclass(frozen=True)
class Office:
    name: str
    display_name: str
    siret: str
    city: str
    postal_code: str
    recipient_is_state: bool
    cadre_facturation: str
    cadre_facturation_label: str
    max_pdf_mb: int
    portal_url: str
    community_url: str
    documentation_url: str
    contact_url: str
    contact_name: str
    contact_role: str
    phone: str
    timezone: str
    holidays_country: str
    holidays_subdivision: str | None
    hours: dict[str, tuple[TimeRange, ...]]
    retention_days: int
    company_directory_url: str
    wording: dict[str, str] = field(default_factory=dict)
    # Chorus Pro's virtual assistant (ClaudIA); defaults to the documentation portal.
    assistant_url: str = ""
    # [payment]: legal payment delay, late-payment interest rates; None when the section is absent
    # (the payment calculator then says the office has not set it up).
    payment: PaymentTerms | None = None
    # E-mail notifications; None when office.toml has no [notifications] section.
    notifications: Notifications | None = None
    # Legal notice, privacy notice, accessibility statement: empty values until the office fills them.
    legal: LegalDetails = field(default_factory=LegalDetails)
    accessibility: AccessibilityInfo = field(default_factory=AccessibilityInfo)

    def missing_details(self) -> tuple[MissingDetail, ...]:
        """The public pages' details office.toml leaves empty, in file order (for /agents)."""
        missing = [MissingDetail(section, key, label) for section, key, label in LEGAL_FIELDS
                   if not getattr(self.legal, key)]
        if not self.accessibility.status:
            missing.append(MissingDetail("accessibility", "status", "état de conformité RGAA"))
        if self.accessibility.evaluated_on is None:
            missing.append(MissingDetail("accessibility", "evaluated_on", "date de l'évaluation d'accessibilité"))
        return tuple(missing)

    @property
    def siret_display(self) -> str:
        """SIRET grouped as people read it: 809 389 232 00020."""
        s = self.siret
        return f"{s[0:3]} {s[3:6]} {s[6:9]} {s[9:14]}"

    @property
    def siren(self) -> str:
        return self.siret[:9]

    @property
    def phone_e164(self) -> str:
        number = phonenumbers.parse(self.phone, "FR")
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)

    @property
    def tel_link(self) -> str:
        return f"tel:{self.phone_e164}"

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def max_pdf_bytes(self) -> int:
        return self.max_pdf_mb * 1024 * 1024

    @property
    def recipient_is_state_answer(self) -> str:
        return "Oui" if self.recipient_is_state else "Non"

    def placeholders(self) -> dict[str, str]:
        """Values that content files may use as {name} placeholders: the office's details,
        plus the office's own sentences from [wording]."""
        return self._details() | self.wording

    def _details(self) -> dict[str, str]:
        return {
            "office_name": self.name,
            "office_display_name": self.display_name,
            "siret": self.siret,
            "siret_display": self.siret_display,
            "city": self.city,
            "postal_code": self.postal_code,
            "cadre": self.cadre_facturation,
            "cadre_label": self.cadre_facturation_label,
            "is_state": self.recipient_is_state_answer,
            "max_pdf_mb": str(self.max_pdf_mb),
            "portal_url": self.portal_url,
            "community_url": self.community_url,
            "documentation_url": self.documentation_url,
            "contact_url": self.contact_url,
            "assistant_url": self.assistant_url or self.documentation_url,
            "contact_name": self.contact_name,
            "contact_role": self.contact_role,
            "phone": self.phone,
            "tel_link": self.tel_link,
            "retention_days": str(self.retention_days),
        }


def _line_of(raw: str, section: str, key: str | None) -> int | None:
    """Line number (1-based) of `key` in `[section]`, or of the section header."""
    current = None
    header_line = None
    for number, line in enumerate(raw.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("[") and stripped.endswith("]"):
            current = stripped.strip("[]").strip()
            if current == section:
                header_line = number
            continue
        if current == section and key and re.match(rf"^{re.escape(key)}\s*=", stripped):
            return number
    return header_line


class _Reader:
    """Reads typed values from the parsed TOML, raising errors that name the line."""

    def __init__(self, data: dict, raw: str, path: Path):
        self.data, self.raw, self.path = data, raw, path

    def fail(self, section: str, key: str | None, message: str) -> OfficeConfigError:
        line = _line_of(self.raw, section, key)
        where = f"{self.path.name}, ligne {line}" if line else f"{self.path.name}, section [{section}]"
        name = f"{section}.{key}" if key else section
        return OfficeConfigError(f"{where} ({name}) : {message}")

    def table(self, section: str) -> dict:
        node = self.data
        for part in section.split("."):
            node = node.get(part) if isinstance(node, dict) else None
            if node is None:
                raise self.fail(section, None, "section manquante.")
        if not isinstance(node, dict):
            raise self.fail(section, None, "doit être une section.")
        return node

    def get(self, section: str, key: str, kind: type, default=None):
        table = self.table(section)
        if key not in table:
            if default is not None:
                return default
            raise self.fail(section, key, "valeur manquante.")
        value = table[key]
        if kind is int and isinstance(value, bool) or not isinstance(value, kind):
            raise self.fail(section, key, f"doit être {_KIND_WORDS[kind]}.")
        if kind is str and not value.strip() and default is None:
            raise self.fail(section, key, "ne doit pas être vide.")
        return value


_KIND_WORDS = {str: "un texte entre guillemets", int: "un nombre entier", bool: "true ou false", list: "une liste"}


def _parse_hours(reader: _Reader) -> dict[str, tuple[TimeRange, ...]]:
    table = reader.table("support.hours")
    unknown = set(table) - set(WEEKDAYS)
    if unknown:
        raise reader.fail("support.hours", sorted(unknown)[0], "jour inconnu (monday … sunday).")
    hours: dict[str, tuple[TimeRange, ...]] = {}
    for day in WEEKDAYS:
        ranges = reader.get("support.hours", day, list, default=[])
        parsed = []
        for item in ranges:
            match = _RANGE_RE.match(item.strip()) if isinstance(item, str) else None
            if not match:
                raise reader.fail("support.hours", day, f"plage horaire « {item} » illisible (format 09:00-17:00).")
            h1, m1, h2, m2 = (int(g) for g in match.groups())
            try:
                start, end = time(h1, m1), time(h2, m2)
            except ValueError:
                raise reader.fail("support.hours", day, f"heure impossible dans « {item} ».") from None
            if start >= end:
                raise reader.fail("support.hours", day, f"« {item} » finit avant de commencer.")
            if parsed and start < parsed[-1].end:
                raise reader.fail("support.hours", day, "les plages se chevauchent ou ne sont pas dans l'ordre.")
            parsed.append(TimeRange(start, end))
        hours[day] = tuple(parsed)
    if not any(hours.values()):
        raise reader.fail("support.hours", None, "aucune plage d'ouverture dans la semaine.")
    return hours


def _parse_notifications(r: _Reader, data: dict) -> Notifications | None:
    if "notifications" not in data:
        return None
    r.table("notifications")
    emails = {}
    for key in ("team_email", "from_email"):
        value = r.get("notifications", key, str).strip()
        if len(value) > 254 or not _EMAIL_RE.match(value):
            raise r.fail("notifications", key, f"« {value} » n'est pas une adresse e-mail valide (ex. : compta@office.fr).")
        emails[key] = value
    hour = r.get("notifications", "digest_hour", int)
    if not 0 <= hour <= 23:
        raise r.fail("notifications", "digest_hour", "une heure entre 0 et 23 (8 pour 8h du matin).")
    url = os.environ.get("KIOSK_URL") or r.get("notifications", "kiosk_url", str)
    url = url.strip().rstrip("/")
    if not re.fullmatch(r"https?://[^\s/?#]+(/[^\s?#]*)?", url):
        raise r.fail("notifications", "kiosk_url", f"« {url} » : l'adresse du kiosque, par exemple https://kiosque.office.fr.")
    return Notifications(emails["team_email"], emails["from_email"], hour, url)


def _optional_text(r: _Reader, data: dict, section: str, key: str) -> str:
    """A detail the office may leave empty (or leave out) until it knows it."""
    if section not in data:
        return ""
    value = r.get(section, key, str, default="")
    return value.strip()


def _parse_legal(r: _Reader, data: dict) -> LegalDetails:
    values = {key: _optional_text(r, data, section, key) for section, key, _ in LEGAL_FIELDS}
    email = values["contact_email"]
    if email and (len(email) > 254 or not _EMAIL_RE.match(email)):
        raise r.fail("legal", "contact_email", f"« {email} » n'est pas une adresse e-mail valide (ex. : contact@office.fr).")
    phone = values["host_phone"]
    if phone:
        try:
            phone_ok = phonenumbers.is_valid_number(phonenumbers.parse(phone, "FR"))
        except phonenumbers.NumberParseException:
            phone_ok = False
        if not phone_ok:
            raise r.fail("legal", "host_phone", f"« {phone} » n'est pas un numéro de téléphone valide.")
    return LegalDetails(**values)


def _parse_accessibility(r: _Reader, data: dict) -> AccessibilityInfo:
    if "accessibility" not in data:
        return AccessibilityInfo()
    status = r.get("accessibility", "status", str, default="").strip()
    if status and status not in ACCESSIBILITY_STATUSES:
        choices = ", ".join(f"« {s} »" for s in ACCESSIBILITY_STATUSES)
        raise r.fail("accessibility", "status", f"« {status} » : l'un de {choices}, ou vide.")
    return AccessibilityInfo(status=status, evaluated_on=_optional_date(r, "accessibility", "evaluated_on"))


def _optional_date(r: _Reader, section: str, key: str) -> date | None:
    """A TOML date (2026-12-05) or the same as text; empty or absent: None."""
    value = r.table(section).get(key, "")
    if isinstance(value, str) and not value.strip():
        return None
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    elif isinstance(value, date) and not isinstance(value, datetime):
        return value
    raise r.fail(section, key, "une date au format 2026-12-05, ou vide.")


def parse_office(raw: str, path: Path = DEFAULT_PATH) -> Office:
    """Parse and validate the text of an office.toml file."""
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        raise OfficeConfigError(f"{path.name} : syntaxe TOML incorrecte ({exc}).") from None
    r = _Reader(data, raw, path)

    siret = re.sub(r"[\s.]", "", r.get("office", "siret", str))
    try:
        siret_mod.validate(siret)
    except ValidationError:
        raise r.fail("office", "siret", f"« {siret} » n'est pas un SIRET valide (14 chiffres, clé de contrôle).") from None

    phone = r.get("support", "phone", str)
    try:
        parsed_phone = phonenumbers.parse(phone, "FR")
        phone_ok = phonenumbers.is_valid_number(parsed_phone)
    except phonenumbers.NumberParseException:
        phone_ok = False
    if not phone_ok:
        raise r.fail("support", "phone", f"« {phone} » n'est pas un numéro de téléphone valide.")

    timezone = r.get("support", "timezone", str)
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise r.fail("support", "timezone", f"fuseau horaire « {timezone} » inconnu.") from None

    retention = r.get("data", "retention_days", int)
    if retention < 1:
        raise r.fail("data", "retention_days", "doit être au moins 1 jour.")
    max_mb = r.get("chorus_pro", "max_pdf_mb", int)
    if max_mb < 1:
        raise r.fail("chorus_pro", "max_pdf_mb", "doit être au moins 1.")

    wording = data.get("wording", {})
    if not isinstance(wording, dict) or not all(isinstance(v, str) for v in wording.values()):
        raise r.fail("wording", None, "chaque valeur doit être un texte.")
    for key in wording:
        if not re.fullmatch(r"[a-z_]+", key):
            raise r.fail("wording", key, "un nom en minuscules et « _ » seulement (ex. : message_accueil).")

    payment = None
    if "payment" in data:
        try:
            payment = parse_payment_terms(r.table("payment"))
        except PaymentConfigError as exc:
            raise r.fail("payment", exc.key, str(exc)) from None
    notifications = _parse_notifications(r, data)

    directory_url = os.environ.get("COMPANY_DIRECTORY_URL") or r.get("company_directory", "base_url", str)

    office = Office(
        name=r.get("office", "name", str),
        display_name=r.get("office", "display_name", str),
        siret=siret,
        city=r.get("office", "city", str),
        postal_code=r.get("office", "postal_code", str),
        recipient_is_state=r.get("chorus_pro", "recipient_is_state", bool),
        cadre_facturation=r.get("chorus_pro", "cadre_facturation", str),
        cadre_facturation_label=r.get("chorus_pro", "cadre_facturation_label", str),
        max_pdf_mb=max_mb,
        portal_url=r.get("chorus_pro", "portal_url", str),
        community_url=r.get("chorus_pro", "community_url", str),
        documentation_url=r.get("chorus_pro", "documentation_url", str),
        contact_url=r.get("chorus_pro", "contact_url", str),
        contact_name=r.get("support", "contact_name", str),
        contact_role=r.get("support", "role", str),
        phone=phone,
        timezone=timezone,
        holidays_country=r.get("support", "holidays_country", str),
        holidays_subdivision=r.get("support", "holidays_subdivision", str, default="") or None,
        hours=_parse_hours(r),
        retention_days=retention,
        company_directory_url=directory_url.rstrip("/"),
        wording=dict(wording),
        assistant_url=r.get("chorus_pro", "assistant_url", str, default="") or "",
        payment=payment,
        notifications=notifications,
        legal=_parse_legal(r, data),
        accessibility=_parse_accessibility(r, data),
    )
    taken = sorted(set(office.wording) & set(office._details()))
    if taken:
        raise r.fail("wording", taken[0], "ce nom est déjà pris par un détail de l'office : choisissez-en un autre.")
    return office


def load_office(path: Path | str | None = None) -> Office:
    """Load office.toml (or OFFICE_TOML from the environment, or `path`)."""
    chosen = Path(path or os.environ.get("OFFICE_TOML") or DEFAULT_PATH)
    try:
        raw = chosen.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise OfficeConfigError(f"Fichier de configuration introuvable : {chosen}") from None
    return parse_office(raw, chosen)


@lru_cache(maxsize=1)
def get_office() -> Office:
    """The office of this installation, loaded once per process."""
    return load_office()
