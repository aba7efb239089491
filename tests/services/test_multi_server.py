"""Several kiosk servers on one database: what counts or limits across users still holds.

Each "server" is its own SQLAlchemy engine (its own connection pool, as in another process) on
the same database, SQLite file then PostgreSQL. Threads split between the two engines stand for
requests landing on either server at the same instant.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

import services.cases as cases_mod
from services.callbacks import ADDRESS_RATE_LIMIT, RATE_LIMIT, CallbackForm, create_callback
from services.cases import create_case
from services.chorus_api import KIOSK_LOOKUPS_PER_MINUTE, ApiSettings, ChorusClient
from services.company_directory import PUBLISHED_RATE_LIMIT, TokenBucket
from services.db import create_db_engine, make_session_factory, try_lock
from services.models import CallbackRequest, Case, OutboxMessage
from services.notify.config import SmtpConfig
from services.notify.digest import enqueue_digest_if_due
from services.notify.sender import Sender
from services.office import get_office
from services.references import new_reference
from services.retention import PURGE_LOCK, purge_if_due
from services.servers import server_count, server_share
from services.staff_auth import LoginThrottle, throttle_keys
from services.triage import load_triage
from tests.concurrency import run_together
from tests.smtp_server import SmtpTestServer

ROOT = Path(__file__).resolve().parents[2]
PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 11, 26, 10, 0, tzinfo=PARIS)  # a Thursday, line open
FORM = CallbackForm(name="Marie Durand", company="Boulangerie Durand", phone="06 12 34 56 78",
                    email="marie@example.fr", topic="paiement", message="Facture F-12 pas payée.", consent=True)


class FakeClock:
    def __init__(self, start: float = 1_790_000_000.0):
        self.now = start

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def servers(db_url):
    """Two session factories, one per engine, on the same database: server A and server B."""
    engines = [create_db_engine(db_url), create_db_engine(db_url)]
    yield [make_session_factory(e) for e in engines]
    for engine in engines:
        engine.dispose()


@pytest.fixture
def office():
    return get_office()


# --- staff sign-in throttling ----------------------------------------------------------------

def test_failures_on_one_server_delay_the_other(servers):
    clock = FakeClock()
    a, b = (LoginThrottle(s, clock=clock, free_attempts=3, base_delay=5) for s in servers)
    keys_a = throttle_keys("carpentier", "session-on-a", "203.0.113.7")
    keys_b = throttle_keys("carpentier", "session-on-b", "203.0.113.7")  # the browser moved: new session
    # An attacker alternating servers: A, B, A, B… every failure counts against the same name.
    waits = [(a if n % 2 == 0 else b).record_failure(keys_a if n % 2 == 0 else keys_b) for n in range(4)]
    assert waits == [0, 0, 0, 5]
    assert a.wait_seconds(keys_a) == 5 and b.wait_seconds(keys_b) == 5
    assert b.failures("user:carpentier") == 4
    clock.now += 5
    b.record_success(keys_b)  # the right password on B clears the name for A too
    assert a.wait_seconds(keys_a) == 0 and a.failures("user:carpentier") == 0


def test_a_restarted_server_forgets_no_failure(db_url):
    clock = FakeClock()
    keys = throttle_keys("carpentier", "s1")
    engine = create_db_engine(db_url)
    throttle = LoginThrottle(make_session_factory(engine), clock=clock, free_attempts=1, base_delay=5)
    throttle.record_failure(keys)
    assert throttle.record_failure(keys) == 5
    engine.dispose()  # the process ends
    engine = create_db_engine(db_url)
    try:
        again = LoginThrottle(make_session_factory(engine), clock=clock, free_attempts=1, base_delay=5)
        assert again.wait_seconds(throttle_keys("carpentier", "s2")) == 5
    finally:
        engine.dispose()


def test_concurrent_failures_on_both_servers_are_all_counted(servers):
    clock = FakeClock()
    throttles = [LoginThrottle(s, clock=clock, free_attempts=10**9) for s in servers]
    per_thread, threads = 15, 8
    keys = throttle_keys("carpentier", "shared-session", "203.0.113.7")

    def hammer(i):
        throttle = throttles[i % 2]  # half the threads on each server
        for _ in range(per_thread):
            throttle.record_failure(keys)

    _, errors = run_together(threads, hammer)
    assert errors == []
    for key in keys:
        assert throttles[0].failures(key) == per_thread * threads


_SERVER_PROCESS = """
import sys
from services.db import create_db_engine, make_session_factory
from services.staff_auth import LoginThrottle, throttle_keys
engine = create_db_engine(sys.argv[1])
throttle = LoginThrottle(make_session_factory(engine), free_attempts=59)  # the 60th failure locks
sys.stdin.readline()  # both processes start counting together
for _ in range(int(sys.argv[2])):
    throttle.record_failure(throttle_keys("carpentier", "session", "203.0.113.7"))
