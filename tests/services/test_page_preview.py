"""Page pictures: which pages, outlines drawn where the values are, nothing for unreadable files."""

from __future__ import annotations

import io
from dataclasses import replace

from PIL import Image

from services.page_preview import (
    OUTLINE, WRONG, Outline, _font, _printable, has_accents, _place_tag, draw_outlines, outlines_by_page, pages_to_preview, render_previews,
)
from services.pdf_check.report import Box, Field
from tests.report_fixtures import REAL, SYNTHETIC, blocked_report, issue, report_from_labels


def _is_outline_colour(pixel) -> bool:
    return all(abs(a - b) <= 30 for a, b in zip(pixel[:3], OUTLINE))


def test_outlines_are_grouped_by_page_top_to_bottom():
    report = report_from_labels(SYNTHETIC / "inv-009.pdf")  # 3 pages, totals on the last one
    pages = outlines_by_page(report)
    assert sorted(pages) == [1, 3]
    assert [o.field for o in pages[3]] == ["total_ht", "total_tva", "total_ttc"]
    tops = [o.box.top for o in pages[1]]
    assert tops == sorted(tops)
    assert pages_to_preview(report) == [1, 3]


def test_first_page_is_shown_even_without_boxes():
    report = report_from_labels(SYNTHETIC / "inv-006.pdf")
    no_boxes = {name: replace(f, box=None) for name, f in report.fields.items()}
    assert pages_to_preview(replace(report, fields=no_boxes)) == [1]


def test_unreadable_files_have_no_picture():
    for code in ("not_a_pdf", "empty_file", "encrypted", "corrupted", "too_large", "timeout"):
        assert pages_to_preview(blocked_report(code)) == []
        assert render_previews(b"not a pdf", blocked_report(code)) == ()


def test_render_draws_each_box_where_the_value_is():
    path = SYNTHETIC / "inv-006.pdf"
    report = report_from_labels(path)
    (preview,) = render_previews(path.read_bytes(), report)
    image = Image.open(io.BytesIO(preview.png)).convert("RGB")
    assert (image.width, image.height) == (preview.width, preview.height)
    assert 990 <= image.width <= 1010
    scale = image.width / report.page_sizes[1][0]
    box = report.fields["total_ttc"].box
    # The left edge of the outline (3 px padding) is drawn in the outline colour, top to bottom.
    x = round(box.x0 * scale - 3)
    column = [image.getpixel((x + dx, round((box.top + box.bottom) / 2 * scale))) for dx in range(-1, 3)]
    assert any(_is_outline_colour(p) for p in column)
    assert "Total TTC" in preview.labels and "SIRET client" in preview.labels


def test_render_of_an_unoutlined_page_changes_nothing():
    path = SYNTHETIC / "inv-006.pdf"
    report = report_from_labels(path)
    no_boxes = {name: replace(f, box=None) for name, f in report.fields.items()}
    (preview,) = render_previews(path.read_bytes(), replace(report, fields=no_boxes))
    image = Image.open(io.BytesIO(preview.png)).convert("RGB")
    assert preview.labels == ()
    assert not any(_is_outline_colour(image.getpixel((x, y))) for x in range(0, image.width, 7)
                   for y in range(0, image.height, 97))


def test_tall_pages_are_scaled_down():
    path = SYNTHETIC / "inv-006.pdf"
    report = report_from_labels(path)
    tall = replace(report, page_sizes={1: (595.28, 841.89 * 3)})
    (preview,) = render_previews(path.read_bytes(), tall)
    assert preview.height <= 2000


def test_labels_do_not_cover_each_other():
    taken = [(100.0, 100.0, 200.0, 120.0)]
    tag = _place_tag((100.0, 100.0, 200.0, 120.0), (60.0, 16.0), (1000, 1000), taken, [])
    assert tag[3] <= 100.0  # above the box
    taken.append(tag)
    # A second box just below the first: its label must not land on the first box or label.
    second = _place_tag((100.0, 124.0, 200.0, 144.0), (60.0, 16.0), (1000, 1000), taken, [])
    assert all(not (second[0] < t[2] and t[0] < second[2] and second[1] < t[3] and t[1] < second[3])
               for t in taken)


def test_draw_outlines_on_a_plain_image():
    image = Image.new("RGB", (400, 300), "white")
    drawn = draw_outlines(image, [Outline("iban", "IBAN", Box(50, 100, 150, 110))], scale=1.0)
    assert _is_outline_colour(drawn.getpixel((47, 105)))
    assert drawn.getpixel((300, 250)) == (255, 255, 255)


def test_a_rotated_page_renders_with_its_displayed_size():
    # inv-016 is a multi-page invoice; whatever its rotation, the picture follows the page's shape.
    path = SYNTHETIC / "inv-016.pdf"
    report = report_from_labels(path)
    for preview in render_previews(path.read_bytes(), report):
        width_pt, height_pt = report.page_sizes[preview.page]
        assert abs(preview.height / preview.width - height_pt / width_pt) < 0.01


