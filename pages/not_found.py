"""An address that matches no page: « Page introuvable » and links to the main pages."""

from ui.not_found import not_found_body

not_found_body()
