"""Personal data: what each part of the kiosk keeps, why, who sees it, how long; your rights."""

from services.legal import load_privacy_notice
from ui.frame import load_office_or_stop
from ui.legal_view import render_privacy_notice

render_privacy_notice(load_privacy_notice(load_office_or_stop()))
