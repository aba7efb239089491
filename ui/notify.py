"""E-mail notifications in the Streamlit server: the mail server's settings (secrets or
environment) and one background sender per server process.

Why a background thread by default: the kiosk is one long-lived process on a small office
server, with no scheduler to set up; a thread started once per process (st.cache_resource)
sends a request's mails within a second (the help page wakes it) and retries on its own.
Several processes on one database are safe (services.notify.outbox claims rows). Where a
scheduler is preferred, KIOSK_BACKGROUND_SENDER=0 turns the thread off and
`python -m services.notify --loop` (or `--once` from cron) does the work.
"""

from __future__ import annotations

import logging
import os
import threading
from dataclasses import dataclass

import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError

from services.notify.config import SmtpConfig, SmtpConfigError, load_smtp_config
from services.notify.sender import Sender
from services.office import Office

log = logging.getLogger(__name__)
BACKGROUND_ENV = "KIOSK_BACKGROUND_SENDER"


@dataclass(frozen=True)
class MailSettings:
    config: SmtpConfig | None
    error: str | None = None  # French: what to fix

    @property
    def enabled(self) -> bool:
        return self.config is not None


def mail_settings() -> MailSettings:
    try:
        secrets = st.secrets.to_dict()
    except StreamlitSecretNotFoundError:
        secrets = {}
    except Exception:  # noqa: BLE001 - an unreadable secrets file is explained elsewhere (/agents)
        secrets = {}
    try:
        return MailSettings(load_smtp_config(secrets=secrets, environ=os.environ))
    except SmtpConfigError as exc:
        return MailSettings(None, str(exc))


@dataclass
class _Background:
    thread: threading.Thread
    stop: threading.Event
    wake: threading.Event


_current: dict[str, _Background] = {}


@st.cache_resource(show_spinner=False)
def _start(url: str, host: str, port: int, tls: str, user: str | None, password: str | None,
           ca_file: str | None, _office: Office) -> _Background:
    from ui.db import get_database

    db = get_database()
    smtp = SmtpConfig(host=host, port=port, tls=tls, user=user, password=password, ca_file=ca_file)
    sender = Sender(db.sessions, _office, smtp)
    stop, wake = threading.Event(), threading.Event()
    thread = threading.Thread(target=sender.run_forever, args=(stop, wake), name="kiosk-mail-sender", daemon=True)
    thread.start()
    log.info("mail sender started (%s)", smtp.describe())
    return _Background(thread, stop, wake)


def start_background_sender(office: Office) -> None:
    """Once per server process (and per database / mail server). Never stops the page."""
    if os.environ.get(BACKGROUND_ENV, "1").strip().lower() in ("0", "false", "no", "off"):
        return
    try:
        settings = mail_settings()
        if not settings.enabled or office.notifications is None:
            return
        from ui.db import configured_url

        c = settings.config
        _current["sender"] = _start(configured_url(), c.host, c.port, c.tls, c.user, c.password, c.ca_file,
                                   office)
    except Exception:  # noqa: BLE001 - the guides must keep working whatever happens to mail
        log.exception("mail sender not started")


def wake_sender() -> None:
    """A request was just saved: send its mails now rather than at the next turn."""
    background = _current.get("sender")
    if background is not None:
        background.wake.set()
