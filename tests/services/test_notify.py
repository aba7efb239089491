"""E-mail notifications against a real SMTP server (aiosmtpd), on SQLite and PostgreSQL:
both mails with the right contents; server down then up; a refused recipient; a sender
killed between sending and marking; 20 requests with two senders; hostile input."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections import Counter
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import select

from services.callbacks import CallbackForm, create_callback
from services.models import KioskMeta, OutboxMessage, utc_now
from services.notify.digest import LAST_DIGEST_KEY
from services.notify import outbox
from services.notify.config import SmtpConfig
from services.notify.outbox import messages_for, resend
from services.notify.sender import Sender
from services.office import get_office
from services.support_hours import hours_summary, open_slots
from services.triage import load_triage
from tests.smtp_server import SmtpTestServer, free_port

ROOT = Path(__file__).resolve().parents[2]
FAST = (0.05, 0.05, 0.05)  # retry delays in seconds: tests never sleep for real delays
FORM = CallbackForm(name="Paul Martin", company="SARL Été", siret="", phone="06 12 34 56 78",
                    email="paul.martin@fournisseur.example", topic="paiement",
                    message="Facture F-2026-118 déposée le 3/11,\ntoujours pas payée.", consent=True)


@pytest.fixture
def office():
    return get_office()


@pytest.fixture
def smtp():
    with SmtpTestServer() as server:
        yield server


def config_for(server_or_port) -> SmtpConfig:
    port = server_or_port if isinstance(server_or_port, int) else server_or_port.port
    return SmtpConfig(host="127.0.0.1", port=port, tls="none", timeout=5)


def make_sender(session_factory, office, smtp, **kwargs) -> Sender:
    kwargs.setdefault("retry_delays", FAST)
    kwargs.setdefault("digests", False)
    return Sender(session_factory, office, config_for(smtp), **kwargs)


def ask(session_factory, office, form=FORM, key="k1", **kwargs):
    topics = load_triage(office).topic_ids
    with session_factory() as session:
        outcome = create_callback(session=session, request=form, idempotency_key=key, client_key=key,
                                  office=office, topics=topics, **kwargs)
    assert outcome.status == "created", outcome
    return outcome.callback


def rows(session_factory) -> list[OutboxMessage]:
    with session_factory() as session:
        return list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_a_request_produces_both_mails_with_the_right_contents(session_factory, office, smtp):
    triage = load_triage(office)
    slot = open_slots(office, utc_now())[1]
    with session_factory() as session:
        session.execute(OutboxMessage.__table__.delete())
        session.commit()
    view = ask(session_factory, office, replace(FORM, slot=slot.key), slots=[slot])
    stored = rows(session_factory)
    assert [r.kind for r in stored] == ["team", "confirmation"]  # saved with the request
    assert all(r.status == "pending" for r in stored)
    report = make_sender(session_factory, office, smtp).run_once()
    assert report.sent == 2
    team, confirmation = sorted(smtp.wait_for(2), key=lambda r: r.rcpt_tos[0] != office.notifications.team_email)
    n = office.notifications
    topic = triage.topic("paiement").label

    # The office's mail: everything needed to call back; nothing personal in the subject.
    assert team.rcpt_tos == (n.team_email,) and team.mail_from == n.from_email
    msg = team.message
    assert msg["Subject"] == f"Demande de rappel {view.reference} : {topic}"
    assert msg["To"] == n.team_email and msg["Reply-To"] == FORM.email
    text = team.text()
    for expected in (view.reference, "Paul Martin", "SARL Été", "06 12 34 56 78", "tel:+33612345678", topic,
                     "Facture F-2026-118 déposée le 3/11,\ntoujours pas payée.",
                     f"{n.kiosk_url}/agents?rappel={view.reference}"):
        assert expected in text, expected
    start = slot.start.astimezone(office.tz)
    assert "Quand rappeler : le " in text and f"entre {start.hour}h" in text
    assert 'href="tel:+33612345678"' in team.html()

    # The supplier's receipt, in French.
    assert confirmation.rcpt_tos == (FORM.email,)
    msg = confirmation.message
    assert msg["Subject"] == f"Votre demande de rappel {view.reference}"
    assert msg["Reply-To"] == n.team_email
    text = confirmation.text()
    for expected in (view.reference, office.phone, hours_summary(office), "sauf les jours fériés",
                     f"{n.kiosk_url}/aide?sujet=paiement", office.contact_name, "Et maintenant ?"):
        assert expected in text, expected

    # Delivered: marked sent with the server's answer, and never sent again.
    assert {r.status for r in rows(session_factory)} == {"sent"}
    assert rows(session_factory)[0].smtp_response.startswith("250")
    assert make_sender(session_factory, office, smtp).run_once().sent == 0
    assert len(smtp.received) == 2
    assert {r.message_id for r in smtp.received} == {r.message_id for r in stored}


def test_no_email_address_means_only_the_office_mail(session_factory, office, smtp):
    ask(session_factory, office, replace(FORM, email=""))
    make_sender(session_factory, office, smtp).run_once()
    assert [r.rcpt_tos for r in smtp.wait_for(1)] == [(office.notifications.team_email,)]


def test_server_down_then_up_delivers_once(session_factory, office):
    port = free_port()
    ask(session_factory, office)
    sender = make_sender(session_factory, office, port)
    report = sender.run_once()
    assert (report.sent, report.retrying) == (0, 2)
    waiting = rows(session_factory)
    assert all(r.status == "pending" and r.attempts == 1 and "ne répond pas" in r.last_error for r in waiting)
    with SmtpTestServer(port) as server:
        deadline = datetime.now(timezone.utc) + timedelta(seconds=5)
        while len(server.received) < 2 and datetime.now(timezone.utc) < deadline:
            sender.run_once()
        assert len(server.wait_for(2)) == 2
        sender.run_once()
        assert len(server.received) == 2
        assert len({r.message_id for r in server.received}) == 2
    assert [(r.status, r.attempts, r.last_error) for r in rows(session_factory)] == [("sent", 2, None)] * 2


def test_too_many_failures_end_in_failed(session_factory, office):
    ask(session_factory, office, replace(FORM, email=""))
    sender = make_sender(session_factory, office, free_port(), retry_delays=(0,))
    sender.run_once()
    sender.run_once()
    (row,) = rows(session_factory)
    assert row.status == "failed" and row.attempts == 2 and "Abandon après 2 essais" in row.last_error


def test_refused_recipient_is_failed_with_the_reason_and_can_be_sent_again(session_factory, office, smtp):
    smtp.refuse(FORM.email)
    view = ask(session_factory, office)
    report = make_sender(session_factory, office, smtp).run_once()
    assert (report.sent, report.failed) == (1, 1)
    with session_factory() as session:
        messages = messages_for(session, [view.id])[view.id]
    team, confirmation = messages
    assert team.status == "sent" and team.sent_at is not None
    assert confirmation.status == "failed"
    assert "550" in confirmation.last_error and "User unknown" in confirmation.last_error
    assert FORM.email in confirmation.last_error
    # Not retried on its own: a 5xx is final.
    assert make_sender(session_factory, office, smtp).run_once().sent == 0
    # Staff send it again once the address works: same message, same Message-ID.
    smtp.accept_all()
    with session_factory() as session:
        again = resend(session, confirmation.id)
    assert again.status == "pending" and again.attempts == 0
    assert make_sender(session_factory, office, smtp).run_once().sent == 1
    delivered = [r for r in smtp.received if r.rcpt_tos == (FORM.email,)]
    assert len(delivered) == 1 and delivered[0].message_id == confirmation.message_id


def test_sending_a_sent_message_again_makes_a_visible_copy(session_factory, office, smtp):
    view = ask(session_factory, office, replace(FORM, email=""))
    make_sender(session_factory, office, smtp).run_once()
    with session_factory() as session:
        (team,) = messages_for(session, [view.id])[view.id]
        copy = resend(session, team.id)
    assert copy.id != team.id and copy.message_id != team.message_id and copy.status == "pending"
    make_sender(session_factory, office, smtp).run_once()
    first, second = smtp.wait_for(2)
    assert first.message_id != second.message_id
    assert first.text() == second.text() and first.message["Subject"] == second.message["Subject"]


KILLER = """
import os, sys
sys.path.insert(0, {root!r})
import services.notify.sender as sender
def die(*args, **kwargs):
    os._exit(9)  # killed after the server accepted the message, before the row says so
