"""Below each guide: print it (PDF handout) or show it on a big screen (walkthrough mode)."""

from __future__ import annotations

import streamlit as st

from services.guides import Guide
from ui.frame import load_office_or_stop
from ui.handout_button import handout_download_button
from ui.presentation import presentation_link


def render_guide_footer(guide: Guide, step: int) -> None:
    office = load_office_or_stop()
    st.divider()
    st.caption("Imprimer ce guide, ou le montrer en grand sur un écran partagé :")
    left, right = st.columns(2)
    with left:
        handout_download_button(guide, office, key=f"guide_{guide.slug}_handout")
    with right:
        presentation_link(guide.slug, step=step)
