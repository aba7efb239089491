"""Walkthrough mode: a guide step by step on a projector (no personal data: open to all)."""

from ui.frame import load_office_or_stop
from ui.presentation import render_presentation

render_presentation(load_office_or_stop())
