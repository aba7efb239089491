"""Staff tab « Statut d'une facture »: the same live look-up as the suppliers', by invoice number
(optionally one supplier's SIRET), showing who sent it and its status."""

from __future__ import annotations

import logging
from datetime import datetime

import streamlit as st

from services.chorus_api import STAFF_SIRET_DAYS, STAFF_SIRET_RESULTS, ChorusApiError, message_for
from services.invoice_status import load_statuses
from services.office import Office
from services.payment_terms import french_date
from services.siret import classify_identifier
from services.staff_auth import StaffSession
from ui import chorus_lookup

log = logging.getLogger(__name__)


def staff_invoice_status_section(office: Office, staff: StaffSession) -> None:
    client = chorus_lookup.get_client()
    if client is None:
        st.info("La recherche en direct dans Chorus Pro n'est pas activée. Pour l'activer : ajoutez le compte "
                "technique Chorus Pro de l'office dans la section `[chorus_api]` de `.streamlit/secrets.toml` "
                "(modèle : `secrets.toml.example`), puis testez avec `python -m services.chorus_api check`.",
                icon=":material/info:")
        st.markdown("En attendant : ouvrez Chorus Pro, espace « Factures reçues », et cherchez le numéro.")
        return
    guide = load_statuses(office)
    with st.form("staff_status_form", border=True):
        number = st.text_input("Numéro de la facture", key="staff_status_number", max_chars=40)
        siret_text = st.text_input("SIRET du fournisseur", key="staff_status_siret", max_chars=30)
        st.caption(f"L'un ou l'autre, ou les deux. Avec le SIRET seul : les factures déposées ces "
                   f"{STAFF_SIRET_DAYS} derniers jours ({STAFF_SIRET_RESULTS} au plus).")
        sent = st.form_submit_button("Chercher dans Chorus Pro", icon=":material/search:")
    if not sent:
        return
    if not number.strip() and not siret_text.strip():
        st.error("Tapez le numéro de la facture ou le SIRET du fournisseur.")
        return
    siret = None
    if siret_text.strip():
        check = classify_identifier(siret_text)
        if not check.is_valid_siret:
            st.error(check.message)
            return
        siret = check.compact
    try:
        found = client.staff_lookup(number=number, siret=siret, today=datetime.now(office.tz).date(),
                                    session_key=f"staff:{staff.username}")
    except ChorusApiError as exc:
        log.warning("staff Chorus Pro look-up failed: %s", exc)
        st.error(f"{message_for(exc)} Cherchez dans Chorus Pro, espace « Factures reçues ».")
        return
    if not found:
        st.warning("Aucune facture reçue sous ce numéro" + (" pour ce SIRET." if siret else ".") if number.strip()
                   else f"Aucune facture de ce SIRET déposée ces {STAFF_SIRET_DAYS} derniers jours.")
        return
    for item in found:
        status = guide.get(item.status_code)
        label = status.label if status else item.status_code
        with st.container(border=True):
            st.markdown(f"**{item.invoice_number}** · {item.supplier_name or 'fournisseur'} "
                        f"(SIRET {item.supplier_id})")
            since = f" depuis le {french_date(item.status_date)}" if item.status_date else ""
            deposit = f" · déposée le {french_date(item.deposit_date)}" if item.deposit_date else ""
            st.markdown(f"Statut : **« {label} »**{since}{deposit}")
            if status:
                st.caption(f"Qui agit : {guide.actor_label(status)}.")
                st.page_link("pages/track_invoice.py", label=f"Ce que le fournisseur lit pour « {label} »",
                             icon=":material/schedule:", query_params={"statut": status.code})