def test_a_real_invoice_renders():
    path = REAL / "fr-gandi-2022.pdf"
    report = report_from_labels(path)
    previews = render_previews(path.read_bytes(), report)
    assert previews and previews[0].page == 1
    assert Image.open(io.BytesIO(previews[0].png)).format == "PNG"


def test_field_without_page_is_not_outlined():
    report = report_from_labels(SYNTHETIC / "inv-006.pdf")
    fields = dict(report.fields, iban=Field(value="FR76", box=Box(1, 1, 2, 2), page=None))
    labels = [o.field for outlines in outlines_by_page(replace(report, fields=fields)).values() for o in outlines]
    assert "iban" not in labels


def test_a_value_inside_another_is_not_outlined_twice():
    report = report_from_labels(SYNTHETIC / "inv-006.pdf")
    siret = report.fields["seller_siret"]
    inner = Box(siret.box.x0, siret.box.top, siret.box.x0 + (siret.box.x1 - siret.box.x0) * 0.6, siret.box.bottom)
    fields = dict(report.fields, seller_siren=replace(report.fields["seller_siren"], box=inner, page=siret.page))
    names = [o.field for o in outlines_by_page(replace(report, fields=fields))[siret.page]]
    assert "seller_siret" in names and "seller_siren" not in names


def test_the_same_box_for_two_values_gets_one_label():
    report = report_from_labels(SYNTHETIC / "inv-006.pdf")
    siret = report.fields["seller_siret"]
    fields = dict(report.fields, seller_siren=replace(report.fields["seller_siren"], box=siret.box, page=siret.page))
    names = [o.field for o in outlines_by_page(replace(report, fields=fields))[siret.page]]
    assert names.count("seller_siret") == 1 and "seller_siren" not in names


def test_a_value_with_an_error_is_outlined_in_red():
    path = SYNTHETIC / "inv-049.pdf"
    report = report_from_labels(path, issues=(issue("wrong_buyer_siret", field="buyer_siret"),
                                              issue("some_advice", "warning", field="seller_vat")))
    outlines = {o.field: o for o in outlines_by_page(report)[1]}
    assert outlines["buyer_siret"].wrong and outlines["buyer_siret"].label == "SIRET client : à corriger"
    assert not outlines["seller_vat"].wrong  # a warning does not turn it red
    (preview,) = render_previews(path.read_bytes(), report)
    image = Image.open(io.BytesIO(preview.png)).convert("RGB")
    scale = image.width / report.page_sizes[1][0]
    box = report.fields["buyer_siret"].box
    x, y = round(box.x0 * scale - 3), round((box.top + box.bottom) / 2 * scale)
    near = [image.getpixel((x + dx, y)) for dx in range(-1, 4)]
    assert any(all(abs(a - b) <= 30 for a, b in zip(p, WRONG)) for p in near)


def test_labels_are_drawn_with_their_french_accents():
    font = _font(16)
    assert has_accents(font)  # Debian's DejaVu/Liberation fonts are installed with the kiosk
    assert _printable("SIRET client : à corriger", font) == "SIRET client : à corriger"


def test_a_font_without_accents_gets_plain_letters_not_empty_boxes():
    from PIL import ImageFont

    bare = ImageFont.load_default(size=16)  # Pillow's own font: no « à »
    assert not has_accents(bare)
    assert _printable("SIRET client : à corriger", bare) == "SIRET client : a corriger"


def test_a_value_to_check_is_outlined_in_amber_with_dark_text():
    from services.page_preview import TO_CHECK

    path = SYNTHETIC / "inv-006.pdf"
    base = report_from_labels(path)
    fields = dict(base.fields, invoice_number=replace(base.fields["invoice_number"], confidence="guessed"))
    report = replace(base, fields=fields, issues=(issue("uncertain_totals", "warning", "total_ttc"),
                                                  issue("totals_mismatch", "error", "total_ht"),
                                                  issue("uncertain_totals", "warning", "total_ht")))
    outlines = {o.field: o for o in outlines_by_page(report)[1]}
    assert outlines["total_ttc"].to_check and outlines["total_ttc"].label == "Total TTC : à vérifier"
    assert outlines["invoice_number"].label == "N° facture : à vérifier"
    assert outlines["total_ht"].wrong and not outlines["total_ht"].to_check  # an error stays red
    assert outlines["total_ht"].label == "Total HT : à corriger"
    assert not outlines["seller_siret"].to_check
    (preview,) = render_previews(path.read_bytes(), report)
    assert "Total TTC : à vérifier" in preview.labels
    image = Image.open(io.BytesIO(preview.png)).convert("RGB")
    scale = image.width / report.page_sizes[1][0]
    box = report.fields["total_ttc"].box
    x, y = round(box.x0 * scale - 3), round((box.top + box.bottom) / 2 * scale)
    near = [image.getpixel((x + dx, y)) for dx in range(-1, 4)]
    assert any(all(abs(a - b) <= 30 for a, b in zip(p, TO_CHECK)) for p in near)
