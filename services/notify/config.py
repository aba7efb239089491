"""The mail server's settings: from the environment or .streamlit/secrets.toml, never office.toml.

    [smtp]                        # .streamlit/secrets.toml
    host = "smtp.office.example"
    port = 587
    user = "kiosque@office.example"
    password = "..."
    tls = "starttls"              # starttls (port 587), ssl (port 465) or none (a local relay)
    ca_file = "/etc/ssl/office-ca.pem"   # optional: the CA that signed the server's certificate

Environment variables win, key by key: KIOSK_SMTP_HOST, KIOSK_SMTP_PORT, KIOSK_SMTP_USER,
KIOSK_SMTP_PASSWORD, KIOSK_SMTP_TLS, KIOSK_SMTP_CA_FILE. The server's certificate is always
checked (against the system's authorities, or `ca_file`). Without a host, notifications are off: messages wait in
the outbox until a server is configured.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field

from services.office import PROJECT_ROOT

SECRETS_PATH = PROJECT_ROOT / ".streamlit" / "secrets.toml"
ENV = {"host": "KIOSK_SMTP_HOST", "port": "KIOSK_SMTP_PORT", "user": "KIOSK_SMTP_USER",
       "password": "KIOSK_SMTP_PASSWORD", "tls": "KIOSK_SMTP_TLS", "ca_file": "KIOSK_SMTP_CA_FILE"}
TLS_MODES = ("starttls", "ssl", "none")
DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}


class SmtpConfigError(ValueError):
    """The mail server's settings cannot be used (French message)."""


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    tls: str = "starttls"
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    timeout: float = 30.0
    ca_file: str | None = None  # trust this authority instead of the system's (an internal CA)

    def describe(self) -> str:
        """For staff: where mail goes, no secret."""
        mode = {"starttls": "STARTTLS", "ssl": "SSL", "none": "sans chiffrement"}[self.tls]
        return f"{self.host}:{self.port}, {mode}"


def read_secrets_file(path=SECRETS_PATH) -> dict:
    """The secrets file as a dict ({} when there is none), for the command line."""
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        return {}
    except tomllib.TOMLDecodeError as exc:
        raise SmtpConfigError(f"Le fichier secrets.toml est illisible : {exc}") from None


def load_smtp_config(*, secrets: Mapping | None, environ: Mapping[str, str] = os.environ) -> SmtpConfig | None:
    """The settings, or None when no server is configured. Raises SmtpConfigError."""
    section = (secrets or {}).get("smtp") or {}
    if not isinstance(section, Mapping):
        raise SmtpConfigError("Dans secrets.toml, [smtp] doit être une section.")
    values = {key: section.get(key) for key in ENV}
    for key, name in ENV.items():
        if environ.get(name):
            values[key] = environ[name]
    host = str(values["host"] or "").strip()
    if not host:
        return None
    tls = str(values["tls"] or "starttls").strip().lower()
    if tls not in TLS_MODES:
        raise SmtpConfigError(f"Mode de chiffrement SMTP « {tls} » inconnu : starttls, ssl ou none.")
    port_text = str(values["port"] or DEFAULT_PORTS[tls]).strip()
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise SmtpConfigError(f"Port SMTP « {port_text} » impossible : un nombre, par exemple 587.")
    user = str(values["user"] or "").strip() or None
    password = str(values["password"] or "") or None
    if user and not password:
        raise SmtpConfigError("Un utilisateur SMTP est donné sans mot de passe.")
    ca_file = str(values["ca_file"] or "").strip() or None
    if ca_file and not os.path.isfile(ca_file):
        raise SmtpConfigError(f"Fichier d'autorité de certification SMTP introuvable : {ca_file}")
    return SmtpConfig(host=host, port=int(port_text), tls=tls, user=user, password=password, ca_file=ca_file)
