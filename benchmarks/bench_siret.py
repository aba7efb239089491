"""How long the SIRET check and the directory lookup take, offline. Prints ratios, asserts nothing.

Run: .venv/bin/python benchmarks/bench_siret.py
"""

from __future__ import annotations

import socket
import sys
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from services.company_directory import CompanyDirectory, TokenBucket  # noqa: E402
from services.siret import classify_identifier  # noqa: E402

FIXTURE = (ROOT / "tests" / "fixtures" / "recherche_entreprises" / "siret_active.json").read_bytes()


def per_call(fn, n: int) -> float:
    started = time.perf_counter()
    for _ in range(n):
        fn()
    return (time.perf_counter() - started) / n


def main() -> None:
    inputs = ["809 389 232 00020", "809389232", "8093892320002", "8O938923200020", "80938923200021"]
    classify = per_call(lambda: [classify_identifier(t) for t in inputs], 2000) / len(inputs)
    print(f"classify_identifier: {classify * 1e6:.1f} µs per number")

    mock = CompanyDirectory("https://x.test", bucket=TokenBucket(rate=1e9),
                            transport=httpx.MockTransport(lambda r: httpx.Response(200, content=FIXTURE)))
    miss = per_call(lambda: mock.lookup("51234567900025", refresh=True), 300)
    hit = per_call(lambda: mock.lookup("51234567900025"), 3000)
    print(f"lookup, parse of a recorded answer (MockTransport): {miss * 1e3:.2f} ms; cache hit: {hit * 1e6:.1f} µs;"
          f" ratio miss/hit: {miss / hit:.0f}x")

    closed = CompanyDirectory("http://127.0.0.1:9", bucket=TokenBucket(rate=1e9))
    refused = per_call(lambda: closed.lookup("51234567900025", refresh=True), 20)
    paused = per_call(lambda: closed.lookup("82345678500018"), 200)
    print(f"closed port: {refused * 1e3:.1f} ms per lookup; during the offline pause: {paused * 1e6:.1f} µs")

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    held = []
    threading.Thread(target=lambda: [held.append(listener.accept()[0]) for _ in range(4)], daemon=True).start()
    silent = CompanyDirectory(f"http://127.0.0.1:{listener.getsockname()[1]}", bucket=TokenBucket(rate=1e9))
    started = time.perf_counter()
    result = silent.lookup("51234567900025")
    hang = time.perf_counter() - started
    print(f"server that never answers: {result.status} after {hang:.2f} s "
          f"(budget {silent.total_budget:.1f} s, read timeout {silent.read_timeout:.1f} s; "
          f"ratio to budget {hang / silent.total_budget:.2f})")

    clock = [0.0]
    bucket = TokenBucket(rate=7, clock=lambda: clock[0])
    waits = []
    for _ in range(21):
        wait = bucket.try_acquire(max_wait=10)
        waits.append(wait)
        clock[0] += wait  # the caller sleeps this long
    print(f"token bucket: 21 back-to-back requests spread over {clock[0]:.2f} s "
          f"= {21 / (clock[0] + 1 / 7):.1f} req/s (limit 7)")


if __name__ == "__main__":
    main()
