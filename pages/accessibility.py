"""Accessibility statement (RGAA 4.1): status, what was checked and how, how to report a problem."""

from services.legal import load_accessibility_statement
from ui.frame import load_office_or_stop
from ui.legal_view import render_accessibility_statement

render_accessibility_statement(load_accessibility_statement(load_office_or_stop()))
