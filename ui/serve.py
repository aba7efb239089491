"""Serve the kiosk: `python -m ui.serve [streamlit options]` (what `make run` and the tests use).

Why not plain `streamlit run app.py`: because a `pages/` folder sits beside app.py,
Streamlit runs the very first script run of the process in its legacy "pages folder"
mode, before app.py's st.navigation takes over. A visitor whose first request is a deep
link (/deposer-une-facture?etape=3) then gets a "Page not found" dialog. app.py uses
st.navigation only, so we switch the legacy mode off before the server starts.
It also makes the page Streamlit serves French (ui/french_index.py).
"""

from __future__ import annotations

import sys
from pathlib import Path

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli

from ui import french_index

APP = Path(__file__).resolve().parent.parent / "app.py"


def main(argv: list[str] | None = None) -> int:
    PagesManager.uses_pages_directory = False
    french_index.install()
    args = ["run", str(APP), *(sys.argv[1:] if argv is None else argv)]
    return cli.main(args=args, prog_name="streamlit", standalone_mode=False) or 0


if __name__ == "__main__":
    sys.exit(main())
