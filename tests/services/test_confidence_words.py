"""The checker's confidence and rule ids in plain French; which fields an uncertain_* warning names."""

from services.pdf_check.confidence_words import (
    CONFIDENCE_WORDS, confidence_words, is_uncertainty, rule_beyond, rule_words, uncertain_fields,
)
from services.pdf_check.report import CONFIDENCE_LEVELS, Field
from services.pdf_check.rules import UNCERTAIN_CODES, uncertain
from tests.report_fixtures import issue


def test_every_confidence_level_has_words():
    assert set(CONFIDENCE_WORDS) == set(CONFIDENCE_LEVELS)
    assert confidence_words(Field("1", confidence="guessed")) == "deviné sans libellé : à vérifier"
    assert confidence_words(Field(None, confidence="guessed")) is None
    assert confidence_words(Field("1", source="facturx")) == "lu dans les données Factur-X"


def test_every_rule_the_analysis_writes_has_words():
    # the ids written by confidence.py, totals.py and analyse.py (merge_facturx)
    for rule in ("label", "weak-label", "no-label", "label+checksum", "checksum-only", "shape-only", "checksum",
                 "office-siret", "code", "word", "title", "default", "facturx", "facturx+page", "label+sum",
                 "vat-breakdown", "ht=ttc-tva", "no-vat", "labels-only", "sum-only"):
        assert rule_words(rule), rule


def test_rule_ids_in_french_unknown_ones_omitted():
    assert rule_words("label") == "écrit juste après son libellé"
    assert rule_words("LABEL+checksum") == "écrit juste après son libellé, et la clé de contrôle du numéro est juste"
    assert rule_words("label+sum", omit=("label",)) == "le total HT plus la TVA donne bien le TTC"
    assert rule_words("label", omit=("label",)) is None
    assert confidence_words(Field("1", confidence="checked"), "total_ttc") == "lu après son libellé et vérifié par le calcul"
    assert confidence_words(Field("1", confidence="checked"), "iban").endswith("vérifié par la clé de contrôle")
    siret = Field("1", confidence="checked", rule="label+checksum")
    assert rule_beyond(siret, "seller_siret") is None  # « vérifié par la clé de contrôle » says it all
    total = Field("1", confidence="checked", rule="label+sum")
    assert rule_beyond(total, "total_ttc") == "le total HT plus la TVA donne bien le TTC"  # which calculation
    assert rule_beyond(Field("1", confidence="guessed", rule="sum-only"), "total_ttc") == (
        "trois montants de la page qui tombent juste, sans libellé de total clair")
    for unknown in (None, "", "label+mystery", "mystery", "<script>"):
        assert rule_words(unknown) is None


def test_uncertain_warnings_name_their_fields():
    for name, code in UNCERTAIN_CODES.items():
        made = uncertain(name, found="12", why="deux montants")
        assert made.code == code and is_uncertainty(made)
        assert uncertain_fields(made) == (name,)
    assert uncertain_fields(issue("uncertain_totals", "warning")) == ("total_ht", "total_tva", "total_ttc")
    assert uncertain_fields(issue("uncertain_totals", "error", "total_ttc")) == ()  # an error is not a doubt
    assert uncertain_fields(issue("missing_date", "warning", "invoice_date")) == ()
