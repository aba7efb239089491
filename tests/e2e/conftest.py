"""Start the real app on a free port and drive it with Playwright in Debian's Chromium.

Never downloads a browser: Chromium comes from Debian (/usr/bin/chromium).
"""

import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import expect

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic",
    "--no-first-run", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
]

pytestmark = pytest.mark.e2e

# A rerun on a loaded 2-core machine can take several seconds: give assertions room.
expect.set_options(timeout=15_000)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    def __init__(self, url: str, process: subprocess.Popen, log_path: Path):
        self.url, self.process, self.log_path = url, process, log_path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


def start_server(tmp_dir: Path, env_extra: dict | None = None, module: str = "ui.serve",
                 port: int | None = None) -> Server:
    """The kiosk on a free port; `module` is what `python -m` runs (ui.serve, or a test launcher);
    `port`: when the caller must know the address first (e.g. for links in e-mails)."""
    port = port or free_port()
    log_path = tmp_dir / f"streamlit-{port}.log"
    env = {**os.environ, **(env_extra or {})}
    env.setdefault("DATABASE_URL", f"sqlite:///{tmp_dir / 'e2e.db'}")
    process = subprocess.Popen(
        [sys.executable, "-m", module, "--server.port", str(port),
         "--server.headless", "true", "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=log_path.open("w"), stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    wait_until_ready(process, f"{url}/_stcore/health", what="Streamlit", log=log_path.read_text, timeout=60)
    return Server(url, process, log_path)


def wait_until_ready(process: subprocess.Popen, url: str, *, what: str, log, timeout: float,
                     ready=lambda answer: answer.status_code == 200, request_timeout: float = 3) -> None:
    """Poll `url` until `ready(answer)`; a process that exits or stays silent fails with its log."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited early:\n{log()}")
        try:
            if ready(httpx.get(url, timeout=request_timeout)):
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    process.kill()
    raise RuntimeError(f"{what} did not answer in {timeout:.0f} s:\n{log()}")


def stop_server(server: Server) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("e2e")
    srv = start_server(tmp)
    yield srv
    stop_server(srv)
    if srv.process.returncode not in (0, -15, None):
        print(srv.log())


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run .ci/run or apt-get install chromium")
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield instance
        instance.close()


@contextmanager
def browser_page(browser, server: Server, request, width: int = 1280, height: int = 900):
    """A fresh browser context and page; on failure, a screenshot and the server's log."""
    context = browser.new_context(viewport={"width": width, "height": height}, locale="fr-FR")
    pg = context.new_page()
    pg.set_default_timeout(20_000)
    try:
        yield pg
        if getattr(request.node, "rep_call", None) and request.node.rep_call.failed:
            ARTIFACTS.mkdir(exist_ok=True)
            pg.screenshot(path=str(ARTIFACTS / f"FAILED-{request.node.name}.png"), full_page=True)
            print(server.log()[-5000:])
    finally:
        context.close()


@pytest.fixture
def page(browser, server, request):
    with browser_page(browser, server, request) as pg:
        yield pg


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


def wait_idle(pg) -> None:
    """Wait until Streamlit has finished running the script (no sleeping)."""
    pg.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=30_000)
    pg.wait_for_timeout(150)


def open_page(pg, server: Server, path: str = "/") -> None:
    pg.goto(server.url + path)
    pg.wait_for_selector("[data-testid='stApp']")
    wait_idle(pg)


def screenshot(pg, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    pg.screenshot(path=str(path), full_page=True)
    return path


def whole_page_screenshot(pg, name: str, *, max_height: int = 15_000) -> Path:
    """Streamlit scrolls inside its own container: grow the window to the content, shoot,
    then give the window its size back."""
    size = dict(pg.viewport_size)
    height = pg.evaluate("() => Math.max(...[...document.querySelectorAll('*')].map(e => e.scrollHeight))")
    pg.set_viewport_size({"width": size["width"], "height": min(int(height) + 40, max_height)})
    pg.wait_for_timeout(300)
    path = screenshot(pg, name)
    pg.set_viewport_size(size)
    return path


UPLOAD_INPUT = "[data-testid='stFileUploader'] input[type=file]"


def upload_invoice(page, path) -> None:
    """Drop a file on the checker page and wait for its verdict."""
    page.wait_for_selector(UPLOAD_INPUT, state="attached")
    page.set_input_files(UPLOAD_INPUT, str(path))
    page.wait_for_selector(".cp-verdict", timeout=60_000)
    wait_idle(page)


def no_horizontal_overflow(page) -> bool:
    """Nothing but the page picture's own scroller is wider than the window."""
    return page.evaluate("""() => {
        const main = document.querySelector("[data-testid='stMain']") || document.body;
        return main.scrollWidth <= window.innerWidth + 1;
    }""")

