"""Callback requests per second on SQLite and PostgreSQL, one thread and 20 threads.

    python benchmarks/bench_callbacks.py [--n 200] [--pg postgresql://postgres@127.0.0.1:5432/test]

Creates a throw-away database on each backend, prints requests/s and ratios
(20 threads vs 1 thread, PostgreSQL vs SQLite). Not a test: figures depend on the machine.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


from services.callbacks import CallbackForm, create_callback  # noqa: E402
from benchmarks.pg_scratch import scratch_postgres  # noqa: E402
from services.db import create_db_engine, make_session_factory  # noqa: E402
from services.migrate import upgrade_to_head  # noqa: E402
from services.office import get_office  # noqa: E402

FORM = CallbackForm(name="Bench", company="Bench SARL", phone="0612345678", topic="autre", consent=True)


def run(url: str, n: int, threads: int) -> float:
    engine = create_db_engine(url)
    factory = make_session_factory(engine)
    office = get_office()
    per_thread = n // threads
    barrier = threading.Barrier(threads + 1)

    def worker(t: int) -> None:
        barrier.wait()
        for i in range(per_thread):
            with factory() as session:
                outcome = create_callback(session=session, request=replace(FORM, message=f"{t}-{i}-{uuid.uuid4().hex}"),
                                          idempotency_key=uuid.uuid4().hex, client_key=uuid.uuid4().hex,
                                          office=office, topics={"autre"})
                assert outcome.status == "created", outcome

    pool = [threading.Thread(target=worker, args=(t,)) for t in range(threads)]
    for thread in pool:
        thread.start()
    barrier.wait()
    start = time.perf_counter()
    for thread in pool:
        thread.join()
    elapsed = time.perf_counter() - start
    engine.dispose()
    return per_thread * threads / elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432/test")
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        sqlite_url = f"sqlite:///{tmp}/bench.db"
        upgrade_to_head(sqlite_url)
        results["sqlite"] = (run(sqlite_url, args.n, 1), run(sqlite_url, args.n, 20))
    with scratch_postgres(args.pg) as pg_url:
        if pg_url is not None:
            upgrade_to_head(pg_url)
            results["postgresql"] = (run(pg_url, args.n, 1), run(pg_url, args.n, 20))
    for backend, (one, many) in results.items():
        print(f"{backend:10s} 1 thread: {one:7.1f} req/s   20 threads: {many:7.1f} req/s   ratio 20/1: {many / one:.2f}")
    if len(results) == 2:
        print(f"PostgreSQL / SQLite, 1 thread: {results['postgresql'][0] / results['sqlite'][0]:.2f}   "
              f"20 threads: {results['postgresql'][1] / results['sqlite'][1]:.2f}")


if __name__ == "__main__":
    main()
