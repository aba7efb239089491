"""The shared frame drawn around every page: style, recipient card, support contact, footer."""

from __future__ import annotations

import html
import logging
from datetime import datetime, timezone

import streamlit as st

from services.guides import ContentError
from services.legal import PENDING
from services.office import Office, OfficeConfigError, get_office
from services.support_hours import hours_summary, phone_line_status
from services.typography import french_spacing
from ui.copy import copy_html, render_with_copy

log = logging.getLogger(__name__)

# Bigger targets and DSFR-like accents; kept small on purpose.
_CSS = """
<style>
[data-testid="stPageLink"] a {
  border: 2px solid #000091; border-radius: 4px; padding: 0.9rem 1rem;
  min-height: 3.2rem; background: #f5f5fe; font-size: 1.1rem; font-weight: 600;
}
[data-testid="stPageLink"] a:hover { background: #e3e3fd; }
/* Long labels wrap instead of being cut with "…" on a phone. */
[data-testid="stPageLink"] a * { white-space: normal !important; overflow: visible !important;
  text-overflow: clip !important; }
[data-testid="stPageLink"] a:focus-visible, button:focus-visible, a:focus-visible {
  outline: 3px solid #0a76f6; outline-offset: 2px;
}
.recipient-card { border-left: 5px solid #000091; background: #f5f5fe; padding: 0.6rem 0.9rem;
  margin-bottom: 0.3rem; line-height: 1.5; }
.recipient-card .label { color: #3a3a3a; font-size: 0.9rem; }
.recipient-card .kiosk-copy-label { width: auto; }
.stButton button { min-height: 2.8rem; font-size: 1.05rem; }
.line-status { display: inline-block; font-weight: 700; padding: 0.1rem 0.5rem; border-radius: 1rem; }
.line-status.open { background: #b8fec9; color: #18753c; }
.line-status.closed { background: #eeeeee; color: #3a3a3a; }
/* The footer's links stay small: the suppliers' big link style above is undone there. */
.st-key-kiosk_footer { border-top: 1px solid #dddddd; margin-top: 2.5rem; padding-top: 0.6rem; }
.st-key-kiosk_footer [data-testid="stPageLink"] a { border: 0; background: none; padding: 0.3rem 0;
  min-height: 2.75rem; font-size: 0.95rem; font-weight: 400; text-decoration: underline; }
.st-key-kiosk_footer [data-testid="stPageLink"] a:hover { background: none; text-decoration-thickness: 2px; }
.st-key-kiosk_footer [data-testid="stCaptionContainer"] { color: #3a3a3a; }
@media (max-width: 640px) { h1 { font-size: 1.8rem !important; } h2 { font-size: 1.4rem !important; } h3 { font-size: 1.2rem !important; } }
</style>
"""


def load_office_or_stop() -> Office:
    """The office's details; a broken office.toml stops the app with the line to fix."""
    try:
        return get_office()
    except OfficeConfigError as exc:
        st.error(f"Le kiosque est mal configuré. {exc}")
        st.stop()
        raise  # unreachable: st.stop() ends the run


def run_page(page, office: Office | None = None) -> None:
    """Run the selected page, then (with `office`) the legal footer below it.

    A mistake in a content file (YAML, SVG) gets a French message naming the file and the
    step, instead of a traceback, and the rest of the kiosk works.

    The footer is drawn before the page runs, into a place that comes after the page's
    content: a page that ends with st.stop() (the staff sign-in, a broken office.toml) stops
    the whole script, so nothing drawn after it would appear.
    """
    body = st.container()
    if office is not None:
        legal_footer(office, page)
    with body:
        _run_page(page)


def _run_page(page) -> None:
    try:
        page.run()
    except ContentError as exc:
        office = get_office()
        log.error("content error: %s", exc)
        st.error(
            f"Cette page ne peut pas s'afficher : un fichier du kiosque contient une erreur. "
            f"Vous pouvez appeler {office.contact_name} au {office.phone}.",
            icon=":material/error:",
        )
        st.caption(f"Pour l'office : {exc}")


def inject_style() -> None:
    st.html(_CSS)


_CADRE_LABEL = french_spacing("Cadre de facturation :")
_IS_STATE_LABEL = french_spacing("« Le destinataire est-il l'État ? » :")


def recipient_card(office: Office) -> None:
    """Who to send the invoice to, with a copy button on the SIRET. Shown on every page."""
    render_with_copy(
        '<div class="recipient-card" role="region" aria-label="Destinataire de vos factures">'
        '<span class="label">Destinataire de vos factures sur Chorus Pro</span><br>'
        f"<strong>{html.escape(office.name)}</strong> ({html.escape(office.city)})"
        + copy_html("SIRET", office.siret, key="recipient-siret")
        + f'<span class="label">{_CADRE_LABEL}</span> '
        f"<strong>{html.escape(office.cadre_facturation)}</strong><br>"
        f'<span class="label">{_IS_STATE_LABEL}</span> '
        f"<strong>{office.recipient_is_state_answer}</strong>"
        "</div>"
    )


def support_contact(office: Office) -> None:
    """The office's phone line in the sidebar, with its live open/closed status."""
    status = phone_line_status(office, datetime.now(timezone.utc))
    kind = "open" if status.is_open else "closed"
    with st.sidebar:
        st.markdown("**Besoin d'aide ?**")
        st.markdown(
            f"{office.contact_name}, {office.contact_role.lower()}  \n"
            f"[{office.phone}]({office.tel_link})"
        )
        st.html(f'<span class="line-status {kind}" data-testid="line-status">{html.escape(status.text, quote=False)}</span>')
        st.caption(f"Horaires : {hours_summary(office)}, sauf jours fériés.")
        st.page_link("pages/help.py", label="Trouver de l'aide, être rappelé", icon=":material/support_agent:")


# The footer's pages, in the order shown: (page file, label).
FOOTER_LINKS = (
    ("pages/legal_notice.py", "Mentions légales"),
    ("pages/accessibility.py", "Accessibilité"),
    ("pages/privacy.py", "Données personnelles"),
)
# Pages drawn without the footer: the walkthrough mode fills a projector's screen.
NO_FOOTER_PATHS = frozenset({"presentation"})


def footer_lines(office: Office) -> tuple[str, str]:
    """The footer's two lines of text: the accessibility status, the office's name."""
    status = office.accessibility.status or PENDING
    return french_spacing(f"Accessibilité : {status}"), office.display_name


def legal_footer(office: Office, page) -> None:
    """Legal notice, accessibility statement and privacy notice links, on every page but the
    walkthrough mode. st.page_link keeps the visitor's session (a half-typed callback form, the
    case code) where a plain <a href> would reload the kiosk and start a new one."""
    if getattr(page, "url_path", None) in NO_FOOTER_PATHS:
        return
    status, name = footer_lines(office)
    with st.container(key="kiosk_footer"):
        with st.container(horizontal=True, gap="small"):
            for target, label in FOOTER_LINKS:
                st.page_link(target, label=label)
        st.caption(f"{status} · {name}")
