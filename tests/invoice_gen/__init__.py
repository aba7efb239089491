"""Seeded random invoices with known truth, for measuring the PDF checker.

    from tests.invoice_gen import generate
    g = generate(1234)                 # clean invoice (credit notes included)
    g = generate(1234, defect="totals_mismatch")
    g.pdf (bytes), g.truth (labels.json-shaped dict), g.family (every layout choice made)

Stages: truth.draw (values) -> variants.apply (one defect, optional) -> choose_family (layout
choices) -> layouts / receipt (drawing) -> variants.post (scanned page)."""

from __future__ import annotations

import random
from dataclasses import dataclass

from . import formats as F
from . import receipt, variants
from .canvas import MONO_FONTS, PROP_FONTS
from .layouts import PageRenderer, apply_rotation
from .truth import draw

DEFECTS = variants.DEFECTS


@dataclass
class GeneratedInvoice:
    pdf: bytes
    truth: dict
    family: dict


def _pick(rng: random.Random, weighted: dict):
    keys = list(weighted)
    return rng.choices(keys, weights=[weighted[k] for k in keys])[0]


def choose_family(rng: random.Random, lang: str, doc_type: str) -> dict:
    """Independent layout choices for one invoice (number and date formats lean on the language)."""
    nf_by_lang = {
        "fr": {"fr_space": 4, "fr_nbsp": 3, "fr_nnbsp": 2, "plain_comma": 2, "plain_dot": 1, "de_dot": 1},
        "en": {"en_comma": 5, "plain_dot": 2, "fr_space": 1, "ch_apos": 1},
        "de": {"de_dot": 5, "plain_comma": 1, "fr_space": 1},
        "nl": {"de_dot": 4, "plain_comma": 1, "en_comma": 1},
        "es": {"de_dot": 4, "plain_comma": 2, "fr_space": 1},
        "it": {"de_dot": 4, "plain_comma": 1, "ch_apos": 1},
    }
    df_by_lang = {
        "fr": {"slash": 6, "dash": 1, "dot": 1, "iso": 1, "slash_yy": 1, "dot_yy": 1, "words": 2, "words_abbr": 1},
        "en": {"slash": 2, "words_en_us": 2, "words_en_uk": 2, "iso": 1, "words_abbr": 1},
        "de": {"dot": 6, "words": 2, "iso": 1, "dot_yy": 1},
        "nl": {"dash": 4, "words": 2, "slash": 1, "iso": 1},
        "es": {"slash": 4, "words": 2, "dash": 1},
        "it": {"slash": 4, "words": 2, "dot": 1},
    }
    mono = _pick(rng, {"no": 86, "ticket": 8, "listing": 6})
    fam = {
        "language": lang,
        "doc_type": doc_type,
        "monospace": mono,
        "number_format": _pick(rng, nf_by_lang[lang]),
        "currency_style": _pick(rng, {"after_euro": 6, "after_eur": 2, "before_euro": 1, "before_eur": 1, "none": 2,
                                      "after_euro_tight": 1}),
        "neg_style": _pick(rng, {"minus": 6, "parentheses": 1, "trailing_minus": 1, "unicode_minus": 1}),
        "credit_sign": _pick(rng, {"negative": 2, "positive": 1}),
        "date_format": _pick(rng, df_by_lang[lang]),
        "label_case": _pick(rng, {"as_is": 6, "upper": 2, "lower": 1}),
        "label_position": _pick(rng, {"right": 4, "below": 2, "table": 2, "colon": 3, "grid": 2}),
        "leaders": _pick(rng, {"none": 5, "dots": 2, "dashes": 1}),
        "value_align": _pick(rng, {"right": 2, "left": 1}),
        "header_columns": _pick(rng, {"seller_left": 5, "seller_right": 3, "stacked": 2, "letter": 1}),
        "letter_town": _pick(rng, {"buyer": 1, "seller": 2}),
        "sender_line": rng.random() < (0.5 if lang in ("de", "nl") else 0.12),
        "ship_to": rng.random() < 0.15,
        "ids_position": _pick(rng, {"header": 4, "footer": 3, "both": 2}),
        "totals_layout": _pick(rng, {"vertical": 6, "horizontal": 2, "boxes": 1}),
        "totals_position": "last",
        "page_format": _pick(rng, {"a4": 8, "letter": 1, "a4_landscape": 1}),
        "odd_page": "none",
        "font": rng.choice(PROP_FONTS),
        "font_size": _pick(rng, {"small": 2, "medium": 3, "large": 1}),
        "bold_labels": rng.random() < 0.4,
        "bold_values": rng.random() < 0.3,
        "value_bigger": rng.random() < 0.3,
        "siret_style": _pick(rng, {"compact": 4, "grouped": 3, "siren_nic": 1}),
        "vat_style": _pick(rng, {"compact": 3, "spaced": 1}),
        "iban_style": _pick(rng, {"compact": 1, "grouped": 2}),
        "iban_position": _pick(rng, {"body": 2, "footer": 1}),
        "id_colon": rng.random() < 0.5,
        "buyer_siret_keyword": rng.random() < 0.8,
        "client_boxed": rng.random() < 0.4,
        "client_below_left": rng.random() < 0.3,
        "client_name_split": rng.random() < 0.2,
        "client_ids_shuffled": rng.random() < 0.3,
        "customer_no_in_client": rng.random() < 0.4,
        "seller_align_right": rng.random() < 0.5,
        "seller_country_line": rng.random() < 0.7,
        "email": rng.random() < 0.5,
        "title_has_number": rng.random() < 0.2,
        "show_due": rng.random() < 0.5,
        "show_due_text": rng.random() < 0.3,
        "show_delivery": rng.random() < 0.25,
        "quote_in_meta": rng.random() < 0.5,
        "object_line": rng.random() < 0.3,
        "items_columns": _pick(rng, {"standard": 3, "no_rate": 2, "rate_last": 1, "ref_first": 1}),
        "table_style": _pick(rng, {"lines": 3, "grid": 2, "filled": 2, "plain": 1}),
        "rate_pct": rng.random() < 0.6,
        "line_amount_currency": rng.random() < 0.2,
        "currency_in_header": rng.random() < 0.7,
        "vat_table": rng.random() < 0.5,
        "rate_line_on": rng.random() < 0.3,
        "totals_boxed": rng.random() < 0.3,
        "penalty_line": rng.random() < 0.3,
        "page_numbers": _pick(rng, {"bottom": 3, "top": 1, "none": 2}),
        "target_pages": _pick(rng, {1: 60, 2: 20, 3: 12, 4: 8}),
    }
    if mono != "no":
        # choices the monospace layouts do not use are recorded as "n/a" (per-family statistics stay honest)
        for key in ("label_position", "header_columns", "totals_layout", "value_align", "table_style",
                    "items_columns", "font_size"):
            fam[key] = "n/a"
        fam["font"] = rng.choice(MONO_FONTS)
        fam["page_format"] = "ticket" if mono == "ticket" else "a4"
        if mono == "ticket":
            fam["target_pages"] = 1
    elif fam["target_pages"] > 1:
        fam["totals_position"] = _pick(rng, {"last": 4, "first": 1})
        fam["odd_page"] = _pick(rng, {"none": 3, "landscape": 1, "rotated": 1}) if fam["page_format"] == "a4" else "none"
    if not fam["font"].startswith("dejavu"):  # only DejaVu has U+202F; core fonts lack U+2212 too
        if fam["number_format"] == "fr_nnbsp":
            fam["number_format"] = "fr_nbsp"
        if fam["neg_style"] == "unicode_minus" and fam["font"] in ("helvetica", "times", "courier"):
            fam["neg_style"] = "minus"
    return fam


