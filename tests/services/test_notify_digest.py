"""The morning digest (working days, office hours waited, once) and the mail server settings."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from services.callbacks import CallbackForm, create_callback, set_callback_status
from services.models import OutboxMessage
from services.notify.config import SmtpConfig, SmtpConfigError, load_smtp_config
from services.notify.digest import digest_due_day, enqueue_digest_if_due, format_waited, working_time
from services.notify.sender import Sender, next_delay, RETRY_DELAYS
from services.office import get_office
from tests.smtp_server import SmtpTestServer

PARIS = ZoneInfo("Europe/Paris")
ROOT = Path(__file__).resolve().parents[2]


def paris(*args) -> datetime:
    return datetime(*args, tzinfo=PARIS)


@pytest.fixture
def office():
    return get_office()


def test_digest_goes_on_working_days_from_the_hour(office):
    hour = office.notifications.digest_hour
    assert digest_due_day(office, paris(2026, 12, 1, hour, 0)) == paris(2026, 12, 1, 0, 0).date()  # a Tuesday
    assert digest_due_day(office, paris(2026, 12, 1, hour - 1, 59)) is None  # too early
    assert digest_due_day(office, paris(2026, 12, 6, hour + 1, 0)) is None  # Sunday: the line is closed
    assert digest_due_day(office, paris(2026, 12, 25, hour + 1, 0)) is None  # Noël, a Friday
    assert digest_due_day(office, paris(2026, 12, 1, 23, 0)) is not None  # late rather than never
    assert digest_due_day(replace(office, notifications=None), paris(2026, 12, 1, 10, 0)) is None


def test_time_waited_counts_opening_hours_only(office):
    # Thursday 24 December 16:00 → Monday 28 December 10:30: 1 h on Thursday, Friday is Noël,
    # the weekend is closed, 1 h 30 on Monday.
    assert working_time(office, paris(2026, 12, 24, 16, 0), paris(2026, 12, 28, 10, 30)) == timedelta(hours=2, minutes=30)
    assert working_time(office, paris(2026, 12, 1, 18, 0), paris(2026, 12, 1, 20, 0)) == timedelta(0)
    assert format_waited(timedelta(hours=2, minutes=30)) == "2 h 30 ouvrées"
    assert format_waited(timedelta(hours=3)) == "3 h ouvrées"
    assert format_waited(timedelta(minutes=12)) == "12 min ouvrées"


def add(session, office, created: datetime, name: str):
    form = CallbackForm(name=name, company="SARL Test", phone="06 12 34 56 78", topic="autre",
                        message=f"Message de {name}", consent=True)
    outcome = create_callback(session=session, request=form, idempotency_key=name, client_key=name,
                              office=office, topics={"autre"}, now=created.astimezone(timezone.utc))
    assert outcome.status == "created"
    return outcome.callback


def digests(session) -> list[OutboxMessage]:
    return list(session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "digest")))


def test_one_digest_a_day_oldest_first(session_factory, office):
    now = paris(2026, 12, 1, 8, 5)
    with session_factory() as session:
        newer = add(session, office, paris(2026, 11, 30, 16, 0), "Bernard")
        older = add(session, office, paris(2026, 11, 27, 15, 0), "Alice")
        done = add(session, office, paris(2026, 11, 26, 10, 0), "Claude")
        set_callback_status(session=session, reference=done.reference, status="resolved")
        assert enqueue_digest_if_due(session=session, office=office, now=now) is True
        assert enqueue_digest_if_due(session=session, office=office, now=now + timedelta(hours=2)) is False
        (digest,) = digests(session)
    assert digest.recipient == office.notifications.team_email
    assert "mardi 1er décembre : 2 demandes" in digest.subject
    with SmtpTestServer() as server:
        smtp = SmtpConfig("127.0.0.1", server.port, tls="none", timeout=5)
        Sender(session_factory, office, smtp, digests=False).run_once()
        received = [r for r in server.wait_for(1) if r.message["Subject"] == digest.subject]
    text = received[0].text()
    assert text.index(older.reference) < text.index(newer.reference)  # oldest first
    assert done.reference not in text
    # Alice: Friday 15:00–17:00 (2 h) + Monday 9:00–17:00 (8 h) = 10 h; Bernard: Monday 16:00–17:00.
    assert "attend depuis 10 h ouvrées" in text and "attend depuis 1 h ouvrées" in text
    assert f"/agents?rappel={older.reference}" in text


def test_no_digest_when_nothing_is_open_or_on_a_holiday(session_factory, office):
    with session_factory() as session:
        assert enqueue_digest_if_due(session=session, office=office, now=paris(2026, 12, 1, 9, 0)) is False
        add(session, office, paris(2026, 12, 1, 10, 0), "Denise")
        # Today's check is done: a request arriving later waits for tomorrow's digest.
        assert enqueue_digest_if_due(session=session, office=office, now=paris(2026, 12, 1, 11, 0)) is False
        assert enqueue_digest_if_due(session=session, office=office, now=paris(2026, 12, 25, 9, 0)) is False
        assert enqueue_digest_if_due(session=session, office=office, now=paris(2026, 12, 2, 9, 0)) is True
        assert len(digests(session)) == 1


def test_retry_schedule_grows_then_gives_up():
    delays = [next_delay(n, RETRY_DELAYS) for n in range(1, len(RETRY_DELAYS) + 2)]
    assert delays[:-1] == sorted(delays[:-1]) and delays[0] == 60 and delays[-1] is None
    assert 20 * 3600 < sum(RETRY_DELAYS) < 26 * 3600  # about a day of tries


def test_smtp_settings_from_secrets_and_environment():
    assert load_smtp_config(secrets={}, environ={}) is None  # the embedded default: notifications off
    secrets = {"smtp": {"host": "smtp.office.example", "user": "kiosque", "password": "s3cret"}}
    config = load_smtp_config(secrets=secrets, environ={})
    assert (config.host, config.port, config.tls, config.user) == ("smtp.office.example", 587, "starttls", "kiosque")
    assert "s3cret" not in repr(config) and "s3cret" not in config.describe()
    config = load_smtp_config(secrets=secrets, environ={"KIOSK_SMTP_PORT": "465", "KIOSK_SMTP_TLS": "SSL"})
    assert (config.port, config.tls) == (465, "ssl")
    assert load_smtp_config(secrets={}, environ={"KIOSK_SMTP_HOST": "relay", "KIOSK_SMTP_TLS": "none"}).port == 25


@pytest.mark.parametrize(("environ", "words"), [
    ({"KIOSK_SMTP_HOST": "h", "KIOSK_SMTP_PORT": "587a"}, "Port SMTP"),
    ({"KIOSK_SMTP_HOST": "h", "KIOSK_SMTP_PORT": "70000"}, "Port SMTP"),
    ({"KIOSK_SMTP_HOST": "h", "KIOSK_SMTP_TLS": "tls13"}, "chiffrement"),
    ({"KIOSK_SMTP_HOST": "h", "KIOSK_SMTP_USER": "kiosque"}, "sans mot de passe"),
])
def test_bad_smtp_settings_are_explained(environ, words):
    with pytest.raises(SmtpConfigError, match=words):
        load_smtp_config(secrets={}, environ=environ)


def test_command_line_without_a_mail_server_says_so(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_SMTP_")}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'k.db'}"
    done = subprocess.run([sys.executable, "-m", "services.notify", "--once"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "Aucun serveur de messagerie configuré" in done.stderr
    assert "Traceback" not in done.stderr


def test_command_line_with_an_unreachable_database_says_so():
    env = {**os.environ, "KIOSK_SMTP_HOST": "127.0.0.1", "KIOSK_SMTP_TLS": "none",
           "DATABASE_URL": "postgresql://nobody@127.0.0.1:9/nothing"}
    done = subprocess.run([sys.executable, "-m", "services.notify", "--once"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "Base de données injoignable" in done.stderr
    assert "Traceback" not in done.stderr


# --- encryption and sign-in with the mail server -------------------------------------------------

@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    from tests.smtp_server import self_signed_certificate

    return self_signed_certificate(tmp_path_factory.mktemp("smtp-tls"))


def _one_request(session_factory, office):
    form = CallbackForm(name="Paul", company="SARL Paul", phone="0612345678", topic="autre", consent=True)
    with session_factory() as session:
        assert create_callback(session=session, request=form, idempotency_key="tls", client_key="tls", office=office,
                               topics={"autre"}).status == "created"


# With implicit TLS (ssl) the connection is encrypted, but aiosmtpd only counts STARTTLS as TLS.
@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
@pytest.mark.parametrize("tls", ["starttls", "ssl"])
def test_encrypted_and_signed_in_delivery(session_factory, office, certificate, tls):
    _one_request(session_factory, office)
    with SmtpTestServer(tls=tls, certificate=certificate, users={"kiosque": "s3cret"}) as server:
        smtp = load_smtp_config(secrets={"smtp": {"host": "127.0.0.1", "port": server.port, "tls": tls,
                                                  "user": "kiosque", "password": "s3cret",
                                                  "ca_file": certificate[0]}}, environ={})
        assert Sender(session_factory, office, smtp, digests=False).run_once().sent == 1
        assert len(server.wait_for(1)) == 1


def test_an_untrusted_certificate_or_a_wrong_password_is_retried_with_the_reason(session_factory, office, certificate):
    _one_request(session_factory, office)
    with SmtpTestServer(tls="starttls", certificate=certificate, users={"kiosque": "s3cret"}) as server:
        untrusted = SmtpConfig("127.0.0.1", server.port, tls="starttls", user="kiosque", password="s3cret", timeout=5)
        report = Sender(session_factory, office, untrusted, digests=False, retry_delays=(0, 0)).run_once()
        assert report.sent == 0 and "chiffrement" in report.errors[0]
        wrong = replace(untrusted, ca_file=certificate[0], password="faux")
        report = Sender(session_factory, office, wrong, digests=False, retry_delays=(0, 0)).run_once()
        assert report.sent == 0 and "mot de passe SMTP refusé" in report.errors[0]
        assert server.received == []
