"""« Page introuvable »: what an address that matches no page shows, in French.

Left alone, st.navigation runs the home page under an unknown address and Streamlit's
frontend opens its English "Page not found" dialog. `with_not_found_page(pages)` adds a
hidden page that answers for the unknown address instead: the address stays as typed, the
page says in French that it does not exist and links to the main pages.
"""

from __future__ import annotations

import re

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

NOT_FOUND_FILE = "pages/not_found.py"
NOT_FOUND_PATH = "page-introuvable"
# What st.Page accepts as a url_path (one segment); anything else goes to /page-introuvable.
_ONE_SEGMENT = re.compile(r"[^/\s]{1,200}")
MAIN_PAGES = (
    ("pages/home.py", "Accueil", ":material/home:"),
    ("pages/account_guide.py", "Créer mon compte Chorus Pro", ":material/person_add:"),
    ("pages/deposit_guide.py", "Déposer une facture", ":material/upload_file:"),
    ("pages/invoice_check.py", "Vérifier ma facture avant de la déposer", ":material/fact_check:"),
    ("pages/track_invoice.py", "Suivre ma facture", ":material/schedule:"),
    ("pages/help.py", "Trouver de l'aide, être rappelé", ":material/support_agent:"),
)


def requested_address() -> str:
    """The page name the browser asked for ("" for the home page or a click in the menu)."""
    ctx = get_script_run_ctx()
    return (ctx.pages_manager.intended_page_name or "") if ctx else ""


def unknown_address(pages: list[st.Page]) -> str | None:
    """The address asked for when it matches none of `pages`, else None."""
    ctx = get_script_run_ctx()
    if ctx is None or ctx.pages_manager.intended_page_script_hash:
        return None  # a click in the menu or a page link names a page that exists
    name = (ctx.pages_manager.intended_page_name or "").strip("/")
    if not name or name in {page.url_path for page in pages}:
        return None
    return name


def with_not_found_page(pages: list[st.Page]) -> list[st.Page]:
    """`pages` and the hidden « Page introuvable », which answers for an unknown address."""
    unknown = unknown_address(pages)
    url_path = NOT_FOUND_PATH
    if unknown is not None:
        if _ONE_SEGMENT.fullmatch(unknown) and unknown != NOT_FOUND_PATH:
            url_path = unknown  # the address stays as typed
        else:
            get_script_run_ctx().pages_manager.set_script_intent("", NOT_FOUND_PATH)
    return [*pages, st.Page(NOT_FOUND_FILE, title="Page introuvable", icon=":material/search_off:",
                            url_path=url_path, visibility="hidden")]


def not_found_body() -> None:
    address = requested_address()
    st.title("Page introuvable")
    shown = f"« /{address} »" if address and address != NOT_FOUND_PATH else "Cette adresse"
    st.markdown(f"{_md_text(shown)} ne correspond à aucune page du kiosque. "
                "Vérifiez l'adresse, ou choisissez une page :")
    for file, label, icon in MAIN_PAGES:
        st.page_link(file, label=label, icon=icon, use_container_width=True)


def _md_text(text: str) -> str:
    """Typed by a visitor: shown as text, never as Markdown or HTML."""
    return re.sub(r"([\\`*_{}\[\]<>()#+\-.!|~$&])", r"\\\1", text)
