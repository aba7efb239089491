"""The guides' SVG illustrations: safe, self-contained, small, and filled from office.toml."""

import re
import xml.etree.ElementTree as ET
from dataclasses import replace

import pytest

from services.guides import guide_slugs, load_guide, svg_markup
from services.office import get_office

SVG_NS = "{http://www.w3.org/2000/svg}"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
MAX_BYTES = 20 * 1024
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


def _all_steps(office):
    return [(slug, step) for slug in guide_slugs() for step in load_guide(slug, office).steps]


STEPS = _all_steps(get_office())
IDS = [f"{slug}-{step.number}" for slug, step in STEPS]


def _local(tag: str) -> str:
    return tag.split("}", 1)[-1]


@pytest.mark.parametrize(("slug", "step"), STEPS, ids=IDS)
def test_picture_file_is_a_small_self_contained_svg(slug, step):
    assert step.image.is_file()
    raw = step.image.read_bytes()
    assert len(raw) < MAX_BYTES, f"{step.image.name} is {len(raw)} bytes"
    root = ET.fromstring(raw)
    assert root.tag == f"{SVG_NS}svg"
    # Scales to any width: a viewBox and no fixed size.
    assert root.get("viewBox"), f"{step.image.name} has no viewBox"
    assert root.get("width") is None and root.get("height") is None
    title = root.find(f"{SVG_NS}title")
    desc = root.find(f"{SVG_NS}desc")
    assert title is not None and title.text and title.text.strip()
    assert desc is not None and desc.text and desc.text.strip()
    for element in root.iter():
        name = _local(element.tag)
        assert name not in {"script", "foreignObject", "image", "iframe", "use"}, f"<{name}> in {step.image.name}"
        for attribute, value in element.attrib.items():
            assert not _local(attribute).lower().startswith("on"), f"event handler in {step.image.name}"
            if attribute in ("href", XLINK_HREF):
                assert value.startswith("#"), f"external reference {value!r} in {step.image.name}"
            assert "url(" not in value or "url(#" in value, f"external url() in {step.image.name}"
    assert "<style" not in raw.decode("utf-8"), "styles go in attributes, so nothing external can sneak in"


@pytest.mark.parametrize(("slug", "step"), STEPS, ids=IDS)
def test_filled_picture_parses_and_has_no_placeholder_left(slug, step):
    root = ET.fromstring(step.svg)
    text = " ".join(root.itertext())
    assert not PLACEHOLDER.search(text), f"unfilled placeholder in {step.image.name}"
    assert not PLACEHOLDER.search(step.svg)
    # The description says what the alt text says (same French words, office values filled).
    desc = root.find(f"{SVG_NS}desc").text
    assert " ".join(desc.split()) == " ".join(step.alt.split())


@pytest.mark.parametrize(("slug", "step"), STEPS, ids=IDS)
def test_markup_for_the_page_carries_the_alt_text(slug, step):
    markup = svg_markup(step)
    root = ET.fromstring(markup)
    assert root.get("role") == "img"
    assert root.get("aria-label") == step.alt


def _step_with_image(office, name):
    for _slug, step in _all_steps(office):
        if step.image.name == name:
            return step
    raise AssertionError(f"no step uses {name}")


def test_recipient_picture_shows_the_office_details_from_office_toml():
    office = get_office()
    svg = _step_with_image(office, "depot-6-destinataire.svg").svg
    texts = " ".join(ET.fromstring(svg).itertext())
    assert office.siret in texts
    assert office.name in texts
    assert office.recipient_is_state_answer in texts


def test_pictures_follow_office_toml_not_hard_coded_values():
    office = get_office()
    other = replace(office, siret="73282932000074", name="MAIRIE DE TEST & FILS", cadre_facturation="A9")
    recipient = _step_with_image(other, "depot-6-destinataire.svg").svg
    cadre = _step_with_image(other, "depot-5-cadre.svg").svg
    # The filled markup stays valid XML even with "&" in a value.
    recipient_text = " ".join(ET.fromstring(recipient).itertext())
    cadre_text = " ".join(ET.fromstring(cadre).itertext())
    assert "73282932000074" in recipient_text and office.siret not in recipient_text
    assert "MAIRIE DE TEST & FILS" in recipient_text
    assert "A9" in cadre_text and "A1 :" not in cadre_text


def test_no_picture_hard_codes_the_office_details():
    office = get_office()
    for path in sorted({step.image for _slug, step in STEPS}):
        raw = path.read_text(encoding="utf-8")
        assert office.siret not in raw, f"{path.name} repeats the SIRET: use {{siret}}"
        assert office.name not in raw, f"{path.name} repeats the office name: use {{office_name}}"
