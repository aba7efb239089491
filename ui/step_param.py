"""The `?etape=N` deep link, shared by the guide pages and the presentation view."""

from __future__ import annotations

import streamlit as st

from services.guides import Guide, choose_step


def follow_step_param(guide: Guide, *, step_key: str, param_key: str, notice_key: str) -> int:
    """Follow ?etape=N when the link changed, else keep the session's step (shared with presentation)."""
    requested = st.query_params.get("etape")
    # Coming back through the menu (no ?etape) keeps the step the supplier had reached.
    changed = requested is not None and requested != st.session_state.get(param_key)
    if step_key not in st.session_state or changed:
        choice = choose_step(requested, guide.count)
        st.session_state[step_key] = choice.number
        st.session_state[notice_key] = choice.notice
        st.session_state[param_key] = requested
    return st.session_state[step_key]
