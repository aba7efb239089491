"""Time from a callback request to the office's e-mail arriving, with the sender running.

    python benchmarks/bench_notify.py [--n 20] [--pg postgresql://postgres@127.0.0.1:5432/test]

A real SMTP server (aiosmtpd) on localhost, a throw-away database on each backend, and the
sender as the kiosk runs it (a background thread; the help page wakes it after saving a
request). Also without the wake-up, where only the 5 s poll finds the message. Prints the
median, 95th percentile and worst delay. Goal: under 60 s, typically a few seconds.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.pg_scratch import scratch_postgres  # noqa: E402
from services.callbacks import CallbackForm, create_callback  # noqa: E402
from services.db import create_db_engine, make_session_factory  # noqa: E402
from services.migrate import upgrade_to_head  # noqa: E402
from services.notify.config import SmtpConfig  # noqa: E402
from services.notify.sender import POLL_SECONDS, Sender  # noqa: E402
from services.office import get_office  # noqa: E402
from tests.smtp_server import SmtpTestServer  # noqa: E402


def run(url: str, n: int, wake_up: bool) -> list[float]:
    upgrade_to_head(url)
    engine = create_db_engine(url)
    sessions = make_session_factory(engine)
    office = get_office()
    delays = []
    with SmtpTestServer() as server:
        sender = Sender(sessions, office, SmtpConfig("127.0.0.1", server.port, tls="none"), digests=False)
        stop, wake = threading.Event(), threading.Event()
        thread = threading.Thread(target=sender.run_forever, args=(stop, wake), daemon=True)
        thread.start()
        try:
            for i in range(n):
                asked = time.monotonic()
                form = CallbackForm(name="Bench", company="Bench SARL", phone=f"06 12 34 {i // 100:02d} {i % 100:02d}",
                                    topic="autre", message=f"bench {uuid.uuid4().hex}", consent=True)
                with sessions() as session:
                    outcome = create_callback(session=session, request=form, idempotency_key=uuid.uuid4().hex,
                                              client_key=uuid.uuid4().hex, office=office, topics={"autre"})
                assert outcome.status == "created", outcome
                if wake_up:
                    wake.set()
                arrived = server.wait_for(i + 1, timeout=120)[i]
                assert outcome.callback.reference in arrived.message["Subject"]
                delays.append(arrived.at - asked)
                time.sleep(0.37)  # requests do not arrive in step with the poll
        finally:
            stop.set()
            wake.set()
            thread.join(timeout=10)
    engine.dispose()
    return delays


def report(label: str, delays: list[float]) -> None:
    ordered = sorted(delays)
    p95 = ordered[max(0, int(round(0.95 * len(ordered))) - 1)]
    print(f"{label:<38} n={len(delays):>3}  median {statistics.median(delays):6.3f} s   "
          f"p95 {p95:6.3f} s   worst {max(delays):6.3f} s   (goal < 60 s)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20)
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432/test")
    args = parser.parse_args()
    print(f"Request → office e-mail delivered (sender poll every {POLL_SECONDS:g} s)")
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.db"
        report("SQLite, woken by the request", run(url, args.n, True))
        report("SQLite, poll only", run(f"sqlite:///{folder}/bench2.db", max(5, args.n // 4), False))
    with scratch_postgres(args.pg) as url:
        if url:
            report("PostgreSQL, woken by the request", run(url, args.n, True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
