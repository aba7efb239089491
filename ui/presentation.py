"""Walkthrough mode: a guide on a projector or shared screen, one step per screen, large type.

Deep link: /presentation?guide=deposer-une-facture&etape=3. The arrow keys (and a presenter
remote's Page Up / Page Down) press the Previous / Next buttons.
"""

from __future__ import annotations

import base64
import html

import streamlit as st

from services.guides import Guide, guide_slugs, load_guide, svg_markup
from services.office import Office
from services.typography import french_spacing
from ui.copy import copy_value
from ui.handout_button import handout_download_button
from ui.step_param import follow_step_param

PAGE = "pages/presentation.py"
# The supplier-facing page of each guide (where "Quitter la présentation" goes back to).
GUIDE_PAGES = {"creer-mon-compte": "pages/account_guide.py", "deposer-une-facture": "pages/deposit_guide.py"}
NEXT_KEY = "presentation_next"
PREV_KEY = "presentation_prev"

# Wider than the kiosk's reading column: a projector has room. (CSS rather than
# set_page_config(layout="wide"): app.py sets "centered" on every run, and that wins on reruns.)
_STYLE = """
<style>
[data-testid="stMainBlockContainer"] { max-width: min(96vw, 1500px); padding-top: 2.5rem; }
/* The step fills the screen: the recipient card (on every other page) steps aside here;
   the steps themselves show the office's details where they are needed. */
[data-testid="stElementContainer"]:has(.recipient-card) { display: none; }
.presentation-meta { font-size: 1.15rem; color: #3a3a3a; margin: 0; }
[data-testid="stMainBlockContainer"] .stMarkdown p,
[data-testid="stMainBlockContainer"] .stMarkdown li { font-size: 1.55rem; line-height: 1.45; }
[data-testid="stMainBlockContainer"] h1 { font-size: 2.6rem; line-height: 1.2; }
.kiosk-copy-value { font-size: 1.7rem !important; }
.presentation-hint { font-size: 1rem; color: #3a3a3a; }
@media (max-width: 640px) {
  [data-testid="stMainBlockContainer"] .stMarkdown p,
  [data-testid="stMainBlockContainer"] .stMarkdown li { font-size: 1.2rem; }
  [data-testid="stMainBlockContainer"] h1 { font-size: 1.8rem !important; }
  .kiosk-copy-value { font-size: 1.3rem !important; }
}
</style>
"""

# Arrow keys click the Streamlit buttons (found by their key class), so the server-side state
# and the ?etape= link stay the single source of truth. Keys typed in a field are left alone.
_KEYS_SCRIPT = """
<script>
(function () {
  if (window.__kioskPresentationKeys) return;
  window.__kioskPresentationKeys = true;
  var actions = {ArrowRight: '%(next)s', PageDown: '%(next)s', ArrowLeft: '%(prev)s', PageUp: '%(prev)s'};
  document.addEventListener('keydown', function (event) {
    var key = actions[event.key];
    if (!key || event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    var target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName) ||
        (target.closest && target.closest('[role="listbox"], [role="combobox"], [role="slider"]')))) return;
    var button = document.querySelector('.st-key-' + key + ' button');
    if (!button || button.disabled) return;
    event.preventDefault();
    button.click();
  });
})();
</script>
"""


def _keys(slug: str) -> tuple[str, str, str]:
    prefix = f"presentation_{slug}"
    return f"{prefix}_step", f"{prefix}_param", f"{prefix}_notice"


def _go_to(slug: str, number: int) -> None:
    step_key, param_key, notice_key = _keys(slug)
    st.session_state[step_key] = number
    st.session_state[param_key] = str(number)
    st.session_state[notice_key] = None
    st.query_params["etape"] = str(number)


def _on_jump(slug: str, widget_key: str) -> None:
    _go_to(slug, st.session_state[widget_key])


