"""Walkthrough mode: a guide step by step on a projector (no personal data: open to all)."""

import streamlit as st

from ui.frame import load_office_or_stop
from ui.presentation import render_presentation

st.set_page_config(layout="wide")
render_presentation(load_office_or_stop())
