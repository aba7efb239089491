"""Load through the production proxy (not a test: prints figures and ratios).

    python benchmarks/bench_load.py [--users 20] [--seconds 60] [--servers 1,2]

For each number of servers: a throw-away PostgreSQL database, that many `python -m ui.prod`
servers and nginx from deploy/nginx/ (tests/e2e/proxy.py), all on loopback. Then `--users`
simulated suppliers at once, each speaking Streamlit's own protocol over the proxy's WebSocket
(/_stcore/stream: a rerun BackMsg per page, timed until the script_finished ForwardMsg), far
cheaper than browsers on a small machine. Each supplier visits the pages with a think time,
and every `--check-every`th page view is an invoice check (the PDF uploaded through the proxy
exactly as the browser does: file URL request, PUT with the XSRF token, widget state, rerun).

The « idle user » is one supplier alone doing the same thing with the same think time
(`--idle-views` pages): printed, the median and p95 page time under load as ratios of that
supplier's median and p95 (the p95 also against its median), the first page of a visit (which
opens a Streamlit session) against a lone first page, check latency, checks per minute, errors.
Goal on a 2-core machine: 20 suppliers, p95 ≤ 2× idle, no error.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
from websockets.asyncio.client import connect  # noqa: E402

from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402

from benchmarks.pg_scratch import scratch_postgres  # noqa: E402
from tests.e2e.conftest import stop_server  # noqa: E402
from tests.e2e.proxy import start_proxy  # noqa: E402
from tests.e2e.test_production_browser import start_production_servers  # noqa: E402

PAGES = [("", ""), ("deposer-une-facture", "etape=3"), ("aide", "sujet=paiement"), ("creer-mon-compte", ""),
         ("suivre-ma-facture", "statut=A_RECYCLER"), ("deposer-une-facture", "etape=6")]
CHECKER = "verifier-ma-facture"
INVOICE = ROOT.parent / "shared" / "corpus" / "synthetic" / "inv-049.pdf"


class KioskClient:
    """One supplier: one browser session as Streamlit's frontend would hold it."""

    def __init__(self, base: str):
        self.base = base
        self.http = httpx.AsyncClient(base_url=base, timeout=120)
        self.ws = None
        self.session_id = ""
        self.uploader_id: str | None = None
        self.request_id = 0
        self.saw_verdict = False

    async def open(self) -> None:
        await self.http.get("/")  # nginx's stickiness cookie
        await self.http.get("/_stcore/health")  # Streamlit's XSRF cookie
        xsrf = self.http.cookies.get("_streamlit_xsrf")
        cookie = "; ".join(f"{name}={value}" for name, value in self.http.cookies.items())
        self.ws = await connect(self.base.replace("http", "ws", 1) + "/_stcore/stream",
                                subprotocols=["streamlit", xsrf], additional_headers={"Cookie": cookie,
                                                                                      "Origin": self.base},
                                max_size=None, open_timeout=30)

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        await self.http.aclose()

    async def _until(self, wanted: str) -> ForwardMsg:
        while True:
            raw = await asyncio.wait_for(self.ws.recv(), 120)
            self.saw_verdict |= b"cp-verdict" in raw
            msg = ForwardMsg()
            msg.ParseFromString(raw)
            kind = msg.WhichOneof("type")
            if kind == "new_session":
                self.session_id = msg.new_session.initialize.session_id
            elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                if msg.delta.new_element.WhichOneof("type") == "file_uploader":
                    self.uploader_id = msg.delta.new_element.file_uploader.id
            elif kind == "page_not_found":
                raise RuntimeError("page not found")
            if kind == wanted:
                if kind != "script_finished" or msg.script_finished in (
                        ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY):
                    return msg

    async def view(self, page: str, query: str = "", widget=None) -> float:
        back = BackMsg()
        back.rerun_script.page_name = page
        back.rerun_script.query_string = query
        if widget is not None:
            back.rerun_script.widget_states.widgets.append(widget)
        start = time.perf_counter()
        await self.ws.send(back.SerializeToString())
        await self._until("script_finished")
        return time.perf_counter() - start

    async def check(self, pdf: bytes) -> float:
        """The checker page with `pdf` dropped on it; time from the upload to the verdict."""
        await self.view(CHECKER)
        start = time.perf_counter()
        self.request_id += 1
        back = BackMsg()
        back.file_urls_request.request_id = str(self.request_id)
        back.file_urls_request.file_names.append("facture.pdf")
        back.file_urls_request.session_id = self.session_id
        await self.ws.send(back.SerializeToString())
        urls = (await self._until("file_urls_response")).file_urls_response.file_urls[0]
        put = await self.http.put(urls.upload_url, files={"file": ("facture.pdf", pdf, "application/pdf")},
                                  headers={"X-Xsrftoken": self.http.cookies.get("_streamlit_xsrf")})
        put.raise_for_status()
        from streamlit.proto.WidgetStates_pb2 import WidgetState

        widget = WidgetState(id=self.uploader_id)
        info = widget.file_uploader_state_value.uploaded_file_info.add()
        info.file_id, info.name, info.size = urls.file_id, "facture.pdf", len(pdf)
        info.file_urls.CopyFrom(urls)
        self.saw_verdict = False
        await self.view(CHECKER, widget=widget)
        if not self.saw_verdict:
            raise RuntimeError("the checker drew no verdict")
        return time.perf_counter() - start