def _lines_for(rng: random.Random, fam: dict) -> int | None:
    t = fam["target_pages"]
    if t == 1:
        return None
    return rng.randint(22 + 42 * (t - 2), 40 + 42 * (t - 2))


def plan(seed: int, defect: str | None = None):
    """The truth and the layout choices of one seed, before drawing: (Invoice, family)."""
    rng = random.Random(seed)
    inv = draw(rng)
    fam = choose_family(random.Random(seed * 7919 + 17), inv.lang, inv.doc_type)
    frng = random.Random(seed * 104729 + 3)
    n = _lines_for(frng, fam)
    if n:
        inv.extend_lines(frng, n)
    fam.update(deposit=bool(inv.deposit), discount=bool(inv.discount), multi_rate=len(inv.breakdown) > 1,
               foreign=inv.country != "FR", seller_country=inv.country)
    if defect:
        variants.apply(inv, fam, defect, random.Random(seed * 31 + len(defect)))
    return inv, fam, frng


def generate(seed: int, defect: str | None = None) -> GeneratedInvoice:
    """One invoice, deterministic from (seed, defect); defect is one of DEFECTS or None (clean)."""
    inv, fam, frng = plan(seed, defect)
    if fam["monospace"] != "no":
        data, rotated, pages = receipt.render(inv, fam, frng)
    else:
        data, rotated, pages = PageRenderer(inv, fam, frng).render()
    data = apply_rotation(data, rotated)
    if defect == "scan_page":
        data = variants.scan(data, fam, random.Random(seed + 99))
    inv.pages = pages
    fam["pages"] = pages
    if defect == "scan_page":
        inv.expected_issues = ["scan_no_text"] if pages == 1 else ["partial_scan"]
    return GeneratedInvoice(pdf=data, truth=inv.truth(), family=fam)


def generate_defect(seed: int, code: str) -> GeneratedInvoice:
    return generate(seed, defect=code)


__all__ = ["generate", "generate_defect", "plan", "GeneratedInvoice", "DEFECTS", "choose_family", "F"]
