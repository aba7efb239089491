import html
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app.py")


@pytest.fixture
def app() -> AppTest:
    """The whole app (navigation, frame and the default page), not yet run."""
    return AppTest.from_file(APP, default_timeout=30)


def texts(at: AppTest) -> str:
    """All visible text of markdown, titles, headers, captions, alerts, code: one string to search."""
    parts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "code", "info", "warning", "error", "success"):
        parts.extend(str(el.value) for el in getattr(at, kind))
    parts.extend(el.proto.body for el in at.get("html"))
    return "\n".join(parts)


def copy_values(at: AppTest) -> list[str]:
    """Values offered with a "Copier" button (ui/copy.py), in page order."""
    return [html.unescape(v) for el in at.get("html") for v in re.findall(r'data-copy="([^"]*)"', el.proto.body)]


def open_page(at: AppTest, path: str, **query: str) -> AppTest:
    """Open `path` (e.g. "pages/deposit_guide.py") as a visitor would, with optional ?query.

    AppTest maps a file to its st.navigation page only after a first run.
    """
    if not at._registered_pages:  # never run yet
        at.run()
    for key, value in query.items():
        at.query_params[key] = value
    return at.switch_page(path).run()
