"""Check an invoice PDF: what Chorus Pro will read in it, what to type, what to fix first."""

import streamlit as st

from ui.case_ref import checker_case_box
from ui.checker_view import KEY_FILE_ID, last_result, show_failure, show_result, upload_and_check
from ui.frame import load_office_or_stop

office = load_office_or_stop()

st.title("Vérifier ma facture avant Chorus Pro")
st.markdown(
    "Déposez votre facture PDF ci-dessous. En quelques secondes, vous saurez si Chorus Pro "
    "pourra la lire, ce qu'il remplira tout seul, ce qu'il faudra taper, et quoi corriger d'abord."
)

upload_and_check(office)
result = last_result()
if not show_failure(office) and result is not None:
    show_result(result, office)
    checker_case_box(result, st.session_state.get(KEY_FILE_ID))  # case code for phone support
