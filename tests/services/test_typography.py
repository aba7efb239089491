from services.typography import NBSP, french_spacing


def test_french_quotes_and_punctuation_are_glued():
    assert french_spacing("Ouvrir « Factures émises » : oui ?") == (
        f"Ouvrir «{NBSP}Factures émises{NBSP}»{NBSP}: oui{NBSP}?"
    )


def test_urls_times_and_markdown_are_untouched():
    text = "[site](https://x.fr:443/a?b=1) à 9:00, **gras** ; fin"
    assert french_spacing(text) == f"[site](https://x.fr:443/a?b=1) à 9:00, **gras**{NBSP}; fin"
