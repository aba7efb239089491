"""Accessibility helpers for the browser tests: axe-core and the pages app.py lists.

axe-core is vendored (tests/e2e/vendor/axe-core/, see its README): no download at test time.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

from tests.e2e.conftest import ARTIFACTS, ROOT

AXE_JS = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"


def app_page_paths(app_py: Path = ROOT / "app.py") -> list[str]:
    """Every page's address, read from the st.Page(...) calls in app.py, so a page added
    there is checked without editing the tests."""
    paths = []
    for node in ast.walk(ast.parse(app_py.read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "Page"):
            continue
        kwargs = {k.arg: k.value for k in node.keywords}
        if "default" in kwargs and getattr(kwargs["default"], "value", False) is True:
            paths.append("/")
        elif "url_path" in kwargs and isinstance(kwargs["url_path"], ast.Constant):
            paths.append("/" + kwargs["url_path"].value)
        elif node.args and isinstance(node.args[0], ast.Constant):
            # Streamlit's own default: the file's name without its extension.
            paths.append("/" + Path(str(node.args[0].value)).stem)
    return paths


def run_axe(pg) -> list[dict]:
    """All of axe's rules on the whole document, nothing excluded; returns the violations, shortened."""
    # During a rerun Streamlit fades the elements it has not redrawn yet (data-stale, opacity):
    # axe would measure the faded colours' contrast. Wait until every element is current.
    pg.wait_for_function("() => !document.querySelector('[data-stale=\"true\"]')", timeout=15_000)
    if not pg.evaluate("() => typeof window.axe !== 'undefined'"):
        pg.add_script_tag(path=str(AXE_JS))
    # axe measures colour contrast only where it can see: Streamlit scrolls inside its own
    # container, so the window grows to the whole page (same width) while axe runs.
    size = dict(pg.viewport_size)
    height = pg.evaluate("() => Math.max(...[...document.querySelectorAll('*')].map(e => e.scrollHeight))")
    pg.set_viewport_size({"width": size["width"], "height": min(int(height) + 40, 15_000)})
    pg.wait_for_timeout(200)
    try:
        result = _axe(pg)
    finally:
        pg.set_viewport_size(size)
    return result


def _axe(pg) -> list[dict]:
    return pg.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ['violations']});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html.slice(0, 200),
                                          summary: (n.failureSummary || '').slice(0, 300)}))}));
        }"""
    )


def record(name: str, violations: list[dict]) -> None:
    """Keep each state's violations in test-artifacts/axe/ (the report's before/after tables)."""
    folder = ARTIFACTS / "axe"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.json").write_text(json.dumps(violations, ensure_ascii=False, indent=1), encoding="utf-8")


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}, {len(v['nodes'])}): {v['help']}")
        lines += [f"    {n['target']}  {n['html'][:120]}" for n in v["nodes"][:5]]
    return "\n".join(lines)
