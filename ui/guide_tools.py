"""Interactive tools a guide step can show, named by `tool:` in content/guides/*.yaml."""

from __future__ import annotations

from typing import Callable

import streamlit as st

from services.no_siret import NoSiretGuide, load_no_siret
from ui.frame import load_office_or_stop
from ui.siret_field import siret_field


def show_no_siret(guide: NoSiretGuide) -> None:
    """« Je n'ai pas de numéro de SIRET »: one line per case, what to choose on Chorus Pro."""
    st.markdown(guide.intro)
    for case in guide.cases:
        st.markdown(f"**{case.who}**  \nChoisissez **« {case.choose} »**. {case.identifier}")
        if case.code:
            st.caption(f"Code Chorus Pro : {case.code}")
    if guide.outro:
        st.markdown(guide.outro)


def siret_check_tool(key: str) -> None:
    office = load_office_or_stop()
    with st.container(border=True, key=f"{key}_box"):
        st.subheader("Vérifier votre SIRET avant de le taper")
        st.caption("Le kiosque vérifie le numéro, puis cherche votre établissement dans l'annuaire "
                   "public des entreprises. Rien n'est enregistré.")
        siret_field(key=key, recipient_siret=office.siret)
        guide = load_no_siret(office)
        with st.expander(guide.title, icon=":material/public:"):
            show_no_siret(guide)


TOOLS: dict[str, Callable[[str], None]] = {
    "siret_check": siret_check_tool,
}


def render_tool(name: str, *, key: str) -> None:
    """Draw the tool `name`; an unknown name (a typo in the YAML) shows nothing but a note."""
    tool = TOOLS.get(name)
    if tool is None:
        st.caption(f"(Outil « {name} » inconnu : vérifiez le fichier du guide.)")
        return
    tool(key)
