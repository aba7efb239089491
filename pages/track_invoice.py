"""Track an invoice: what its Chorus Pro status means, and when the office must pay."""

from datetime import datetime

import streamlit as st

from services.invoice_status import load_statuses
from ui.frame import load_office_or_stop
from ui.status_view import inject_status_style, payment_calculator, status_answer, status_picker

office = load_office_or_stop()
guide = load_statuses(office)
today = datetime.now(office.tz).date()
inject_status_style()

st.title("Où en est ma facture ?")
st.markdown("Choisissez le statut de votre facture : nous vous disons ce qu'il veut dire et quoi faire. "
            "Plus bas : la date à laquelle l'office doit vous payer.")

st.header("Que veut dire le statut ?")
status = status_picker(guide)
if status:
    status_answer(guide, status)

st.header("Quand serai-je payé ?")
payment_calculator(office, today)
