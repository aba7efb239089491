"""Home: what Chorus Pro is, and the way in to each guide."""

from datetime import datetime, timezone

import streamlit as st

from services.support_hours import hours_summary, phone_line_status
from ui.frame import load_office_or_stop

office = load_office_or_stop()

st.title("Faire payer votre facture par l'office")
st.markdown(
    f"L'**{office.display_name}** est un organisme public. "
    "Il reçoit les factures de ses fournisseurs **uniquement par Chorus Pro**, "
    "le site gratuit de l'État pour facturer le secteur public. "
    "Une facture envoyée par email ou par courrier ne peut pas être payée."
)
st.markdown("Ce kiosque vous guide pas à pas. Choisissez où vous en êtes :")

st.page_link("pages/account_guide.py", label="Je n'ai pas de compte : créer mon compte Chorus Pro",
             icon=":material/person_add:", use_container_width=True)
st.page_link("pages/deposit_guide.py", label="J'ai un compte : déposer une facture",
             icon=":material/upload_file:", use_container_width=True)
st.page_link("pages/invoice_check.py", label="Vérifier ma facture avant de la déposer",
             icon=":material/fact_check:", use_container_width=True)
st.page_link("pages/track_invoice.py", label="J'ai déposé ma facture : où en est-elle, quand serai-je payé ?",
             icon=":material/schedule:", use_container_width=True)
st.page_link("pages/help.py", label="Je suis bloqué : trouver de l'aide ou être rappelé",
             icon=":material/support_agent:", use_container_width=True)

st.header("Bon à savoir")
st.markdown(
    f"- Votre facture doit être un **PDF créé par votre logiciel**, pas un scan.\n"
    f"- Destinataire : **{office.name}**, SIRET **{office.siret}**.\n"
    f"- Cadre de facturation : **{office.cadre_facturation}**.\n"
    f"- Une question ? {office.contact_name} au [{office.phone}]({office.tel_link}), "
    f"{hours_summary(office)} : {phone_line_status(office, datetime.now(timezone.utc)).text.lower()}."
)
