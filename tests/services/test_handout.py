import dataclasses
import io
import re
from datetime import date

import pdfplumber
import pypdfium2
import pytest

from services import handout
from services.guides import guide_slugs, load_guide, parse_guide
from services.handout import (
    HandoutError,
    build_handout,
    handout_file_name,
    markdown_to_html,
)
from services.office import DEFAULT_PATH, get_office, parse_office
from services.support_hours import hours_summary

DAY = date(2026, 11, 26)


def pdf_pages(data: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


def flat(text: str) -> str:
    """Line breaks from wrapping become spaces, so a wrapped title still matches."""
    return re.sub(r"\s+", " ", text)


@pytest.fixture(scope="module", params=guide_slugs())
def built(request):
    office = get_office()
    guide = load_guide(request.param, office)
    return guide, office, build_handout(guide, office, generated_on=DAY)


def test_handout_has_every_step_and_the_office_details(built):
    guide, office, data = built
    assert data.startswith(b"%PDF-")
    pages = pdf_pages(data)
    assert len(pages) == guide.count + 1  # a cover, then one page per step
    everything = flat("\n".join(pages))
    assert guide.title in everything
    for step in guide.steps:
        assert f"{step.number}. {flat(step.title)}" in flat(pages[step.number])
        assert f"Étape {step.number} sur {guide.count}" in pages[step.number]
    cover = flat(pages[0])
    assert f"SIRET : {office.siret}" in cover
    assert office.name in cover
    assert f"Cadre de facturation : {office.cadre_facturation}" in cover
    assert f"« Le destinataire est-il l'État ? » : {office.recipient_is_state_answer}" in cover
    assert office.phone in cover and office.contact_name in cover
    # The same opening hours as on screen (services.support_hours).
    assert f"Horaires : {hours_summary(office)}, sauf jours fériés" in cover
    # The support line and the date are on every page.
    for page in pages:
        assert "Fiche créée le 26/11/2026" in page and office.phone in page
    # Accents and French quotes survive; no placeholder is left unfilled.
    assert "Étape" in everything and "«" in everything and "»" in everything
    assert not re.search(r"\{[a-z_]+\}", everything)


def test_pdf_opens_and_renders_in_another_reader(built):
    _, _, data = built
    document = pypdfium2.PdfDocument(data)
    try:
        image = document[0].render(scale=0.5).to_pil().convert("L")
        dark = sum(1 for value in image.getdata() if value < 128)
        assert dark > 1000  # real ink on the cover, not a blank page
    finally:
        document.close()


def test_illustrations_are_drawn_with_office_details_filled_in():
    """Step 6's picture (the recipient block) is vector text in the PDF, SIRET included."""
    office = get_office()
    guide = load_guide("deposer-une-facture", office)
    step = next(s for s in guide.steps if "{siret}" in s.image.read_text(encoding="utf-8"))
    page = pdf_pages(build_handout(guide, office, generated_on=DAY))[step.number]
    svg_words = [w for w in re.findall(r">([^<>{}]{4,})</text>", step.image.read_text(encoding="utf-8"))]
    assert svg_words, "the picture should carry some text"
    assert all(flat(word.strip()) in flat(page) for word in svg_words)
    # The filled SIRET is inside the picture too (the step's own text has it once more).
    assert flat(page).count(office.siret) >= 2


@pytest.mark.parametrize("arial_metric_font", [True, False])
def test_pictures_print_with_or_without_liberation_sans(monkeypatch, tmp_path, arial_metric_font):
    if not arial_metric_font:
        monkeypatch.setattr(handout, "PICTURE_FONT_DIR", tmp_path)  # fonts-liberation not installed
    elif not handout.picture_font_available():
        pytest.skip("fonts-liberation not installed here")
    office = get_office()
    guide = load_guide("deposer-une-facture", office)
    page = flat(pdf_pages(build_handout(guide, office, generated_on=DAY))[3])
    assert "FACTURES ÉMISES" in page and "Dépôt factures" in page


def test_another_office_gets_its_own_details_everywhere(tmp_path):
    raw = DEFAULT_PATH.read_text(encoding="utf-8")
    other_siret = "73282932000074"
    raw = raw.replace(get_office().siret, other_siret).replace(get_office().phone, "01 23 45 67 89")
    other = parse_office(raw, tmp_path / "office.toml")
    guide = load_guide("deposer-une-facture", other)
    text = flat("\n".join(pdf_pages(build_handout(guide, other, generated_on=DAY))))
    assert other_siret in text and "01 23 45 67 89" in text
    assert get_office().siret not in text and get_office().phone not in text


def test_a_picture_that_cannot_be_drawn_gets_a_note(monkeypatch):
    office = get_office()
    guide = load_guide("creer-mon-compte", office)
    broken = dataclasses.replace(guide.steps[0], svg="<svg xmlns='http://www.w3.org/2000/svg'><path d='M 0 0 Q'/>")
    guide = dataclasses.replace(guide, steps=(broken, *guide.steps[1:]))
    pages = pdf_pages(build_handout(guide, office, generated_on=DAY))
    assert "Illustration non imprimable" in flat(pages[1])
    assert len(pages) == guide.count + 1


def test_missing_font_fails_with_a_clear_message(monkeypatch, tmp_path):
    monkeypatch.setattr(handout, "FONT_DIR", tmp_path)
    office = get_office()
    with pytest.raises(HandoutError, match="fonts-dejavu-core"):
        build_handout(load_guide("creer-mon-compte", office), office, generated_on=DAY)


def test_markdown_subset():
    assert markdown_to_html("Un **mot** important.") == "<p>Un <b>mot</b> important.</p>"
    assert markdown_to_html("- un\n- deux") == "<ul><li>un</li><li>deux</li></ul>"
    assert markdown_to_html("Intro :\n1. un\n2. deux\nFin") == (
        "<p>Intro :</p><ol><li>un</li><li>deux</li></ol><p>Fin</p>"
    )
    # On paper a link shows where it goes, unless its words already say it.
    assert markdown_to_html("[le site](https://x.fr/a)") == '<p><a href="https://x.fr/a">le site (https://x.fr/a)</a></p>'
    assert markdown_to_html("[x.fr](https://x.fr)") == '<p><a href="https://x.fr">x.fr</a></p>'
    assert markdown_to_html("a < b & c") == "<p>a &lt; b &amp; c</p>"
    assert markdown_to_html("ligne une\nligne deux") == "<p>ligne une ligne deux</p>"


def test_file_name():
    guide = load_guide("creer-mon-compte", get_office())
    assert handout_file_name(guide, DAY) == "fiche-creer-mon-compte-2026-11-26.pdf"


def test_guide_edits_show_up_in_the_handout():
    """Same content files as the screen: a changed step title is printed as changed."""
    office = get_office()
    path = handout.Path(load_guide("creer-mon-compte", office).steps[0].image).parents[1] / "guides"
    raw = (path / "creer-mon-compte.yaml").read_text(encoding="utf-8")
    first_title = load_guide("creer-mon-compte", office).steps[0].title
    guide = parse_guide(raw.replace(first_title, "Titre modifié à l'instant", 1), office)
    assert "Titre modifié à l'instant" in flat(pdf_pages(build_handout(guide, office, generated_on=DAY))[1])
