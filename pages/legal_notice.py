"""Legal notice: who publishes the kiosk, who hosts it, credits."""

from services.legal import load_legal_notice
from ui.frame import load_office_or_stop
from ui.legal_view import render_legal_page

render_legal_page(load_legal_notice(load_office_or_stop()))
