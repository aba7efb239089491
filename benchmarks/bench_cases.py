"""Phone support costs on SQLite and PostgreSQL: a guide-step write, the staff's 5-second poll,
the « Chiffres » tab on a year of checks; and how many writes the throttle saves.

    python benchmarks/bench_cases.py [--events 20000] [--pg postgresql://postgres@127.0.0.1:5432/test]

Creates throw-away databases, prints milliseconds per operation and ratios. Not a test:
figures depend on the machine.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert  # noqa: E402

from services.cases import StepThrottle, create_case, get_case, move_case, save_case_report  # noqa: E402
from benchmarks.pg_scratch import scratch_postgres  # noqa: E402
from services.db import create_db_engine, make_session_factory  # noqa: E402
from services.migrate import upgrade_to_head  # noqa: E402
from services.models import CallbackRequest, CheckEvent, CheckEventIssue  # noqa: E402
from services.stats import ISSUE_LABELS, office_numbers  # noqa: E402

RETENTION = 90
CODES = list(ISSUE_LABELS)


def median_ms(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def seed(factory, events: int) -> None:
    rng = random.Random(7)
    now = datetime.now(timezone.utc)
    with factory() as session:
        rows = [{"id": i + 1, "verdict": rng.choice(("ready", "fix_needed", "blocked")),
                 "created_at": now - timedelta(minutes=rng.randrange(365 * 24 * 60))} for i in range(events)]
        session.execute(insert(CheckEvent), rows)
        issues = [{"event_id": i + 1, "code": code, "severity": "error"}
                  for i in range(events) for code in rng.sample(CODES, rng.randrange(0, 4))]
        session.execute(insert(CheckEventIssue), issues)
        callbacks = []
        for i in range(events // 10):
            created = now - timedelta(minutes=rng.randrange(RETENTION * 24 * 60))
            callbacks.append({
                "reference": f"B{i:05d}", "idempotency_key": uuid.uuid4().hex, "client_key": "bench", "name": "Bench",
                "company": "Bench", "phone": "+33612345678", "topic": "autre", "message": "", "status": "resolved",
                "consent_at": created, "created_at": created, "updated_at": created,
                "handled_at": created + timedelta(hours=rng.random() * 48)})
        session.execute(insert(CallbackRequest), callbacks)
        session.commit()


def run(url: str, events: int) -> dict[str, float]:
    upgrade_to_head(url)
    engine = create_db_engine(url)
    factory = make_session_factory(engine)
    seed(factory, events)
    picture = b"\x89PNG" + bytes(300_000)  # a typical page picture's size
    with factory() as session:
        code = create_case(session=session, retention_days=RETENTION).code
        save_case_report(session=session, code=code, report={"verdict": "ready", "issues": []}, image=picture,
                         consent=True, retention_days=RETENTION)
    steps = iter(range(10**9))

    def write_step():
        with factory() as session:
            move_case(session=session, code=code, guide_slug="deposer-une-facture", guide_step=next(steps) % 8 + 1,
                      retention_days=RETENTION)

    def poll(with_image):
        with factory() as session:
            get_case(session=session, code=code, retention_days=RETENTION, with_image=with_image)

    def numbers():
        with factory() as session:
            office_numbers(session=session, weeks=26)

    result = {
        "step write": median_ms(write_step, 100),
        "poll, no picture": median_ms(lambda: poll(False), 100),
        "poll, with picture": median_ms(lambda: poll(True), 100),
        "numbers (26 weeks)": median_ms(numbers, 10),
    }
    engine.dispose()
    return result


def throttle_saving(clicks: int = 20, gap_s: float = 0.3) -> tuple[int, int]:
    """Writes for a burst of `clicks` clicks `gap_s` apart (then a pause): without and with the throttle."""
    throttle, writes, t = StepThrottle(2.0), 0, 0.0
    for step in range(1, clicks + 1):
        throttle.want("g", step)
        if throttle.due(t):
            throttle.written("g", step, t)
            writes += 1
        t += gap_s
    t += 2.0  # the pending step is flushed once the supplier stops
    if throttle.due(t):
        throttle.written(*throttle.pending, t)
        writes += 1
    return clicks, writes


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432/test")
    args = parser.parse_args()
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        results["sqlite"] = run(f"sqlite:///{tmp}/bench.db", args.events)
    with scratch_postgres(args.pg) as pg_url:
        if pg_url is not None:
            results["postgresql"] = run(pg_url, args.events)
    print(f"{args.events} check events, {args.events // 10} callbacks; median ms per operation")
    for backend, figures in results.items():
        print(f"{backend:10s} " + "   ".join(f"{k}: {v:6.2f}" for k, v in figures.items()))
        print(f"{'':10s} poll with picture / without: {figures['poll, with picture'] / figures['poll, no picture']:.2f}")
    if len(results) == 2:
        print("PostgreSQL / SQLite: " + "   ".join(
            f"{k}: {results['postgresql'][k] / results['sqlite'][k]:.2f}" for k in results["sqlite"]))
    clicks, writes = throttle_saving()
    print(f"throttle: {clicks} clicks 0.3 s apart -> {writes} writes instead of {clicks} (ratio {writes / clicks:.2f})")


if __name__ == "__main__":
    main()