@dataclass
class Results:
    pages: list[tuple[str, float, int]] = field(default_factory=list)
    checks: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


async def supplier(base: str, until: float, think_s: float, check_every: int, pdf: bytes, results: Results,
                   rng: random.Random, max_views: int | None = None) -> None:
    client = KioskClient(base)
    try:
        # Suppliers arrive over the first seconds, not all in the same millisecond.
        await asyncio.sleep(rng.uniform(0, 2 * think_s))
        await client.open()
        views = 0
        while time.monotonic() < until and (max_views is None or views < max_views):
            views += 1
            if check_every and views % check_every == 0:
                results.checks.append(await client.check(pdf))
            else:
                page, query = rng.choice(PAGES)
                results.pages.append((page + "?" + query, await client.view(page, query), views))
            await asyncio.sleep(think_s * rng.uniform(0.5, 1.5))
    except Exception as exc:  # noqa: BLE001 - counted and printed, never hidden
        results.errors.append(f"{type(exc).__name__}: {exc}")
    finally:
        await client.close()


async def alone(base: str, views: int, think_s: float, check_every: int, pdf: bytes) -> Results:
    """One supplier alone on the kiosk, doing exactly what each loaded supplier does (same pages,
    same think time, same checks), after a warm-up visit: the « idle user » of the ratios. Its
    pauses matter: a page asked after seconds of quiet is slower than one asked at once
    (measured: median 21 ms against 16 ms), so a baseline taken without them flatters nobody."""
    warm = Results()
    await supplier(base, time.monotonic() + 600, 0.05, check_every, pdf, warm, random.Random(1),
                   max_views=2 * len(PAGES))
    results = Results()
    await supplier(base, time.monotonic() + 600, think_s, check_every, pdf, results, random.Random(7),
                   max_views=views)
    return results


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def later_views(results: Results) -> list[float]:
    """Page times after the first page of a visit (which opens a Streamlit session)."""
    return [elapsed for _key, elapsed, nth in results.pages if nth > 1]


def first_views(results: Results) -> list[float]:
    return [elapsed for _key, elapsed, nth in results.pages if nth == 1]


