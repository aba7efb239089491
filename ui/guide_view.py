"""Render a step-by-step guide: one step per screen, deep link ?etape=N."""

from __future__ import annotations

import base64
import html

import streamlit as st

from services.guides import Guide, svg_markup
from ui.case_ref import guide_case_box
from ui.copy import copy_value
from ui.guide_footer import render_guide_footer
from ui.guide_tools import render_tool
from ui.step_param import follow_step_param


def _keys(slug: str) -> tuple[str, str, str, str]:
    prefix = f"guide_{slug}"
    return f"{prefix}_step", f"{prefix}_param", f"{prefix}_done", f"{prefix}_notice"


def _focus_key(slug: str) -> str:
    return f"guide_{slug}_focus_heading"


# After « Suivant », « Précédent » or « Aller à l'étape », the button pressed is redrawn and the
# browser's focus falls back to the page: the keyboard user would start again from the top and
# a screen reader would not say which step is shown. The new step's heading takes the focus.
# ui/static/kiosk_fr.js moves the focus to the element a `data-kiosk-focus` marker names.
_FOCUS_HEADING = '<span data-kiosk-focus="%s" hidden></span>'


def _go_to(slug: str, number: int) -> None:
    step_key, param_key, _, notice_key = _keys(slug)
    st.session_state[_focus_key(slug)] = True
    st.session_state[step_key] = number
    st.session_state[param_key] = str(number)
    st.session_state[notice_key] = None
    st.query_params["etape"] = str(number)


def _current_step(guide: Guide) -> int:
    step_key, param_key, _, notice_key = _keys(guide.slug)
    return follow_step_param(guide, step_key=step_key, param_key=param_key, notice_key=notice_key)


def _on_jump(slug: str, widget_key: str) -> None:
    _go_to(slug, st.session_state[widget_key])


def _on_done(slug: str, number: int, widget_key: str) -> None:
    done_key = _keys(slug)[2]
    done = dict(st.session_state.get(done_key, {}))
    done[number] = st.session_state[widget_key]
    st.session_state[done_key] = done


def render_guide(guide: Guide, *, next_page: str | None = None, next_label: str | None = None,
                 step_links: dict[int, tuple[str, str]] | None = None) -> None:
    """`step_links`: step number -> (page, label) of a page that helps with that step."""
    number = _current_step(guide)
    step = guide.steps[number - 1]
    step_key, _, done_key, notice_key = _keys(guide.slug)
    done: dict[int, bool] = st.session_state.get(done_key, {})

    st.title(guide.title)
    if st.session_state.get(notice_key):
        st.warning(st.session_state[notice_key])
    if number == 1 and guide.intro:
        st.markdown(guide.intro)

    done_count = sum(1 for value in done.values() if value)
    st.progress(number / guide.count, text=f"Étape {number} sur {guide.count} · {done_count} faite(s)")

    jump_key = f"{step_key}_jump"
    st.session_state[jump_key] = number
    st.selectbox(
        "Aller à l'étape",
        options=[s.number for s in guide.steps],
        format_func=lambda n: f"{n}. {guide.steps[n - 1].title}" + (" ✓" if done.get(n) else ""),
        key=jump_key,
        on_change=_on_jump,
        args=(guide.slug, jump_key),
    )

    st.header(f"Étape {number} : {step.title}", anchor=f"etape-{number}")
    if st.session_state.pop(_focus_key(guide.slug), False):
        st.html(_FOCUS_HEADING % f"etape-{number}")
    st.markdown(step.do)
    for item in step.copy:
        copy_value(item.label, item.value)
    if step.tool:
        render_tool(step.tool, key=f"{step_key}_tool_{number}")

    st.subheader("Ce que vous verrez")
    if step.see:
        st.markdown(step.see)
    if step_links and number in step_links:
        link_page, link_label = step_links[number]
        st.page_link(link_page, label=link_label, icon=":material/fact_check:", use_container_width=True)
    # An <img> with a data URI keeps the SVG intact (st.html sanitises inline SVG away)
    # and gives it a real text alternative.
    data = base64.b64encode(svg_markup(step).encode("utf-8")).decode("ascii")
    st.html(
        f'<figure class="guide-figure" style="margin:0"><img src="data:image/svg+xml;base64,{data}" '
        f'alt="{html.escape(step.alt)}" style="width:100%;height:auto;border:1px solid #ddd"></figure>'
    )

    if step.mistakes:
        st.subheader("Erreurs fréquentes")
        for mistake in step.mistakes:
            with st.expander(mistake.problem):
                st.markdown(mistake.fix)

    done_widget = f"{step_key}_done_{number}"
    st.session_state[done_widget] = bool(done.get(number))
    st.checkbox("J'ai fait cette étape", key=done_widget, on_change=_on_done, args=(guide.slug, number, done_widget))

    previous_col, next_col = st.columns(2)
    with previous_col:
        if number > 1:
            st.button("← Précédent", key=f"{step_key}_prev", on_click=_go_to, args=(guide.slug, number - 1),
                      use_container_width=True)
    with next_col:
        if number < guide.count:
            st.button("Suivant →", key=f"{step_key}_next", type="primary", on_click=_go_to,
                      args=(guide.slug, number + 1), use_container_width=True)
        elif next_page:
            st.page_link(next_page, label=next_label or "Continuer", icon=":material/arrow_forward:")

    guide_case_box(guide.slug, number)  # the supplier's case code for phone support (ui/case_ref.py)
    render_guide_footer(guide, number)
