"""Guide: create a Chorus Pro account, one step per screen."""

from services.guides import load_guide
from ui.frame import load_office_or_stop
from ui.guide_view import render_guide

office = load_office_or_stop()
render_guide(load_guide("creer-mon-compte", office), next_page="pages/deposit_guide.py",
             next_label="Compte prêt : déposer une facture")