async def run_load(base: str, users: int, seconds: float, think_s: float, check_every: int,
                   idle_views: int) -> dict:
    pdf = INVOICE.read_bytes()
    idle = await alone(base, idle_views, think_s, check_every, pdf)
    idle_pages = later_views(idle)
    # The first page of a visit: a few fresh sessions, one at a time.
    idle_firsts = []
    for page, query in PAGES[:3]:
        fresh = KioskClient(base)
        await fresh.open()
        try:
            idle_firsts.append(await fresh.view(page, query))
        finally:
            await fresh.close()
        await asyncio.sleep(think_s)
    results = Results()
    rng = random.Random(42)
    until = time.monotonic() + seconds
    started = time.monotonic()
    await asyncio.gather(*(supplier(base, until, think_s, check_every, pdf, results, random.Random(rng.random()))
                           for _ in range(users)))
    elapsed_min = (time.monotonic() - started) / 60
    loaded = later_views(results)
    firsts = first_views(results)
    idle_check = statistics.median(idle.checks) if idle.checks else float("nan")
    return {
        "idle_median_ms": statistics.median(idle_pages) * 1000,
        "idle_p95_ms": p95(idle_pages) * 1000,
        "idle_first_ms": statistics.median(idle_firsts) * 1000,
        "idle_check_s": idle_check,
        "views": len(loaded),
        "median_ms": statistics.median(loaded) * 1000 if loaded else float("nan"),
        "p95_ms": p95(loaded) * 1000 if loaded else float("nan"),
        "median_ratio": statistics.median(loaded) / statistics.median(idle_pages) if loaded else float("nan"),
        "p95_ratio": p95(loaded) / p95(idle_pages) if loaded else float("nan"),
        "first_ratio": statistics.median(firsts) / statistics.median(idle_firsts) if firsts else float("nan"),
        "errors_alone": idle.errors,
        "checks": len(results.checks),
        "check_median_s": statistics.median(results.checks) if results.checks else float("nan"),
        "checks_per_min": len(results.checks) / elapsed_min,
        "errors": results.errors,
    }


async def _one_check(base: str, pdf: bytes) -> float:
    client = KioskClient(base)
    await client.open()
    try:
        return await client.check(pdf)
    finally:
        await client.close()


def rss_mb(pid: int) -> float:
    """Resident memory of a server after the load (postScriptGC is off in production)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def measure(servers: int, args, admin: str) -> dict | None:
    with scratch_postgres(admin) as url, tempfile.TemporaryDirectory(prefix="kiosk-load-") as tmp:
        if url is None:
            return None
        procs = start_production_servers(Path(tmp), {"DATABASE_URL": url, "KIOSK_BACKGROUND_SENDER": "0",
                                                     "STREAMLIT_SERVER_COOKIE_SECRET": "bench-shared-secret"},
                                         count=servers)
        proxy = start_proxy(Path(tmp), [int(p.url.rsplit(":", 1)[1]) for p in procs])
        try:
            figures = asyncio.run(run_load(proxy.url, args.users, args.seconds, args.think, args.check_every,
                                           args.idle_views))
            figures["rss_mb"] = [rss_mb(proc.process.pid) for proc in procs]
            return figures
        finally:
            proxy.stop()
            for proc in procs:
                stop_server(proc)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60, help="load phase per configuration")
    parser.add_argument("--think", type=float, default=3.0, help="mean pause between two pages, seconds")
    parser.add_argument("--check-every", type=int, default=6, help="every Nth page view is a check (0: none)")
    parser.add_argument("--servers", default="1,2")
    parser.add_argument("--idle-views", type=int, default=24,
                        help="pages the lone supplier of the baseline views (same think time)")
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/test")
    args = parser.parse_args(argv)
    failed = False
    print(f"{args.users} suppliers, {args.seconds:.0f} s, think {args.think} s, a check every {args.check_every} views")
    for servers in (int(n) for n in args.servers.split(",")):
        figures = measure(servers, args, args.postgres)
        if figures is None:
            return 2
        print(f"{servers} server(s): one supplier alone: page median {figures['idle_median_ms']:.0f} ms, "
              f"p95 {figures['idle_p95_ms']:.0f} ms, first page of a visit {figures['idle_first_ms']:.0f} ms, "
              f"check {figures['idle_check_s']:.2f} s")
        print(f"  {args.users} at once: {figures['views']} views, median {figures['median_ms']:.0f} ms "
              f"({figures['median_ratio']:.2f}x alone), p95 {figures['p95_ms']:.0f} ms "
              f"({figures['p95_ratio']:.2f}x alone's p95, {figures['p95_ms'] / figures['idle_median_ms']:.2f}x alone's median), "
              f"first page of a visit {figures['first_ratio']:.2f}x | {figures['checks']} checks "
              f"(median {figures['check_median_s']:.2f} s), {figures['checks_per_min']:.1f}/min | "
              f"errors {len(figures['errors']) + len(figures['errors_alone'])} | "
              f"memory {', '.join(f'{mb:.0f}' for mb in figures['rss_mb'])} MB")
        for error in (figures["errors_alone"] + figures["errors"])[:5]:
            print(f"  error: {error}")
        failed |= bool(figures["errors"] or figures["errors_alone"])
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