"""


def test_two_server_processes_count_every_failure(db_url):
    """Not threads of one process: two Python processes, as two kiosk servers would be."""
    procs = [subprocess.Popen([sys.executable, "-c", _SERVER_PROCESS, db_url, "30"], cwd=ROOT,
                              stdin=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    for proc in procs:
        proc.stdin.write("go\n")
        proc.stdin.flush()
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    engine = create_db_engine(db_url)
    try:
        throttle = LoginThrottle(make_session_factory(engine))
        assert throttle.failures("user:carpentier") == 60
        assert throttle.wait_seconds(throttle_keys("carpentier", "another-session")) > 0
    finally:
        engine.dispose()


# --- callback requests -------------------------------------------------------------------------

def ask(sessions, office, n, *, client="browser-1", address=None, now=NOW):
    with sessions() as session:
        return create_callback(session=session, request=replace(FORM, message=f"Demande {n}"),
                               idempotency_key=f"form-{n}", client_key=client, office=office,
                               topics=load_triage(office).topic_ids, now=now, client_address=address)


def test_callback_rate_limit_alternating_servers(servers, office):
    outcomes = [ask(servers[n % 2], office, n).status for n in range(RATE_LIMIT + 2)]
    assert outcomes == ["created"] * RATE_LIMIT + ["rate_limited"] * 2


def test_callback_rate_limit_holds_when_both_servers_are_asked_at_once(servers, office):
    results, errors = run_together(8, lambda i: ask(servers[i % 2], office, i).status)
    assert errors == []
    assert Counter(results) == {"created": RATE_LIMIT, "rate_limited": 8 - RATE_LIMIT}
    with servers[0]() as session:
        assert session.scalar(select(func.count()).select_from(CallbackRequest)) == RATE_LIMIT


def test_callback_address_limit_holds_across_sessions_and_servers(servers, office):
    count = ADDRESS_RATE_LIMIT + 4
    # A new browser session for each request (as on another server), one address for all.
    results, errors = run_together(count, lambda i: ask(servers[i % 2], office, i, client=f"browser-{i}",
                                                         address="203.0.113.7").status)
    assert errors == []
    assert Counter(results) == {"created": ADDRESS_RATE_LIMIT, "rate_limited": 4}


# --- case codes --------------------------------------------------------------------------------

def test_case_codes_stay_unique_when_both_servers_draw_the_same(servers, monkeypatch):
    retention = get_office().retention_days
    drawn = threading.local()

    def same_first_code():  # every thread's first draw is the same code: all but one must draw again
        if not getattr(drawn, "done", False):
            drawn.done = True
            return "222-222"
        return new_reference()

    monkeypatch.setattr(cases_mod, "new_reference", same_first_code)
    results, errors = run_together(10, lambda i: create_case(session=servers[i % 2](), retention_days=retention).code)
    assert errors == []
    assert len(set(results)) == 10 and "222-222" in results
    with servers[1]() as session:
        assert session.scalar(select(func.count()).select_from(Case)) == 10


# --- e-mail outbox and the morning digest -------------------------------------------------------

def test_two_senders_on_two_servers_never_send_one_message_twice(servers, office):
    topics = load_triage(office).topic_ids
    for i in range(12):  # 12 requests, two e-mails each (team, confirmation)
        with servers[i % 2]() as session:
            assert create_callback(session=session, request=replace(FORM, message=f"m{i}", phone=f"061234560{i % 10}"),
                                   idempotency_key=f"k{i}", client_key=f"c{i}", office=office,
                                   topics=topics).status == "created"
    with SmtpTestServer() as smtp:
        config = SmtpConfig(host="127.0.0.1", port=smtp.port, tls="none", timeout=5)
        senders = [Sender(s, office, config, digests=False, batch=3) for s in servers]
        _, errors = run_together(2, lambda i: senders[i].run_once())
        assert errors == []
        received = smtp.wait_for(24)
        for sender in senders:  # give a duplicate every chance to show up
            sender.run_once()
        time.sleep(0.2)
        received = list(smtp.received)
    assert len(received) == 24
    assert len({r.message_id for r in received}) == 24
    assert sum(s.sent_total for s in senders) == 24
    with servers[0]() as session:
        assert set(session.scalars(select(OutboxMessage.status))) == {"sent"}


def test_the_morning_digest_is_queued_once_whichever_servers_ask(servers, office):
    ask(servers[0], office, 1)
    morning = datetime(2026, 12, 1, 8, 5, tzinfo=PARIS)  # a Tuesday, after the digest hour

    def enqueue(i):
        with servers[i % 2]() as session:
            return enqueue_digest_if_due(session=session, office=office, now=morning)

    results, errors = run_together(6, enqueue)
    assert errors == []
    assert results.count(True) == 1
    with servers[1]() as session:
        assert session.scalar(select(func.count()).select_from(OutboxMessage)
                              .where(OutboxMessage.kind == "digest")) == 1


# --- retention purge ---------------------------------------------------------------------------

def test_only_one_server_purges_at_a_time(servers, office):
    retention = office.retention_days
    now = datetime.now(timezone.utc)
    for n in range(5):
        ask(servers[0], office, n, client=f"c{n}", now=now - timedelta(days=retention + 1))

    def purge(i):
        with servers[i % 2]() as session:
            return purge_if_due(session=session, retention_days=retention, now=now)

    results, errors = run_together(6, purge)
    assert errors == []
    done = [r for r in results if r is not None]
    assert len(done) == 1 and done[0].callbacks == 5


def test_a_server_does_not_wait_for_a_purge_running_elsewhere(servers, office, db_backend):
    if db_backend != "postgresql":
        pytest.skip("SQLite has one writer: a second purge waits for the first, then finds it done")
    a, b = servers
    with a() as running:
        assert try_lock(running, PURGE_LOCK)  # server A is purging (its transaction is open)
        with b() as session:
            started = time.monotonic()
            assert purge_if_due(session=session, retention_days=office.retention_days) is None
            assert time.monotonic() - started < 2
        running.rollback()
    with b() as session:  # A is done (here: gave up without recording): B may purge now
        assert purge_if_due(session=session, retention_days=office.retention_days) is not None


# --- outside services' limits: each server its share ----------------------------------------------

def test_kiosk_servers_is_read_safely():
    assert server_count({}) == 1
    assert server_count({"KIOSK_SERVERS": " 2 "}) == 2
    assert server_count({"KIOSK_SERVERS": "deux"}) == 1
    assert server_count({"KIOSK_SERVERS": "0"}) == 1
    assert server_share(7.0, {}) == 7
    assert server_share(7.0, {"KIOSK_SERVERS": "2"}) == 3  # rounded down: 3 + 3 <= 7
    assert server_share(30, {"KIOSK_SERVERS": "3"}) == 10


def test_directory_requests_of_two_servers_stay_under_the_published_limit():
    clock = [0.0]
    rate = server_share(PUBLISHED_RATE_LIMIT, {"KIOSK_SERVERS": "2"})
    assert rate == 3
    buckets = [TokenBucket(rate=rate, capacity=1.0, clock=lambda: clock[0]) for _ in range(2)]
    sent = []
    while clock[0] < 10:  # both servers ask as fast as they can, every millisecond, for 10 s
        for bucket in buckets:
            if bucket.try_acquire(max_wait=0) is not None:
                sent.append(clock[0])
        clock[0] = round(clock[0] + 0.001, 3)
    busiest = max(sum(1 for t in sent if start <= t < start + 1) for start in sent)
    assert busiest <= PUBLISHED_RATE_LIMIT
    assert len(sent) >= 2 * rate * 10 - 2  # each server uses its whole share


def test_each_server_process_takes_its_share_from_the_environment():
    code = ("from services.company_directory import SHARED_BUCKET; print(SHARED_BUCKET.rate)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True,
                         env={"KIOSK_SERVERS": "2", "PATH": "/usr/bin:/bin"})
    assert float(out.stdout) == 3.0
    settings = ApiSettings(client_id="id", client_secret="secret", login="l", password="p")
    assert ChorusClient(settings).overall.limit == KIOSK_LOOKUPS_PER_MINUTE
    share = server_share(KIOSK_LOOKUPS_PER_MINUTE, {"KIOSK_SERVERS": "2"})
    assert ChorusClient(settings, overall_limit=share).overall.limit == 15
