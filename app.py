"""Entry point: page config, navigation over pages/, the shared frame and footer. Nothing else."""

from pathlib import Path

import streamlit as st

from ui.db import run_housekeeping
from ui.notify import start_background_sender
from ui.frame import inject_style, load_office_or_stop, recipient_card, run_page, support_contact
from ui.not_found import with_not_found_page
from ui.staff_space import staff_space_link

st.set_page_config(
    page_title="Chorus Pro : aide aux fournisseurs",
    # A local file: a Material icon name makes every browser fetch it from fonts.gstatic.com.
    page_icon=str(Path(__file__).parent / "content" / "favicon.svg"),
    layout="centered",
    initial_sidebar_state="auto",
)

office = load_office_or_stop()
# Migrations once per process (cached), then the retention purge when it is due.
run_housekeeping(office)
# One e-mail sender per server process, in the background (ui/notify.py).
start_background_sender(office)

pages = [
    st.Page("pages/home.py", title="Accueil", icon=":material/home:", default=True),
    st.Page("pages/account_guide.py", title="Créer mon compte", icon=":material/person_add:",
            url_path="creer-mon-compte"),
    st.Page("pages/deposit_guide.py", title="Déposer une facture", icon=":material/upload_file:",
            url_path="deposer-une-facture"),
    st.Page("pages/invoice_check.py", title="Vérifier ma facture", icon=":material/fact_check:",
            url_path="verifier-ma-facture"),
    st.Page("pages/track_invoice.py", title="Suivre ma facture", icon=":material/schedule:",
            url_path="suivre-ma-facture"),
    st.Page("pages/help.py", title="Aide et rappel", icon=":material/support_agent:", url_path="aide"),
    # Staff space and walkthrough mode: reached by links, kept out of the suppliers' menu.
    st.Page("pages/staff.py", title="Espace agents", icon=":material/badge:", url_path="agents",
            visibility="hidden"),
    st.Page("pages/presentation.py", title="Mode présentation", icon=":material/co_present:",
            url_path="presentation", visibility="hidden"),
    # Legal notice, accessibility statement, privacy notice: linked from every page's footer
    # (ui/frame.py), kept out of the suppliers' menu, which lists what they came to do.
    st.Page("pages/legal_notice.py", title="Mentions légales", icon=":material/gavel:",
            url_path="mentions-legales", visibility="hidden"),
    st.Page("pages/accessibility.py", title="Accessibilité", icon=":material/accessibility:",
            url_path="accessibilite", visibility="hidden"),
    st.Page("pages/privacy.py", title="Données personnelles", icon=":material/shield_person:",
            url_path="donnees-personnelles", visibility="hidden"),
]

page = st.navigation(with_not_found_page(pages))  # unknown address: « Page introuvable »
inject_style()
support_contact(office)
recipient_card(office)
staff_space_link()
run_page(page, office)  # the page, then the legal footer below it
