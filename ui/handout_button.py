"""The "download the printable handout" button, shared by the guide pages, /agents and /presentation."""

from __future__ import annotations

from datetime import datetime

import streamlit as st

from services.guides import Guide
from services.handout import build_handout, font_problem, handout_file_name
from services.office import Office


def handout_download_button(guide: Guide, office: Office, *, key: str, label: str | None = None) -> None:
    """A download button; the PDF is built only when clicked (deferred data), never on every rerun."""
    problem = font_problem()
    if problem:
        st.warning(problem)
        return
    today = datetime.now(office.tz).date()
    st.download_button(
        label or "Télécharger la fiche PDF à imprimer",
        data=lambda: build_handout(guide, office, generated_on=today),
        file_name=handout_file_name(guide, today),
        mime="application/pdf",
        key=key,
        icon=":material/print:",
        on_click="ignore",
    )
