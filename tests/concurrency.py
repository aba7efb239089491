"""Run code in several threads released at the same instant (races on purpose)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any


def run_together(count: int, target: Callable[[int], Any]) -> tuple[list[Any], list[str]]:
    """`target(i)` in `count` threads released at the same instant; results and errors."""
    barrier = threading.Barrier(count)
    results: list[Any] = [None] * count
    errors: list[str] = []

    def worker(i: int) -> None:
        try:
            barrier.wait()
            results[i] = target(i)
        except Exception as exc:  # noqa: BLE001 - collected: the test shows them
            errors.append(repr(exc))

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors
