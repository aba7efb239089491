"""« Je n'ai pas de numéro de SIRET » content, and the guides' optional `tool:` key."""

import pytest

from services.guides import ContentError, load_guide, parse_guide
from services.no_siret import CHORUS_IDENTIFIER_TYPES, load_no_siret, parse_no_siret
from services.office import get_office


def test_no_siret_content_covers_the_usual_cases():
    guide = load_no_siret(get_office())
    codes = {case.code for case in guide.cases}
    assert {"UE_HORS_FRANCE", "HORS_UE", "PARTICULIER", "AUTRE"} <= codes
    assert codes - {None} <= set(CHORUS_IDENTIFIER_TYPES)
    eu = next(c for c in guide.cases if c.code == "UE_HORS_FRANCE")
    assert "TVA intracommunautaire" in eu.identifier
    assert "{" not in guide.outro and get_office().phone in guide.outro


def test_no_siret_rejects_an_unknown_code():
    raw = "cases:\n  - who: x\n    choose: y\n    code: SIRETT\n    identifier: z\n"
    with pytest.raises(ContentError, match="SIRETT"):
        parse_no_siret(raw, get_office())


def test_no_siret_rejects_a_missing_field():
    with pytest.raises(ContentError, match="choose"):
        parse_no_siret("cases:\n  - who: x\n    identifier: z\n", get_office())


GUIDE = """
slug: t
title: T
steps:
  - title: A
    do: a
    image: compte-1-inscription.svg
    alt: a
    {tool}
  - title: B
    do: b
    image: compte-2-email.svg
    alt: b
"""


def test_step_tool_is_optional_and_parsed():
    guide = parse_guide(GUIDE.format(tool="tool: siret_check"), get_office())
    assert guide.steps[0].tool == "siret_check"
    assert guide.steps[1].tool is None


@pytest.mark.parametrize("bad", ["tool: Siret-Check", "tool: [a]", "tool: 3"])
def test_step_tool_must_be_a_name(bad):
    with pytest.raises(ContentError, match="tool"):
        parse_guide(GUIDE.format(tool=bad), get_office())


def test_account_guide_step_one_has_the_siret_tool():
    guide = load_guide("creer-mon-compte", get_office())
    assert guide.steps[0].tool == "siret_check"
    assert all(step.tool is None for step in guide.steps[1:])
