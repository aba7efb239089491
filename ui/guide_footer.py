"""Below each guide: print it (PDF handout) or show it on a big screen (walkthrough mode)."""

from __future__ import annotations

import streamlit as st

from services.guides import Guide
from ui.frame import load_office_or_stop
from ui.handout_button import handout_download_button
from ui.presentation import presentation_link

# Secondary tools: the link looks like the download button beside it, not like the big
# page links that lead suppliers through the guide (ui/frame.py).
_STYLE = """
<style>
.st-key-guide_footer [data-testid="stPageLink"] a { border: 1px solid #c8c8c8; background: #fff;
  font-weight: 400; font-size: 1rem; min-height: 2.5rem; padding: 0.35rem 0.8rem; }
.st-key-guide_footer [data-testid="stPageLink"] a:hover { background: #f5f5fe; }
</style>
"""


def render_guide_footer(guide: Guide, step: int) -> None:
    office = load_office_or_stop()
    st.divider()
    with st.container(key="guide_footer"):
        st.html(_STYLE)
        st.caption("Imprimer ce guide, ou le montrer en grand sur un écran partagé :")
        with st.container(horizontal=True):
            handout_download_button(guide, office, key=f"guide_{guide.slug}_handout")
            presentation_link(guide.slug, step=step)
