"""Help: the supplier's problem, the fix, who owns it; the office's line and a callback."""

from datetime import datetime, timezone

import streamlit as st

from services.support_hours import open_slots, phone_line_status
from services.triage import load_triage
from ui.frame import load_office_or_stop
from ui.help_view import (
    callback_form, callback_receipt, inject_help_style, phone_line_card, show_notice, submit_callback,
    topic_answer, triage_picker,
)

office = load_office_or_stop()
triage = load_triage(office)
now = datetime.now(timezone.utc)
status = phone_line_status(office, now)
inject_help_style()

st.title(triage.title)
st.markdown(triage.intro)
topic = triage_picker(triage)
if topic:
    topic_answer(topic, triage.channel_for(topic), office, status)

st.header("Être rappelé par l'office")
if topic is None:
    phone_line_card(office, status)
elif triage.channel_for(topic).callback:
    st.info(triage.channel_for(topic).callback, icon=":material/info:")
st.markdown(("La ligne est ouverte : vous pouvez appeler, ou laisser votre numéro." if status.is_open
             else "La ligne est fermée pour le moment. Laissez votre numéro : l'office vous rappelle.")
            + " Vous recevez une référence à donner au téléphone.")

done = st.session_state.get("aide_cb_done")
if done:
    callback_receipt(done, office, triage, now.astimezone(office.tz).date())
else:
    show_notice()
    form = callback_form(triage, open_slots(office, now), office)
    if form is not None:
        submit_callback(form, office, triage, now)