sender.mark_sent = die
from services.notify.__main__ import main
sys.exit(main(["--once", "--url", {url!r}]))
"""


def test_sender_killed_between_sending_and_marking(db_url, session_factory, office, smtp):
    with session_factory() as session:  # the command line would also queue today's digest: not here
        session.add(KioskMeta(key=LAST_DIGEST_KEY, value="9999-12-31", updated_at=utc_now()))
        session.commit()
    view = ask(session_factory, office)
    env = {**os.environ, **smtp.env()}
    done = subprocess.run([sys.executable, "-c", KILLER.format(root=str(ROOT), url=db_url)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 9, done.stderr[-2000:]
    assert len(smtp.wait_for(1)) == 1  # the first message went out, then the process died
    leased = rows(session_factory)
    assert all(r.status == "pending" and r.locked_by for r in leased)  # nothing marked, nothing lost
    # Within the lease, nobody touches the rows: no second copy while the dead sender "holds" them.
    assert make_sender(session_factory, office, smtp).run_once().sent == 0
    # Once the lease runs out, another sender delivers both, the first one with the same bytes.
    later = make_sender(session_factory, office, smtp, clock=lambda: utc_now() + timedelta(minutes=6))
    assert later.run_once().sent == 2
    received = smtp.wait_for(3)
    ids = Counter(r.message_id for r in received)
    assert set(ids) == {r.message_id for r in leased}  # each message arrived...
    twice = [mid for mid, n in ids.items() if n == 2]
    assert len(twice) == 1  # ...and the one sent twice is the same message to the reader:
    copies = [r.data for r in received if r.message_id == twice[0]]
    assert copies[0] == copies[1]
    assert [r.status for r in rows(session_factory)] == ["sent", "sent"]
    assert view.reference in received[0].message["Subject"]


def test_twenty_concurrent_requests_with_two_senders(engine, session_factory, office, smtp):
    stop = threading.Event()
    senders = [make_sender(session_factory, office, smtp) for _ in range(2)]
    threads = [threading.Thread(target=s.run_forever, args=(stop,), kwargs={"poll_seconds": 0.02}) for s in senders]
    for t in threads:
        t.start()
    errors = []
    topics = load_triage(office).topic_ids

    def one(i: int) -> None:
        try:
            form = replace(FORM, email="", phone=f"06 12 34 56 {i:02d}", message=f"Demande {i}")
            with session_factory() as session:
                outcome = create_callback(session=session, request=form, idempotency_key=f"c{i}",
                                          client_key=f"c{i}", office=office, topics=topics)
            assert outcome.status == "created"
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    workers = [threading.Thread(target=one, args=(i,)) for i in range(20)]
    try:
        for w in workers:
            w.start()
        for w in workers:
            w.join()
        assert not errors, errors
        received = smtp.wait_for(20)
        # Give a duplicate every chance to show up before counting.
        for s in senders:
            s.run_once()
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=10)
    received = list(smtp.received)
    assert len(received) == 20
    assert len({r.message_id for r in received}) == 20
    assert len({r.message["Subject"] for r in received}) == 20
    assert all(r.rcpt_tos == (office.notifications.team_email,) for r in received)
    assert {r.status for r in rows(session_factory)} == {"sent"}
    assert sum(s.sent_total for s in senders) == 20  # no row marked sent by both


def test_a_row_being_claimed_is_skipped_not_waited_for(db_backend, session_factory, office):
    """PostgreSQL: FOR UPDATE SKIP LOCKED. A sender in the middle of its claim holds its rows;
    another sender at that instant takes the others at once. (SQLite lets one writer in at a
    time: the second sender waits for the first claim, then sees its lease.)"""
    if db_backend != "postgresql":
        pytest.skip("row locks are PostgreSQL's; SQLite's single writer is covered by the lease tests")
    ask(session_factory, office)  # two rows: team and confirmation
    with session_factory() as first:
        held = [row.id for row in first.scalars(outbox.due_query(utc_now(), 1))]  # locked, not committed
        assert len(held) == 1
        with session_factory() as second:
            taken = outbox.claim_due(second, worker="second", lease=timedelta(minutes=5))
        assert len(taken) == 1 and [c.id for c in taken] != held
        first.rollback()
    with session_factory() as third:
        later = outbox.claim_due(third, worker="third")
    assert [c.id for c in later] == held  # the first one was only skipped, never lost


def test_the_mail_layer_keeps_line_breaks_out_of_headers(office):
    """Even if a label or a name came in with a line break, it cannot become a header."""
    from services.callbacks import CallbackView
    from services.notify.mail import team_mail
    from email import message_from_string, policy as email_policy

    now = utc_now()
    view = CallbackView(id=1, reference="K7F-42Q", name="Paul\r\nBcc: pirate@evil.example", company="X",
                        siret=None, phone="+33612345678", phone_display="06 12 34 56 78", email=None,
                        topic="autre", message="", preferred_start=None, preferred_end=None, status="new",
                        staff_note=None, created_at=now, handled_at=None)
    mail = team_mail(view, office=office, topic_label="Sujet\r\nBcc: pirate@evil.example", now=now)
    msg = message_from_string(mail.raw, policy=email_policy.default)
    assert "bcc" not in [k.lower() for k in msg.keys()]
    assert msg["Subject"] == "Demande de rappel K7F-42Q : Sujet Bcc: pirate@evil.example"
    assert mail.recipient == office.notifications.team_email


HOSTILE = replace(
    FORM,
    name="Paul\r\nBcc: pirate@evil.example",
    company="=?utf-8?q?SARL=0D=0ABcc:_pirate@evil.example?=",
    email="paul+kiosque@fournisseur.example",
    message="Bonjour\r\nBcc: pirate@evil.example\r\nSubject: faux\n\n.\nRCPT TO:<pirate@evil.example>\n"
            "<script>alert('x')</script> =?utf-8?q?=0D=0ACc:_pirate@evil.example?=",
)


def test_hostile_names_and_messages_add_no_header_and_no_recipient(session_factory, office, smtp):
    view = ask(session_factory, office, HOSTILE)
    make_sender(session_factory, office, smtp).run_once()
    received = smtp.wait_for(2)
    assert sorted(r.rcpt_tos for r in received) == sorted([(office.notifications.team_email,), (HOSTILE.email,)])
    for r in received:
        msg = r.message
        names = [k.lower() for k in msg.keys()]
        assert sorted(names) == sorted(["from", "to", "subject", "date", "message-id", "auto-submitted",
                                        "mime-version", "content-type", "reply-to"])
        assert not any(n in names for n in ("bcc", "cc"))
        assert "pirate" not in str(msg["Subject"]) and "pirate" not in str(msg["From"])
        assert "evil.example" not in r.mail_from
        assert "<script>" not in r.html()  # escaped, never markup
        for part in msg.walk():
            assert not any(k.lower() in ("bcc", "cc") for k in part.keys())
    team = next(r for r in received if r.rcpt_tos == (office.notifications.team_email,))
    assert "&lt;script&gt;" in team.html()
    # The supplier's words arrive as typed (control characters aside), in the body only.
    text = team.text()
    assert "RCPT TO:<pirate@evil.example>" in text and "<script>alert('x')</script>" in text
    assert view.name in text and "\r" not in view.name


@pytest.mark.parametrize("address", ["=?utf-8?b?cGlyYXRlQGV2aWwuZXhhbXBsZQ==?=@fournisseur.example",
                                     "paul..martin@fournisseur.example", "paul.@fournisseur.example"])
def test_addresses_a_header_could_misread_are_refused_at_once(address):
    from services.callbacks import check_email

    value, error = check_email(address)
    assert value is None and "n'est pas valide" in error


def test_without_a_mail_server_messages_wait(session_factory, office):
    ask(session_factory, office)
    report = Sender(session_factory, office, None).run_once()
    assert report.sent == 0
    assert [(r.status, r.attempts) for r in rows(session_factory)] == [("pending", 0)] * 2


def test_without_notifications_section_nothing_is_queued(session_factory, office):
    ask(session_factory, replace(office, notifications=None))
    assert rows(session_factory) == []


def test_messages_are_purged_with_their_request(session_factory, office):
    from services.retention import purge_expired

    now = datetime(2026, 11, 26, 9, 30, tzinfo=timezone.utc)
    old = ask(session_factory, office, now=now - timedelta(days=office.retention_days + 1))
    kept = ask(session_factory, office, replace(FORM, message="récent"), key="k2", now=now)
    with session_factory() as session:  # two digests, one as old as the retention period
        from services.notify.mail import digest_mail

        for day, created in (("old", now - timedelta(days=office.retention_days + 1)), ("new", now)):
            mail = digest_mail([], office=office, day=created.date(), now=created)
            outbox.add_message(session, mail, kind="digest", dedup_key=f"digest:{day}", now=created)
        session.commit()
        result = purge_expired(session=session, retention_days=office.retention_days, now=now)
    assert result.callbacks == 1 and result.messages == 3
    assert sorted(r.callback_id or 0 for r in rows(session_factory)) == [0, kept.id, kept.id]
    assert old.id != kept.id


def test_a_slow_batch_gives_back_what_its_lease_no_longer_covers(session_factory, office, smtp):
    """Each message starts only while the lease outlasts a whole SMTP conversation; the rest is
    given back untouched (not counted as a try) for the next turn or another sender."""
    ask(session_factory, office)
    times = iter([0, 0, 0, 400, 400, 400, 400])  # claim, connect, 1st message; then the clock jumps

    def clock():
        return utc_now() + timedelta(seconds=next(times, 400))

    sender = make_sender(session_factory, office, smtp, clock=clock)
    report = sender.run_once()
    assert report.sent == 1
    team, confirmation = rows(session_factory)
    assert team.status == "sent"
    assert (confirmation.status, confirmation.attempts, confirmation.locked_by) == ("pending", 0, None)
    assert make_sender(session_factory, office, smtp).run_once().sent == 1
