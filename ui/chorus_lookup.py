"""The live look-up of an invoice's status in Chorus Pro (services/chorus_api), for the
supplier on /suivre-ma-facture and for the staff in /agents. Shown only when the office has
put its Chorus Pro credentials in the secrets; otherwise nothing is drawn."""

from __future__ import annotations

import logging
import os
import uuid

import streamlit as st

from services.chorus_api import (
    KIOSK_LOOKUPS_PER_MINUTE, MANUAL_WAY, ChorusApiError, ChorusClient, ChorusConfigError, InvoiceStatus,
    load_settings, message_for,
)
from services.invoice_status import StatusGuide
from services.office import Office
from services.payment_terms import french_date
from services.servers import server_share
from services.siret import classify_identifier

log = logging.getLogger(__name__)

_CLIENTS: dict[object, ChorusClient] = {}  # one per settings, shared by all sessions (token cache, limits)
SESSION_KEY = "chorus_lookup_session"
RESULT_KEY = "chorus_lookup_result"


def _secrets() -> dict:
    try:
        return st.secrets.to_dict()
    except Exception:  # noqa: BLE001 - no secrets.toml: not configured
        return {}


def get_client() -> ChorusClient | None:
    """The process-wide client, or None when the live look-up is off (or misconfigured: logged)."""
    try:
        settings = load_settings(_secrets(), os.environ)
    except ChorusConfigError as exc:
        log.error("Chorus Pro look-up disabled: %s", exc)
        return None
    if settings is None:
        return None
    if settings not in _CLIENTS:
        _CLIENTS[settings] = ChorusClient(
            settings, overall_limit=server_share(KIOSK_LOOKUPS_PER_MINUTE, os.environ))
    return _CLIENTS[settings]


def _session_key() -> str:
    if SESSION_KEY not in st.session_state:
        st.session_state[SESSION_KEY] = uuid.uuid4().hex
    return st.session_state[SESSION_KEY]


def _manual_way(office: Office) -> None:
    st.markdown(MANUAL_WAY)
    st.link_button("Demander à ClaudIA, l'assistant de Chorus Pro", office.assistant_url or office.documentation_url,
                   icon=":material/open_in_new:")


def supplier_lookup(client: ChorusClient, guide: StatusGuide, office: Office, *, status_key: str,
                    deposit_key: str) -> InvoiceStatus | None:
    """Form: SIRET + invoice number → the status (only when both match). On success the status
    picker below (`status_key`) and the calculator's deposit date (`deposit_key`) are filled in."""
    with st.container(border=True, key="chorus_lookup_box"):
        st.markdown("**Chercher ma facture dans Chorus Pro**")
        st.caption("Le kiosque lit le statut de votre facture dans Chorus Pro. "
                   "Il faut le SIRET de votre entreprise et le numéro de la facture.")
        with st.form("chorus_lookup_form", border=False):
            siret_text = st.text_input("SIRET de votre entreprise", key="chorus_lookup_siret", max_chars=30)
            number = st.text_input("Numéro de la facture", key="chorus_lookup_number", max_chars=40)
            sent = st.form_submit_button("Chercher ma facture", icon=":material/search:")
        if not sent:
            return st.session_state.get(RESULT_KEY)
        st.session_state[RESULT_KEY] = None
        check = classify_identifier(siret_text)
        if not check.is_valid_siret:
            st.error(check.message or "Tapez le SIRET de votre entreprise (14 chiffres).", icon=":material/error:")
            if check.fix:
                st.caption(check.fix)
            return None
        if not number.strip():
            st.error("Tapez le numéro de la facture, comme sur votre facture.", icon=":material/error:")
            return None
        try:
            with st.spinner("Recherche dans Chorus Pro…"):
                found = client.find_invoice(siret=check.compact, number=number, session_key=_session_key())
        except ChorusApiError as exc:
            log.warning("Chorus Pro look-up failed: %s", exc)
            st.error(message_for(exc), icon=":material/cloud_off:")
            _manual_way(office)
            return None
        if found is None:
            st.warning("Aucune facture ne correspond à ce numéro et à ce SIRET. Vérifiez les deux, "
                       "comme ils sont écrits sur la facture. Une facture déposée il y a quelques minutes "
                       "peut ne pas encore apparaître.", icon=":material/search_off:")
            _manual_way(office)
            return None
        st.session_state[RESULT_KEY] = found
        status = guide.get(found.status_code)
        if status is not None:
            st.session_state[status_key] = status.code
            st.query_params["statut"] = status.code
        if found.deposit_date and st.session_state.get(deposit_key) is None:
            st.session_state[deposit_key] = found.deposit_date
        return found


def result_line(found: InvoiceStatus, guide: StatusGuide) -> str:
    status = guide.get(found.status_code)
    label = status.label if status else found.status_code
    since = f", depuis le {french_date(found.status_date)}" if found.status_date else ""
    deposit = f" Déposée le {french_date(found.deposit_date)}." if found.deposit_date else ""
    return f"Chorus Pro indique : **« {label} »**{since}.{deposit}"


def show_result(found: InvoiceStatus, guide: StatusGuide) -> None:
    st.success(result_line(found, guide), icon=":material/check_circle:")
    if guide.get(found.status_code) is None:
        st.info("Ce statut n'est pas encore expliqué dans le kiosque. Appelez l'office si vous avez un doute.")
