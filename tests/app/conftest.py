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
    return "\n".join(parts)
