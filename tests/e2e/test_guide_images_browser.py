"""Lay out every guide picture in Chromium: no label cut off, overlapping or too small.

The office's values are filled in first, so a longer name or SIRET in office.toml that
no longer fits is caught here. PNGs at 800 and 360 px are kept in test-artifacts/.
"""

import pytest

from services.guides import guide_slugs, load_guide, svg_markup
from services.office import get_office
from tests.e2e.conftest import ARTIFACTS

pytestmark = pytest.mark.e2e

STEPS = [step for slug in guide_slugs() for step in load_guide(slug, get_office()).steps]
MIN_FONT_PX = 16  # in viewBox units

# Bounding boxes of every <text>, in the root's user units (viewBox).
LAYOUT_JS = """() => {
  const svg = document.querySelector('svg');
  const vb = svg.viewBox.baseVal;
  const toRoot = svg.getCTM().inverse();
  const boxes = [...svg.querySelectorAll('text')].map(t => {
    const b = t.getBBox(), m = toRoot.multiply(t.getCTM());
    const a = new DOMPoint(b.x, b.y).matrixTransform(m);
    const c = new DOMPoint(b.x + b.width, b.y + b.height).matrixTransform(m);
    return {text: t.textContent.trim(), x1: Math.min(a.x, c.x), y1: Math.min(a.y, c.y),
            x2: Math.max(a.x, c.x), y2: Math.max(a.y, c.y),
            size: parseFloat(getComputedStyle(t).fontSize)};
  });
  return {vb: [vb.x, vb.y, vb.width, vb.height], boxes};
}"""


def _problems(layout: dict) -> list[str]:
    x0, y0, width, height = layout["vb"]
    boxes = layout["boxes"]
    problems = []
    for box in boxes:
        if box["x1"] < x0 - 0.5 or box["y1"] < y0 - 0.5 or box["x2"] > x0 + width + 0.5 or box["y2"] > y0 + height + 0.5:
            problems.append(f"cut off: {box['text']!r}")
        if box["size"] < MIN_FONT_PX:
            problems.append(f"too small ({box['size']} px): {box['text']!r}")
    for i, first in enumerate(boxes):
        for second in boxes[i + 1:]:
            overlap_x = min(first["x2"], second["x2"]) - max(first["x1"], second["x1"])
            overlap_y = min(first["y2"], second["y2"]) - max(first["y1"], second["y1"])
            if overlap_x > 1 and overlap_y > 3:
                problems.append(f"overlap: {first['text']!r} / {second['text']!r}")
    return problems


@pytest.mark.parametrize("step", STEPS, ids=[s.image.stem for s in STEPS])
def test_picture_labels_fit_and_do_not_overlap(browser, step):
    page = browser.new_page(viewport={"width": 800, "height": 600})
    try:
        page.set_content(f'<html><body style="margin:0"><div style="width:800px">{svg_markup(step)}</div></body></html>')
        layout = page.evaluate(LAYOUT_JS)
        assert layout["boxes"], "no text in the picture"
        assert _problems(layout) == []
        ARTIFACTS.mkdir(exist_ok=True)
        for width in (800, 360):
            page.set_viewport_size({"width": width, "height": 600})
            page.set_content(
                f'<html><body style="margin:0"><div style="width:{width}px">{svg_markup(step)}</div></body></html>'
            )
            page.locator("svg").screenshot(path=str(ARTIFACTS / f"picture-{step.image.stem}-{width}.png"))
    finally:
        page.close()


def test_layout_check_catches_a_label_pushed_out_of_the_picture(browser):
    # The check itself must be able to fail: a label past the right edge and two stacked labels.
    page = browser.new_page()
    try:
        page.set_content(
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 800 500" font-family="Arial">'
            '<text x="700" y="50" font-size="24">Trop long pour tenir ici</text>'
            '<text x="10" y="100" font-size="24">Un</text><text x="12" y="104" font-size="24">Deux</text>'
            '<text x="10" y="200" font-size="10">petit</text></svg>'
        )
        problems = _problems(page.evaluate(LAYOUT_JS))
    finally:
        page.close()
    assert any(p.startswith("cut off") for p in problems)
    assert any(p.startswith("overlap") for p in problems)
    assert any(p.startswith("too small") for p in problems)
