"""Isolated analysis: a small pool of pre-started worker processes shared by every session.

Each worker is a long-lived process (started through the forkserver, which has already
imported the analysis code, so a replacement starts in milliseconds) with an address-space
cap (RLIMIT_AS). A request borrows one idle worker; if the analysis runs past the wall-clock
limit the worker is killed and replaced, and the caller gets a `timeout` report. A worker
that dies (crash, memory cap) gives a `corrupted`/`timeout` report. The caller never waits
longer than the limit and never gets an exception for a bad file.

Keep one pool per server (the page holds it in st.cache_resource): at most `max_workers`
analyses run at once, whatever the number of users.
"""

from __future__ import annotations

import atexit
import importlib
import multiprocessing as mp
import os
import queue
import sys
import threading
import time
import types
import weakref
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.connection import Connection

from services.office import Office, get_office

from . import rules
from .analyse import blocked_report
from .report import Report

DEFAULT_TARGET = "services.pdf_check.analyse:analyse_bytes"


def _resolve(target: str):
    module, _, name = target.partition(":")
    return getattr(importlib.import_module(module), name)


def _limit_memory(memory_mb: int | None) -> None:
    if not memory_mb:
        return
    try:
        import resource

        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, ValueError, OSError):  # not available on this platform: run without the cap
        pass


def _peak_rss_kib() -> int:
    try:
        import resource

        return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)  # KiB on Linux
    except Exception:  # noqa: BLE001
        return 0


def warm_up_pdf() -> bytes:
    """A one-page text PDF, built here, that a new worker analyses once before serving, so the
    first user does not pay for the PDF libraries' first-use caches."""
    content = b"BT /F1 11 Tf 50 780 Td (Facture n 2025-001 du 14/03/2025) Tj 0 -16 Td (Total TTC 120,00 EUR) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _worker_main(conn: Connection, target: str, memory_mb: int | None, office: Office | None = None) -> None:
    """Loop of one worker process: receive (data, filename, office), send back the report."""
    _limit_memory(memory_mb)
    analyse = _resolve(target)
    if office is not None:
        try:
            analyse(warm_up_pdf(), filename="warm-up.pdf", office=office)
        except Exception:  # noqa: BLE001 - warming is an optimisation only
            pass
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        data, filename, office = job
        try:
            report = analyse(data, filename=filename, office=office)
            result = ("ok", report, _peak_rss_kib())
        except MemoryError:
            result = ("memory", None, _peak_rss_kib())
        except Exception as exc:  # noqa: BLE001 - reported as a damaged file, never raised in the app
            result = ("error", repr(exc)[:300], _peak_rss_kib())
        del job, data
        try:
            conn.send(result)
        except MemoryError:
            conn.send(("memory", None, 0))


@dataclass
class _Worker:
    process: mp.process.BaseProcess
    conn: Connection
    jobs: int = 0


@dataclass(frozen=True)
class PoolStats:
    started: int  # worker processes started since the pool was created
    killed: int  # workers killed (timeout) or found dead
    last_peak_rss_kib: int  # peak RSS of the worker that ran the last analysis


_MAIN_SWAP_LOCK = threading.Lock()


@contextmanager
def _blank_main_module():
    """Start processes without the parent's `__main__` script.

    multiprocessing re-runs the parent's `__main__` in every child (and in the forkserver)
    when it has a file. Under Streamlit that module is the app script itself, and under a
    test runner it can be a temporary script: a worker must never execute either.
    """
    with _MAIN_SWAP_LOCK:
        original = sys.modules.get("__main__")
        blank = types.ModuleType("__main__")
        sys.modules["__main__"] = blank
        try:
            yield
        finally:
            if sys.modules.get("__main__") is blank:
                if original is None:
                    del sys.modules["__main__"]
                else:
                    sys.modules["__main__"] = original


