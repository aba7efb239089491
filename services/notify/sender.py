"""Deliver the outbox over SMTP: claim due rows, send, mark. Safe with several senders.

Retry schedule (`RETRY_DELAYS`): 1 min, 2, 5, 15, 30 min, 1 h, 2 h, 4 h, 6 h, 8 h after
each failed try, about 22 h in all; then the message is marked failed. A permanent refusal
(an SMTP 5xx answer: unknown recipient, sender refused…) fails at once, with the server's
words. A failed message waits for staff to send it again (/agents).
"""

from __future__ import annotations

import logging
import os
import smtplib
import socket
import ssl
import threading
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from services.models import utc_now
from services.notify.config import SmtpConfig
from services.notify.outbox import Claimed, claim_due, mark_failed, mark_retry, mark_sent, release
from services.office import Office

log = logging.getLogger(__name__)

RETRY_DELAYS: tuple[float, ...] = (60, 120, 300, 900, 1800, 3600, 7200, 14400, 21600, 28800)
LEASE = timedelta(minutes=5)  # far longer than one SMTP conversation (timeout 30 s)
POLL_SECONDS = 5.0


class PermanentError(Exception):
    """The server refused for good (5xx): trying again would change nothing."""


class TemporaryError(Exception):
    """Try again later (server down, 4xx answer, time-out…)."""


@dataclass
class RunReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    digests: int = 0
    errors: list[str] = field(default_factory=list)


def _answer(code: int, text: bytes | str) -> str:
    text = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    return f"{code} {' '.join(text.split())}"


def connect(config: SmtpConfig) -> smtplib.SMTP:
    """An open, authenticated SMTP connection. Certificates are checked (STARTTLS and SSL)."""
    context = ssl.create_default_context(cafile=config.ca_file)
    if config.tls == "ssl":
        smtp: smtplib.SMTP = smtplib.SMTP_SSL(config.host, config.port, timeout=config.timeout, context=context)
    else:
        smtp = smtplib.SMTP(config.host, config.port, timeout=config.timeout)
    try:
        smtp.ehlo()
        if config.tls == "starttls":
            smtp.starttls(context=context)
            smtp.ehlo()
        if config.user:
            smtp.login(config.user, config.password or "")
    except BaseException:
        smtp.close()
        raise
    return smtp


def send_one(smtp: smtplib.SMTP, message: Claimed) -> str:
    """Send one stored message to its one envelope recipient; the server's final answer.

    The envelope comes from the row, never from the message's headers: whatever a header
    says, nobody else receives it."""
    code, text = smtp.mail(message.sender)
    if code != 250:
        smtp.rset()
        raise (PermanentError if code >= 500 else TemporaryError)(f"Expéditeur refusé : {_answer(code, text)}")
    code, text = smtp.rcpt(message.recipient)
    if code not in (250, 251):
        smtp.rset()
        raise (PermanentError if code >= 500 else TemporaryError)(
            f"Destinataire {message.recipient} refusé : {_answer(code, text)}")
    code, text = smtp.data(message.raw.encode("ascii"))
    if code != 250:
        smtp.rset()
        raise (PermanentError if code >= 500 else TemporaryError)(f"Message refusé : {_answer(code, text)}")
    return _answer(code, text)


def describe_error(exc: BaseException) -> str:
    """The error in words staff can pass on (French, with the server's own answer)."""
    if isinstance(exc, (PermanentError, TemporaryError)):
        return str(exc)
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return f"Identifiant ou mot de passe SMTP refusé : {_answer(exc.smtp_code, exc.smtp_error)}"
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"Le serveur de messagerie a répondu : {_answer(exc.smtp_code, exc.smtp_error)}"
    if isinstance(exc, ConnectionRefusedError):
        return "Le serveur de messagerie ne répond pas (connexion refusée)."
    if isinstance(exc, (socket.timeout, TimeoutError)):
        return "Le serveur de messagerie ne répond pas (délai dépassé)."
    if isinstance(exc, ssl.SSLError):
        return f"Échec du chiffrement avec le serveur de messagerie : {exc}"
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return "Le serveur de messagerie a coupé la connexion."
    return f"Erreur d'envoi : {type(exc).__name__}: {exc}"


def next_delay(attempts: int, delays: Sequence[float]) -> float | None:
    """Seconds before the next try after `attempts` failed tries; None: give up."""
    return delays[attempts - 1] if attempts <= len(delays) else None


class Sender:
    """Delivers due outbox rows. Any number of senders may run on one database."""

    def __init__(self, sessions: sessionmaker[Session], office: Office, smtp: SmtpConfig | None, *,
                 retry_delays: Sequence[float] = RETRY_DELAYS, lease: timedelta = LEASE, batch: int = 20,
                 clock: Callable[[], datetime] = utc_now, connector: Callable[[SmtpConfig], smtplib.SMTP] = connect,
                 digests: bool = True, worker: str | None = None):
        self.sessions, self.office, self.smtp = sessions, office, smtp
        self.retry_delays, self.lease, self.batch = tuple(retry_delays), lease, batch
        self.clock, self.connector, self.digests = clock, connector, digests
        self.worker = worker or f"{socket.gethostname()[:30]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.sent_total = 0  # messages this sender delivered and marked, since it was made
        self._digest_checked: object = None  # the day whose digest this sender has already seen to

    @property
    def enabled(self) -> bool:
        return self.smtp is not None

    def run_once(self) -> RunReport:
        """Queue the digest if it is due, then deliver every due message. Without a mail
        server, nothing is sent and the messages wait."""
        report = RunReport()
        if self.smtp is None:
            return report
        if self.digests and self.office.notifications is not None:
            from services.notify.digest import digest_due_day, enqueue_digest_if_due

            now = self.clock()
            day = digest_due_day(self.office, now)
            if day is not None and day != self._digest_checked:  # at most one look a day per sender
                with self.sessions() as session:
                    report.digests += int(enqueue_digest_if_due(session=session, office=self.office, now=now))
                self._digest_checked = day
        while True:
            claimed_at = self.clock()
            with self.sessions() as session:
                claimed = claim_due(session, worker=self.worker, now=claimed_at, lease=self.lease, limit=self.batch)
            if not claimed:
                return report
            # A message is only started while its lease outlasts a whole SMTP conversation (three
            # time-outs): a slow server never lets another sender take a row this one is sending.
            self._deliver(claimed, report, claimed_at + self.lease - timedelta(seconds=3 * self.smtp.timeout + 5))
            if len(claimed) < self.batch:
                return report

    def _deliver(self, claimed: list[Claimed], report: RunReport, start_before: datetime | None = None) -> None:
        try:
            smtp = self.connector(self.smtp)
        except Exception as exc:  # noqa: BLE001 - server down or refusing: every message waits
            error = describe_error(exc)
            log.warning("SMTP connection failed: %s", error)
            for message in claimed:
                self._retry_or_fail(message, error, report, permanent=False)
            return
        try:
            for index, message in enumerate(claimed):
                if start_before is not None and self.clock() > start_before:
                    with self.sessions() as session:
                        release(session, [m.id for m in claimed[index:]], worker=self.worker)
                    return
                try:
                    response = send_one(smtp, message)
                except PermanentError as exc:
                    self._retry_or_fail(message, str(exc), report, permanent=True)
                    continue
                except smtplib.SMTPResponseException as exc:  # an answer: the connection still works
                    self._retry_or_fail(message, describe_error(exc), report, permanent=exc.smtp_code >= 500)
                    continue
                except (TemporaryError, smtplib.SMTPException, OSError) as exc:
                    error = describe_error(exc)
                    self._retry_or_fail(message, error, report, permanent=False)
                    if not isinstance(exc, TemporaryError):  # the connection is gone: the rest waits
                        for rest in claimed[index + 1:]:
                            self._retry_or_fail(rest, error, report, permanent=False)
                        return
                    continue
                with self.sessions() as session:
                    mark_sent(session, message.id, worker=self.worker, response=response, now=self.clock())
                report.sent += 1
                self.sent_total += 1
        finally:
            try:
                smtp.quit()
            except Exception:  # noqa: BLE001 - already closed
                smtp.close()

    def _retry_or_fail(self, message: Claimed, error: str, report: RunReport, *, permanent: bool) -> None:
        now = self.clock()
        delay = None if permanent else next_delay(message.attempts, self.retry_delays)
        with self.sessions() as session:
            if delay is None:
                if not permanent:
                    error = f"Abandon après {message.attempts} essais. Dernière erreur : {error}"
                mark_failed(session, message.id, worker=self.worker, error=error, now=now)
                report.failed += 1
            else:
                mark_retry(session, message.id, worker=self.worker, error=error, at=now + timedelta(seconds=delay),
                           now=now)
                report.retrying += 1
        report.errors.append(error)

    def run_forever(self, stop: threading.Event, wake: threading.Event | None = None,
                    poll_seconds: float = POLL_SECONDS) -> None:
        """Deliver until `stop` is set; `wake` (set when a request is saved) skips the wait."""
        wake = wake or threading.Event()
        while not stop.is_set():
            try:
                self.run_once()
            except Exception:  # noqa: BLE001 - a database hiccup: try again at the next turn
                log.exception("outbox sender turn failed")
            wake.wait(poll_seconds)
            wake.clear()
