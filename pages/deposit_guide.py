"""Guide: deposit an invoice on Chorus Pro, one step per screen."""

from services.guides import load_guide
from ui.frame import load_office_or_stop
from ui.guide_view import render_guide

office = load_office_or_stop()
guide = load_guide("deposer-une-facture", office)
render_guide(guide, next_page="pages/home.py",
             next_label="Retour à l'accueil",
             step_links={1: ("pages/invoice_check.py", "Vérifier ma facture avec le kiosque"),
                         guide.count: ("pages/track_invoice.py", "Après l'envoi : suivre ma facture et sa date de paiement")})