class CheckerPool:
    """`CheckerPool(max_workers=2, timeout_s=20, memory_mb=512).check(data, filename) -> Report`."""

    def __init__(self, max_workers: int = 2, timeout_s: float = 20.0, memory_mb: int | None = 512, *,
                 office: Office | None = None, target: str = DEFAULT_TARGET, start_method: str | None = None,
                 max_jobs_per_worker: int = 200, queue_wait_s: float | None = None):
        self.max_workers = max(1, int(max_workers))
        self.timeout_s = float(timeout_s)
        self.memory_mb = memory_mb
        self.office = office
        self.target = target
        self.max_jobs_per_worker = max_jobs_per_worker
        # How long a request may wait for a free worker before it is answered "busy".
        self.queue_wait_s = queue_wait_s if queue_wait_s is not None else max(30.0, 3 * self.timeout_s)
        method = start_method or ("forkserver" if "forkserver" in mp.get_all_start_methods() else "spawn")
        self._ctx = mp.get_context(method)
        if method == "forkserver":
            # The fork server imports the analysis once; every worker forks from it already warm.
            self._ctx.set_forkserver_preload([target.partition(":")[0]])
        # Idle workers; None marks a slot whose process could not be started (retried on use).
        self._idle: queue.LifoQueue[_Worker | None] = queue.LifoQueue()
        self._lock = threading.Lock()
        self._closed = False
        self._started = 0
        self._killed = 0
        self._last_rss = 0
        self._all: set[int] = set()
        self._workers: list[_Worker] = []
        for _ in range(self.max_workers):
            self._idle.put(self._spawn())
        self._finalizer = weakref.finalize(self, CheckerPool._shutdown, self._workers)
        atexit.register(self._finalizer)

    # -------------------------------------------------------------- lifecycle

    def _spawn(self) -> _Worker:
        parent, child = self._ctx.Pipe(duplex=True)
        warm_office = None
        if self.target == DEFAULT_TARGET:
            try:
                warm_office = self.office or get_office()
            except Exception:  # noqa: BLE001 - a broken office.toml is reported by the app itself
                warm_office = None
        process = self._ctx.Process(target=_worker_main, args=(child, self.target, self.memory_mb, warm_office),
                                    name="pdf-check-worker", daemon=True)
        with _blank_main_module():
            process.start()
        child.close()
        worker = _Worker(process, parent)
        with self._lock:
            self._started += 1
            self._workers.append(worker)
        return worker

    def _retire(self, worker: _Worker, *, kill: bool) -> None:
        if kill and worker.process.is_alive():
            worker.process.kill()
        try:
            worker.conn.close()
        except OSError:
            pass
        worker.process.join(timeout=5)
        with self._lock:
            if kill:
                self._killed += 1
            if worker in self._workers:
                self._workers.remove(worker)

    @staticmethod
    def _shutdown(workers: list[_Worker]) -> None:
        for worker in list(workers):
            try:
                worker.conn.send(None)
            except Exception:  # noqa: BLE001
                pass
        for worker in list(workers):
            worker.process.join(timeout=1)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join(timeout=1)
        workers.clear()

    def close(self) -> None:
        self._closed = True
        self._finalizer()

    def __enter__(self) -> "CheckerPool":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def stats(self) -> PoolStats:
        with self._lock:
            return PoolStats(self._started, self._killed, self._last_rss)

    # -------------------------------------------------------------- work

    def _replace(self, worker: _Worker | None, *, kill: bool) -> _Worker | None:
        """Retire `worker` and start its successor (None if no process can be started now;
        the next request will try again)."""
        if worker is not None:
            self._retire(worker, kill=kill)
        try:
            return self._spawn()
        except Exception:  # noqa: BLE001 - e.g. out of processes: degrade, never raise to the page
            return None

    def check(self, data: bytes, filename: str) -> Report:
        """Analyse one file in a worker process. Always returns a Report, never raises."""
        office = self.office or get_office()
        size = len(data)
        # Refuse what would never be parsed anyway without borrowing a worker.
        if size == 0:
            return blocked_report(filename, 0, rules.empty_file())
        if size > office.max_pdf_bytes:
            return blocked_report(filename, size, rules.too_large(size, office))
        if self._closed:
            raise RuntimeError("CheckerPool is closed")
        started = time.perf_counter()

        def elapsed() -> float:
            return (time.perf_counter() - started) * 1000

        try:
            worker = self._idle.get(timeout=self.queue_wait_s)
        except queue.Empty:
            return blocked_report(filename, size, _busy(), elapsed())
        try:
            if worker is None or not worker.process.is_alive():
                worker = self._replace(worker, kill=True)
                if worker is None:
                    return blocked_report(filename, size, _busy(), elapsed())
            try:
                worker.conn.send((data, filename, office))
                ready = worker.conn.poll(self.timeout_s)
            except (OSError, EOFError):
                ready = False
            if not ready:
                alive = worker.process.is_alive()
                worker = self._replace(worker, kill=True)
                return blocked_report(filename, size, rules.timeout(self.timeout_s) if alive else rules.too_heavy(),
                                      elapsed())
            try:
                status, payload, rss = worker.conn.recv()
            except (EOFError, OSError):
                # The worker died while working: killed for memory (SIGKILL), or a crash of the
                # PDF library on a damaged file.
                worker.process.join(timeout=2)
                code = worker.process.exitcode
                worker = self._replace(worker, kill=True)
                issue = rules.too_heavy() if code in (-9, 137) else rules.corrupted(f"worker exit {code}")
                return blocked_report(filename, size, issue, elapsed())
            with self._lock:
                self._last_rss = rss
            worker.jobs += 1
            if status == "ok":
                report = payload
            elif status == "memory":
                worker = self._replace(worker, kill=True)
                report = blocked_report(filename, size, rules.too_heavy(), elapsed())
            else:
                report = blocked_report(filename, size, rules.corrupted(str(payload)), elapsed())
            if worker is not None and worker.jobs >= self.max_jobs_per_worker:
                # Recycle long-lived workers so memory fragmentation never builds up.
                try:
                    worker.conn.send(None)
                except OSError:
                    pass
                worker = self._replace(worker, kill=False)
            return report
        finally:
            self._idle.put(worker)


def _busy():
    return rules.issue("timeout", "error",
                       "Le vérificateur est très demandé en ce moment : votre fichier n'a pas pu être analysé.",
                       "Réessayez dans une minute.")


def default_pool_size() -> int:
    return max(1, min(2, (os.cpu_count() or 1)))