def _current_step(guide: Guide) -> int:
    step_key, param_key, notice_key = _keys(guide.slug)
    return follow_step_param(guide, step_key=step_key, param_key=param_key, notice_key=notice_key)


def presentation_link(slug: str, *, label: str = "Mode présentation (grand écran)", step: int | None = None) -> None:
    """A link that opens `slug` in walkthrough mode (at `step` if given)."""
    query = {"guide": slug} | ({"etape": str(step)} if step else {})
    st.page_link(PAGE, label=label, icon=":material/co_present:", query_params=query)


def _choose_guide(office: Office, unknown: str | None) -> None:
    st.title("Mode présentation")
    if unknown:
        # The unknown value is not repeated: a crafted link must not put its words here.
        st.warning("Ce lien demande un guide qui n'existe pas. Choisissez un guide ci-dessous.")
    st.markdown("Chaque étape d'un guide en grand, pour un vidéoprojecteur ou un écran partagé.")
    for slug in guide_slugs():
        presentation_link(slug, label=load_guide(slug, office).title)


def render_presentation(office: Office) -> None:
    slug = st.query_params.get("guide")
    if slug not in guide_slugs():
        _choose_guide(office, slug)
        return
    guide = load_guide(slug, office)
    number = _current_step(guide)
    step = guide.steps[number - 1]
    step_key, _, notice_key = _keys(slug)

    st.html(_STYLE)
    st.html(_KEYS_SCRIPT % {"next": NEXT_KEY, "prev": PREV_KEY}, unsafe_allow_javascript=True)
    if st.session_state.get(notice_key):
        st.warning(st.session_state[notice_key])
    st.html(f'<p class="presentation-meta">{html.escape(guide.title)} · '
            f"<strong style=\"white-space:nowrap\">Étape {number} sur {guide.count}</strong></p>")
    st.progress(number / guide.count)
    st.title(french_spacing(f"{number}. {step.title}"), anchor=False)

    words, picture = st.columns([5, 6], gap="large")
    with words:
        st.markdown(french_spacing(step.do))
        for item in step.copy:
            copy_value(item.label, item.value)
        for mistake in step.mistakes:  # folded: opened when someone in the room asks
            with st.expander(french_spacing(f"Erreur fréquente : {mistake.problem}")):
                st.markdown(french_spacing(mistake.fix))
    with picture:
        data = base64.b64encode(svg_markup(step).encode("utf-8")).decode("ascii")
        st.html(
            f'<figure class="presentation-figure" style="margin:0"><img src="data:image/svg+xml;base64,{data}" '
            f'alt="{html.escape(step.alt)}" style="width:100%;height:auto;border:1px solid #ddd"></figure>'
        )
        if step.see:
            st.caption(french_spacing(step.see))

    previous_col, next_col = st.columns(2)
    with previous_col:
        st.button("← Précédent", key=PREV_KEY, on_click=_go_to, args=(slug, number - 1), disabled=number <= 1,
                  use_container_width=True)
    with next_col:
        st.button("Suivant →", key=NEXT_KEY, type="primary", on_click=_go_to, args=(slug, number + 1),
                  disabled=number >= guide.count, use_container_width=True)
    st.html('<p class="presentation-hint">Clavier : flèche → pour l\'étape suivante, '
            "flèche ← pour la précédente.</p>")

    with st.expander("Aller à une étape, imprimer, quitter"):
        jump_key = f"{step_key}_jump"
        st.session_state[jump_key] = number
        st.selectbox("Aller à l'étape", options=[s.number for s in guide.steps],
                     format_func=lambda n: f"{n}. {guide.steps[n - 1].title}",
                     key=jump_key, on_change=_on_jump, args=(slug, jump_key))
        handout_download_button(guide, office, key=f"presentation_{slug}_handout")
        if slug in GUIDE_PAGES:
            st.page_link(GUIDE_PAGES[slug], label="Quitter la présentation", icon=":material/close:",
                         query_params={"etape": str(number)})
