"""The staff space once signed in: a list of sections, each drawn by one function.

Later sections (a supplier's case by its code, the callback queue, the numbers) plug in by
adding a StaffSection to SECTIONS; with more than one, they become tabs.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from services.guides import guide_slugs, load_guide
from services.office import Office
from services.staff_auth import StaffSession
from services.typography import french_spacing
from ui.handout_button import handout_download_button
from ui.presentation import presentation_link
from ui.staff_callbacks import LINK_PARAM, staff_callbacks_section
from ui.staff_invoice_status import staff_invoice_status_section
from ui.staff_cases import staff_cases_section
from ui.staff_stats import staff_stats_section


# The way in stays small: the suppliers' big link style (ui/frame.py) is undone here.
_ENTRY_STYLE = """
<style>
.st-key-staff_entry [data-testid="stPageLink"] a { border: 0; background: none; padding: 0.2rem 0;
  min-height: auto; font-size: 0.9rem; font-weight: 400; }
.st-key-staff_entry [data-testid="stPageLink"] a:hover { text-decoration: underline; background: none; }
</style>
"""


@dataclass(frozen=True)
class StaffSection:
    title: str
    render: Callable[[Office, StaffSession], None]


def render_walkthrough_tools(office: Office, staff: StaffSession) -> None:
    """Present a guide on a big screen, or print it for a supplier."""
    st.markdown("Pour une démonstration (en personne ou écran partagé) ou une fiche à remettre.")
    for slug in guide_slugs():
        guide = load_guide(slug, office)
        with st.container(border=True, key=f"staff_guide_{slug}"):
            st.subheader(guide.title)
            st.caption(f"{guide.count} étapes")
            with st.container(horizontal=True):
                presentation_link(slug)
                handout_download_button(guide, office, key=f"staff_handout_{slug}")


SECTIONS: list[StaffSection] = [
    # Phone support and the office's numbers (ui/staff_cases.py, staff_callbacks.py, staff_stats.py):
    # the case lookup first, it is what an agent needs during a call.
    StaffSection("Dossier d'un fournisseur", staff_cases_section),
    StaffSection("Rappels demandés", staff_callbacks_section),
    StaffSection("Chiffres", staff_stats_section),
    StaffSection("Statut d'une facture", staff_invoice_status_section),
    StaffSection("Présentations et fiches", render_walkthrough_tools),
]


def missing_details_warning(office: Office) -> None:
    """The legal pages' details office.toml leaves empty: the public pages say « information en
    cours de mise à jour » in their place until someone fills them in."""
    missing = office.missing_details()
    if not missing:
        return
    items = "\n".join(f"- {m.label} : `{m.where}`" for m in missing)
    st.warning(french_spacing(
        f"À compléter dans office.toml :\n\n{items}\n\n"
        "Les pages Mentions légales, Accessibilité et Données personnelles affichent "
        "« information en cours de mise à jour » à leur place."
    ), icon=":material/edit_note:")


def render_staff_space(office: Office, staff: StaffSession) -> None:
    st.title("Espace agents")
    missing_details_warning(office)
    if len(SECTIONS) == 1:
        st.header(SECTIONS[0].title)
        SECTIONS[0].render(office, staff)
        return
    # A link from the team's e-mail (/agents?rappel=K7F-42Q) opens the callbacks tab.
    default = "Rappels demandés" if st.query_params.get(LINK_PARAM) else None
    for tab, section in zip(st.tabs([s.title for s in SECTIONS], default=default), SECTIONS):
        with tab:
            # The tab's name as its panel's h2 (hidden: the tab shows it), so that the sections'
            # h3 do not follow the page's h1 directly (RGAA 9.1).
            st.html(f'<h2 class="kiosk-sr-only">{html.escape(section.title)}</h2>')
            section.render(office, staff)


def staff_space_link() -> None:
    """A discreet way in for staff, at the bottom of the sidebar (not in the suppliers' menu)."""
    with st.sidebar:
        st.divider()
        with st.container(key="staff_entry"):
            st.html(_ENTRY_STYLE)
            st.page_link("pages/staff.py", label="Espace agents", icon=":material/badge:")
