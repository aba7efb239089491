"""Track an invoice: what its Chorus Pro status means, and when the office must pay."""

from datetime import datetime

import streamlit as st

from services.invoice_status import load_statuses
from ui import chorus_lookup
from ui.frame import load_office_or_stop
from ui.status_view import (
    DEPOSIT_KEY, STATUS_KEY, inject_status_style, payment_calculator, record_status_in_case, status_answer,
    status_picker,
)

office = load_office_or_stop()
guide = load_statuses(office)
today = datetime.now(office.tz).date()
inject_status_style()

st.title("Où en est ma facture ?")
st.markdown("Choisissez le statut de votre facture : nous vous disons ce qu'il veut dire et quoi faire. "
            "Plus bas : la date à laquelle l'office doit vous payer.")

st.header("Que veut dire le statut ?")
client = chorus_lookup.get_client()  # None unless the office enabled the live look-up
found = None
if client:
    found = chorus_lookup.supplier_lookup(client, guide, office, status_key=STATUS_KEY, deposit_key=DEPOSIT_KEY)
    st.markdown("Ou choisissez vous-même le statut que vous voyez :")
status = status_picker(guide)
if found:
    chorus_lookup.show_result(found, guide)
if status:
    status_answer(guide, status)
    record_status_in_case(status.code, looked_up=bool(found and found.status_code == status.code))

st.header("Quand serai-je payé ?")
payment_calculator(office, today)
